"""The ASGI app uvicorn imports (`gateway.asgi:app`), configured from the environment.

Outside demo mode it refuses to exist without production token keys (JWKS_FILE or JWKS_URL):
whoever runs it under another server gets the same refusal as `ungeprofil serve`.
"""

from __future__ import annotations

import os

from gateway.app import create_app
from gateway.logs import configure_logging
from gateway.settings import from_environment, production_problem

configure_logging()
_settings = from_environment(demo=os.environ.get("UNGEPROFIL_DEMO") == "1")
_problem = production_problem(_settings)
if _problem:
    raise SystemExit(f"ungeprofil: {_problem}")
app = create_app(_settings)
