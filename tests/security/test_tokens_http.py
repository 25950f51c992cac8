"""Every way a bearer token can be wrong, through the HTTP endpoint: 401 UNAUTHENTICATED,
before the body is even read — no register call, no audit record."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import ANNE
from tests.security.conftest import Guarded
from tests.unit.test_auth import BAD_CASES, bad_tokens

QUERY = {
    "query": "query($c: CPR!) { youth(cpr: $c, purpose: PLANNING) { identity { age } } }",
    "variables": {"c": ANNE},
}


@pytest.mark.parametrize("case", BAD_CASES)
async def test_a_bad_token_gets_401(guarded: Guarded, state_dir: Path, case: str) -> None:
    authorization = bad_tokens(state_dir)[case]
    headers = {} if authorization is None else {"Authorization": authorization}
    status, body = await guarded.post(QUERY, who=None, headers=headers)
    assert status == 401
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "data" not in body or body["data"] is None
    assert guarded.untouched()


async def test_the_good_token_of_the_same_builder_is_accepted(
    guarded: Guarded, state_dir: Path
) -> None:
    # The bad cases are bad for their own reason, not because the builder is broken.
    from tests.unit.test_auth import signed

    status, body = await guarded.post(
        QUERY, who=None, headers={"Authorization": f"Bearer {signed(state_dir)}"}
    )
    assert status == 200, body
    assert body["data"]["youth"]["identity"] is not None
