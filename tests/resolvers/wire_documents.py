"""Hand-written register documents, shaped exactly as mocks/README.md (the wire contract).

Reference date T = 2026-11-23. The people borrow the personas' CPR numbers; their facts are
written for these tests, not copied from the mock population.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

T = dt.date(2026, 11, 23)

ANNE = "1503044112"  # born 2004-03-15
ALI = "0211014127"  # born 2001-11-02
FREJA = "2706064136"  # born 2006-06-27
MADS = "3012024163"  # known to DFDG, no relationships
UNKNOWN = "1111111118"  # no register knows this person

Doc = dict[str, Any]

# --- DFDG -----------------------------------------------------------------------------------

DFDG: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "stamdata": {
            "fornavn": "Anne",
            "efternavn": "Jensen",
            "foedselsdato": "2004-03-15",
            "kommunekode": "0101",
            "kommunenavn": "København",
            "navnebeskyttet": False,
        },
        "forsoergelse": {
            "perioder": [
                {
                    "ydelse": "UDDANNELSESHJAELP",
                    "sats": "UNDER_25_UDEBOENDE",
                    "fra": "2025-03-23",
                    "til": "2025-06-30",
                    "beloebPrMaaned": 6545.00,
                },
                {
                    "ydelse": "KONTANTHJAELP",
                    "sats": "GRUNDSATS",
                    "fra": "2025-07-01",
                    "til": None,
                    "beloebPrMaaned": 6810.00,
                },
            ],
            "maalgruppe": {"lab6Nr": 4, "betegnelse": "Uddannelsesparat", "fra": "2026-03-23"},
        },
        "plan": {
            "minPlan": {
                "senestOpdateret": "2026-11-01",
                "uddannelsesmaal": "Uddannelse inden for det grønne område",
                "jobmaal": ["Servicemedarbejder", "Viceværtsmedhjælper"],
                "aftaltMed": {"medarbejderId": "jette.hansen", "navn": "Jette Hansen"},
            },
            "tilbud": [
                {
                    "activityIdentifier": "o-mentor",
                    "activationType": "MENTOR",
                    "start": "2026-09-24",
                    "slut": "2027-01-22",
                    "hoursPerWeek": 2,
                    "minutesPerWeek": 0,
                    "cvr": None,
                    "virksomhed": None,
                    "ansvarlig": {"medarbejderId": "mikkel.holm", "navn": "Mikkel Holm"},
                },
                {
                    "activityIdentifier": "o-praktik",
                    "activationType": "VIRKSOMHEDSPRAKTIK",
                    "start": "2026-10-24",
                    "slut": "2027-01-07",
                    "hoursPerWeek": 15,
                    "minutesPerWeek": 30,
                    "cvr": "24256790",
                    "virksomhed": "Grønne Hænder ApS",
                    "ansvarlig": {"medarbejderId": "sara.nielsen", "navn": "Sara Nielsen"},
                },
                {
                    "activityIdentifier": "o-x",
                    "activationType": "NYTTEINDSATS",
                    "start": "2026-01-05",
                    "slut": "2026-02-05",
                    "hoursPerWeek": None,
                    "minutesPerWeek": None,
                    "cvr": None,
                    "virksomhed": None,
                    "ansvarlig": None,
                },
            ],
        },
        "sagsforloeb": {
            "foersteKontakt": "2026-03-23",
            "visitation": [
                {"kategori": "IKKE_VISITERET", "dato": "2026-03-23"},
                {"kategori": "UDDANNELSESPARAT", "dato": "2026-04-10"},
            ],
            "uddannelsespaalaeg": [
                {
                    "id": "s3",
                    "trin": 3,
                    "afgivet": "2026-09-01",
                    "frist": "2027-01-02",
                    "opfyldt": None,
                    "udd": "5080",
                    "institutionsnummer": "851234",
                },
                {
                    "id": "s1",
                    "trin": 1,
                    "afgivet": "2026-03-30",
                    "frist": "2026-04-30",
                    "opfyldt": "2026-04-20",
                    "udd": None,
                    "institutionsnummer": None,
                },
                {
                    "id": "s2",
                    "trin": 2,
                    "afgivet": "2026-05-01",
                    "frist": "2026-06-01",
                    "opfyldt": "2026-05-20",
                    "udd": None,
                    "institutionsnummer": None,
                },
            ],
            "samtaler": [
                {"type": "FOERSTE_SAMTALE", "dato": "2026-03-27", "form": "FREMMOEDE"},
                {"type": "JOBSAMTALE", "dato": "2026-06-01", "form": "VIDEO"},
            ],
            "laeseSkriveRegnetest": {
                "dato": "2026-04-15",
                "behovDansk": False,
                "behovMatematik": True,
            },
            "aftaler": [
                {"dato": "2026-10-01", "tekst": "Søg GF1", "frist": None},
                {"dato": "2026-11-01", "tekst": "Møde med mentor", "frist": "2026-12-01"},
            ],
        },
        "kontakt": {
            "kontaktpersoner": [
                {
                    "medarbejderId": "old.worker",
                    "navn": "Ole Olsen",
                    "rolle": "KONTAKTPERSON",
                    "organisation": "Jobcenter København",
                    "kommunekode": "0101",
                    "telefon": None,
                    "email": None,
                    "fra": "2025-03-23",
                    "til": "2026-03-22",
                },
                {
                    "medarbejderId": "jette.hansen",
                    "navn": "Jette Hansen",
                    "rolle": "KONTAKTPERSON",
                    "organisation": "Jobcenter København",
                    "kommunekode": "0101",
                    "telefon": "33 66 33 66",
                    "email": "jette@kk.dk",
                    "fra": "2026-03-23",
                    "til": None,
                },
            ]
        },
    },
    ALI: {
        "cpr": ALI,
        "stamdata": {
            "fornavn": "Ali",
            "efternavn": "Hassan",
            "foedselsdato": "2001-11-02",
            "kommunekode": "0101",
            "kommunenavn": "København",
            "navnebeskyttet": True,
        },
        "forsoergelse": {
            "perioder": [
                {
                    "ydelse": "UDDANNELSESHJAELP",
                    "sats": "HJEMMEBOENDE",
                    "fra": "2019-12-01",
                    "til": "2020-05-31",
                    "beloebPrMaaned": 2820.00,
                },
            ],
            "maalgruppe": None,
        },
        "plan": None,
        "sagsforloeb": None,
        "kontakt": {"kontaktpersoner": []},
    },
    MADS: {
        "cpr": MADS,
        "stamdata": {
            "fornavn": "Mads",
            "efternavn": "Olsen",
            "foedselsdato": "2002-12-30",
            "kommunekode": "0101",
            "kommunenavn": "København",
            "navnebeskyttet": False,
        },
        "forsoergelse": {"perioder": [], "maalgruppe": None},
        "plan": None,
        "sagsforloeb": None,
        "kontakt": {"kontaktpersoner": []},
    },
}


DFDG_RELATIONS: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "kommunekode": "0101",
        "sager": [
            {"kommunekode": "0101", "aaben": True, "fra": "2026-03-23", "til": None},
            {"kommunekode": "0147", "aaben": False, "fra": "2022-01-01", "til": "2022-12-31"},
        ],
        "kontaktpersoner": [
            {
                "medarbejderId": "jette.hansen",
                "kommunekode": "0101",
                "fra": "2026-03-23",
                "til": None,
            },
        ],
        "tilbud": [
            {
                "activityIdentifier": "o-mentor",
                "activationType": "MENTOR",
                "medarbejderId": "mikkel.holm",
                "kommunekode": "0101",
                "start": "2026-09-24",
                "slut": "2027-01-22",
            },
        ],
    },
    MADS: {"cpr": MADS, "kommunekode": "0101", "sager": [], "kontaktpersoner": [], "tilbud": []},
}

# --- UDB ------------------------------------------------------------------------------------

UDB: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "bopaelskommunekode": "0101",
        "uddannelser": {
            "forloeb": [
                {
                    "forloebId": "c-school",
                    "type": "GRUNDSKOLE",
                    "udd": "1009",
                    "udel": "29",
                    "navn": "Folkeskole",
                    "institutionsnummer": "101012",
                    "institutionsnavn": "Nørre Skole",
                    "start": "2010-08-10",
                    "slut": "2020-06-20",
                    "status": "GENNEMFOERT",
                    "afbrudsaarsagskode": None,
                    "fguSpor": None,
                },
                {
                    "forloebId": "c-fgu",
                    "type": "FGU",
                    "udd": "1150",
                    "udel": "41",
                    "navn": "FGU, erhvervsgrunduddannelse",
                    "institutionsnummer": "561234",
                    "institutionsnavn": "FGU København",
                    "start": "2022-08-08",
                    "slut": "2023-06-23",
                    "status": "GENNEMFOERT",
                    "afbrudsaarsagskode": None,
                    "fguSpor": "US",
                },
                {
                    "forloebId": "c-gf1",
                    "type": "EUD",
                    "udd": "5080",
                    "udel": "53",
                    "navn": "Gartner, grundforløb 1",
                    "institutionsnummer": "851234",
                    "institutionsnavn": "Grøn Erhvervsskole",
                    "start": "2024-08-12",
                    "slut": "2025-01-20",
                    "status": "GENNEMFOERT",
                    "afbrudsaarsagskode": None,
                    "fguSpor": None,
                },
                {
                    "forloebId": "c-gf2",
                    "type": "EUD",
                    "udd": "5080",
                    "udel": "54",
                    "navn": "Gartner, grundforløb 2",
                    "institutionsnummer": "851234",
                    "institutionsnavn": "Grøn Erhvervsskole",
                    "start": "2025-02-01",
                    "slut": "2025-03-01",
                    "status": "AFBRUDT",
                    "afbrudsaarsagskode": "12",
                    "fguSpor": None,
                },
            ],
            "eudForloeb": {
                "grundforloeb1": "GENNEMFOERT",
                "grundforloeb2": "IKKE_PAABEGYNDT",
                "hovedforloeb": "IKKE_PAABEGYNDT",
            },
            "suKlipBrugt": 12,
            "suKlipRamme": 70,
            "upv": [
                {
                    "vurderingsdato": "2019-12-01",
                    "kategori": "EUD",
                    "resultat": "IKKE_UDDANNELSESPARAT",
                },
                {"vurderingsdato": "2020-06-01", "kategori": "EUD", "resultat": "UDDANNELSESPARAT"},
            ],
        },
        "stoettebehov": {
            "uddannelsespaalaeg": {"aktiv": True, "trin": 3, "institutionsnummer": "851234"},
            "behov": {
                "fagligt": True,
                "socialt": False,
                "personligt": False,
                "helbredsmaessigt": False,
            },
            "oenskerKontakt": True,
            "registreret": "2026-10-30",
            "underrettetInstitution": "2026-11-02",
        },
        "frafald": {
            "notifikationer": [
                {
                    "haendelseId": "f-old",
                    "dato": "2025-02-20",
                    "institutionsnummer": "851234",
                    "institutionsnavn": "Grøn Erhvervsskole",
                    "aarsag": "TRIVSEL",
                    "udloeber": "2025-05-20",
                    "reageretDato": "2025-02-25",
                },
                {
                    "haendelseId": "f-new",
                    "dato": "2026-11-18",
                    "institutionsnummer": "851234",
                    "institutionsnavn": "Grøn Erhvervsskole",
                    "aarsag": "FRAVAER",
                    "udloeber": "2027-02-18",
                    "reageretDato": None,
                },
            ]
        },
        "kontakt": {
            "institutionskontakter": [
                {
                    "navn": "Maria Kristensen",
                    "institutionsnummer": "851234",
                    "institutionsnavn": "Grøn Erhvervsskole",
                    "rolle": "KONTAKTLAERER",
                    "telefon": "70 10 10 10",
                    "email": "mk@groen.dk",
                    "kvitteretDato": "2026-11-05",
                },
            ],
            "kuiKontakt": {"navn": "Kim Ung", "telefon": "33 00 00 00", "email": "kim@kk.dk"},
        },
    },
    ALI: {
        "cpr": ALI,
        "bopaelskommunekode": "0101",
        "uddannelser": {
            "forloeb": [],
            "eudForloeb": None,
            "suKlipBrugt": None,
            "suKlipRamme": None,
            "upv": [],
        },
        "stoettebehov": None,
        "frafald": {"notifikationer": []},
        "kontakt": None,
    },
}

UDB_RELATIONS: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "bopaelskommunekode": "0101",
        "uddannelsespaalaeg": {"aktiv": True, "trin": 3},
        "optagelser": [
            {
                "institutionsnummer": "851234",
                "status": "OPTAGET",
                "optagetDato": "2026-10-01",
                "startDato": "2027-01-02",
                "slutDato": None,
            },
            {
                "institutionsnummer": "851234",
                "status": "AFBRUDT",
                "optagetDato": "2025-01-25",
                "startDato": "2025-02-01",
                "slutDato": "2025-03-01",
            },
        ],
        "abonnementer": [
            {"abonnementId": "a1", "kommunekode": "0101", "start": "2026-03-23", "slut": None},
            {
                "abonnementId": "a0",
                "kommunekode": "0147",
                "start": "2022-01-01",
                "slut": "2022-12-31",
            },
        ],
    },
}

# --- grades, eIndkomst, admissions, questionnaire, social ------------------------------------

GRADES: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "institutionsnummer": "101012",
        "institutionsnavn": "Nørre Skole",
        "afgangsaar": 2020,
        "klassetrin": 9,
        "bevistype": "FP9",
        "proever": [
            {
                "fag": "DANSK",
                "delproeve": "LAESNING",
                "form": "SKRIFTLIG",
                "karakter": "7",
                "bunden": True,
                "udtraek": None,
            },
            {
                "fag": "MATEMATIK",
                "delproeve": None,
                "form": "MUNDTLIG",
                "karakter": "4",
                "bunden": False,
                "udtraek": "NATURFAGLIG",
            },
            {
                "fag": "FYSIK_KEMI",
                "delproeve": None,
                "form": "MUNDTLIG",
                "karakter": "02",
                "bunden": True,
                "udtraek": None,
            },
            {
                "fag": "HISTORIE",
                "delproeve": None,
                "form": "MUNDTLIG",
                "karakter": "-3",
                "bunden": False,
                "udtraek": "HUMANISTISK",
            },
        ],
        "standpunkt": [{"fag": "DANSK", "karakter": "7"}, {"fag": "FYSIK_KEMI", "karakter": "02"}],
    },
}


def _line(
    ident: str,
    cvr: str,
    name: str,
    kind: str,
    month: str,
    hours: float | None,
    fields: dict[str, float],
) -> Doc:
    start = dt.date.fromisoformat(f"{month}-01")
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return {
        "indberetningId": ident,
        "indberetter": {"cvr": cvr, "navn": name},
        "indkomsttype": kind,
        "loenperiode": {"start": start.isoformat(), "slut": end.isoformat()},
        "dispositionsdato": end.isoformat(),
        "timer": hours,
        "felter": fields,
    }


CAFE = ("24256790", "Café Nørrebro ApS")
SHOP = ("11111111", "Netto ApS")
CITY = ("29189846", "Københavns Kommune")

EINDKOMST: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "linjer": [
            # Spare-time job at 16 (2020), beyond income's three years but within employment's.
            _line("e1", *SHOP, "00", "2020-06", 20.0, {"13": 2000.00, "15": 300.00, "16": 160.00}),
            _line("e2", *SHOP, "00", "2020-07", 22.5, {"13": 2250.00, "15": 340.00, "16": 180.00}),
            # Just outside the 12 months before T (ends 2025-10-31 < 2025-11-24).
            _line("e3", *SHOP, "00", "2025-10", 30.0, {"13": 3000.00, "15": 450.00, "16": 240.00}),
            # Inside: the period ends 2025-11-30.
            _line("e4", *SHOP, "00", "2025-11", 10.0, {"13": 1000.00, "15": 150.00, "16": 80.00}),
        ]
        + [
            _line(
                f"c{m}",
                *CAFE,
                "00",
                f"2026-{m:02d}",
                40.5,
                {"13": 5200.00, "15": 820.00, "16": 416.00},
            )
            for m in range(6, 11)
        ]
        + [
            _line(f"k{m}", *CITY, "06", f"2026-{m:02d}", None, {"14": 6810.00, "15": 1200.00})
            for m in (9, 10)
        ],
    },
    FREJA: {
        "cpr": FREJA,
        "linjer": [
            _line(f"f{m}", *CAFE, "00", f"2026-{m:02d}", 40.0, {"13": 5000.00})
            for m in range(5, 11)
        ]
        # A municipal benefit line that (oddly) reports hours: still not work.
        + [_line("fk", *CITY, "06", "2026-04", 37.0, {"14": 6810.00})],
    },
}

ADMISSIONS: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "ftu": [
            {
                "ansoegningId": "a2",
                "skoleaar": "2026/2027",
                "prioritet": 2,
                "status": "IKKE_AKTUEL",
                "statusDato": "2026-10-01",
                "udbud": {
                    "institutionsnummer": "851235",
                    "institutionsnavn": "Anden Skole",
                    "uddannelsestype": "EUD_GF1",
                    "udd": "5080",
                    "navn": "Gartner",
                },
                "studiestart": "2027-01-02",
            },
            {
                "ansoegningId": "a1",
                "skoleaar": "2026/2027",
                "prioritet": 1,
                "status": "OPTAGET",
                "statusDato": "2026-10-01",
                "udbud": {
                    "institutionsnummer": "851234",
                    "institutionsnavn": "Grøn Erhvervsskole",
                    "uddannelsestype": "EUD_GF1",
                    "udd": "5080",
                    "navn": "Gartner",
                },
                "studiestart": "2027-01-02",
            },
        ],
        "kot": [],
    },
    FREJA: {
        "cpr": FREJA,
        "ftu": [],
        "kot": [
            {
                "ansoegningId": "k1",
                "aar": 2026,
                "prioritet": 1,
                "kvote": 1,
                "optagelsesomraadenummer": "12345",
                "institution": "Københavns Universitet",
                "uddannelse": "Bachelor i biologi",
                "status": "OPTAGET",
                "studiestart": "2027-08-20",
                "gradePointAverage7scale": 7.4,
            },
        ],
    },
}

QUESTIONNAIRE: dict[str, Doc] = {
    ANNE: {
        "cpr": ANNE,
        "besvaret": "2026-04-01",
        "svar": {
            "maal": {"type": "UDDANNELSE", "tekst": "Noget med planter"},
            "troPaaSigSelv": 4,
            "netvaerk": "NOGET",
            "barrierer": ["OEKONOMI", "TRANSPORT"],
            "boernIHjemmet": 0,
        },
        "helbred": {
            "mentaltHelbred": 3,
            "fysiskHelbred": 4,
            "kontaktPsykiatri": False,
            "delesMedKontaktperson": True,
        },
    },
}

QUESTIONNAIRE_RELATIONS: dict[str, Doc] = {
    ANNE: {"cpr": ANNE, "helbredDelesMedKontaktperson": True},
}

SOCIAL: dict[str, Doc] = {
    ALI: {
        "cpr": ALI,
        "handleplaner": [
            {
                "planId": "p1",
                "lov": "SERVICELOVEN_68A",
                "oprettet": "2025-01-10",
                "status": "AKTIV",
                "forvaltning": "Socialforvaltningen, København",
            },
            {
                "planId": "p0",
                "lov": "BARNETS_LOV",
                "oprettet": "2018-05-01",
                "status": "AFSLUTTET",
                "forvaltning": None,
            },
        ],
    },
}

LOOKUPS: dict[str, list[str]] = {
    "/dfdg/v1/medarbejdere/jette.hansen/borgere": [ANNE, ALI, FREJA, ANNE],
    "/dfdg/v1/medarbejdere/mikkel.holm/borgere": [ANNE, ALI],
    "/dfdg/v1/kommuner/0101/sager": [ANNE, MADS],
    "/udb/v1/institutioner/851234/elever": [ANNE],
}
