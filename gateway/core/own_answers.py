"""The young person's own writes (JOBNET.md "Writes"): the questionnaire and the consent to
share health answers. Validated first (asks nobody), then written through `Writer`: the policy
decides WRITE on `questionnaire` / `health_consent` about the caller (only a young person about
themself is allowed), the intent and outcome are journalled, and what the registers said about
the young person is forgotten in every worker — so a withdrawn consent denies the contact
person's very next request (GDPR art. 7(3))."""

from __future__ import annotations

import uuid
from typing import Any

from gateway.auth import Subject
from gateway.core.writes import Outcome, UserError, Write, Writer, key_error
from gateway.resolvers.base import MapContext
from gateway.resolvers.exchange import RegisterWrites, WriteAnswer
from gateway.resolvers.questionnaire import health, questionnaire
from gateway.resolvers.wire import WireError
from schema.categories.questionnaire import Barrier, GoalType, NetworkStrength
from schema.enums import Purpose
from schema.own_answers import (
    HealthConsentSetPayload,
    QuestionnaireSubmitInput,
    QuestionnaireSubmitPayload,
    UserErrorCode,
)
from schema.own_answers import UserError as UserErrorType

_GOALS = {GoalType.EDUCATION: "UDDANNELSE", GoalType.JOB: "JOB", GoalType.DONT_KNOW: "VED_IKKE"}
_NETWORK = {
    NetworkStrength.STRONG: "STAERKT",
    NetworkStrength.SOME: "NOGET",
    NetworkStrength.WEAK: "SVAGT",
    NetworkStrength.NONE: "INTET",
}
_BARRIERS = {
    Barrier.FINANCES: "OEKONOMI",
    Barrier.HOUSING: "BOLIG",
    Barrier.TRANSPORT: "TRANSPORT",
    Barrier.SUBSTANCE_ABUSE: "MISBRUG",
    Barrier.LANGUAGE: "SPROG",
    Barrier.FAMILY: "FAMILIE",
    Barrier.OTHER: "ANDET",
}
GOAL_TEXT_MAX, OTHER_MAX = 120, 500


class OwnAnswers:
    def __init__(self, writer: Writer, questionnaire: RegisterWrites, subject: Subject) -> None:
        self._writer = writer
        self._register = questionnaire
        self._subject = subject

    async def questionnaire_submit(
        self, input: QuestionnaireSubmitInput
    ) -> QuestionnaireSubmitPayload:
        errors = _validate(input)
        if errors:
            return QuestionnaireSubmitPayload(
                questionnaire=None, health=None, changed=False, user_errors=_user_errors(errors)
            )
        body: dict[str, Any] = {
            "maal": {"type": _GOALS[input.goal], "tekst": input.goal_text or None},
            "troPaaSigSelv": input.self_belief,
            "netvaerk": _NETWORK[input.network],
            "barrierer": list(dict.fromkeys(_BARRIERS[b] for b in input.barriers)),
            "boernIHjemmet": input.children_at_home,
            "helbred": {
                "mentaltHelbred": input.mental_health,
                "fysiskHelbred": input.physical_health,
                "kontaktPsykiatri": input.contact_with_psychiatry,
            },
        }
        if input.other_difficulties:
            body["andet"] = input.other_difficulties
        outcome = await self._write(
            "questionnaireSubmit", "questionnaire", str(input.idempotency_key), body,
            ("POST", "/svar", "answers"),
        )  # fmt: skip
        document = outcome.document
        ctx = MapContext(cpr=self._subject.sub, today=self._writer.today)
        try:
            mapped = (
                (questionnaire(document, ctx), health(document, ctx))
                if document is not None
                else (None, None)
            )
        except (WireError, KeyError, TypeError):
            mapped = (None, None)
        return QuestionnaireSubmitPayload(
            questionnaire=mapped[0],
            health=mapped[1],
            changed=outcome.changed,
            user_errors=_user_errors(outcome.errors),
        )

    async def health_consent_set(self, share: bool) -> HealthConsentSetPayload:
        # Setting a consent is idempotent by nature (a repeat is `changed: false`), so the
        # client names no key; each call is its own request at the register.
        outcome = await self._write(
            "healthConsentSet", "health_consent", str(uuid.uuid4()),
            {"helbredDelesMedKontaktperson": share}, ("PUT", "/samtykke", "consent"),
            claim_key=False,
        )  # fmt: skip
        shared = None if outcome.document is None else outcome.document.get(
            "helbredDelesMedKontaktperson")  # fmt: skip
        return HealthConsentSetPayload(
            shared=shared if isinstance(shared, bool) else None,
            changed=outcome.changed,
            user_errors=_user_errors(outcome.errors),
        )

    async def _write(
        self,
        mutation: str,
        resource: str,
        key: str,
        body: dict[str, Any],
        call: tuple[str, str, str],
        *,
        claim_key: bool = True,
    ) -> Outcome:
        cpr = self._subject.sub  # the policy allows this only when the caller is this person
        method, path, kind = call

        async def send() -> Outcome:
            return _outcome(await self._register.write(method, path, kind, None, cpr, key, body))

        write = Write(
            mutation,
            resource,
            cpr,
            Purpose.SELF,
            key,
            body,
            registers=("questionnaire",),
            facts=False,
            changes_facts=resource == "health_consent",  # the policy reads the consent
        )
        outcome = await self._writer.write(write, send, claim_key=claim_key)
        return outcome


def _validate(input: QuestionnaireSubmitInput) -> list[UserError]:
    errors: list[UserError] = [e for e in (key_error(str(input.idempotency_key)),) if e]

    def in_range(name: str, value: int, low: int, high: int) -> None:
        if not low <= value <= high:
            errors.append((("input", name), "INVALID", f"between {low} and {high}"))

    def bounded_text(name: str, value: str | None, limit: int) -> None:
        if value is None:
            return
        if len(value) > limit or any(ord(c) < 32 and c not in "\n\t" for c in value):
            errors.append((("input", name), "INVALID", f"at most {limit} characters"))

    in_range("selfBelief", input.self_belief, 1, 5)
    in_range("childrenAtHome", input.children_at_home, 0, 10)
    in_range("mentalHealth", input.mental_health, 1, 5)
    in_range("physicalHealth", input.physical_health, 1, 5)
    bounded_text("goalText", input.goal_text, GOAL_TEXT_MAX)
    bounded_text("otherDifficulties", input.other_difficulties, OTHER_MAX)
    if input.goal_text is not None and "\n" in input.goal_text:
        errors.append((("input", "goalText"), "INVALID", "one line"))
    return errors


def _outcome(answer: WriteAnswer) -> Outcome:
    if answer.refusal is not None:
        return Outcome.refused((None, answer.refusal, "answer the questionnaire first"))
    return Outcome(changed=answer.changed, document=answer.record)


def _user_errors(errors: Any) -> list[UserErrorType]:
    known = {c.value for c in UserErrorCode}
    return [
        UserErrorType(
            field=list(path) if path else None,
            code=UserErrorCode(code if code in known else "INVALID"),
            message=message,
        )
        for path, code, message in errors
    ]
