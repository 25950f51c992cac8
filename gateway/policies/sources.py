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
VERSION_API_PATH = "ungeprofil/meta/version"

# Where the catalogue sits in OPA's data document: data.ungeprofil.catalogue.
CATALOGUE_DATA_PATH = ("ungeprofil", "catalogue")


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


def data_document(catalogue: Mapping[str, Any]) -> dict[str, Any]:
    """The whole base document an engine is given: the catalogue under data.ungeprofil."""
    return {CATALOGUE_DATA_PATH[0]: {CATALOGUE_DATA_PATH[1]: dict(catalogue)}}


def policy_version(catalogue: Mapping[str, Any]) -> str:
    return str(catalogue["policy_version"])
