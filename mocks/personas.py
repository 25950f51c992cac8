"""The fixed young people of PERSONAS.md, with their facts relative to the reference date T.

Birth-bound facts (primary school, a spare-time job at 16) follow the birth date; everything
that makes a relationship current (cases, offers, admissions) follows T, so the demo stays
current whenever it runs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mocks.codes import add_months, birthday, cvr_from_serial, month_end, month_start, stable_guid
from mocks.facts import GROEN_ERHVERVSSKOLE, benefit_spell, institution, staff
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

CPH, AARHUS = "0101", "0751"

JETTE = staff("jette.hansen", "Jette Hansen", CPH)
MIKKEL = staff("mikkel.holm", "Mikkel Holm", CPH, "Københavns Kommune")
SARA = staff("sara.nielsen", "Sara Nielsen", CPH)
LARS = staff("lars.pedersen", "Lars Pedersen", AARHUS)
PERSONA_STAFF: tuple[Staff, ...] = (JETTE, MIKKEL, SARA, LARS)

EDUCATION_READY = TargetGroup(4, "Uddannelsesparate under 30 uden erhvervskompetence", date.min)
ACTIVITY_READY = TargetGroup(5, "Aktivitetsparate under 30 uden erhvervskompetence", date.min)


def _cvr(serial: int) -> str:
    cvr = cvr_from_serial(serial)
    while cvr is None:
        serial += 1
        cvr = cvr_from_serial(serial)
    return cvr


def _target(group: TargetGroup, start: date) -> TargetGroup:
    return TargetGroup(group.lab6, group.label, start)


def _primary_school(birth: date, municipality: str, variant: int = 0) -> Course:
    """Danish children start school the year they turn six and leave 9th grade the June of the
    year they turn sixteen."""
    return Course(
        "GRUNDSKOLE",
        "1009",
        "29",
        "Folkeskolens 9. klasse",
        institution(municipality, "GRUNDSKOLE", variant),
        date(birth.year + 6, 8, 11),
        date(birth.year + 16, 6, 26),
        "GENNEMFOERT",
    )


def _grades(
    birth: date, municipality: str, dansk: str, matematik: str, engelsk: str, fysik: str
) -> GradeSheet:
    """Standpunkt lines and the ten leaving-exam lines of FP9, with the named grades on the
    subject's standpunkt and on its exam lines."""
    exams: list[dict[str, Any]] = [
        {"fag": "DANSK", "delproeve": "LAESNING", "form": "SKRIFTLIG", "karakter": dansk},
        {"fag": "DANSK", "delproeve": "RETSKRIVNING", "form": "SKRIFTLIG", "karakter": dansk},
        {
            "fag": "DANSK",
            "delproeve": "SKRIFTLIG_FREMSTILLING",
            "form": "SKRIFTLIG",
            "karakter": dansk,
        },
        {"fag": "DANSK", "delproeve": None, "form": "MUNDTLIG", "karakter": dansk},
        {
            "fag": "MATEMATIK",
            "delproeve": "UDEN_HJAELPEMIDLER",
            "form": "SKRIFTLIG",
            "karakter": matematik,
        },
        {
            "fag": "MATEMATIK",
            "delproeve": "MED_HJAELPEMIDLER",
            "form": "SKRIFTLIG",
            "karakter": matematik,
        },
        {"fag": "ENGELSK", "delproeve": None, "form": "MUNDTLIG", "karakter": engelsk},
        {"fag": "NATURFAG_FAELLESPROEVE", "delproeve": None, "form": "MUNDTLIG", "karakter": fysik},
        {"fag": "HISTORIE", "delproeve": None, "form": "MUNDTLIG", "karakter": "7"},
        {"fag": "FYSIK_KEMI", "delproeve": None, "form": "SKRIFTLIG", "karakter": fysik},
    ]
    for line in exams:
        line["bunden"] = line["fag"] not in ("HISTORIE", "FYSIK_KEMI")
        line["udtraek"] = {"HISTORIE": "HUMANISTISK", "FYSIK_KEMI": "NATURFAGLIG"}.get(line["fag"])
    standpunkt = {"DANSK": dansk, "MATEMATIK": matematik, "ENGELSK": engelsk, "FYSIK_KEMI": fysik}
    return GradeSheet(institution(municipality, "GRUNDSKOLE"), birth.year + 16, standpunkt, exams)


