"""The category types document themselves: every type, field and enum value has a description."""

from __future__ import annotations

import strawberry
from graphql import GraphQLEnumType, GraphQLObjectType

import schema.categories as categories


def _schema() -> strawberry.Schema:
    @strawberry.type
    class Query:
        identity: categories.Identity | None = None
        schooling: categories.Schooling | None = None
        grades: categories.Grades | None = None
        employment: categories.Employment | None = None
        income: categories.Income | None = None
        benefits: categories.Benefits | None = None
        admissions: categories.Admissions | None = None
        plan: categories.Plan | None = None
        contacts: categories.Contacts | None = None
        support_needs: categories.SupportNeeds | None = None
        dropout_risks: list[categories.DropoutRiskNotice] | None = None
        questionnaire: categories.Questionnaire | None = None
        health: categories.Health | None = None
        social_plans: list[categories.SocialPlan] | None = None

    return strawberry.Schema(query=Query)


def test_every_type_field_and_enum_value_is_described() -> None:
    missing = []
    for name, graphql_type in _schema()._schema.type_map.items():
        if name.startswith("__") or name == "Query":
            continue
        if isinstance(graphql_type, GraphQLObjectType):
            if not graphql_type.description:
                missing.append(name)
            missing += [
                f"{name}.{field}"
                for field, definition in graphql_type.fields.items()
                if not definition.description
            ]
        if isinstance(graphql_type, GraphQLEnumType) and name not in ("Category", "Purpose"):
            if not graphql_type.description:
                missing.append(name)
            missing += [
                f"{name}.{value}"
                for value, definition in graphql_type.values.items()
                if not definition.description
            ]
    assert missing == []


def test_no_json_blobs() -> None:
    sdl = str(_schema())
    assert "JSON" not in sdl and "scalar" not in sdl.replace("scalar Date", "")
