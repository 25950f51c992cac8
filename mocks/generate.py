"""Generated young people around the personas: a seeded, realistic population (REGISTERS.md 5.7).

Each person's life story is drawn in order (school, support, case, plan, work), so the
registers agree: a course is both a UDB course and an admission, a benefit spell is both a
DFDG period and eIndkomst lines, an open case has a contact person, and so on.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from mocks.codes import (
    add_months,
    age_on,
    birthday,
    century_digits,
    cpr_check_digit,
    cpr_has_modulus11,
    cvr_from_serial,
    load,
    month_end,
    month_start,
    municipalities,
    municipality_names,
)
from mocks.deadline_facts import draw_deadline_facts
from mocks.facts import benefit_spell, institution, jobcenter, municipality_org
from mocks.model import (
    Admission,
    Application,
    Assignment,
    Case,
    Course,
    DropoutNotice,
    EducationOrder,
    GradeSheet,
    HigherApplication,
    InstitutionContact,
    Job,
    Offer,
    OrderStep,
    Person,
    Plan,
    Questionnaire,
    SocialPlan,
    Staff,
    Subscription,
    SupportNeeds,
    TargetGroup,
    Visitation,
)

COHORT_FIRST, COHORT_LAST = date(1996, 1, 1), date(2010, 12, 31)
NO_MODULUS11_SHARE = 0.02  # born 1 January, issued without the modulus-11 property
NAME_PROTECTED_SHARE = 0.01

# Roughly the 2020 split of young people on education assistance (DOMAIN.md).
VISITATION_WEIGHTS = {
    "AKTIVITETSPARAT": 61,
    "UDDANNELSESPARAT": 34,
    "AABENLYST_UDDANNELSESPARAT": 5,
}
TARGET_GROUPS = {
    "AKTIVITETSPARAT": (5, "Aktivitetsparate under 30 uden erhvervskompetence"),
    "UDDANNELSESPARAT": (4, "Uddannelsesparate under 30 uden erhvervskompetence"),
    "AABENLYST_UDDANNELSESPARAT": (4, "Uddannelsesparate under 30 uden erhvervskompetence"),
}
OFFER_HOLDERS = {  # activation type -> which kind of staff holds it, and its weight
    "VEJLEDNING_OPKVALIFICERING": ("cw", 40),
    "VIRKSOMHEDSPRAKTIK": ("bk", 30),
    "MENTOR": ("mentor", 20),
    "LOENTILSKUD": ("bk", 10),
}
EDUCATION_GOALS = (
    "Erhvervsuddannelse inden for bygge og anlæg",
    "Social- og sundhedsuddannelse",
    "Gymnasial uddannelse (hf)",
    "Uddannelse inden for det grønne område",
    "FGU med henblik på erhvervsuddannelse",
    "Ved ikke endnu",
)
DROPOUT_REASONS = ("FRAVAER", "FAGLIGT", "TRIVSEL", "OEKONOMI", "ANDET")
JOB_GOALS = (
    "Lagermedarbejder",
    "Butiksassistent",
    "Køkkenmedhjælper",
    "Chauffør",
    "Pædagogmedhjælper",
)


def _stable_index(text: str, modulo: int) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest()) % modulo


@cache
def _names() -> dict[str, list[str]]:
    data = load("navne.json")
    return {key: list(data[key]) for key in ("kvinder", "maend", "efternavne")}


@cache
def generated_staff(kind: str, municipality: str, number: int) -> Staff:
    """Staff ids look like `cw-0101-007`; their names follow from the id alone."""
    staff_id = f"{kind}-{municipality}-{number:03d}"
    names = _names()
    first_names = names["kvinder"] + names["maend"]
    first = first_names[_stable_index(staff_id, len(first_names))]
    last = names["efternavne"][_stable_index(staff_id + "/", len(names["efternavne"]))]
    organisation = jobcenter(municipality) if kind != "mentor" else municipality_org(municipality)
    return Staff(staff_id, f"{first} {last}", organisation, municipality)


@dataclass(frozen=True, slots=True)
class _Employer:
    cvr: str
    name: str


class PopulationGenerator:
    """Draws `size` young people from one seeded random stream."""

    def __init__(self, seed: int, today: date, taken_cprs: set[str]) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.t = today
        self.taken = taken_cprs
        self.staff_counts: dict[tuple[str, str], int] = {}
        self.names = _names()
        self.programmes = load("uddannelser.json")
        self.employers = self._employers(400)
        codes = municipalities()
        self.municipality_codes = [m.code for m in codes]
        self.municipality_weights = [m.share for m in codes]

    # --- set-up ------------------------------------------------------------------------------

    def _employers(self, count: int) -> list[_Employer]:
        data = load("navne.json")
        cities = list(municipality_names().values())
        employers: list[_Employer] = []
        while len(employers) < count:
            cvr = cvr_from_serial(self.rng.randrange(1_000_000, 10_000_000))
            if cvr is None:
                continue
            trade = self.rng.choice(data["virksomheder"])
            name = f"{trade} {self.rng.choice(cities)} {self.rng.choice(data['selskabsformer'])}"
            employers.append(_Employer(cvr, name))
        return employers

    def _size_staff_pools(self, homes: list[str]) -> None:
        """A case worker holds a caseload of some tens of young people (DOMAIN.md)."""
        for code, count in Counter(homes).items():
            self.staff_counts[("cw", code)] = max(1, math.ceil(count / 30))
            self.staff_counts[("mentor", code)] = max(1, math.ceil(count / 120))
            self.staff_counts[("bk", code)] = max(1, math.ceil(count / 150))

    def _staff(self, kind: str, municipality: str) -> Staff:
        count = self.staff_counts.get((kind, municipality), 1)
        return generated_staff(kind, municipality, self.rng.randrange(count) + 1)

    # --- people ------------------------------------------------------------------------------

    def generate(self, size: int) -> list[Person]:
        homes = self.rng.choices(self.municipality_codes, self.municipality_weights, k=size)
        self._size_staff_pools(homes)
        return [self._person(index, home) for index, home in enumerate(homes)]

    def _cpr(self, birth: date, with_modulus11: bool) -> str:
        prefix = birth.strftime("%d%m%y")
        digits7 = century_digits(birth)
        while True:
            first_nine = f"{prefix}{self.rng.choice(digits7)}{self.rng.randrange(100):02d}"
            if with_modulus11:
                check = cpr_check_digit(first_nine)
                if check is None:
                    continue
                cpr = first_nine + str(check)
            else:
                cpr = first_nine + str(self.rng.randrange(10))
                if cpr_has_modulus11(cpr):
                    continue
            if cpr not in self.taken:
                self.taken.add(cpr)
                return cpr

    def _birth(self) -> tuple[date, bool]:
        rng = self.rng
        if rng.random() < NO_MODULUS11_SHARE:
            return date(rng.randrange(COHORT_FIRST.year, COHORT_LAST.year + 1), 1, 1), False
        span = (COHORT_LAST - COHORT_FIRST).days
        return COHORT_FIRST + timedelta(rng.randrange(span + 1)), True

    def _person(self, index: int, home: str) -> Person:
        rng = self.rng
        birth, modulus11 = self._birth()
        cpr = self._cpr(birth, modulus11)
        female = int(cpr[9]) % 2 == 0
        first = rng.choice(self.names["kvinder"] if female else self.names["maend"])
        person = Person(
            cpr,
            self.seed * 1_000_003 + index,
            first,
            rng.choice(self.names["efternavne"]),
            birth,
            home,
            name_protected=rng.random() < NAME_PROTECTED_SHARE,
        )
        moved_from = rng.choice(self.municipality_codes) if rng.random() < 0.08 else None
        if moved_from == home:
            moved_from = None
        self._schooling(person, moved_from or home)
        self._support(person, moved_from)
        self._work(person)
        self._grades(person)
        draw_deadline_facts(person, self.t)  # from the person's own seed: the stream is untouched
        return person

    # --- schooling ---------------------------------------------------------------------------

    def _schooling(self, person: Person, school_municipality: str) -> None:
        rng, t, birth = self.rng, self.t, person.birth
        primary_end = date(birth.year + 16, 6, 26)
        finished = primary_end <= t
        person.courses.append(
            Course(
                "GRUNDSKOLE",
                "1009",
                "29",
                "Folkeskolens 9. klasse",
                institution(school_municipality, "GRUNDSKOLE", rng.randrange(5)),
                date(birth.year + 6, 8, 11),
                primary_end if finished else None,
                "GENNEMFOERT" if finished else "IGANG",
            )
        )
        if not finished:
            return
        next_start = date(birth.year + 16, 8, 10)
        if rng.random() < 0.2 and next_start <= t:
            tenth_end = date(birth.year + 17, 6, 24)
            done = tenth_end <= t
            person.courses.append(
                Course(
                    "TIENDE_KLASSE",
                    "1010",
                    "30",
                    "10. klasse",
                    institution(school_municipality, "TIENDE_KLASSE"),
                    next_start,
                    tenth_end if done else None,
                    "GENNEMFOERT" if done else "IGANG",
                    admitted=next_start - timedelta(60),
                )
            )
            if not done:
                return
            next_start = date(birth.year + 17, 8, 10)
        path = rng.choices(("EUD", "GYMNASIAL", "FGU", "STU", ""), (45, 22, 18, 2, 13))[0]
        attempts = 1 + (rng.random() < 0.4)
        for attempt in range(attempts if path else 0):
            start = next_start + timedelta(rng.randrange(0, 500) if attempt else 0)
            if start > t:
                break
            course = self._course(path, start, person.municipality, attempt)
            person.courses.append(course)
            person.applications.append(self._application_for(course))
            if course.status != "AFBRUDT":
                break
            assert course.end is not None
            next_start = course.end + timedelta(rng.randrange(60, 400))
        last = person.courses[-1]
        if last.status != "IGANG" and age_on(birth, t) >= 17 and rng.random() < 0.08:
            self._future_admission(person)
        if last.kind == "GYMNASIAL" and last.status == "GENNEMFOERT" and rng.random() < 0.4:
            self._higher_application(person, last)

    def _course(self, kind: str, start: date, municipality: str, attempt: int) -> Course:
        rng, t = self.rng, self.t
        completes = rng.random() < {"EUD": 0.3, "GYMNASIAL": 0.55, "FGU": 0.4, "STU": 0.8}[kind]
        if kind == "EUD":
            programme = rng.choice(self.programmes["eud"])
            part = 2 if attempt else rng.choice((1, 2))
            udd, udel, name = (
                programme["udd"],
                f"5{2 + part}",
                f"{programme['navn']}, grundforløb {part}",
            )
            full_days = 3 * 365 + 180
        elif kind == "GYMNASIAL":
            programme = rng.choice(self.programmes["gymnasial"])
            udd, udel, name = programme["udd"], "00", programme["navn"]
            full_days = 2 * 365 if name == "HF" else 3 * 365
        elif kind == "FGU":
            udd, udel, name = self.programmes["fgu"]["udd"], rng.choice(("40", "41")), "FGU"
            full_days = rng.randrange(300, 730)
        else:
            udd, udel, name = self.programmes["stu"]["udd"], "00", "STU"
            full_days = 3 * 365
        length = full_days if completes else rng.randrange(30, 500)
        end: date | None = start + timedelta(length)
        status = "GENNEMFOERT" if completes else "AFBRUDT"
        if end is not None and end > t:
            end, status = None, "IGANG"
        return Course(
            kind,
            udd,
            udel,
            name,
            institution(municipality, kind),
            start,
            end,
            status,
            admitted=start - timedelta(rng.randrange(7, 60)),
            dropout_reason=rng.choice(self.programmes["afbrudsaarsager"])
            if status == "AFBRUDT"
            else None,
            fgu_track=rng.choice(("BA", "US")) if kind == "FGU" else None,
        )

    def _application_for(self, course: Course) -> Application:
        programme_type = {
            "EUD": "EUD_GF2" if course.udel == "54" else "EUD_GF1",
            "GYMNASIAL": course.name if course.name in ("STX", "HHX", "HTX", "HF") else "STX",
            "FGU": "FGU",
            "STU": "FGU",
        }[course.kind]
        assert course.admitted is not None
        return Application(
            "",
            course.start,
            1,
            "OPTAGET",
            course.admitted,
            course.institution,
            programme_type,
            course.udd,
            course.name.split(",")[0],
        )

    def _future_admission(self, person: Person) -> None:
        rng, t = self.rng, self.t
        programme = rng.choice(self.programmes["eud"])
        start = t + timedelta(rng.randrange(10, 200))
        admitted = t - timedelta(rng.randrange(1, 60))
        school = institution(person.municipality, "EUD")
        person.admissions.append(
            Admission(
                "EUD", programme["udd"], f"{programme['navn']}, grundforløb 2", school, admitted,
                start, "EUD_GF2",
            )
        )  # fmt: skip
        person.applications.append(
            Application(
                "", start, 1, "OPTAGET", admitted, school, "EUD_GF2", programme["udd"],
                programme["navn"],
            )
        )  # fmt: skip

    def _higher_application(self, person: Person, gymnasium: Course) -> None:
        rng, t = self.rng, self.t
        assert gymnasium.end is not None
        year = gymnasium.end.year + rng.choice((0, 1, 2))
        start = date(year, 8, 25)
        if year > t.year or (year == t.year and t < date(year, 7, 28)):
            status = "ANSOEGT"
        else:
            status = rng.choices(("IKKE_OPTAGET", "VENTELISTE", "OPTAGET"), (6, 2, 2))[0]
        choice = rng.choice(self.programmes["bachelor"])
        person.higher_applications.append(
            HigherApplication(
                "", year, 1, choice["institution"], choice["uddannelse"], status, start,
                round(rng.uniform(4.0, 10.5), 1),
            )
        )  # fmt: skip

    # --- support, case, plan -----------------------------------------------------------------

    def _spells(self, person: Person) -> list[tuple[date, date | None]]:
        rng, t = self.rng, self.t
        adult = birthday(person.birth, 18)
        if adult >= t - timedelta(30) or rng.random() < 0.15:
            return []
        cursor = max(adult, t - timedelta(rng.randrange(30, 4 * 365)))
        spells: list[tuple[date, date | None]] = []
        count = rng.choice((1, 1, 2, 3))
        for number in range(count):
            end = cursor + timedelta(rng.randrange(60, 600))
            if end >= t or (number == count - 1 and rng.random() < 0.75):
                spells.append((cursor, None))
                break
            spells.append((cursor, end))
            cursor = end + timedelta(rng.randrange(20, 120))
            if cursor >= t:
                break
        # Support stops when a course starts.
        current = person.courses[-1]
        last_start, last_end = spells[-1]
        if last_end is None and current.status == "IGANG" and current.start > last_start:
            spells[-1] = (last_start, current.start - timedelta(1))
        return spells

    def _support(self, person: Person, moved_from: str | None) -> None:
        rng, t = self.rng, self.t
        spells = self._spells(person)
        if not spells:
            return
        at_home = rng.random() < 0.3
        for start, end in spells:
            over_25 = age_on(person.birth, start) >= 25
            person.benefits.extend(
                benefit_spell(start, end, at_home=at_home and not over_25, over_25=over_25, today=t)
            )
        home = person.municipality
        first_start = spells[0][0]
        closed = [s for s in spells if s[1] is not None]
        current_start, current_end = spells[-1]
        if closed and (current_end is not None or len(spells) > 1):
            last_closed_end = closed[-1][1]
            assert last_closed_end is not None
            old_home = moved_from or home
            person.cases.append(Case(old_home, first_start, last_closed_end))
            worker = self._staff("cw", old_home)
            person.assignments.append(
                Assignment(worker, "KONTAKTPERSON", first_start, last_closed_end)
            )
        category = rng.choices(list(VISITATION_WEIGHTS), list(VISITATION_WEIGHTS.values()))[0]
        person.visitations.append(
            Visitation(category, min(t, first_start + timedelta(rng.randrange(7, 60))))
        )
        if current_end is not None:
            return
        self._open_case(person, current_start, category)

    def _open_case(self, person: Person, start: date, category: str) -> None:
        rng, t, home = self.rng, self.t, person.municipality
        case = Case(home, start, None)
        person.cases.append(case)
        lab6, label = TARGET_GROUPS[category]
        person.target_group = TargetGroup(lab6, label, start)
        if person.visitations[-1].day < start:
            person.visitations.append(
                Visitation(category, min(t, start + timedelta(rng.randrange(7, 60))))
            )
        worker = self._staff("cw", home)
        assigned = min(t, start + timedelta(rng.randrange(0, 14)))
        if rng.random() < 0.2 and (t - assigned).days > 60:
            handover = assigned + timedelta(rng.randrange(30, (t - assigned).days))
            person.assignments.append(
                Assignment(self._staff("cw", home), "KONTAKTPERSON", assigned, handover)
            )
            assigned = handover + timedelta(1)
        role = (
            "KOORDINERENDE_SAGSBEHANDLER"
            if category == "AKTIVITETSPARAT" and rng.random() < 0.2
            else "KONTAKTPERSON"
        )
        person.assignments.append(Assignment(worker, role, assigned, None))
        if age_on(person.birth, t) < 25:
            person.kui_contact = worker
        self._offers(person, start, worker)
        order_share = 0.35 if category == "AKTIVITETSPARAT" else 0.85
        if rng.random() < order_share:
            self._order(person, start)
        if rng.random() < (0.9 if person.order else 0.5):
            person.subscriptions.append(Subscription("", home, start, None))
        if rng.random() < 0.65:
            person.questionnaire = Questionnaire(
                min(t, start + timedelta(rng.randrange(3, 40))), rng.random() < 0.5
            )
        if rng.random() < (0.2 if category == "AKTIVITETSPARAT" else 0.05):
            created = t - timedelta(rng.randrange(10, 1500))
            adult = age_on(person.birth, created) >= 18
            person.social_plans.append(
                SocialPlan(
                    "",
                    "SERVICELOVEN_68A" if adult else "BARNETS_LOV",
                    created,
                    "AKTIV" if rng.random() < 0.7 else "AFSLUTTET",
                    f"Socialforvaltningen, {municipality_names()[home]}",
                )
            )
        person.plan = Plan(
            rng.choice(EDUCATION_GOALS) if rng.random() < 0.8 else None,
            rng.sample(JOB_GOALS, rng.randrange(0, 3)),
            t - timedelta(rng.randrange(1, 90)),
            first_contact=start,
        )
        if rng.random() < 0.7:
            person.literacy_test = {
                "dato": min(t, start + timedelta(rng.randrange(5, 40))),
                "behovDansk": rng.random() < 0.3,
                "behovMatematik": rng.random() < 0.4,
            }

    def _offers(self, person: Person, case_start: date, worker: Staff) -> None:
        rng, t = self.rng, self.t
        room = (t - case_start).days
        if room < 15:
            return
        types = list(OFFER_HOLDERS)
        weights = [w for _, w in OFFER_HOLDERS.values()]
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            kind = rng.choices(types, weights)[0]
            holder_kind = OFFER_HOLDERS[kind][0]
            holder = (
                worker if holder_kind == "cw" else self._staff(holder_kind, person.municipality)
            )
            start = case_start + timedelta(rng.randrange(10, room + 1))
            employer = rng.choice(self.employers) if holder_kind == "bk" else None
            person.offers.append(
                Offer(
                    "", kind, start, start + timedelta(rng.randrange(28, 180)),
                    rng.randrange(2, 31), holder,
                    employer.cvr if employer else None, employer.name if employer else None,
                )
            )  # fmt: skip

    def _order(self, person: Person, case_start: date) -> None:
        rng, t = self.rng, self.t
        issued = min(t, case_start + timedelta(7))
        fulfilled = issued + timedelta(rng.randrange(5, 40))
        steps = [
            OrderStep(1, issued, issued + timedelta(30), fulfilled if fulfilled <= t else None)
        ]
        target: tuple[str, str, date] | None = None  # udd, institution, start
        current = person.courses[-1]
        if (
            current.status == "IGANG"
            and current.start >= case_start
            and current.kind != "GRUNDSKOLE"
        ):
            target = (current.udd, current.institution.number, current.start)
        elif person.admissions:
            admission = person.admissions[-1]
            target = (admission.udd, admission.institution.number, admission.start)
        if fulfilled <= t and (target or rng.random() < 0.5):
            step2_done = target[2] - timedelta(14) if target else None
            steps.append(
                OrderStep(2, fulfilled, fulfilled + timedelta(60),
                          step2_done if step2_done and step2_done <= t else None,
                          target[0] if target else None, target[1] if target else None)
            )  # fmt: skip
        if target and len(steps) == 2:
            issued3 = min(t, target[2] - timedelta(14))
            steps.append(
                OrderStep(
                    3,
                    issued3,
                    target[2],
                    target[2] if target[2] <= t else None,
                    target[0],
                    target[1],
                )
            )
            if rng.random() < 0.7:
                registered = min(t, issued3 + timedelta(rng.randrange(0, 10)))
                notified = registered + timedelta(3)
                person.support = SupportNeeds(
                    target[1], rng.random() < 0.4, rng.random() < 0.3, rng.random() < 0.2,
                    rng.random() < 0.15, rng.random() < 0.6, registered,
                    notified if notified <= t else None,
                )  # fmt: skip
                if notified <= t and rng.random() < 0.6:
                    school = (
                        current.institution
                        if target[1] == current.institution.number
                        else person.admissions[-1].institution
                    )
                    first = rng.choice(self.names["kvinder"] + self.names["maend"])
                    person.institution_contacts.append(
                        InstitutionContact(
                            f"{first} {rng.choice(self.names['efternavne'])}", school,
                            rng.choice(("KONTAKTLAERER", "STUDIEVEJLEDER")),
                            min(t, notified + timedelta(rng.randrange(1, 20))),
                        )
                    )  # fmt: skip
        person.order = EducationOrder(True, steps)
        if (
            current.status == "IGANG"
            and current.kind in ("EUD", "GYMNASIAL", "FGU")
            and rng.random() < 0.15
        ):
            day = t - timedelta(rng.randrange(1, 80))
            if day > current.start:
                reacted = day + timedelta(rng.randrange(1, 10)) if rng.random() < 0.5 else None
                person.dropout_notices.append(
                    DropoutNotice("", day, current.institution, rng.choice(DROPOUT_REASONS),
                                  reacted if reacted and reacted <= t else None)
                )  # fmt: skip

    # --- work and grades ---------------------------------------------------------------------

    def _work(self, person: Person) -> None:
        rng, t = self.rng, self.t
        if rng.random() >= 0.55:
            return
        earliest = max(month_start(birthday(person.birth, 15)), month_start(add_months(t, -96)))
        latest = month_start(add_months(t, -1))
        months = (latest.year - earliest.year) * 12 + latest.month - earliest.month
        if months < 1:
            return
        for _ in range(rng.choice((1, 1, 2, 3))):
            start = add_months(earliest, rng.randrange(months + 1))
            last_month = add_months(start, rng.randrange(2, 30))
            employer = rng.choice(self.employers)
            person.jobs.append(
                Job(
                    employer.cvr, employer.name, start,
                    month_end(last_month) if last_month < month_start(t) else None,
                    round(rng.uniform(10, 140) * 4) / 4, round(rng.uniform(75, 175), 2),
                )
            )  # fmt: skip

    def _grades(self, person: Person) -> None:
        primary = person.courses[0]
        if primary.status != "GENNEMFOERT" or self.rng.random() >= 0.92:
            return
        assert primary.end is not None
        person.grades = GradeSheet(primary.institution, primary.end.year)
