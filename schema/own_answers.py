"""The young person's own writes on Jobnet (JOBNET.md "Writes"): the questionnaire and the
consent to share health answers with the contact person. Role youth, about themself (SELF);
whether that holds is the policy's answer, like every other write."""

from __future__ import annotations

from enum import Enum
from typing import Any, Protocol

import strawberry
from strawberry.types import Info

from schema.categories.health import Health
from schema.categories.questionnaire import Barrier, GoalType, NetworkStrength, Questionnaire


@strawberry.enum(description="Why a write of the young person's own did not happen.")
class UserErrorCode(Enum):
    INVALID = strawberry.enum_value("INVALID", description="A value is out of range or too long.")
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The idempotency key was used within 7 days for other answers.",
    )
    NOT_ANSWERED = strawberry.enum_value(
        "NOT_ANSWERED", description="Consent needs answers to share: answer the questionnaire."
    )


@strawberry.type(description="A business failure of a write; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field at fault.")
    code: UserErrorCode = strawberry.field(description="What went wrong.")
    message: str = strawberry.field(description="For a person; match on `code`.")


@strawberry.input(description="The questionnaire's answers; each submission is a new version.")
class QuestionnaireSubmitInput:
    idempotency_key: strawberry.ID = strawberry.field(description="A UUID chosen by the client.")
    goal: GoalType = strawberry.field(description="Education, job, or not decided yet.")
    goal_text: str | None = strawberry.field(
        default=None, description="The goal in one's own words, may be broad (≤ 120)."
    )
    self_belief: int = strawberry.field(description="Belief in oneself, 1 (low) to 5 (high).")
    network: NetworkStrength
    barriers: list[Barrier] = strawberry.field(default_factory=list)
    other_difficulties: str | None = strawberry.field(
        default=None,
        description="Anything else that makes it hard (≤ 500): the only free text, shown only "
        "to the young person.",
    )
    children_at_home: int = strawberry.field(description="0 to 10.")
    mental_health: int = strawberry.field(description="Self-rated, 1 (very poor) to 5.")
    physical_health: int = strawberry.field(description="Self-rated, 1 (very poor) to 5.")
    contact_with_psychiatry: bool | None = strawberry.field(default=None)


@strawberry.type
class QuestionnaireSubmitPayload:
    questionnaire: Questionnaire | None
    health: Health | None
    changed: bool
    user_errors: list[UserError]


@strawberry.type
class HealthConsentSetPayload:
    shared: bool | None = strawberry.field(
        description="Whether health answers are now shared with the contact person."
    )
    changed: bool
    user_errors: list[UserError]


class OwnWrites(Protocol):
    async def questionnaire_submit(
        self, input: QuestionnaireSubmitInput
    ) -> QuestionnaireSubmitPayload: ...

    async def health_consent_set(self, share: bool) -> HealthConsentSetPayload: ...


class HasOwnWrites(Protocol):
    own: OwnWrites


def _own(info: Info[Any, Any]) -> OwnWrites:
    context: HasOwnWrites = info.context
    return context.own


@strawberry.type
class OwnAnswersMutation:
    @strawberry.field(description="The young person's answers to the questionnaire (role youth).")
    async def questionnaire_submit(
        self, info: Info[Any, Any], input: QuestionnaireSubmitInput
    ) -> QuestionnaireSubmitPayload:
        return await _own(info).questionnaire_submit(input)

    @strawberry.field(
        description="Share health answers with the contact person, or stop sharing: takes "
        "effect at once, on the contact person's next request (GDPR art. 7(3))."
    )
    async def health_consent_set(
        self, info: Info[Any, Any], share: bool
    ) -> HealthConsentSetPayload:
        return await _own(info).health_consent_set(share)