def anne(t: date) -> Person:
    cpr, birth = "1503044112", date(2004, 3, 15)
    first_contact = add_months(t, -8)
    admitted, start = t - timedelta(53), t + timedelta(40)
    gardener = "Gartner, grundforløb 2"
    person = Person(cpr, -1, "Anne", "Jensen", birth, CPH, is_persona=True)
    person.courses = [_primary_school(birth, CPH)]
    person.admissions = [
        Admission("EUD", "5080", gardener, GROEN_ERHVERVSSKOLE, admitted, start, "EUD_GF2")
    ]
    person.benefits = benefit_spell(first_contact, None, at_home=False, over_25=False, today=t)
    at_16 = birthday(birth, 16)
    person.jobs = [
        Job(
            _cvr(3_114_020),
            "Café Nørrebro ApS",
            month_start(add_months(at_16, 2)),
            month_end(add_months(at_16, 11)),
            32.5,
            72.0,
        )
    ]
    # Her spare-time job at 16 is older than the 36-month default window; a persona's default
    # window reaches back to the month she turned 15, so the history is visible.
    person.income_window_start = month_start(birthday(birth, 15))
    person.cases = [Case(CPH, first_contact, None)]
    person.assignments = [Assignment(JETTE, "KONTAKTPERSON", first_contact, None)]
    person.offers = [
        Offer(
            stable_guid("persona", cpr, "praktik"),
            "VIRKSOMHEDSPRAKTIK",
            t - timedelta(30),
            t + timedelta(45),
            15,
            SARA,
            _cvr(2_425_679),
            "Grønne Hænder ApS",
        ),
        Offer(
            stable_guid("persona", cpr, "mentor"),
            "MENTOR",
            t - timedelta(60),
            t + timedelta(60),
            2,
            MIKKEL,
        ),
    ]
    # Deadline facts (DEADLINES.md): the first conversation 2 days after first contact with
    # order step 1 that day, the test after 20 days, the final visitation after 30.
    person.visitations = [Visitation("UDDANNELSESPARAT", first_contact + timedelta(30))]
    person.target_group = _target(EDUCATION_READY, first_contact)
    step1 = first_contact + timedelta(2)
    person.order = EducationOrder(
        True,
        [
            OrderStep(1, step1, add_months(step1, 1), first_contact + timedelta(28)),
            OrderStep(
                2,
                first_contact + timedelta(28),
                first_contact + timedelta(88),
                admitted,
                "5080",
                "851234",
            ),
            OrderStep(3, admitted, start, None, "5080", "851234"),
        ],
    )
    # Support need version 1, sent to the school the day it was registered; the school has not
    # answered with its contact yet (no receipt: EXCHANGE.md).
    person.support = SupportNeeds(
        "851234", True, False, False, False, True, t - timedelta(5), t - timedelta(5)
    )
    person.kui_contact = JETTE
    person.subscriptions = [
        Subscription(stable_guid("persona", cpr, "abn"), CPH, first_contact, None)
    ]
    person.applications = [
        Application(
            stable_guid("persona", cpr, "ftu"),
            start,
            1,
            "OPTAGET",
            admitted,
            GROEN_ERHVERVSSKOLE,
            "EUD_GF2",
            "5080",
            "Gartner",
        )
    ]
    person.grades = _grades(birth, CPH, "7", "4", "10", "02")
    person.questionnaire = Questionnaire(
        first_contact + timedelta(9),
        True,
        {
            "svar": {
                "maal": {"type": "UDDANNELSE", "tekst": "Jeg vil være gartner"},
                "troPaaSigSelv": 4,
                "netvaerk": "NOGET",
                "barrierer": ["OEKONOMI"],
                "boernIHjemmet": 0,
            },
            "helbred": {"mentaltHelbred": 3, "fysiskHelbred": 4, "kontaktPsykiatri": False},
        },
    )
    person.plan = Plan(
        "Uddannelse inden for det grønne område",
        ["Servicemedarbejder", "Viceværtsmedhjælper"],
        t - timedelta(22),
        [
            {
                "dato": t - timedelta(22),
                "tekst": "Besøg Grøn Erhvervsskole med studievejlederen",
                "frist": t + timedelta(8),
            }
        ],
        [
            {"type": "FOERSTE_SAMTALE", "dato": first_contact + timedelta(2), "form": "FREMMOEDE"},
            {"type": "JOBSAMTALE", "dato": add_months(first_contact, 3), "form": "TELEFON"},
            {"type": "JOBSAMTALE", "dato": t - timedelta(22), "form": "FREMMOEDE"},
        ],
        first_contact,
    )
    person.literacy_test = {
        "dato": first_contact + timedelta(20),
        "behovDansk": False,
        "behovMatematik": True,
    }
    return person


