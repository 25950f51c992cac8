"""Category `questionnaire`: the young person's own answers on Jobnet (subjective facts)."""

from datetime import date
from enum import Enum

import strawberry


@strawberry.enum(description="The kind of goal the young person names (mål).")
class GoalType(Enum):
    EDUCATION = strawberry.enum_value("EDUCATION", description="An education (uddannelse).")
    JOB = strawberry.enum_value("JOB", description="A job (job).")
    DONT_KNOW = strawberry.enum_value("DONT_KNOW", description="Does not know yet (ved ikke).")


@strawberry.enum(description="How strong the young person rates their network (netværk).")
class NetworkStrength(Enum):
    STRONG = strawberry.enum_value("STRONG", description="A strong network (stærkt).")
    SOME = strawberry.enum_value("SOME", description="Some network (noget).")
    WEAK = strawberry.enum_value("WEAK", description="A weak network (svagt).")
    NONE = strawberry.enum_value("NONE", description="No network (intet).")


@strawberry.enum(description="A barrier the young person names (barriere), from a fixed list.")
class Barrier(Enum):
    FINANCES = strawberry.enum_value("FINANCES", description="Money (økonomi).")
    HOUSING = strawberry.enum_value("HOUSING", description="Housing (bolig).")
    TRANSPORT = strawberry.enum_value("TRANSPORT", description="Transport.")
    SUBSTANCE_ABUSE = strawberry.enum_value("SUBSTANCE_ABUSE", description="Abuse (misbrug).")
    LANGUAGE = strawberry.enum_value("LANGUAGE", description="Language (sprog).")
    FAMILY = strawberry.enum_value("FAMILY", description="Family (familie).")
    OTHER = strawberry.enum_value("OTHER", description="Other (andet).")


@strawberry.type(
    description="The young person's own education or job goal (uddannelses- eller jobmål)."
)
class Goal:
    type: GoalType = strawberry.field(description="Education, job, or not decided yet.")
    text: str | None = strawberry.field(
        description="The goal in the young person's own words; may be broad, e.g. 'noget med dyr'."
    )


@strawberry.type(
    description="Answers from the voluntary questionnaire the young person fills in on Jobnet "
    "(spørgeskema) before the first conversation: the subjective facts that set the direction "
    "of the dialogue. Health answers are a separate category (Health)."
)
class Questionnaire:
    answered: date = strawberry.field(description="Date the questionnaire was answered (besvaret).")
    goal: Goal | None = strawberry.field(
        description="Education or job goal (uddannelses- eller jobmål)."
    )
    self_belief: int | None = strawberry.field(
        description="Belief in oneself (tro på sig selv), 1 (low) to 5 (high)."
    )
    network: NetworkStrength | None = strawberry.field(
        description="Strength of the network (netværk)."
    )
    barriers: list[Barrier] = strawberry.field(
        description="Other barriers the young person names (barrierer); empty when none."
    )
    children_at_home: int | None = strawberry.field(
        description="Number of children living at home (børn i hjemmet)."
    )
