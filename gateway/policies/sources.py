"""Where the policy lives: the Rego modules and the data catalogue shipped in this package.

Every engine (embedded, OPA server through a bundle, test oracles) loads its policy through
these functions, so they all run the same text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

POLICY_DIR = Path(__file__).resolve().parent
CATALOGUE_FILE = POLICY_DIR / "data" / "catalogue.json"
SITUATIONS_FILE = POLICY_DIR / "data" / "situations.json"

# The decision document, as a dotted path (embedded engines) and as a Data API path (OPA).
DECISION_PATH = "ungeprofil.decision.result"
DECISION_API_PATH = "ungeprofil/decision/result"
# The decisions for many young people under one request (batch.py), both ways.
BATCH_PATH = "ungeprofil.decision.batch"
BATCH_API_PATH = "ungeprofil/decision/batch"
# Which facts the policy reads for each role (the embedded engine sends no others).
FACTS_READ_API_PATH = "ungeprofil/decision/facts_read"
VERSION_API_PATH = "ungeprofil/meta/version"

# Where the catalogue sits in OPA's data document: data.ungeprofil.catalogue.
CATALOGUE_DATA_PATH = ("ungeprofil", "catalogue")
# Where the lookups derived from it sit: data.ungeprofil.index (see `derived_index`).
INDEX_DATA_PATH = ("ungeprofil", "index")


def policy_modules(directory: Path = POLICY_DIR) -> dict[str, str]:
    """The Rego modules of the policy by file name, without the `*_test.rego` unit tests."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(directory.glob("*.rego"))
        if not path.name.endswith("_test.rego")
    }


def rego_unit_tests(directory: Path = POLICY_DIR) -> dict[str, str]:
    """The Rego unit tests beside the policy."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(directory.glob("*_test.rego"))
    }


def load_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, Any]:
    catalogue: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return catalogue


def derived_index(catalogue: Mapping[str, Any]) -> dict[str, Any]:
    """Lookups the Rego would otherwise compute from the catalogue on every query.

    Nothing here is a decision: it only regroups the catalogue (rego-cpp is slow on iterations
    over data, and keeps nothing from one query to the next). `index_test.rego` recomputes it
    in Rego from the catalogue and checks that the two agree.

    - `legal_bases_by_role[role][category]`: for every category of the catalogue the role may
      see, the ids of the legal bases that name both the role and the category, sorted, in
      force or not (whether a basis is in force on the day is decided in Rego).
    - `legal_bases_of_role[role]`: the ids of the legal bases that name the role, sorted.
    - `derived_from[category]`: for a category derived from others (`deadlines`), their names
      in catalogue order; decision.rego allows it only where all of them are allowed.
    """
    categories = catalogue.get("categories") or {}
    bases = catalogue.get("legal_bases") or {}
    by_role: dict[str, dict[str, list[str]]] = {}
    of_role: dict[str, list[str]] = {}
    for role, spec in (catalogue.get("roles") or {}).items():
        naming_role = {
            basis_id: basis for basis_id, basis in bases.items() if role in basis.get("roles", [])
        }
        of_role[role] = sorted(naming_role)
        by_role[role] = {
            category: sorted(
                basis_id
                for basis_id, basis in naming_role.items()
                if category in basis.get("categories", [])
            )
            for category in spec.get("categories", [])
            if category in categories
        }
    derived = {
        name: list(spec["derived_from"])
        for name, spec in categories.items()
        if spec.get("derived_from")
    }
    return {
        "legal_bases_by_role": by_role,
        "legal_bases_of_role": of_role,
        "derived_from": derived,
    }


def data_document(catalogue: Mapping[str, Any]) -> dict[str, Any]:
    """The whole base document an engine is given: the catalogue under data.ungeprofil, and
    the lookups derived from it (`derived_index`)."""
    return {
        CATALOGUE_DATA_PATH[0]: {
            CATALOGUE_DATA_PATH[1]: dict(catalogue),
            INDEX_DATA_PATH[1]: derived_index(catalogue),
        }
    }


def policy_version(catalogue: Mapping[str, Any]) -> str:
    return str(catalogue["policy_version"])