def ali(t: date) -> Person:
    cpr, birth = "0211014127", date(2001, 11, 2)
    at_18 = birthday(birth, 18)
    eud = institution(CPH, "EUD")
    person = Person(cpr, -2, "Ali", "Hassan", birth, CPH, is_persona=True)
    person.courses = [
        _primary_school(birth, CPH, 1),
        Course(
            "EUD", "4360", "53", "Tømrer, grundforløb 1", eud,
            date(2017, 8, 14), date(2018, 1, 19), "AFBRUDT",
            admitted=date(2017, 6, 20), dropout_reason="03",
        ),
        Course(
            "EUD", "4300", "54", "Smed, grundforløb 2", eud,
            date(2021, 1, 4), date(2021, 4, 16), "AFBRUDT",
            admitted=date(2020, 12, 10), dropout_reason="05",
        ),
    ]  # fmt: skip
    # On support since 18, with two short breaks: the second EUD try and a short warehouse job.
    # The support ended T-20d; his case and UDB subscription stay open (EXCHANGE.md, R6).
    spells = [
        (at_18, date(2020, 12, 31)),
        (date(2021, 5, 1), date(2022, 8, 31)),
        (date(2022, 11, 1), t - timedelta(20)),
    ]
    person.benefits = [
        period
        for start, end in spells
        for period in benefit_spell(start, end, at_home=False, over_25=False, today=t)
    ]
    person.jobs = [
        Job(_cvr(3_377_110), "Lagerhotel Hvidovre ApS", date(2022, 9, 1), date(2022, 10, 31),
            120.0, 128.5)
    ]  # fmt: skip
    since = add_months(t, -14)
    person.cases = [Case(CPH, at_18, None)]
    person.assignments = [Assignment(JETTE, "KONTAKTPERSON", since, None)]
    # His last "ret og pligt" offer ended T-35d; the mentor (never one) ended T-30d; nothing
    # since, so the next offer was due T-7d (DEADLINES.md).
    person.offers = [
        Offer(
            stable_guid("persona", cpr, "mentor"),
            "MENTOR",
            t - timedelta(210),
            t - timedelta(30),
            2,
            MIKKEL,
        ),
        Offer(
            stable_guid("persona", cpr, "vejledning"),
            "VEJLEDNING_OPKVALIFICERING",
            t - timedelta(70),
            t - timedelta(35),
            20,
            JETTE,
        ),
    ]
    person.visitations = [
        Visitation("AKTIVITETSPARAT", at_18 + timedelta(38)),
        Visitation("AKTIVITETSPARAT", since + timedelta(10)),
    ]
    person.target_group = _target(ACTIVITY_READY, at_18)
    person.kui_contact = JETTE
    person.subscriptions = [Subscription(stable_guid("persona", cpr, "abn"), CPH, since, None)]
    person.applications = [
        Application(stable_guid("persona", cpr, "ftu1"), date(2017, 8, 14), 1, "OPTAGET",
                    date(2017, 6, 20), eud, "EUD_GF1", "4360", "Tømrer"),
        Application(stable_guid("persona", cpr, "ftu2"), date(2021, 1, 4), 1, "OPTAGET",
                    date(2020, 12, 10), eud, "EUD_GF2", "4300", "Smed"),
    ]  # fmt: skip
    person.grades = _grades(birth, CPH, "02", "00", "4", "02")
    person.questionnaire = Questionnaire(
        since + timedelta(20),
        False,
        {
            "svar": {
                "maal": {"type": "VED_IKKE", "tekst": "Ved ikke endnu"},
                "troPaaSigSelv": 2,
                "netvaerk": "SVAGT",
                "barrierer": ["OEKONOMI", "BOLIG"],
                "boernIHjemmet": 0,
            },
            "helbred": {"mentaltHelbred": 2, "fysiskHelbred": 3, "kontaktPsykiatri": True},
        },
    )
    person.social_plans = [
        SocialPlan(
            stable_guid("persona", cpr, "plan"),
            "SERVICELOVEN_68A",
            date(2020, 1, 10),
            "AKTIV",
            "Socialforvaltningen, København",
        )
    ]
    person.plan = Plan("Afklaring af uddannelsesmål", ["Lagermedarbejder"], since + timedelta(30))
    return person


