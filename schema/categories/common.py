"""Small value types that several categories share: a period, an institution, an employer."""

from datetime import date

import strawberry


@strawberry.type(
    description="A period of days, both ends inclusive. `end` is null when open-ended."
)
class Period:
    start: date = strawberry.field(description="First day of the period.")
    end: date | None = strawberry.field(
        description="Last day of the period (inclusive); null while the period is open-ended."
    )


@strawberry.type(
    description="An educational institution from the ministry's institution register "
    "(Institutionsregistret), identified by its six-digit institution number (institutionsnummer)."
)
class Institution:
    number: str = strawberry.field(description="Six-digit institution number (institutionsnummer).")
    name: str | None = strawberry.field(
        description="Name of the institution; null when the register gave only the number."
    )


@strawberry.type(
    description="A company or public body that reports to eIndkomst or hosts an offer, "
    "identified by its CVR number."
)
class Employer:
    cvr: str | None = strawberry.field(
        description="CVR number (Det Centrale Virksomhedsregister); null when not reported."
    )
    name: str | None = strawberry.field(description="Name of the employer, when reported.")


@strawberry.type(description="A contact person as the retention exchange carries it.")
class ExchangeContact:
    name: str | None = strawberry.field(description="Name of the person or team.")
    role: str | None = strawberry.field(description="Role or kind, as the register names it.")
    phone: str | None = strawberry.field(description="Phone number.")
    email: str | None = strawberry.field(description="E-mail address.")
