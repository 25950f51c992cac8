"""Our subgraph composes with another that extends Youth by `cpr` — and composition fails, as
it must, when the other declares the key with another type (FEDERATION.md)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from schema.build import sdl as ungeprofil_sdl
from tests.federation.jobnet_subgraph import sdl as jobnet_sdl


def services(key_type: str) -> list[dict[str, str]]:
    return [
        {"name": "ungeprofil", "url": "http://ungeprofil.test/graphql", "sdl": ungeprofil_sdl()},
        {"name": "jobnet", "url": "http://jobnet.test/graphql", "sdl": jobnet_sdl(key_type)},
    ]


COMPOSERS = pytest.mark.parametrize("which", ["guild", "apollo"])


@COMPOSERS
def test_the_subgraphs_compose(composer: Any, which: str) -> None:
    done = composer(services("CPR"), which)
    assert done.returncode == 0, done.stderr
    supergraph = done.stdout
    assert re.search(r"scalar CPR\b", supergraph)
    assert re.search(r'type Youth\b[^{]*@join__type\(graph: JOBNET, key: "cpr"\)', supergraph)
    assert re.search(
        r"jobApplications: \[JobApplication!\]! @join__field\(graph: JOBNET", supergraph
    )


@COMPOSERS
def test_a_key_declared_as_id_does_not_compose(composer: Any, which: str) -> None:
    done = composer(services("ID"), which)
    assert done.returncode == 1
    assert "Youth.cpr" in done.stderr and "incompatible" in done.stderr.lower()