def freja(t: date) -> Person:
    cpr, birth = "2706064136", date(2006, 6, 27)
    since = t - timedelta(60)  # her first contact (DEADLINES.md)
    start = t + timedelta(270)
    person = Person(cpr, -3, "Freja", "Madsen", birth, CPH, is_persona=True)
    person.courses = [
        _primary_school(birth, CPH, 2),
        Course(
            "GYMNASIAL", "1199", "00", "STX", institution(CPH, "GYMNASIAL"),
            date(birth.year + 16, 8, 10), date(birth.year + 19, 6, 27), "GENNEMFOERT",
            admitted=date(birth.year + 16, 6, 1),
        ),
    ]  # fmt: skip
    person.benefits = benefit_spell(since, None, at_home=True, over_25=False, today=t)
    # A part-time job of about 40 hours a month for the last six months.
    person.jobs = [
        Job(_cvr(3_520_447), "Café Vesterbro ApS", month_start(add_months(t, -6)), None,
            40.0, 135.0)
    ]  # fmt: skip
    person.cases = [Case(CPH, since, None)]
    person.assignments = [Assignment(JETTE, "KONTAKTPERSON", since, None)]
    person.visitations = [Visitation("AABENLYST_UDDANNELSESPARAT", since + timedelta(10))]
    person.target_group = _target(EDUCATION_READY, since)
    person.order = EducationOrder(
        True,
        [
            OrderStep(1, since + timedelta(7), since + timedelta(37), since + timedelta(30)),
            OrderStep(2, since + timedelta(30), since + timedelta(120), t - timedelta(20)),
        ],
    )
    person.kui_contact = JETTE
    person.higher_applications = [
        HigherApplication(
            stable_guid("persona", cpr, "kot"),
            start.year,
            1,
            "Københavns Universitet",
            "Bachelor i biologi",
            "OPTAGET",
            start,
            8.4,
        )
    ]
    person.grades = _grades(birth, CPH, "10", "7", "12", "7")
    person.plan = Plan(
        "Bachelor i biologi",
        ["Laborant"],
        t - timedelta(20),
        talks=[{"type": "FOERSTE_SAMTALE", "dato": since + timedelta(3), "form": "VIDEO"}],
        first_contact=since,
    )
    return person


