"""Category `social_plans`: parallel action plans on the social area (handleplaner)."""

from datetime import date
from enum import Enum

import strawberry


@strawberry.enum(description="The act an action plan (handleplan) is made under.")
class SocialPlanLaw(Enum):
    SERVICE_ACT_68A = strawberry.enum_value(
        "SERVICE_ACT_68A",
        description="Action plan for young adults under the Social Services Act (serviceloven "
        "§ 68 a).",
    )
    CHILDRENS_ACT = strawberry.enum_value(
        "CHILDRENS_ACT", description="Plan under the Children's Act (barnets lov)."
    )


@strawberry.enum(description="Status of an action plan (handleplan).")
class SocialPlanStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="In force (aktiv).")
    CLOSED = strawberry.enum_value("CLOSED", description="Closed (afsluttet).")


@strawberry.type(
    description="A parallel plan on the social area (handleplan), which the case worker must "
    "coordinate with Min Plan. Source: the municipal social system. No legal basis lets "
    "professionals see it today; the young person always can."
)
class SocialPlan:
    id: str = strawberry.field(description="The social system's id of the plan (GUID).")
    law: SocialPlanLaw = strawberry.field(description="The act the plan is made under.")
    created: date = strawberry.field(description="Date the plan was created (oprettet).")
    status: SocialPlanStatus = strawberry.field(description="Whether the plan is still in force.")
    administration: str | None = strawberry.field(
        description="The municipal administration (forvaltning) that holds the plan, e.g. "
        "Socialforvaltningen, København."
    )
