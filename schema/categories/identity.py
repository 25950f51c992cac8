"""Category `identity`: who the young person is, from DFDG's master data (stamdata)."""

from datetime import date

import strawberry


@strawberry.type(
    description="A municipality (kommune), identified by its four-digit municipality code "
    "(kommunekode, e.g. 0101 København)."
)
class Municipality:
    code: str = strawberry.field(description="Four-digit municipality code (kommunekode).")
    name: str | None = strawberry.field(description="Name of the municipality, e.g. København.")


@strawberry.type(
    description="Identity of the young person: name, birth date, age and the municipality "
    "responsible for them. Source: DFDG master data (stamdata)."
)
class Identity:
    first_name: str = strawberry.field(description="First and middle names (fornavn).")
    last_name: str = strawberry.field(description="Surname (efternavn).")
    birth_date: date = strawberry.field(description="Date of birth (fødselsdato).")
    age: int = strawberry.field(description="Age in whole years on the reference date (today).")
    municipality: Municipality = strawberry.field(
        description="Municipality of residence that is responsible for the young person "
        "(bopælskommune)."
    )
    name_protected: bool = strawberry.field(
        description="Name and address protection (navne- og adressebeskyttelse): the name must "
        "not be passed on beyond those who need it for the case."
    )