def jonas(t: date) -> Person:
    cpr, birth = "0909034145", date(2003, 9, 9)
    since = add_months(t, -10)
    started = t - timedelta(90)
    person = Person(cpr, -4, "Jonas", "Berg", birth, CPH, is_persona=True)
    person.courses = [
        _primary_school(birth, CPH, 3),
        Course(
            "EUD", "5080", "54", "Gartner, grundforløb 2", GROEN_ERHVERVSSKOLE,
            started, None, "IGANG", admitted=started - timedelta(7),
        ),
    ]  # fmt: skip
    person.benefits = benefit_spell(
        since, started - timedelta(1), at_home=True, over_25=False, today=t
    )
    # His benefit ended when he started (T-90d), which closed his benefit case; the UDB
    # subscription stays open (EXCHANGE.md R6), and so does Jette's assignment.
    person.cases = [Case(CPH, since, started - timedelta(1), close_reason="YDELSE_OPHOERT")]
    person.assignments = [Assignment(JETTE, "KONTAKTPERSON", since, None)]
    person.visitations = [Visitation("UDDANNELSESPARAT", since + timedelta(14))]
    person.target_group = _target(EDUCATION_READY, since)
    person.order = EducationOrder(
        True,
        [
            OrderStep(1, since + timedelta(7), since + timedelta(37), since + timedelta(21)),
            OrderStep(2, since + timedelta(21), since + timedelta(81), started - timedelta(7),
                      "5080", "851234"),
            OrderStep(3, started - timedelta(7), started, started, "5080", "851234"),
        ],
    )  # fmt: skip
    person.support = SupportNeeds(
        "851234", False, True, False, False, True, started - timedelta(10), started - timedelta(5)
    )
    person.dropout_notices = [
        DropoutNotice(
            stable_guid("persona", cpr, "frafald"),
            t - timedelta(5),
            GROEN_ERHVERVSSKOLE,
            "FRAVAER",
            None,
            first_absence_letter_sent=False,  # reported early, as R4 asks
        )
    ]
    person.institution_contacts = [
        InstitutionContact("Maria Kristensen", GROEN_ERHVERVSSKOLE, "KONTAKTLAERER",
                           started + timedelta(5))
    ]  # fmt: skip
    person.kui_contact = JETTE
    person.subscriptions = [Subscription(stable_guid("persona", cpr, "abn"), CPH, since, None)]
    person.applications = [
        Application(stable_guid("persona", cpr, "ftu"), started, 1, "OPTAGET",
                    started - timedelta(7), GROEN_ERHVERVSSKOLE, "EUD_GF2", "5080", "Gartner")
    ]  # fmt: skip
    person.grades = _grades(birth, CPH, "4", "4", "7", "4")
    person.plan = Plan("Gartner", ["Gartnermedhjælper"], started - timedelta(10))
    return person


def sofie(t: date) -> Person:
    cpr, birth = "2101054154", date(2005, 1, 21)
    since = add_months(t, -5)
    person = Person(cpr, -5, "Sofie", "Lund", birth, AARHUS, is_persona=True)
    person.courses = [
        _primary_school(birth, AARHUS),
        Course(
            "FGU", "1300", "41", "Forberedende grunduddannelse", institution(AARHUS, "FGU"),
            date(2022, 8, 8), date(2023, 3, 31), "AFBRUDT",
            admitted=date(2022, 7, 1), dropout_reason="02", fgu_track="US",
        ),
    ]  # fmt: skip
    person.benefits = benefit_spell(since, None, at_home=False, over_25=False, today=t)
    person.cases = [Case(AARHUS, since, None)]
    person.assignments = [Assignment(LARS, "KONTAKTPERSON", since, None)]
    person.visitations = [Visitation("UDDANNELSESPARAT", since + timedelta(12))]
    person.target_group = _target(EDUCATION_READY, since)
    person.order = EducationOrder(
        True, [OrderStep(1, since + timedelta(7), since + timedelta(37), None)]
    )
    person.kui_contact = LARS
    person.subscriptions = [Subscription(stable_guid("persona", cpr, "abn"), AARHUS, since, None)]
    person.grades = _grades(birth, AARHUS, "7", "02", "7", "4")
    person.plan = Plan("Social- og sundhedsuddannelse", [], since + timedelta(12))
    return person


