from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from mocks.codes import (
    add_months,
    cpr_birth_date,
    cpr_has_modulus11,
    cvr_is_valid,
)
from mocks.population import Population, build_population
from mocks.registers import REGISTERS, Query
from mocks.wire import is_star_cpr
from tests.mocks.conftest import ALI, ANNE, EMIL, FREJA, JONAS, MADS, SOFIE, T

PERSONAS = (ANNE, ALI, FREJA, JONAS, SOFIE, MADS, EMIL)


def full(label: str) -> Query:
    return Query(frozenset(REGISTERS[label].sections))


def render(population: Population, label: str, cpr: str) -> dict | None:
    return REGISTERS[label].render(population.people[cpr], population, full(label))


def test_size_is_the_generated_people_plus_the_seven_personas() -> None:
    assert len(build_population(0, 1, T)) == 7
    assert len(build_population(250, 1, T)) == 257
    with pytest.raises(ValueError):
        build_population(100_001, 1, T)


def test_the_same_seed_gives_the_same_population_and_documents() -> None:
    first, second = build_population(300, 7, T), build_population(300, 7, T)
    assert list(first.people) == list(second.people)
    sample = list(first.people)[7::37]
    for label in REGISTERS:
        for cpr in sample:
            assert render(first, label, cpr) == render(second, label, cpr)
    assert first.staff_index == second.staff_index
    other = build_population(300, 8, T)
    assert set(other.people) & set(first.people) == set(PERSONAS)


def test_generated_cprs_follow_the_star_pattern_and_the_century_table(
    population: Population,
) -> None:
    generated = [p for p in population.people.values() if not p.is_persona]
    assert len({p.cpr for p in generated}) == 2000
    without_modulus11 = []
    for person in generated:
        assert is_star_cpr(person.cpr)
        assert cpr_birth_date(person.cpr) == person.birth
        assert date(1996, 1, 1) <= person.birth <= date(2010, 12, 31)
        if not cpr_has_modulus11(person.cpr):
            without_modulus11.append(person)
    # About 2 % have no modulus-11 property, and they are all born on 1 January.
    assert 10 <= len(without_modulus11) <= 80
    assert all((p.birth.month, p.birth.day) == (1, 1) for p in without_modulus11)


