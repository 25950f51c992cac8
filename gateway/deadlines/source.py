"""Where the rules catalogue lives: data/rules.json beside this package. The only module of
gateway/deadlines that reads a file; the rules themselves compute on values."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.deadlines.rulebook import Rulebook, parse_rulebook

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.json"


def load_rulebook(path: Path = RULES_FILE) -> Rulebook:
    return parse_rulebook(json.loads(path.read_text(encoding="utf-8")))
