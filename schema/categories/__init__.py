"""The category types of the youth view: one module per data category of POLICY.md.

Strawberry types only; no HTTP and no wire formats. The register clients in
`gateway/resolvers/` map the registers' answers onto these types.
"""

from schema.categories.admissions import Admissions
from schema.categories.benefits import Benefits
from schema.categories.casework import Casework
from schema.categories.contacts import Contacts
from schema.categories.dropout_risk import DropoutRiskNotice
from schema.categories.employment import Employment
from schema.categories.grades import Grades
from schema.categories.health import Health
from schema.categories.identity import Identity
from schema.categories.income import Income
from schema.categories.plan import Plan
from schema.categories.questionnaire import Questionnaire
from schema.categories.schooling import Schooling
from schema.categories.social_plans import SocialPlan
from schema.categories.support_needs import SupportNeeds

__all__ = [
    "Admissions",
    "Benefits",
    "Casework",
    "Contacts",
    "DropoutRiskNotice",
    "Employment",
    "Grades",
    "Health",
    "Identity",
    "Income",
    "Plan",
    "Questionnaire",
    "Schooling",
    "SocialPlan",
    "SupportNeeds",
]
