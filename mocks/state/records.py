"""What UDB holds per young person for the retention exchange, and how it goes on the wire.

One `ExchangeRecord` per CPR: the support-need versions (each with the day the school
acknowledged it), the school's current contact per institution (with the version it
acknowledged), the dropout-risk notices and the subscriptions. The wire shapes here serve the
reads (`stoettebehov`, `kontakt`, `frafald`, `abonnementer`), the school's view, the write
answers and the events alike, so all of them say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mocks.model import Institution, Person

Document = dict[str, Any]

ACADEMIC = "FAGLIGT"
SOCIAL_PERSONAL_HEALTH = "SOCIALT_PERSONLIGT_HELBREDSMAESSIGT"
AREAS = (ACADEMIC, SOCIAL_PERSONAL_HEALTH)
NEED, NO_NEED = "BEHOV", "INTET_BEHOV"
CONTACT_KINDS = ("SELV", "PERSON", "TEAM")
SCHOOL_ROLES = ("KONTAKTLAERER", "STUDIEVEJLEDER", "TEAM")
RISK_REASONS = ("FRAVAER", "FAGLIGT", "ADFAERD", "TRIVSEL", "OEKONOMI", "ANDET")


@dataclass(frozen=True, slots=True)
class Sender:
    """Who wrote: the job centre's organisation, its municipality and the person or system."""

    organisation: str
    municipality: str
    sender_id: str | None

    def wire(self) -> Document:
        return {
            "organisation": self.organisation,
            "kommunekode": self.municipality,
            "id": self.sender_id,
        }


@dataclass(frozen=True, slots=True)
class MunicipalContact:
    """The job centre's contact the school is told: the sender itself, a person or a team."""

    kind: str  # SELV | PERSON | TEAM
    contact_id: str
    name: str
    phone: str | None
    email: str | None

    def wire(self) -> Document:
        return {
            "type": self.kind,
            "id": self.contact_id,
            "navn": self.name,
            "telefon": self.phone,
            "email": self.email,
        }


@dataclass(slots=True)
class SupportVersion:
    version: int
    institution: Institution
    assessment: str  # BEHOV | INTET_BEHOV
    areas: tuple[str, ...]
    needs: dict[str, bool]  # fagligt, socialt, personligt, helbredsmaessigt (the older shape)
    documented: bool
    other_support: bool
    wants_contact: bool
    contact: MunicipalContact | None
    sender: Sender | None
    registered: date
    notified: date | None
    acknowledged: date | None = None

    def content(self) -> tuple[Any, ...]:
        """What makes two registrations the same state (not who sent it, nor when)."""
        return (
            self.institution.number,
            self.assessment,
            self.areas,
            self.documented,
            self.other_support,
            self.wants_contact,
            self.contact,
        )

    def wire(self) -> Document:
        return {
            "version": self.version,
            "institutionsnummer": self.institution.number,
            "institutionsnavn": self.institution.name,
            "vurdering": self.assessment,
            "omraader": list(self.areas),
            "behov": dict(self.needs),
            "dokumenteret": self.documented,
            "andreStoettepersoner": self.other_support,
            "oenskerKontakt": self.wants_contact,
            "kommunalKontakt": None if self.contact is None else self.contact.wire(),
            "afsender": None if self.sender is None else self.sender.wire(),
            "registreret": self.registered,
            "underrettetInstitution": self.notified,
            "kvitteretDato": self.acknowledged,
        }


def needs_from_areas(areas: tuple[str, ...]) -> dict[str, bool]:
    """The four flags of the older read shape; one area covers social, personal and health."""
    broad = SOCIAL_PERSONAL_HEALTH in areas
    return {
        "fagligt": ACADEMIC in areas,
        "socialt": broad,
        "personligt": broad,
        "helbredsmaessigt": broad,
    }


