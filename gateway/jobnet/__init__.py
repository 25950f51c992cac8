"""Jobnet's pages, rendered by the gateway (JOBNET.md): the young person's "Velkommen",
"Oplysninger om dig", "Oplysninger fra dig", "Min plan" and "Hvem har set dine oplysninger",
and a professional's caseload and view of one young person.

The gateway's first real client: every page gets its data through `/graphql` (a persisted
operation, in process, with the signed-in person's token), never around it. Server-rendered
Jinja2 (autoescaped) with Det Fælles Designsystem; no JavaScript needed, DKFDS's only enhances.
`jobnet_routes` is the way in (gateway/app.py).
"""

from gateway.jobnet.routes import jobnet_routes

__all__ = ["jobnet_routes"]
