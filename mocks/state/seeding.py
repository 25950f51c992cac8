"""The exchange state a young person starts with, from the population's facts; and the
personas' history in the event log.

Reads of someone nobody has written about render a record built here on the fly, so the
state holds only the people written about (and the personas), however large the population.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from mocks.codes import add_months, stable_guid
from mocks.model import Person, Staff
from mocks.state.records import (
    ACADEMIC,
    NEED,
    NO_NEED,
    SOCIAL_PERSONAL_HEALTH,
    ExchangeRecord,
    MunicipalContact,
    RiskNotice,
    SchoolContact,
    Sender,
    SubscriptionRecord,
    SupportVersion,
)
from mocks.state.rules import institution_of, within_reporting_window
from mocks.wire import email, ident, phone

RISK_LIFETIME_MONTHS = 3  # a dropout-risk note expires after three months (REGISTERS.md 1.1)
SEEDED_HOUR = time(9, 0)  # the seeded history happened at nine in the morning, UTC

Document = dict[str, Any]


def record_from_facts(person: Person) -> ExchangeRecord:
    record = ExchangeRecord()
    record.school_contacts = [
        SchoolContact(
            c.name,
            c.role,
            phone(c.name),
            email(c.name, c.institution.name),
            c.institution,
            c.acknowledged,
            None,
        )
        for c in person.institution_contacts
    ]
    need = person.support
    if need is not None:
        areas = tuple(
            area
            for area, chosen in (
                (ACADEMIC, need.academic),
                (SOCIAL_PERSONAL_HEALTH, need.social or need.personal or need.health),
            )
            if chosen
        )
        staff = contact_person(person)
        version = SupportVersion(
            1,
            institution_of(person, need.institution),
            NEED if areas else NO_NEED,
            areas,
            {
                "fagligt": need.academic,
                "socialt": need.social,
                "personligt": need.personal,
                "helbredsmaessigt": need.health,
            },
            False,
            False,
            need.wants_contact,
            None if staff is None else municipal_contact(staff),
            None
            if staff is None
            else Sender(staff.organisation, staff.municipality, staff.staff_id),
            need.registered,
            need.institution_notified,
        )
        receipt = record.school_contact(need.institution)
        if receipt and receipt.acknowledged and receipt.acknowledged >= need.registered:
            version.acknowledged = receipt.acknowledged
            receipt.acknowledged_version = 1
        record.support = [version]
    record.notices = [
        RiskNotice(
            ident(person, "frafald", i, n.notice_id),
            n.day,
            n.institution,
            (n.reason,),
            add_months(n.day, RISK_LIFETIME_MONTHS),
            n.reacted,
            n.first_absence_letter_sent,
            _within_window(person, n.institution.number, n.day),
        )
        for i, n in enumerate(person.dropout_notices)
    ]
    record.subscriptions = [
        SubscriptionRecord(
            ident(person, "abonnement", i, s.subscription_id), s.municipality, s.start, s.end
        )
        for i, s in enumerate(person.subscriptions)
    ]
    return record


def contact_person(person: Person) -> Staff | None:
    current = [a.staff for a in person.assignments if a.end is None]
    return person.kui_contact or (current[-1] if current else None)


def municipal_contact(staff: Staff) -> MunicipalContact:
    reach = phone(staff.name), email(staff.name, staff.organisation)
    return MunicipalContact("PERSON", staff.staff_id, staff.name, *reach)


def _within_window(person: Person, institution: str, day: date) -> bool | None:
    starts = [c.start for c in person.courses if c.institution.number == institution]
    started = [s for s in starts if s <= day]
    return within_reporting_window(max(started), day) if started else None


# --- the personas' history --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PastEvent:
    at: datetime
    kind: str
    event_id: str
    institution: str | None
    municipality: str | None
    data: Document


def history(person: Person, record: ExchangeRecord) -> list[PastEvent]:
    """What the log would hold about a persona, oldest first: admissions, interruptions and
    completions of their courses, subscriptions, support needs, receipts and dropout risk.
    Each event's data is the object as it was then (no receipt yet on a support need)."""
    home = person.municipality
    events: list[PastEvent] = []

    def add(day: date, kind: str, institution: str | None, data: Document, **kw: Any) -> None:
        event_id = kw.get("event_id") or stable_guid("haendelse", person.cpr, kind, len(events))
        at = datetime.combine(day, SEEDED_HOUR, UTC)
        events.append(
            PastEvent(at, kind, event_id, institution, kw.get("municipality", home), data)
        )

    for course in person.courses[1:]:  # after primary school
        about = {
            "uddannelsestype": course.kind,
            "udd": course.udd,
            "navn": course.name,
            "institutionsnavn": course.institution.name,
            "startDato": course.start,
        }
        number = course.institution.number
        if course.admitted is not None:
            add(course.admitted, "OPTAGET", number, {**about, "optagetDato": course.admitted})
        if course.end is not None and course.status == "AFBRUDT":
            add(
                course.end,
                "AFBRUDT",
                number,
                {**about, "slutDato": course.end, "afbrudsaarsagskode": course.dropout_reason},
            )
        if course.end is not None and course.status == "GENNEMFOERT":
            add(course.end, "GENNEMFOERT", number, {**about, "slutDato": course.end})
    for admission in person.admissions:
        add(
            admission.admitted,
            "OPTAGET",
            admission.institution.number,
            {
                "uddannelsestype": admission.kind,
                "udd": admission.udd,
                "navn": admission.name,
                "institutionsnavn": admission.institution.name,
                "startDato": admission.start,
                "optagetDato": admission.admitted,
            },
        )
    for sub in record.subscriptions:
        opened = {**sub.wire(), "slut": None, "lukketAf": None}
        add(sub.start, "UDB_ABONNEMENT_OPRETTET", None, opened, municipality=sub.municipality)
        if sub.end is not None:
            add(sub.end, "UDB_ABONNEMENT_LUKKET", None, sub.wire(), municipality=sub.municipality)
    for version in record.support:
        add(
            version.registered,
            "STOETTEBEHOV",
            version.institution.number,
            {**version.wire(), "kvitteretDato": None},
        )
    for contact in record.school_contacts:
        if contact.acknowledged is not None:
            add(
                contact.acknowledged,
                "INSTITUTION_KONTAKT",
                contact.institution.number,
                contact.wire(),
            )
    for notice in record.notices:
        add(
            notice.day,
            "RISIKO_FOR_FRAFALD",
            notice.institution.number,
            {**notice.wire(), "reageretDato": None},
            event_id=notice.notice_id,
        )
    return sorted(events, key=lambda e: e.at)  # stable: same-day events keep their order
