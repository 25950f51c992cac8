"""Our subgraph composes with another that extends Youth by `cpr` — and composition fails, as
it must, when the other declares the key with another type (FEDERATION.md)."""

from __future__ import annotations

from typing import Any

from schema.build import sdl as ungeprofil_sdl
from tests.federation.jobnet_subgraph import sdl as jobnet_sdl


def services(key_type: str) -> list[dict[str, str]]:
    return [
        {"name": "ungeprofil", "url": "http://ungeprofil.test/graphql", "sdl": ungeprofil_sdl()},
        {"name": "jobnet", "url": "http://jobnet.test/graphql", "sdl": jobnet_sdl(key_type)},
    ]


def test_the_subgraphs_compose(composer: Any) -> None:
    done = composer(services("CPR"))
    assert done.returncode == 0, done.stderr
    supergraph = done.stdout
    assert "scalar CPR" in supergraph
    assert 'type Youth @join__type(graph: JOBNET, key: "cpr")' in supergraph
    assert "jobApplications: [JobApplication!]! @join__field(graph: JOBNET)" in supergraph


def test_a_key_declared_as_id_does_not_compose(composer: Any) -> None:
    done = composer(services("ID"))
    assert done.returncode == 1
    assert 'Type of field "Youth.cpr" is incompatible across subgraphs' in done.stderr
