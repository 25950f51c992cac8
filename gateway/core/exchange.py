"""The retention exchange's writes (EXCHANGE.md): validate, then write through `Writer` (the
policy, the idempotency key, the intent and outcome records), then answer in the contract's
payloads. Validation comes first and asks nobody: bad input never reaches a register, the
policy or the audit log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from gateway.core.writes import Outcome, UserError, Write, Writer, key_error
from gateway.resolvers import RegisterSession, RegisterUnavailable
from gateway.resolvers.exchange import RegisterWrites, WriteAnswer
from gateway.resolvers.udb import DROPOUT_REASON_CODES, dropout_reasons, exchange_contact
from schema.categories.common import Institution
from schema.enums import Category
from schema.exchange import (
    DropoutRiskReported,
    DropoutRiskReportInput,
    DropoutRiskReportPayload,
    ExchangeErrorCode,
    ExchangeUserError,
    InstitutionContactReceipt,
    InstitutionContactReportInput,
    InstitutionContactReportPayload,
    InstitutionContactRole,
    SupportArea,
    SupportAssessment,
    SupportNeedRegisterInput,
    SupportNeedRegisterPayload,
    SupportNeedVersion,
    UdbSubscription,
    UdbSubscriptionCloseInput,
    UdbSubscriptionClosePayload,
    UdbSubscriptionOpenInput,
    UdbSubscriptionOpenPayload,
)

# The one typed free string of the exchange: letters, spaces and hyphens (EXCHANGE.md).
_NAME = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)*")
_PHONE = re.compile(r"\+45 ?\d{8}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_INSTITUTION = re.compile(r"\d{6}")

_AREAS = {SupportArea.ACADEMIC: "FAGLIGT", SupportArea.SOCIAL_PERSONAL_HEALTH:
          "SOCIALT_PERSONLIGT_HELBREDSMAESSIGT"}  # fmt: skip
_AREAS_BACK = {wire: area for area, wire in _AREAS.items()}
_ASSESSMENTS = {SupportAssessment.NEED: "BEHOV", SupportAssessment.NO_NEED: "INTET_BEHOV"}
_ROLES = {
    InstitutionContactRole.STUDY_COUNSELLOR: "STUDIEVEJLEDER",
    InstitutionContactRole.CONTACT_TEACHER: "KONTAKTLAERER",
    InstitutionContactRole.MENTOR: "KONTAKTLAERER",  # UDB knows no school mentor role
    InstitutionContactRole.TEAM: "TEAM",
}
_MESSAGES = {
    "ADMISSION_NOT_FOUND": "no admission or enrolment at that institution",
    "NOT_ENROLLED": "the young person is not enrolled at the school",
    "NO_EDUCATION_ORDER": "the young person has no active education order",
    "CONTRADICTORY_ASSESSMENT": "NO_NEED cannot have support areas",
    "NO_SUBSCRIPTION": "the municipality has no open subscription",
    "NO_ACTIVE_PLAN": "the young person has no active plan (STAR 8002)",
    "NO_ACTIVE_CONTACT_GROUP": "the young person has no active contact group (STAR 8060/8068)",
    "NO_EDUCATION_PLAN": "the young person has no education plan (STAR 8066)",
    "AGE_LIMIT": "the young person must be under 30 (STAR 8067)",
}


Complete = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


class Exchange:
    """The five mutations of EXCHANGE.md for one request."""

    def __init__(
        self,
        writer: Writer,
        udb: RegisterWrites,
        subject: Any,
        registers: RegisterSession,
    ) -> None:
        self._writer = writer
        self._udb = udb
        self._subject = subject
        self._registers = registers

    # --- supportNeedRegister --------------------------------------------------------------------

    async def support_need_register(
        self, input: SupportNeedRegisterInput
    ) -> SupportNeedRegisterPayload:
        errors = [e for e in (key_error(str(input.idempotency_key)),) if e]
        if not _INSTITUTION.fullmatch(input.institution_number):
            errors.append((("input", "institutionNumber"), "INVALID", "six digits"))
        if input.assessment is SupportAssessment.NO_NEED and input.areas:
            errors.append((("input", "areas"), "CONTRADICTORY_ASSESSMENT", _MESSAGES[
                "CONTRADICTORY_ASSESSMENT"]))  # fmt: skip
        if len(set(input.areas)) != len(input.areas):
            errors.append((("input", "areas"), "INVALID", "an area may be named once"))
        contact = self._municipal_contact(input, errors)
        if errors or contact is None:
            return SupportNeedRegisterPayload(support_need=None, changed=False,
                                              user_errors=_user_errors(errors))  # fmt: skip
        body = {
            "institutionsnummer": input.institution_number,
            "vurdering": _ASSESSMENTS[input.assessment],
            "omraader": [_AREAS[a] for a in input.areas],
            "dokumenteret": input.documented,
            "andreStoettepersoner": input.other_support_persons,
            "oenskerKontakt": input.contact_wanted,
            "kommunalKontakt": contact,
            "afsender": self._sender(),
        }
        outcome = await self._write(
            "supportNeedRegister",
            "support_need",
            input,
            body,
            ("POST", "/udb/v1/stoettebehov", "support_need", "stoettebehov"),
            target={"institution": input.institution_number},
            complete=self._reach_of_self,
        )
        return SupportNeedRegisterPayload(
            support_need=None if outcome.document is None else _support_version(outcome.document),
            changed=outcome.changed,
            user_errors=_user_errors(outcome.errors),
        )

    def _municipal_contact(
        self, input: SupportNeedRegisterInput, errors: list[UserError]
    ) -> dict[str, Any] | None:
        choice = input.municipal_contact
        path = ("input", "municipalContact")
        if _given(choice.self_):
            if choice.self_ is not True:
                errors.append(((*path, "self"), "INVALID", "`self` can only be true"))
                return None
            return {"type": "SELV", "id": self._subject.sub,
                    "navn": self._subject.name or self._subject.sub}  # fmt: skip
        for kind, value, name in (("PERSON", choice.person_id, "personId"),
                                  ("TEAM", choice.team_id, "teamId")):  # fmt: skip
            if _given(value):
                text = str(value)
                if not re.fullmatch(r"[A-Za-z0-9._@-]{1,100}", text):
                    errors.append(((*path, name), "INVALID", "an id of letters and digits"))
                    return None
                return {"type": kind, "id": text, "navn": text}
        errors.append((path, "INVALID", "name exactly one contact"))
        return None

    async def _reach_of_self(self, cpr: str, body: dict[str, Any]) -> dict[str, Any]:
        """The caller's phone and e-mail for a contact of `self`, as DFDG lists them among the
        young person's contacts (asked only once the write is allowed; never shown here)."""
        contact = body["kommunalKontakt"]
        if contact["type"] != "SELV":
            return body
        try:
            contacts = await self._registers.category(cpr, Category.CONTACTS)
        except RegisterUnavailable:
            return body  # the school gets the name; the receipt still reaches the caller
        for person in getattr(contacts, "municipal", None) or []:
            if person.name == contact["navn"]:
                reach = {"telefon": person.phone, "email": person.email}
                return {**body, "kommunalKontakt": {**contact, **reach}}
        return body

    # --- institutionContactReport ---------------------------------------------------------------

    async def institution_contact_report(
        self, input: InstitutionContactReportInput
    ) -> InstitutionContactReportPayload:
        errors = [e for e in (key_error(str(input.idempotency_key)),) if e]
        contact, path = input.contact, ("input", "contact")
        if not (len(contact.name) <= 80 and _NAME.fullmatch(contact.name)):
            errors.append(((*path, "name"), "INVALID",
                           "letters, spaces and hyphens, at most 80"))  # fmt: skip
        if not _PHONE.fullmatch(contact.phone):
            errors.append(((*path, "phone"), "INVALID", "+45 and eight digits"))
        if not (len(contact.email) <= 254 and _EMAIL.fullmatch(contact.email)):
            errors.append(((*path, "email"), "INVALID", "an e-mail address"))
        institution = self._subject.org or ""
        if errors:
            return InstitutionContactReportPayload(receipt=None, changed=False,
                                                   user_errors=_user_errors(errors))  # fmt: skip
        body = {
            "institutionsnummer": institution,
            "navn": contact.name,
            "rolle": _ROLES[contact.role],
            "telefon": contact.phone,
            "email": contact.email,
        }
        outcome = await self._write(
            "institutionContactReport",
            "institution_contact",
            input,
            body,
            ("POST", "/udb/v1/institutionkontakt", "institution_contact", "kontakt"),
        )
        return InstitutionContactReportPayload(
            receipt=None if outcome.document is None else _receipt(outcome.document),
            changed=outcome.changed,
            user_errors=_user_errors(outcome.errors),
        )

    # --- dropoutRiskReport ----------------------------------------------------------------------

    async def dropout_risk_report(self, input: DropoutRiskReportInput) -> DropoutRiskReportPayload:
        errors = [e for e in (key_error(str(input.idempotency_key)),) if e]
        if not input.reasons:
            errors.append((("input", "reasons"), "INVALID", "at least one reason"))
        wire_reasons = list(dict.fromkeys(DROPOUT_REASON_CODES[r] for r in input.reasons))
        if errors:
            return DropoutRiskReportPayload(dropout_risk=None, changed=False,
                                            user_errors=_user_errors(errors))  # fmt: skip
        body = {
            "type": "RISIKO_FOR_FRAFALD",
            "institutionsnummer": self._subject.org or "",
            "aarsager": wire_reasons,
            "foersteFravaersbrevSendt": input.first_absence_letter_sent,
        }
        outcome = await self._write(
            "dropoutRiskReport",
            "dropout_risk",
            input,
            body,
            ("POST", "/udb/v1/haendelser", "dropout_risk", "notifikation"),
        )
        return DropoutRiskReportPayload(
            dropout_risk=None if outcome.document is None else _risk(outcome.document),
            changed=outcome.changed,
            user_errors=_user_errors(outcome.errors),
        )

    # --- the subscription -----------------------------------------------------------------------

    async def udb_subscription_open(
        self, input: UdbSubscriptionOpenInput
    ) -> UdbSubscriptionOpenPayload:
        body: dict[str, Any] = {"afsender": self._sender()}
        if input.starts_on is not None:
            body["start"] = input.starts_on.isoformat()
        subscription, changed, errors = await self._subscription(
            "udbSubscriptionOpen", "POST", "subscription_open", input, body
        )
        return UdbSubscriptionOpenPayload(
            subscription=subscription, changed=changed, user_errors=errors
        )

    async def udb_subscription_close(
        self, input: UdbSubscriptionCloseInput
    ) -> UdbSubscriptionClosePayload:
        subscription, changed, errors = await self._subscription(
            "udbSubscriptionClose", "DELETE", "subscription_close", input,
            {"afsender": self._sender()},
        )  # fmt: skip
        return UdbSubscriptionClosePayload(
            subscription=subscription, changed=changed, user_errors=errors
        )

    async def _subscription(
        self, mutation: str, method: str, kind: str, input: Any, body: dict[str, Any]
    ) -> tuple[UdbSubscription | None, bool, list[ExchangeUserError]]:
        """Open or close: the same resource, STAR's endpoint, its answer."""
        refused = key_error(str(input.idempotency_key))
        if refused is not None:
            return None, False, _user_errors([refused])
        outcome = await self._write(
            mutation, "udb_subscription", input, body,
            (method, "/v1/UDBabonnement", kind, "abonnement"),
        )  # fmt: skip
        subscription = None if outcome.document is None else _subscription(outcome.document)
        return subscription, outcome.changed, _user_errors(outcome.errors)

    # --- shared ---------------------------------------------------------------------------------

    def _sender(self) -> dict[str, Any]:
        s = self._subject
        return {"organisation": s.org or "", "kommunekode": s.municipality or "",
                "id": s.sub}  # fmt: skip

    async def _write(
        self,
        mutation: str,
        resource: str,
        input: Any,
        body: dict[str, Any],
        call: tuple[str, str, str, str],
        target: dict[str, str] | None = None,
        complete: Complete | None = None,
    ) -> Outcome:
        """`body` is what the input says (hashed for the key); `complete` adds what the gateway
        looks up once the write is allowed."""
        cpr, key = str(input.cpr), str(input.idempotency_key)
        method, path, kind, record = call

        async def send() -> Outcome:
            sent = body if complete is None else await complete(cpr, body)
            answer = await self._udb.write(method, path, kind, record, cpr, key, sent)
            return _outcome(answer)

        write = Write(
            mutation,
            resource,
            cpr,
            input.purpose,
            key,
            body,
            target=target,
            changes_facts=resource == "udb_subscription",  # a subscription is an open case
        )
        outcome = await self._writer.write(write, send)
        return outcome


