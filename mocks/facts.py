"""Small builders shared by the personas and the generator: institutions, staff, benefits."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from mocks.codes import REFORM_DATE, municipality_names
from mocks.model import BenefitPeriod, Institution, Staff

# Institution numbers are six digits (REGISTERS.md 2.4); the mock makes a municipality's schools
# `<code><nnn>`, e.g. 101445, so they are stable and readable. Offsets per kind of school:
_INSTITUTION_OFFSETS = {
    "GRUNDSKOLE": 10,
    "TIENDE_KLASSE": 205,
    "GYMNASIAL": 301,
    "EUD": 445,
    "FGU": 601,
    "STU": 701,
}
_SCHOOL_QUARTERS = ("Nord", "Syd", "Øster", "Vester", "Midt")

# The persona school of PERSONAS.md; generated people never enrol here, so its pupils are
# exactly the personas Anne, Jonas and Emil.
GROEN_ERHVERVSSKOLE = Institution("851234", "Grøn Erhvervsskole")

# Monthly amounts. Education assistance 2023 rates are verified (REGISTERS.md 2.6); the
# kontanthjælp rates after the 2025 reform are assumptions [A].
EDUCATION_ASSISTANCE_RATES = {
    "UNDER_25_UDEBOENDE": 6545.00,
    "UNDER_25_HJEMMEBOENDE": 2820.00,
    "OVER_25_UDEBOENDE": 6545.00,
}
CASH_BENEFIT_RATES = {"MINDSTESATS": 6900.00, "HJEMMEBOENDE": 3100.00, "GRUNDSATS": 11900.00}


@cache
def institution(municipality: str, kind: str, variant: int = 0) -> Institution:
    city = municipality_names()[municipality]
    number = f"{int(municipality) * 1000 + _INSTITUTION_OFFSETS[kind] + variant:06d}"
    names = {
        "GRUNDSKOLE": f"{_SCHOOL_QUARTERS[variant % 5]}skolen, {city}",
        "TIENDE_KLASSE": f"10. klassecenter {city}",
        "GYMNASIAL": f"{city} Gymnasium",
        "EUD": f"Erhvervsskolen {city}",
        "FGU": f"FGU {city}",
        "STU": f"STU {city}",
    }
    return Institution(number, names[kind])


def jobcenter(municipality: str) -> str:
    return f"Jobcenter {municipality_names()[municipality]}"


@cache
def municipality_org(municipality: str) -> str:
    name = municipality_names()[municipality]
    return f"{name}s Kommune" if not name.endswith("s") else f"{name} Kommune"


def benefit_spell(
    start: date, end: date | None, *, at_home: bool, over_25: bool, today: date
) -> list[BenefitPeriod]:
    """One spell of public support, split at the 2025 reform: education assistance before
    1 July 2025, kontanthjælp from then on. Parts after `today` are cut off."""
    if start > today:
        return []
    if end is not None and end > today:
        end = None
    if at_home:
        before_rate, after_rate = "UNDER_25_HJEMMEBOENDE", "HJEMMEBOENDE"
    else:
        before_rate = "OVER_25_UDEBOENDE" if over_25 else "UNDER_25_UDEBOENDE"
        after_rate = "MINDSTESATS"
    periods: list[BenefitPeriod] = []
    if start < REFORM_DATE:
        before_end = end if end is not None and end < REFORM_DATE else REFORM_DATE - timedelta(1)
        periods.append(
            BenefitPeriod(
                "UDDANNELSESHJAELP",
                before_rate,
                start,
                before_end,
                EDUCATION_ASSISTANCE_RATES[before_rate],
            )
        )
    if end is None or end >= REFORM_DATE:
        periods.append(
            BenefitPeriod(
                "KONTANTHJAELP",
                after_rate,
                max(start, REFORM_DATE),
                end,
                CASH_BENEFIT_RATES[after_rate],
            )
        )
    return periods


def staff(staff_id: str, name: str, municipality: str, organisation: str | None = None) -> Staff:
    return Staff(staff_id, name, organisation or jobcenter(municipality), municipality)