def mads(t: date) -> Person:
    """Known to the registers, but with no case, offer, admission or subscription anywhere."""
    cpr, birth = "3012024163", date(2002, 12, 30)
    person = Person(cpr, -6, "Mads", "Olsen", birth, CPH, is_persona=True)
    person.courses = [_primary_school(birth, CPH, 4)]
    person.jobs = [
        Job(_cvr(3_644_810), "Lagerhotel Amager ApS", date(2021, 3, 1), None, 140.0, 142.0)
    ]
    person.applications = [
        Application(stable_guid("persona", cpr, "ftu"), date(2019, 8, 12), 1, "IKKE_AKTUEL",
                    date(2019, 6, 15), institution(CPH, "EUD"), "EUD_GF1", "4280", "Elektriker")
    ]  # fmt: skip
    person.grades = _grades(birth, CPH, "4", "7", "4", "7")
    person.questionnaire = Questionnaire(
        date(2025, 5, 1),
        False,
        {
            "svar": {
                "maal": {"type": "JOB", "tekst": "Fast job på lageret"},
                "troPaaSigSelv": 4,
                "netvaerk": "STAERKT",
                "barrierer": [],
                "boernIHjemmet": 0,
            },
            "helbred": {"mentaltHelbred": 4, "fysiskHelbred": 4, "kontaktPsykiatri": False},
        },
    )
    return person


def emil(t: date) -> Person:
    """In EUD at Grøn Erhvervsskole since T-200d with an education order: outside the school's
    6-month read window, inside its duty to report dropout risk (EXCHANGE.md)."""
    cpr, birth = "1403064171", date(2006, 3, 14)
    since = add_months(t, -11)
    started = t - timedelta(200)
    person = Person(cpr, -7, "Emil", "Friis", birth, CPH, is_persona=True)
    person.courses = [
        _primary_school(birth, CPH),
        Course(
            "EUD", "5080", "54", "Gartner, grundforløb 2", GROEN_ERHVERVSSKOLE,
            started, None, "IGANG", admitted=started - timedelta(14),
        ),
    ]  # fmt: skip
    person.benefits = benefit_spell(
        since, started - timedelta(1), at_home=True, over_25=False, today=t
    )
    person.cases = [Case(CPH, since, None)]
    person.assignments = [Assignment(JETTE, "KONTAKTPERSON", since, None)]
    person.visitations = [Visitation("UDDANNELSESPARAT", since + timedelta(12))]
    person.target_group = _target(EDUCATION_READY, since)
    person.order = EducationOrder(
        True,
        [
            OrderStep(1, since + timedelta(7), since + timedelta(37), since + timedelta(20)),
            OrderStep(2, since + timedelta(20), since + timedelta(80), started - timedelta(14),
                      "5080", "851234"),
            OrderStep(3, started - timedelta(14), started, started, "5080", "851234"),
        ],
    )  # fmt: skip
    person.kui_contact = JETTE
    person.subscriptions = [Subscription(stable_guid("persona", cpr, "abn"), CPH, since, None)]
    person.applications = [
        Application(stable_guid("persona", cpr, "ftu"), started, 1, "OPTAGET",
                    started - timedelta(14), GROEN_ERHVERVSSKOLE, "EUD_GF2", "5080", "Gartner")
    ]  # fmt: skip
    person.grades = _grades(birth, CPH, "4", "02", "7", "4")
    person.plan = Plan("Gartner", ["Gartnermedhjælper"], started - timedelta(20))
    return person


def build_personas(t: date) -> list[Person]:
    return [anne(t), ali(t), freja(t), jonas(t), sofie(t), mads(t), emil(t)]


PERSONA_CPRS = frozenset(
    {"1503044112", "0211014127", "2706064136", "0909034145", "2101054154", "3012024163",
     "1403064171"}
)  # fmt: skip
