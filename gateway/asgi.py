"""The ASGI app uvicorn imports (`gateway.asgi:app`), configured from the environment."""

from __future__ import annotations

import os

from gateway.app import create_app
from gateway.logs import configure_logging
from gateway.settings import from_environment

configure_logging()
app = create_app(from_environment(demo=os.environ.get("UNGEPROFIL_DEMO") == "1"))
