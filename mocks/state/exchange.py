"""UDB's exchange state in one mock process, and the writes it takes.

Each write checks, changes the young person's record and appends its event in one go, with
no await in between (the caller runs it from one event-loop callback), so concurrent writes
get consecutive `sekvens` numbers and readers never see half a write. A write that would
leave the state as it is (the same support need, the same contact, an open subscription)
answers `"aendret": false` and appends nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from mocks.codes import add_months, municipality_names
from mocks.model import Person
from mocks.population import Population
from mocks.state.clock import MockClock
from mocks.state.events import RETENTION, Event, EventLog
from mocks.state.records import (
    NO_NEED,
    ExchangeRecord,
    MunicipalContact,
    RiskNotice,
    SchoolContact,
    Sender,
    SubscriptionRecord,
    SupportVersion,
    needs_from_areas,
    order_wire,
)
from mocks.state.requests import RequestLedger
from mocks.state.rules import (
    ADMISSION_NOT_FOUND,
    CONTRADICTORY_ASSESSMENT,
    NO_ACTIVE_ORDER,
    NO_SUBSCRIPTION,
    NOT_ENROLLED,
    UNKNOWN_CLIENT_DESTINATION,
    Place,
    age_refusal,
    case_refusal,
    place_at,
    within_reporting_window,
)
from mocks.state.seeding import (
    RISK_LIFETIME_MONTHS,
    contact_person,
    history,
    municipal_contact,
    record_from_facts,
)
from mocks.wire import StarError

Document = dict[str, Any]


class ExchangeState:
    def __init__(
        self,
        population: Population,
        clock: MockClock | None = None,
        retention: timedelta = RETENTION,
    ) -> None:
        self.population = population
        self.today: date = population.reference_date
        self.clock = clock or MockClock(self.today)
        self.log = EventLog(self.clock, retention)
        self.requests = RequestLedger()
        self._records: dict[str, ExchangeRecord] = {}
        self._seed_personas()

    def _seed_personas(self) -> None:
        past = []
        for person in self.population.personas:
            record = self._records[person.cpr] = record_from_facts(person)
            past += [(event, person.cpr) for event in history(person, record)]
        for event, cpr in sorted(past, key=lambda item: item[0].at):
            self.log.append(
                event.kind,
                cpr,
                event.event_id,
                event.institution,
                event.municipality,
                event.data,
                at=event.at,
            )

    def view(self, person: Person) -> ExchangeRecord:
        """The record to read: what was written, else the facts (built, not stored)."""
        return self._records.get(person.cpr) or record_from_facts(person)

    def _own(self, person: Person) -> ExchangeRecord:
        record = self._records.get(person.cpr)
        if record is None:
            record = self._records[person.cpr] = record_from_facts(person)
        return record

    def _emit(
        self,
        kind: str,
        person: Person,
        institution: str | None,
        data: Document,
        municipality: str | None = None,
        event_id: str | None = None,
    ) -> Event:
        return self.log.append(
            kind,
            person.cpr,
            event_id or str(uuid.uuid4()),
            institution,
            municipality or person.municipality,
            data,
        )

    # --- the job centre's writes -------------------------------------------------------------

    def register_support(self, person: Person, body: Document) -> Document:
        if body["vurdering"] == NO_NEED and body["omraader"]:
            raise StarError(CONTRADICTORY_ASSESSMENT)
        sender = self._sender(body["afsender"])
        place = self._place(person, body["institutionsnummer"])
        if person.order is None or not person.order.active:
            raise StarError(NO_ACTIVE_ORDER)
        contact = body["kommunalKontakt"]
        record = self._own(person)
        candidate = SupportVersion(
            len(record.support) + 1,
            place.institution,
            body["vurdering"],
            body["omraader"],
            needs_from_areas(body["omraader"]),
            body["dokumenteret"],
            body["andreStoettepersoner"],
            body["oenskerKontakt"],
            MunicipalContact(
                contact["type"],
                contact["id"],
                contact["navn"],
                contact["telefon"],
                contact["email"],
            ),
            sender,
            self.today,
            self.today,  # DataTilInstitution goes to the school at once
        )
        latest = record.latest_support
        if latest is not None and latest.content() == candidate.content():
            return _unchanged("stoettebehov", latest.wire())
        record.support.append(candidate)
        event = self._emit("STOETTEBEHOV", person, place.institution.number, candidate.wire())
        return _changed("stoettebehov", candidate.wire(), event)

    def open_subscription(self, person: Person, body: Document) -> Document:
        sender = self._sender(body["afsender"])
        start = body["start"] or self.today
        # The age limit holds even for someone already subscribed; the other rules are about
        # opening, so asking again for an open subscription is a no-op (Ali, no order, stays).
        too_old = age_refusal(person, start)
        if too_old is not None:
            raise StarError(too_old)
        record = self._own(person)
        already = record.open_subscription(sender.municipality)
        if already is not None:
            return _unchanged("abonnement", already.wire())
        refusal = case_refusal(person, sender.municipality)
        if refusal is not None:
            raise StarError(refusal)
        subscription = SubscriptionRecord(
            str(uuid.uuid4()), sender.municipality, start, None, opened_by=sender
        )
        record.subscriptions.append(subscription)
        event = self._emit(
            "UDB_ABONNEMENT_OPRETTET",
            person,
            None,
            subscription.wire(),
            municipality=sender.municipality,
        )
        return _changed("abonnement", subscription.wire(), event)

    def close_subscription(self, person: Person, body: Document) -> Document:
        """Closing is by hand only: nothing else ever sets `slut` (R6)."""
        sender = self._sender(body["afsender"])
        record = self._own(person)
        subscription = record.open_subscription(sender.municipality)
        if subscription is None:
            earlier = [s for s in record.subscriptions if s.municipality == sender.municipality]
            if not earlier:
                raise StarError(NO_SUBSCRIPTION)
            return _unchanged("abonnement", earlier[-1].wire())
        subscription.end, subscription.closed_by = self.today, sender
        event = self._emit(
            "UDB_ABONNEMENT_LUKKET",
            person,
            None,
            subscription.wire(),
            municipality=sender.municipality,
        )
        return _changed("abonnement", subscription.wire(), event)

    def subscriptions(self, person: Person) -> Document:
        return {"abonnementer": [s.wire() for s in self.view(person).subscriptions]}

    # --- the school's writes and view ----------------------------------------------------------

    def report_contact(self, person: Person, body: Document) -> Document:
        """The receipt: the school's contact, acknowledging the latest support-need version
        sent to this school (if any)."""
        place = self._place(person, body["institutionsnummer"])
        record = self._own(person)
        number = place.institution.number
        sent_here = [v for v in record.support if v.institution.number == number]
        target = sent_here[-1] if sent_here else None
        contact = SchoolContact(
            body["navn"],
            body["rolle"],
            body["telefon"],
            body["email"],
            place.institution,
            self.today,
            None if target is None else target.version,
        )
        current = record.school_contact(number)
        if (
            current is not None
            and current.same_person(contact)
            and current.acknowledged_version == contact.acknowledged_version
        ):
            return _unchanged("kontakt", current.wire())
        record.school_contacts = [c for c in record.school_contacts if c is not current]
        record.school_contacts.append(contact)
        if target is not None and target.acknowledged is None:
            target.acknowledged = self.today
        event = self._emit("INSTITUTION_KONTAKT", person, number, contact.wire())
        return _changed("kontakt", contact.wire(), event)

    def report_risk(self, person: Person, body: Document) -> Document:
        """A dropout-risk notice: always a new event (a second report is news, not a repeat)."""
        place = self._place(person, body["institutionsnummer"])
        if place.status != "IGANG":
            raise StarError(NOT_ENROLLED)
        notice = RiskNotice(
            str(uuid.uuid4()),
            self.today,
            place.institution,
            body["aarsager"],
            add_months(self.today, RISK_LIFETIME_MONTHS),
            None,
            body["foersteFravaersbrevSendt"],
            within_reporting_window(place.start, self.today),
        )
        self._own(person).notices.append(notice)
        event = self._emit(
            "RISIKO_FOR_FRAFALD",
            person,
            place.institution.number,
            notice.wire(),
            event_id=notice.notice_id,
        )
        return _changed("notifikation", notice.wire(), event)

    def school_view(self, person: Person, institution: str) -> Document:
        """DataTilInstitution: the order, the support need sent to this school, both contacts
        and the active dropout risk here; nothing else (KUI § 15 d, R9)."""
        place = self._place(person, institution)
        record = self.view(person)
        sent_here = [v for v in record.support if v.institution.number == institution]
        latest = sent_here[-1] if sent_here else None
        if latest is not None and latest.contact is not None:
            municipal: Document | None = latest.contact.wire()
        else:
            staff = contact_person(person)
            municipal = None if staff is None else municipal_contact(staff).wire()
        school = record.school_contact(institution)
        return {
            "cpr": person.cpr,
            "institutionsnummer": institution,
            "institutionsnavn": place.institution.name,
            "status": place.status,
            "startDato": place.start,
            "uddannelsespaalaeg": order_wire(person, with_institution=True),
            "stoettebehov": None if latest is None else latest.wire(),
            "kontakter": {
                "kommunal": municipal,
                "institution": None if school is None else school.wire(),
            },
            "frafaldsrisiko": [
                n.wire()
                for n in record.notices
                if n.institution.number == institution and n.expires >= self.today
            ],
        }

    # --- shared checks -------------------------------------------------------------------------

    def _place(self, person: Person, institution: str) -> Place:
        place = place_at(person, institution)
        if place is None:
            raise StarError(ADMISSION_NOT_FOUND)
        return place

    @staticmethod
    def _sender(body: Document) -> Sender:
        if body["kommunekode"] not in municipality_names():
            raise StarError(UNKNOWN_CLIENT_DESTINATION)
        return Sender(body["organisation"], body["kommunekode"], body["id"])


def _changed(key: str, written: Document, event: Event) -> Document:
    return {"aendret": True, key: written, "sekvens": event.sequence, "haendelseId": event.event_id}


def _unchanged(key: str, current: Document) -> Document:
    return {"aendret": False, key: current, "sekvens": None, "haendelseId": None}
