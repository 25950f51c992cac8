"""The youth view: one young person, one field per data category (POLICY.md).

Every category field is built by the same small factory, so that "one category = one field = one
decision = one register" holds by construction: the resolver asks the access seam for exactly
its category and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from schema.access import HasAccess
from schema.categories import (
    Admissions,
    Benefits,
    Casework,
    Contacts,
    DropoutRiskNotice,
    Employment,
    Grades,
    Health,
    Identity,
    Income,
    Plan,
    Questionnaire,
    Schooling,
    SocialPlan,
    SupportNeeds,
)
from schema.categories.deadlines import Deadline
from schema.enums import Category, Purpose
from schema.scalars import CPR
from schema.selection import categories_at


def _category_field(category: Category, annotation: Any, description: str) -> Any:
    async def resolve(root: Youth, info: Info[HasAccess, None]) -> Any:
        return await info.context.access.category(root.cpr, root.purpose, category)

    resolve.__annotations__["return"] = annotation | None
    return strawberry.field(resolver=resolve, description=description)


@strawberry.federation.type(
    keys=["cpr"],
    description=(
        "One young person as the registers know them. Each field is one data category; a field "
        "the caller may not see is null with a FORBIDDEN error naming the category and the reason, "
        "a register that fails leaves only its own fields null (REGISTER_UNAVAILABLE)."
    ),
)
class Youth:
    cpr: CPR = strawberry.field(description="The young person's CPR number.")
    purpose: strawberry.Private[Purpose]

    @classmethod
    async def resolve_reference(cls, info: Info[HasAccess, None], cpr: str) -> Youth:
        """A router's reference (`_entities`): the same door as `youth`, with the purpose from
        the request's X-Purpose header; trusts no router."""
        categories = categories_at(info, (), FIELD_CATEGORIES)
        found = await info.context.access.entity(cpr, categories)
        return cls(cpr=CPR(found.cpr), purpose=found.purpose)

    identity = _category_field(
        Category.IDENTITY,
        Identity,
        "Name, birth date, age and municipality (DFDG). Category identity.",
    )
    schooling = _category_field(
        Category.SCHOOLING,
        Schooling,
        "Education history (Ungedatabasen): completed and interrupted courses, STU, FGU, EUD "
        "progress, SU months. Category schooling.",
    )
    grades = _category_field(
        Category.GRADES,
        Grades,
        "Primary-school leaving grades (Karakterdatabasen). Category grades: no legal basis for "
        "professionals is in force today.",
    )
    employment = _category_field(
        Category.EMPLOYMENT,
        Employment,
        "Jobs, employers and hours (eIndkomst), with the 225-hour view. Category employment.",
    )
    income = _category_field(
        Category.INCOME, Income, "Income amounts per month (eIndkomst). Category income."
    )
    benefits = _category_field(
        Category.BENEFITS,
        Benefits,
        "Periods of public support (offentlig forsørgelse) from DFDG. Category benefits.",
    )
    admissions = _category_field(
        Category.ADMISSIONS,
        Admissions,
        "Applications and admissions (Optagelse.dk for youth education, KOT for higher education). "
        "Category admissions.",
    )
    plan = _category_field(
        Category.PLAN,
        Plan,
        "Min Plan (DFDG): education and job goals, when updated and agreed with whom, and the "
        "offers on the way. Category plan.",
    )
    casework = _category_field(
        Category.CASEWORK,
        Casework,
        "The municipality's casework (DFDG): first contact, visitation and its history, the "
        "education order (uddannelsespålæg) and its steps, conversations, agreements and the "
        "reading/writing/maths test. Category casework.",
    )
    contacts = _category_field(
        Category.CONTACTS,
        Contacts,
        "Contact persons in the municipality and at the school (DFDG and Ungedatabasen). "
        "Category contacts.",
    )
    support_needs = _category_field(
        Category.SUPPORT_NEEDS,
        SupportNeeds,
        "The education order and predefined support-need flags exchanged with the school "
        "(LAB § 30, stk. 7). Category support_needs.",
    )
    dropout_risks = _category_field(
        Category.DROPOUT_RISK,
        list[DropoutRiskNotice],
        "Dropout-risk notices (risiko for frafald) from the school through Ungedatabasen. "
        "Category dropout_risk.",
    )
    questionnaire = _category_field(
        Category.QUESTIONNAIRE,
        Questionnaire,
        "The young person's own answers to the Jobnet questionnaire. Category questionnaire.",
    )
    health = _category_field(
        Category.HEALTH,
        Health,
        "Self-rated health (sensitive, GDPR art. 9): shown to the contact person only with the "
        "young person's consent. Category health.",
    )
    social_plans = _category_field(
        Category.SOCIAL_PLANS,
        list[SocialPlan],
        "Parallel action plans on the social area. Category social_plans: no legal basis for "
        "professionals is in force.",
    )

    @strawberry.field(
        description=(
            "Each legal deadline the municipality owes the young person in each case, and its "
            "state on `asOf` (default today in Denmark): derived from DFDG and UDB (DEADLINES.md). "
            "Category deadlines: only for callers who may see the plan, the casework, the "
            "benefits and the dropout-risk notices it is derived from."
        )
    )
    async def deadlines(
        self, info: Info[HasAccess, None], as_of: dt.date | None = None
    ) -> list[Deadline] | None:
        return await info.context.access.deadlines(self.cpr, self.purpose, as_of)


#: GraphQL field name -> category, for reading which categories a query selected.
FIELD_CATEGORIES: dict[str, Category] = {
    "identity": Category.IDENTITY,
    "schooling": Category.SCHOOLING,
    "grades": Category.GRADES,
    "employment": Category.EMPLOYMENT,
    "income": Category.INCOME,
    "benefits": Category.BENEFITS,
    "admissions": Category.ADMISSIONS,
    "plan": Category.PLAN,
    "casework": Category.CASEWORK,
    "contacts": Category.CONTACTS,
    "supportNeeds": Category.SUPPORT_NEEDS,
    "dropoutRisks": Category.DROPOUT_RISK,
    "questionnaire": Category.QUESTIONNAIRE,
    "health": Category.HEALTH,
    "socialPlans": Category.SOCIAL_PLANS,
    "deadlines": Category.DEADLINES,
}