def test_anne(population: Population) -> None:
    anne = population.people[ANNE]
    assert (anne.first_name, anne.last_name, anne.municipality) == ("Anne", "Jensen", "0101")
    dfdg = render(population, "dfdg", ANNE)
    assert dfdg is not None
    offers = {o["activationType"]: o for o in dfdg["plan"]["tilbud"]}
    assert offers["VIRKSOMHEDSPRAKTIK"]["start"] == T - timedelta(30)
    assert offers["VIRKSOMHEDSPRAKTIK"]["slut"] == T + timedelta(45)
    assert offers["VIRKSOMHEDSPRAKTIK"]["ansvarlig"]["medarbejderId"] == "sara.nielsen"
    assert offers["MENTOR"]["start"] == T - timedelta(60)
    assert offers["MENTOR"]["slut"] == T + timedelta(60)
    assert offers["MENTOR"]["ansvarlig"]["medarbejderId"] == "mikkel.holm"
    assert dfdg["plan"]["minPlan"]["uddannelsesmaal"] == "Uddannelse inden for det grønne område"
    assert dfdg["plan"]["minPlan"]["jobmaal"] == ["Servicemedarbejder", "Viceværtsmedhjælper"]
    # Min Plan's goals were agreed with her contact person ("Aftalt med Jette Hansen").
    assert dfdg["plan"]["minPlan"]["aftaltMed"] == {
        "medarbejderId": "jette.hansen",
        "navn": "Jette Hansen",
    }
    # The casework is a section of its own: the plan section carries none of it.
    assert set(dfdg["plan"]) == {"minPlan", "tilbud"}
    casework = dfdg["sagsforloeb"]
    assert casework["visitation"][-1]["kategori"] == "UDDANNELSESPARAT"
    assert [s["trin"] for s in casework["uddannelsespaalaeg"]] == [1, 2, 3]
    assert casework["aftaler"][0]["tekst"] == "Besøg Grøn Erhvervsskole med studievejlederen"
    assert [t["type"] for t in casework["samtaler"]][0] == "FOERSTE_SAMTALE"
    assert casework["foersteKontakt"] is not None
    contacts = dfdg["kontakt"]["kontaktpersoner"]
    assert [(c["medarbejderId"], c["til"]) for c in contacts] == [("jette.hansen", None)]
    assert contacts[0]["organisation"] == "Jobcenter København"
    periods = dfdg["forsoergelse"]["perioder"]
    assert periods[0]["fra"] == add_months(T, -8) and periods[-1]["til"] is None

    udb_relations = REGISTERS["udb"].relate(anne, population)
    assert udb_relations is not None
    assert udb_relations["uddannelsespaalaeg"] == {"aktiv": True, "trin": 3}
    [admission] = udb_relations["optagelser"]
    assert admission["institutionsnummer"] == "851234"
    assert admission["status"] == "OPTAGET"
    assert admission["startDato"] == T + timedelta(40)
    udb = render(population, "udb", ANNE)
    assert udb is not None
    support = udb["stoettebehov"]
    assert support["uddannelsespaalaeg"] == {
        "aktiv": True,
        "trin": 3,
        "institutionsnummer": "851234",
    }
    assert support["behov"] == {
        "fagligt": True,
        "socialt": False,
        "personligt": False,
        "helbredsmaessigt": False,
    }
    assert support["oenskerKontakt"] is True
    # Support need version 1 at T-5d, sent to the school at once; no receipt yet.
    assert (support["version"], support["registreret"]) == (1, T - timedelta(5))
    assert support["underrettetInstitution"] == T - timedelta(5)
    assert support["kvitteretVersion"] is None
    assert support["versioner"][0]["kommunalKontakt"]["id"] == "jette.hansen"
    assert udb["kontakt"]["institutionskontakter"] == []

    admissions = render(population, "admissions", ANNE)
    assert admissions is not None
    assert admissions["ftu"][0]["udbud"]["institutionsnavn"] == "Grøn Erhvervsskole"
    assert admissions["ftu"][0]["udbud"]["navn"] == "Gartner"

    questionnaire = render(population, "questionnaire", ANNE)
    assert questionnaire is not None and questionnaire["helbred"]["delesMedKontaktperson"] is True

    grades = render(population, "grades", ANNE)
    assert grades is not None
    named = {"DANSK": "7", "MATEMATIK": "4", "ENGELSK": "10", "FYSIK_KEMI": "02"}
    assert {s["fag"]: s["karakter"] for s in grades["standpunkt"]} == named
    for subject, grade in named.items():
        lines = [p for p in grades["proever"] if p["fag"] == subject]
        assert lines and all(p["karakter"] == grade for p in lines)
    assert len(grades["proever"]) == 10

    income = render(population, "eindkomst", ANNE)
    assert income is not None
    jobs = [line for line in income["linjer"] if line["indkomsttype"] == "00"]
    assert jobs and jobs[0]["loenperiode"]["start"] < date(2021, 3, 15)  # before she turned 17
    assert jobs[0]["loenperiode"]["start"] >= date(2020, 3, 15)  # after she turned 16
    assert render(population, "social", ANNE) is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), ["KONTANTHJAELP"]),
        (date(2025, 11, 23), ["UDDANNELSESHJAELP", "KONTANTHJAELP"]),
    ],
)
def test_annes_support_changes_type_on_1_july_2025(today: date, expected: list[str]) -> None:
    anne = build_population(0, 1, today).people[ANNE]
    assert [b.benefit for b in anne.benefits] == expected
    assert anne.benefits[0].start == add_months(today, -8)
    if len(expected) == 2:
        assert anne.benefits[0].end == date(2025, 6, 30)
        assert anne.benefits[1].start == date(2025, 7, 1)


