"""Category `health`: the young person's self-rated health from the Jobnet questionnaire.

Sensitive data (GDPR art. 9): professionals see it only with the young person's consent.
"""

from datetime import date

import strawberry


@strawberry.type(
    description="Self-rated health from the voluntary questionnaire on Jobnet (helbred). "
    "Sensitive personal data under GDPR art. 9; shared with the contact person only with the "
    "young person's explicit consent."
)
class Health:
    answered: date = strawberry.field(description="Date the questionnaire was answered (besvaret).")
    mental_health: int = strawberry.field(
        description="Self-rated mental health (mentalt helbred), 1 (very poor) to 5 (very good)."
    )
    physical_health: int = strawberry.field(
        description="Self-rated physical health (fysisk helbred), 1 (very poor) to 5 (very good)."
    )
    contact_with_psychiatry: bool | None = strawberry.field(
        description="Whether the young person is in contact with psychiatry (kontakt med "
        "psykiatrien); null when not answered."
    )
    shared_with_contact_person: bool = strawberry.field(
        description="The young person's consent to share these health answers with their contact "
        "person (deles med kontaktperson)."
    )