@dataclass(slots=True)
class SchoolContact:
    """The school's contact for one institution: the latest receipt replaces the one before."""

    name: str
    role: str
    phone: str
    email: str
    institution: Institution
    acknowledged: date | None  # the day of the receipt
    acknowledged_version: int | None  # the support-need version it acknowledged, if any

    def same_person(self, other: SchoolContact) -> bool:
        return (self.name, self.role, self.phone, self.email.lower()) == (
            other.name,
            other.role,
            other.phone,
            other.email.lower(),
        )

    def wire(self) -> Document:
        return {
            "navn": self.name,
            "institutionsnummer": self.institution.number,
            "institutionsnavn": self.institution.name,
            "rolle": self.role,
            "telefon": self.phone,
            "email": self.email,
            "kvitteretDato": self.acknowledged,
            "kvitteretVersion": self.acknowledged_version,
        }


@dataclass(slots=True)
class RiskNotice:
    notice_id: str
    day: date
    institution: Institution
    reasons: tuple[str, ...]
    expires: date
    reacted: date | None
    letter_sent: bool | None  # the first absence letter had been sent (None: not known)
    within_six_months: bool | None  # within the first 6 months after the start there

    def wire(self) -> Document:
        return {
            "haendelseId": self.notice_id,
            "dato": self.day,
            "institutionsnummer": self.institution.number,
            "institutionsnavn": self.institution.name,
            "aarsag": self.reasons[0],
            "aarsager": list(self.reasons),
            "udloeber": self.expires,
            "reageretDato": self.reacted,
            "foersteFravaersbrevSendt": self.letter_sent,
            "indenForFoersteSeksMaaneder": self.within_six_months,
            "foerFoersteFravaersbrev": None if self.letter_sent is None else not self.letter_sent,
        }


@dataclass(slots=True)
class SubscriptionRecord:
    subscription_id: str
    municipality: str
    start: date
    end: date | None
    opened_by: Sender | None = None
    closed_by: Sender | None = None

    def wire(self) -> Document:
        return {
            "abonnementId": self.subscription_id,
            "kommunekode": self.municipality,
            "start": self.start,
            "slut": self.end,
            "oprettetAf": None if self.opened_by is None else self.opened_by.wire(),
            "lukketAf": None if self.closed_by is None else self.closed_by.wire(),
        }


@dataclass(slots=True)
class ExchangeRecord:
    support: list[SupportVersion] = field(default_factory=list)
    school_contacts: list[SchoolContact] = field(default_factory=list)
    notices: list[RiskNotice] = field(default_factory=list)
    subscriptions: list[SubscriptionRecord] = field(default_factory=list)

    @property
    def latest_support(self) -> SupportVersion | None:
        return self.support[-1] if self.support else None

    def school_contact(self, institution: str) -> SchoolContact | None:
        return next((c for c in self.school_contacts if c.institution.number == institution), None)

    def open_subscription(self, municipality: str) -> SubscriptionRecord | None:
        return next(
            (s for s in self.subscriptions if s.municipality == municipality and s.end is None),
            None,
        )


# --- the read sections ------------------------------------------------------------------------


def order_wire(person: Person, with_institution: bool) -> Document | None:
    """The education order as UDB shows it: active, current step (and the step's school)."""
    if person.order is None:
        return None
    summary: Document = {"aktiv": person.order.active, "trin": person.order.current_step}
    if with_institution:
        summary["institutionsnummer"] = person.order.steps[-1].institution
    return summary


def support_section(record: ExchangeRecord, order: Document | None) -> Document:
    """`stoettebehov`: the older flat fields describe the latest version; `versioner` has all."""
    latest = record.latest_support
    acknowledged = [v.version for v in record.support if v.acknowledged is not None]
    return {
        "uddannelsespaalaeg": order,
        "behov": None if latest is None else dict(latest.needs),
        "oenskerKontakt": None if latest is None else latest.wants_contact,
        "registreret": None if latest is None else latest.registered,
        "underrettetInstitution": None if latest is None else latest.notified,
        "version": None if latest is None else latest.version,
        "kvitteretVersion": max(acknowledged, default=None),
        "versioner": [v.wire() for v in record.support],
    }


def contact_section(record: ExchangeRecord, kui: Document | None) -> Document:
    latest = record.latest_support
    municipal = None if latest is None or latest.contact is None else latest.contact.wire()
    return {
        "institutionskontakter": [c.wire() for c in record.school_contacts],
        "kuiKontakt": kui,
        "kommunalKontakt": municipal,
    }


def dropout_section(record: ExchangeRecord) -> Document:
    return {"notifikationer": [n.wire() for n in record.notices]}
