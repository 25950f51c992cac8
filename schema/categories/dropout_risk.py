"""Category `dropout_risk`: the school's notices that a young person risks dropping out."""

import datetime as dt
from enum import Enum

import strawberry

from schema.categories.common import Institution


@strawberry.enum(description="Why the school fears a dropout (årsag til risiko for frafald).")
class DropoutRiskReason(Enum):
    ABSENCE = strawberry.enum_value("ABSENCE", description="Absence (fravær).")
    ACADEMIC = strawberry.enum_value("ACADEMIC", description="Academic difficulties (fagligt).")
    ACADEMIC_PROGRESS = strawberry.enum_value(
        "ACADEMIC_PROGRESS",
        description="Academic progress (faglig progression), as a school reports it "
        "(dropoutRiskReport).",
    )
    CONDUCT = strawberry.enum_value("CONDUCT", description="Conduct (adfærd).")
    WELLBEING = strawberry.enum_value("WELLBEING", description="Well-being (trivsel).")
    FINANCES = strawberry.enum_value("FINANCES", description="Money (økonomi).")
    OTHER = strawberry.enum_value("OTHER", description="Other (andet).")


@strawberry.type(
    description="A dropout-risk notice (risiko for frafald) the school reported to Ungedatabasen "
    "(UDB), passed to the municipality through its subscription. The municipality should react "
    "within the first 6 months after education start; a notice expires after 3 months."
)
class DropoutRiskNotice:
    id: str = strawberry.field(description="UDB's event id (haendelseId, GUID).")
    date: dt.date = strawberry.field(description="Date the school reported the risk.")
    institution: Institution = strawberry.field(description="The school that reported it.")
    reason: DropoutRiskReason = strawberry.field(description="The reason the school gave.")
    expires: dt.date | None = strawberry.field(description="Date the notice expires (udløber).")
    reacted: dt.date | None = strawberry.field(
        description="Date the municipality reacted to the notice; null while nobody has."
    )
    is_active: bool = strawberry.field(
        description="True while the notice has not expired on the reference date (today)."
    )