def _given(value: object) -> bool:
    """A field of a @oneOf input that the client set (an unset one is UNSET, not None)."""
    return value is not None and value is not strawberry.UNSET


def _outcome(answer: WriteAnswer) -> Outcome:
    if answer.refusal is not None:
        return Outcome.refused((None, answer.refusal, _MESSAGES.get(answer.refusal, "refused")))
    return Outcome(changed=answer.changed, document=answer.record, sequence=answer.sequence)


def _user_errors(errors: Any) -> list[ExchangeUserError]:
    known = {c.value for c in ExchangeErrorCode}
    return [
        ExchangeUserError(
            field=list(path) if path else None,
            code=ExchangeErrorCode(code if code in known else "INVALID"),
            message=message,
        )
        for path, code, message in errors
    ]


# --- the register's records as the contract's objects ------------------------------------------


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _institution(raw: dict[str, Any]) -> Institution:
    return Institution(number=str(raw.get("institutionsnummer") or ""),
                       name=raw.get("institutionsnavn"))  # fmt: skip


def _support_version(raw: dict[str, Any]) -> SupportNeedVersion:
    return SupportNeedVersion(
        version=int(raw["version"]),
        institution=_institution(raw),
        assessment=SupportAssessment.NEED if raw.get("vurdering") == "BEHOV"
        else SupportAssessment.NO_NEED,
        areas=[_AREAS_BACK[a] for a in raw.get("omraader") or [] if a in _AREAS_BACK],
        documented=bool(raw.get("dokumenteret")),
        other_support_persons=bool(raw.get("andreStoettepersoner")),
        contact_wanted=bool(raw.get("oenskerKontakt")),
        municipal_contact=exchange_contact(contact)
        if isinstance(contact := raw.get("kommunalKontakt"), dict)
        else None,
        registered=_day(raw.get("registreret")) or dt.date.min,
        acknowledged=_day(raw.get("kvitteretDato")),
    )  # fmt: skip


