"""Which register sections each category reads, and how their payloads become its type.

One category, one entry. Every category reads one section of one register, except
`contacts`, which joins DFDG's municipal contacts with UDB's school contacts, and `deadlines`,
derived from sections of both (deadline_facts.py): it builds the facts the deadline rules read,
and the core judges them on the day asked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from gateway.resolvers import (
    admissions,
    deadline_facts,
    dfdg,
    eindkomst,
    grades,
    questionnaire,
    social,
    udb,
    wire,
)
from gateway.resolvers.base import WHOLE, MapContext, Payload, RegisterSpec
from gateway.resolvers.errors import RegisterUnavailable
from schema.categories.contacts import Contacts
from schema.enums import Category

T = TypeVar("T")

Builder = Callable[[Sequence[Payload | None], MapContext], object | None]

#: Every register module's spec, by label.
SPECS: dict[str, RegisterSpec] = {
    spec.label: spec
    for spec in (
        udb.SPEC,
        dfdg.SPEC,
        grades.SPEC,
        eindkomst.SPEC,
        admissions.SPEC,
        questionnaire.SPEC,
        social.SPEC,
    )
}


@dataclass(frozen=True)
class CategorySource:
    #: (register label, section) pairs, loaded in parallel, in the order `build` reads them.
    reads: tuple[tuple[str, str], ...]
    build: Builder


def mapped(register: str, mapper: Callable[..., T], *args: Any) -> T:
    """Run a mapper; an answer of the wrong shape makes the register unavailable."""
    try:
        return mapper(*args)
    except (wire.WireError, KeyError, TypeError, ValueError, AttributeError):
        raise RegisterUnavailable(register) from None


def _one(
    register: str,
    section: str,
    mapper: Callable[[Payload, MapContext], object],
    *,
    absent: Callable[[], object | None] = lambda: None,
) -> CategorySource:
    """A category read from one register section. `absent` is its value for a person the
    register does not know: None for an object, an empty list for a list category (no
    notices, no plans), so that "nothing registered" is not mistaken for "unknown"."""

    def build(payloads: Sequence[Payload | None], ctx: MapContext) -> object | None:
        payload = payloads[0]
        return absent() if payload is None else mapped(register, mapper, payload, ctx)

    return CategorySource(reads=((register, section),), build=build)


def _deadline_facts(payloads: Sequence[Payload | None], ctx: MapContext) -> object | None:
    """DFDG's and UDB's sections as one young person's dated facts (None when neither
    register knows them); a wrong shape makes the register that sent it unavailable."""
    casework, plan, schooling, support, dropout = payloads
    if all(payload is None for payload in payloads):
        return None
    employment = mapped("dfdg", deadline_facts.employment_side, casework, plan)
    education = mapped("udb", deadline_facts.education_side, schooling, support, dropout)
    return deadline_facts.youth_facts(ctx, employment, education)


def _contacts(payloads: Sequence[Payload | None], ctx: MapContext) -> Contacts | None:
    municipal_payload, school_payload = payloads
    if municipal_payload is None and school_payload is None:
        return None
    municipal = mapped("dfdg", dfdg.municipal_contacts, municipal_payload)
    school, kui = mapped("udb", udb.institution_contacts, school_payload)
    receipts = [person.since for person in school if person.since is not None]
    return Contacts(
        municipal=municipal,
        institution=school,
        kui_contact=kui,
        institution_receipt_date=max(receipts, default=None),
    )


CATEGORY_SOURCES: dict[Category, CategorySource] = {
    Category.IDENTITY: _one("dfdg", "stamdata", dfdg.identity),
    Category.SCHOOLING: _one("udb", "uddannelser", udb.schooling),
    Category.GRADES: _one("grades", WHOLE, grades.grades),
    Category.EMPLOYMENT: _one("eindkomst", eindkomst.HOURS, eindkomst.employment),
    Category.INCOME: _one("eindkomst", eindkomst.AMOUNTS, eindkomst.income),
    Category.BENEFITS: _one("dfdg", "forsoergelse", dfdg.benefits),
    Category.ADMISSIONS: _one("admissions", WHOLE, admissions.admissions),
    Category.PLAN: _one("dfdg", "plan", dfdg.plan),
    Category.CASEWORK: _one("dfdg", "sagsforloeb", dfdg.casework),
    Category.CONTACTS: CategorySource(
        reads=(("dfdg", "kontakt"), ("udb", "kontakt")), build=_contacts
    ),
    Category.SUPPORT_NEEDS: _one("udb", "stoettebehov", udb.support_needs),
    Category.DROPOUT_RISK: _one("udb", "frafald", udb.dropout_risks, absent=list),
    Category.QUESTIONNAIRE: _one("questionnaire", "svar", questionnaire.questionnaire),
    Category.HEALTH: _one("questionnaire", "helbred", questionnaire.health),
    Category.SOCIAL_PLANS: _one("social", WHOLE, social.social_plans, absent=list),
    Category.DEADLINES: CategorySource(reads=deadline_facts.READS, build=_deadline_facts),
}