def test_ali(population: Population) -> None:
    ali = population.people[ALI]
    assert ali.visitations[-1].category == "AKTIVITETSPARAT"
    assert ali.benefits[0].start == date(2019, 11, 2)  # his 18th birthday
    gaps = [
        (later.start - earlier.end).days
        for earlier, later in zip(ali.benefits, ali.benefits[1:], strict=False)
        if earlier.end is not None
    ]
    assert any(gap > 1 for gap in gaps)  # short breaks
    assert [c.status for c in ali.courses if c.kind == "EUD"] == ["AFBRUDT", "AFBRUDT"]
    grades = render(population, "grades", ALI)
    assert grades is not None
    standpunkt = {s["fag"]: s["karakter"] for s in grades["standpunkt"]}
    assert (standpunkt["DANSK"], standpunkt["MATEMATIK"]) == ("02", "00")
    mentor, last_offer = ali.offers
    assert (mentor.activation_type, mentor.holder.staff_id) == ("MENTOR", "mikkel.holm")
    assert mentor.end == T - timedelta(30)
    assert not mentor.is_right_and_duty  # a mentor is never a "ret og pligt" offer
    # His last "ret og pligt" offer ended T-35d (DEADLINES.md: NEXT_OFFER overdue).
    assert last_offer.is_right_and_duty and last_offer.end == T - timedelta(35)
    assert REGISTERS["questionnaire"].relate(ali, population) == {
        "cpr": ALI,
        "helbredDelesMedKontaktperson": False,
    }
    assert render(population, "social", ALI) is not None


def test_freja(population: Population) -> None:
    freja = population.people[FREJA]
    assert freja.visitations[-1].category == "AABENLYST_UDDANNELSESPARAT"
    stx = freja.courses[-1]
    assert (stx.kind, stx.name, stx.status) == ("GYMNASIAL", "STX", "GENNEMFOERT")
    income = render(population, "eindkomst", FREJA)
    assert income is not None
    jobs = [line for line in income["linjer"] if line["indkomsttype"] == "00"]
    assert len(jobs) == 6
    assert all(38 <= line["timer"] <= 42 for line in jobs)
    admissions = render(population, "admissions", FREJA)
    assert admissions is not None
    [kot] = admissions["kot"]
    assert kot["status"] == "OPTAGET" and kot["studiestart"] == T + timedelta(270)
    assert kot["uddannelse"].startswith("Bachelor")


def test_jonas(population: Population) -> None:
    jonas = population.people[JONAS]
    relations = REGISTERS["udb"].relate(jonas, population)
    assert relations is not None
    [enrolment] = relations["optagelser"]
    assert enrolment["institutionsnummer"] == "851234"
    assert (enrolment["status"], enrolment["startDato"]) == ("IGANG", T - timedelta(90))
    assert relations["uddannelsespaalaeg"]["aktiv"] is True
    assert [(s["kommunekode"], s["slut"]) for s in relations["abonnementer"]] == [("0101", None)]
    udb = render(population, "udb", JONAS)
    assert udb is not None
    [notice] = udb["frafald"]["notifikationer"]
    assert (notice["aarsag"], notice["dato"]) == ("FRAVAER", T - timedelta(5))
    assert udb["kontakt"]["institutionskontakter"][0]["navn"] == "Maria Kristensen"


def test_emil(population: Population) -> None:
    emil = population.people[EMIL]
    assert (emil.first_name, emil.last_name, emil.municipality) == ("Emil", "Friis", "0101")
    relations = REGISTERS["udb"].relate(emil, population)
    assert relations is not None
    [enrolment] = relations["optagelser"]
    assert (enrolment["institutionsnummer"], enrolment["status"]) == ("851234", "IGANG")
    assert enrolment["startDato"] == T - timedelta(200)  # past the school's 6-month window
    assert relations["uddannelsespaalaeg"]["aktiv"] is True
    assert [a.staff.staff_id for a in emil.assignments] == ["jette.hansen"]


def test_alis_support_ended_and_his_subscription_is_open(population: Population) -> None:
    ali = population.people[ALI]
    assert ali.benefits[-1].end is not None and ali.benefits[-1].end < T
    relations = REGISTERS["udb"].relate(ali, population)
    assert relations is not None
    assert [(s["kommunekode"], s["slut"]) for s in relations["abonnementer"]] == [("0101", None)]


