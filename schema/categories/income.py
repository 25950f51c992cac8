"""Category `income`: monthly income amounts from eIndkomst."""

from datetime import date
from enum import Enum

import strawberry

from schema.categories.common import Employer, Period


@strawberry.enum(
    description="eIndkomst income type (indkomsttype), the kind of payment a line reports."
)
class IncomeType(Enum):
    WAGES = strawberry.enum_value("WAGES", description="Wages as an employee (00, lønansat).")
    STUDENT_GRANT = strawberry.enum_value(
        "STUDENT_GRANT", description="SU, the student grant (01)."
    )
    GREENLAND_TAX = strawberry.enum_value("GREENLAND_TAX", description="Greenland tax (03).")
    OTHER_PERSONAL_INCOME = strawberry.enum_value(
        "OTHER_PERSONAL_INCOME",
        description="Other personal income, e.g. unemployment benefit or pension (04, 24).",
    )
    B_INCOME = strawberry.enum_value("B_INCOME", description="B-income (05, B-indkomst).")
    MUNICIPAL_BENEFIT = strawberry.enum_value(
        "MUNICIPAL_BENEFIT",
        description="Cash benefit, education assistance or one-off help paid by the municipality "
        "(06, kontanthjælp/uddannelseshjælp).",
    )
    SICKNESS_OR_MATERNITY_BENEFIT = strawberry.enum_value(
        "SICKNESS_OR_MATERNITY_BENEFIT",
        description="Sickness or maternity benefit (07, syge- og barselsdagpenge).",
    )
    TAX_FREE = strawberry.enum_value("TAX_FREE", description="Tax-free income (09, skattefri).")
    WAGES_VIA_GUARANTEE_FUND = strawberry.enum_value(
        "WAGES_VIA_GUARANTEE_FUND",
        description="Wages via the Wage Guarantee Fund (10, løn via LG).",
    )
    OTHER = strawberry.enum_value("OTHER", description="Any other income type code.")


@strawberry.type(description="One monthly income report (indberetning) from one payer.")
class IncomeLine:
    id: str = strawberry.field(description="eIndkomst's id of the report (indberetningId).")
    payer: Employer = strawberry.field(
        description="Who paid (indberetter): employer or municipality."
    )
    period: Period = strawberry.field(description="The pay period (lønperiode).")
    income_type: IncomeType = strawberry.field(description="Kind of payment (indkomsttype).")
    income_type_code: str = strawberry.field(
        description="The two-digit indkomsttype code as reported."
    )
    disposal_date: date | None = strawberry.field(
        description="Date the money was available (dispositionsdato)."
    )
    a_income: float = strawberry.field(
        description="A-income in DKK (A-indkomst): field 13 (with labour-market contribution) plus "
        "field 14 (without)."
    )
    a_tax: float | None = strawberry.field(
        description="A-tax withheld in DKK (field 15, indeholdt A-skat)."
    )
    labour_market_contribution: float | None = strawberry.field(
        description="Labour-market contribution withheld in DKK (field 16, AM-bidrag)."
    )


@strawberry.type(description="Income totals for one calendar month.")
class MonthlyIncome:
    month: date = strawberry.field(description="The month, as its first day.")
    a_income: float = strawberry.field(description="Total A-income in DKK from all payers.")
    a_tax: float = strawberry.field(description="Total A-tax withheld in DKK.")
    payers: int = strawberry.field(description="Number of distinct payers that month.")


@strawberry.type(
    description="Income reported to eIndkomst (Skattestyrelsen) in the last 36 months: monthly "
    "lines per payer with A-income amounts, and totals per month."
)
class Income:
    lines: list[IncomeLine] = strawberry.field(description="Income lines, newest first.")
    monthly_totals: list[MonthlyIncome] = strawberry.field(
        description="Totals per month, newest first."
    )
