"""Code lists shared by the schema, the policy catalogue and the register clients.

The string values are the category, role and purpose names of POLICY.md; the policy's data
files use exactly these strings, so one rename here is a rename everywhere.
"""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(
    description="Why the caller asks. A role may use only its listed purposes; it is audited."
)
class Purpose(Enum):
    SELF = "SELF"
    VISITATION = "VISITATION"
    PLANNING = "PLANNING"
    EDUCATION_START = "EDUCATION_START"
    RETENTION = "RETENTION"
    MENTORING = "MENTORING"
    JOB_PLACEMENT = "JOB_PLACEMENT"
    CASE_RECORD = "CASE_RECORD"
    SUPERVISION = "SUPERVISION"
    MANAGEMENT_SUPERVISION = "MANAGEMENT_SUPERVISION"


@strawberry.enum(
    description="A data category of the youth view (POLICY.md): one field, one decision."
)
class Category(Enum):
    IDENTITY = "identity"
    SCHOOLING = "schooling"
    GRADES = "grades"
    EMPLOYMENT = "employment"
    INCOME = "income"
    BENEFITS = "benefits"
    ADMISSIONS = "admissions"
    PLAN = "plan"
    CASEWORK = "casework"
    CONTACTS = "contacts"
    SUPPORT_NEEDS = "support_needs"
    DROPOUT_RISK = "dropout_risk"
    QUESTIONNAIRE = "questionnaire"
    HEALTH = "health"
    SOCIAL_PLANS = "social_plans"
    DEADLINES = "deadlines"


@strawberry.enum(description="The caller's role, from the signed token.")
class Role(Enum):
    YOUTH = "youth"
    CONTACT_PERSON = "contact_person"
    MENTOR = "mentor"
    BUSINESS_CONSULTANT = "business_consultant"
    INSTITUTION_CONTACT = "institution_contact"
    CASE_SYSTEM = "case_system"
    PRIVACY_OFFICER = "privacy_officer"
    MANAGER = "manager"