def test_sofie_and_mads(population: Population) -> None:
    sofie = population.people[SOFIE]
    assert sofie.municipality == "0751"
    assert sofie.visitations[-1].category == "UDDANNELSESPARAT"
    assert [(a.staff.staff_id, a.staff.organisation) for a in sofie.assignments] == [
        ("lars.pedersen", "Jobcenter Aarhus")
    ]
    mads = population.people[MADS]
    dfdg = REGISTERS["dfdg"].relate(mads, population)
    udb = REGISTERS["udb"].relate(mads, population)
    assert dfdg is not None and udb is not None
    assert dfdg["sager"] == dfdg["kontaktpersoner"] == dfdg["tilbud"] == []
    assert udb["optagelser"] == udb["abonnementer"] == []
    assert udb["uddannelsespaalaeg"] is None
    for label in ("udb", "dfdg", "grades", "eindkomst", "admissions", "questionnaire"):
        assert render(population, label, MADS) is not None, label


def test_reverse_indexes_of_the_persona_staff(population: Population) -> None:
    assert population.staff_index["jette.hansen"] == [ANNE, ALI, FREJA, JONAS, EMIL]
    assert population.staff_index["mikkel.holm"] == [ANNE, ALI]
    assert population.staff_index["sara.nielsen"] == [ANNE]
    assert population.staff_index["lars.pedersen"] == [SOFIE]
    assert population.institution_index["851234"] == [ANNE, JONAS, EMIL]
    copenhagen = population.municipality_index["0101"]
    assert {ANNE, ALI, FREJA, JONAS, EMIL} <= set(copenhagen)
    assert SOFIE in population.municipality_index["0751"]
    assert all(MADS not in cprs for cprs in population.municipality_index.values())
    assert all(MADS not in cprs for cprs in population.staff_index.values())
    assert len(copenhagen) > 100  # generated people with open cases, for fagsystem-101


def test_generated_realism(population: Population) -> None:
    generated = [p for p in population.people.values() if not p.is_persona]
    staff_ids = {a.staff.staff_id for p in generated for a in p.assignments}
    staff_ids |= {o.holder.staff_id for p in generated for o in p.offers}
    pattern = re.compile(r"^(cw|mentor|bk)-\d{4}-\d{3}$")
    assert staff_ids and all(pattern.match(s) for s in staff_ids)
    kinds = {s.split("-")[0] for s in staff_ids}
    assert kinds == {"cw", "mentor", "bk"}
    assert {"0101", "0751"} <= {a.staff.municipality for p in generated for a in p.assignments}
    assert len({a.staff.municipality for p in generated for a in p.assignments}) > 10
    # The benefit type changes on 1 July 2025.
    assert any(
        a.benefit == "UDDANNELSESHJAELP"
        and a.end == date(2025, 6, 30)
        and b.benefit == "KONTANTHJAELP"
        and b.start == date(2025, 7, 1)
        for p in generated
        for a, b in zip(p.benefits, p.benefits[1:], strict=False)
    )
    assert any(p.grades is None for p in generated)
    assert any(p.questionnaire is None for p in generated)
    assert any(p.social_plans for p in generated)
    assert any(p.name_protected for p in generated)
    assert any(o.steps for p in generated if (o := p.order))
    institutions = {c.institution.number for p in generated for c in p.courses}
    assert all(re.fullmatch(r"\d{6}", n) for n in institutions)
    assert "851234" not in institutions  # the persona school has only Anne, Jonas and Emil
    grades: set[str] = set()
    cvrs: set[str] = set()
    hours: list[float] = []
    for person in generated[:400]:
        sheet = render(population, "grades", person.cpr)
        if sheet:
            grades |= {line["karakter"] for line in sheet["proever"] + sheet["standpunkt"]}
        income = render(population, "eindkomst", person.cpr)
        assert income is not None
        cvrs |= {line["indberetter"]["cvr"] for line in income["linjer"]}
        hours += [line["timer"] for line in income["linjer"] if line["timer"] is not None]
    assert grades <= {"12", "10", "7", "4", "02", "00", "-3"} and {"02", "-3"} <= grades
    assert cvrs and all(cvr_is_valid(cvr) for cvr in cvrs)
    assert any(h != int(h) for h in hours)
