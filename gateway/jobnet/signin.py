"""Who is signed in to the pages: a bearer token kept in an `HttpOnly; SameSite=Strict` cookie.

- Demo mode only: `/demo/login` lists the personas (gateway/personas.py); choosing one mints a
  token exactly as `ungeprofil token` (and demo GraphiQL's picker) would, and sets the cookie.
  `demo_signin_routes` refuses to exist outside demo mode, so there `/demo/login` is 404.
- In production the deployment's own sign-in (MitID, the municipality's identity provider)
  sets the same cookie with a token the gateway's keys accept; that sign-in is not part of
  this project (README).
- The cookie is only ever read by the pages, which send its token to `/graphql` in the
  `Authorization` header. `/graphql` itself never reads a cookie, so no page on another site
  can make a browser call the API with someone's sign-in (no CSRF path).
- Every form posts to the same origin: a post whose `Sec-Fetch-Site` (or, without it, `Origin`)
  names another site is refused before anything else happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import parse_qsl, quote

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from gateway.auth import sign_demo_token
from gateway.personas import PERSONAS, Persona
from gateway.settings import Settings

COOKIE = "jobnet_session"
#: The cookie is sent to the pages only (never to /graphql, which would ignore it anyway).
COOKIE_PATH = "/jobnet"
#: As long as a demo token from `ungeprofil token` or GraphiQL's picker.
LIFETIME = dt.timedelta(hours=8)
LOGIN = "/demo/login"

Render = Callable[..., Response]


#: A page's form is a few hundred bytes; anything much larger is no form of ours.
MAX_FORM_BYTES = 16384


async def read_form(request: Request) -> ImmutableMultiDict[str, str]:
    """A posted form (application/x-www-form-urlencoded, the only kind the pages send), read
    without a multipart parser; an empty form for anything else or anything too large."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return ImmutableMultiDict()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return ImmutableMultiDict()
    try:
        fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=100)
    except (UnicodeDecodeError, ValueError):  # not UTF-8, or more fields than any form has
        return ImmutableMultiDict()
    return ImmutableMultiDict(fields)


def token_of(request: Request) -> str | None:
    token = request.cookies.get(COOKIE)
    return token.strip() if token and token.strip() else None


def set_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(LIFETIME.total_seconds()),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def same_origin(request: Request) -> bool:
    """Whether a form post comes from a page of this site. Browsers say so in `Sec-Fetch-Site`;
    `Origin` is checked when that is missing (the pages' `Referrer-Policy: no-referrer` makes
    a browser send `Origin: null` on posts, which tells nothing). A client that sends neither
    is no browser on another site, and the cookie is `SameSite=Strict` besides."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a page of ours, else the front page."""
    if value and value.startswith("/jobnet") and "//" not in value and "\\" not in value:
        return value
    return "/jobnet"


def sign_in_url(request: Request, demo: bool) -> str:
    """The sign-in page, remembering the page asked for (its path only: never a CPR)."""
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return f"{LOGIN if demo else '/jobnet/log-ind'}?next={quote(safe_next(target), safe='/')}"


#: Organisations the personas name by number.
ORGANISATIONS = {"851234": "Grøn Erhvervsskole"}


def slug(persona: Persona) -> str:
    """A persona's name in a form (never a young person's CPR number, which is their `sub`)."""
    return persona.name.lower().replace(" ", "-").replace("ø", "oe").replace(",", "")


def demo_signin_routes(settings: Settings, render: Render) -> list[BaseRoute]:
    """`/demo/login`: the personas, and choosing one. Demo mode only."""
    if not settings.demo:
        raise RuntimeError("demo sign-in exists in demo mode only")
    shown = [p for p in PERSONAS if p.role != "case_system"]  # a system signs in no browser
    by_slug = {slug(p): p for p in shown}
    choices = [
        {
            "slug": slug(p),
            "name": p.name,
            "role": p.role,
            "org": ORGANISATIONS.get(p.org or "", p.org or ""),
        }
        for p in shown
    ]
    young = [c for c in choices if c["role"] == "youth"]
    staff = [c for c in choices if c["role"] != "youth"]

    async def login(request: Request) -> Response:
        next_page = safe_next(request.query_params.get("next"))
        if request.method == "GET":
            return render(
                request,
                "demo_login.html",
                {"young": young, "staff": staff, "next": next_page},
            )
        if not same_origin(request):
            return render(request, "error.html", {"problem": "origin"}, status=403)
        form = await read_form(request)
        persona = by_slug.get(str(form.get("persona", "")))
        if persona is None:
            context = {"young": young, "staff": staff, "next": next_page, "problem": True}
            return render(request, "demo_login.html", context, status=400)
        token = sign_demo_token(
            settings.state_dir,
            sub=persona.sub,
            role=persona.role,
            org=persona.org,
            municipality=persona.municipality,
            name=persona.name if persona.role != "youth" else None,
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            lifetime=LIFETIME,
        )
        target = safe_next(str(form.get("next", ""))) if form.get("next") else next_page
        if persona.role != "youth" and target == "/jobnet":
            target = "/jobnet/sager"
        response = RedirectResponse(target, status_code=303)
        set_session(response, request, token)
        return response

    return [Route(LOGIN, login, methods=["GET", "POST"])]