def _receipt(raw: dict[str, Any]) -> InstitutionContactReceipt:
    return InstitutionContactReceipt(
        contact=exchange_contact(raw),
        institution=_institution(raw),
        acknowledges_version=raw.get("kvitteretVersion"),
        reported=_day(raw.get("kvitteretDato")) or dt.date.min,
    )  # fmt: skip


def _risk(raw: dict[str, Any]) -> DropoutRiskReported:
    return DropoutRiskReported(
        id=strawberry.ID(str(raw.get("haendelseId"))),
        reasons=dropout_reasons(raw.get("aarsager")),
        reported=_day(raw.get("dato")) or dt.date.min,
        expires=_day(raw.get("udloeber")) or dt.date.min,
        first_absence_letter_sent=bool(raw.get("foersteFravaersbrevSendt")),
        within_first_six_months=bool(raw.get("indenForFoersteSeksMaaneder")),
    )


def _subscription(raw: dict[str, Any]) -> UdbSubscription:
    closed = raw.get("lukketAf")
    return UdbSubscription(
        id=strawberry.ID(str(raw.get("abonnementId"))),
        municipality=str(raw.get("kommunekode")),
        starts_on=_day(raw.get("start")) or dt.date.min,
        ends_on=_day(raw.get("slut")),
        closed_by=closed.get("id") or closed.get("organisation")
        if isinstance(closed, dict) else None,
    )  # fmt: skip
