"""The GraphiQL files demo mode serves are the published npm builds its README names."""

from __future__ import annotations

import hashlib
import re

from gateway.graphiql import PAGE, STATIC_DIR

VENDORED = STATIC_DIR / "graphiql"


def test_the_vendored_files_match_the_checksums_in_their_readme() -> None:
    readme = (VENDORED / "README.md").read_text()
    listed = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M)
    )
    assert listed, "no checksums in gateway/static/graphiql/README.md"
    for name, digest in listed.items():
        assert hashlib.sha256((VENDORED / name).read_bytes()).hexdigest() == digest, name
    for licence in ("LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"):
        assert "MIT License" in (VENDORED / licence).read_text(), licence


def test_the_page_names_only_files_that_exist() -> None:
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', PAGE):
        assert (STATIC_DIR / path).is_file(), path
