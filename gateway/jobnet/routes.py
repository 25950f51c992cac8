"""The Jobnet pages' routes: each reads the sign-in cookie, runs one or two persisted operations
through `/graphql` in process (client.py), and renders what came back (views.py, templates/).

Young person: /jobnet, /jobnet/oplysninger, /jobnet/fra-dig (+ /sporgsmaal, /deling),
/jobnet/plan, /jobnet/adgang. Professionals: /jobnet/sager, /jobnet/sag/{ref}, where `ref` is
the caseload's cursor for the young person — a keyed hash of (caller, CPR), resolved against
the caller's own caseload, so no CPR is ever in a URL. Everyone: /jobnet/log-af (post),
/jobnet/log-ind (production: the deployment's own sign-in), /jobnet/static/.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.auth import Subject, TokenVerifier, Unauthenticated
from gateway.jobnet import texts, views
from gateway.jobnet.client import (
    FORBIDDEN,
    REGISTER_UNAVAILABLE,
    Answer,
    Failed,
    GraphQLClient,
    SignInNeeded,
    Withheld,
)
from gateway.jobnet.questionnaire import LAST, STEPS, Answers, user_errors
from gateway.jobnet.signin import (
    clear_session,
    demo_signin_routes,
    read_form,
    safe_next,
    same_origin,
    sign_in_url,
    token_of,
)
from gateway.settings import Settings

log = logging.getLogger("ungeprofil.jobnet")

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

#: The pages load scripts, styles, fonts and icons from the gateway alone, and post forms only
#: to it. No inline script or style (the design system needs neither).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)

YOUTH_MENU = (
    ("/jobnet", "Forside"),
    ("/jobnet/oplysninger", "Oplysninger om dig"),
    ("/jobnet/fra-dig", "Oplysninger fra dig"),
    ("/jobnet/plan", "Min plan"),
    ("/jobnet/adgang", "Hvem har set dine oplysninger"),
)
STAFF_MENU = (("/jobnet/sager", "Mine unge"),)

#: The sections of "Oplysninger om dig" (and of a young person seen by a professional):
#: (anchor, heading, categories).
SECTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("skolegang", "Din skolegang", "Skolegang", ("schooling", "grades")),
    ("job", "Job og fritidsjob", "Job og fritidsjob", ("employment",)),
    ("forsoergelse", "Offentlig forsørgelse", "Offentlig forsørgelse", ("benefits",)),
    ("planer", "Planer på tværs", "Planer på tværs", ("plan", "social_plans")),
    ("optagelse", "Optagelse", "Optagelse", ("admissions",)),
    ("kontakter", "Dine kontakter", "Kontakter", ("contacts",)),
    (
        "skole",
        "Det har kommunen sendt til din skole",
        "Det har kommunen sendt til skolen",
        ("support_needs", "dropout_risk"),
    ),
)
FROM_YOUTH = (
    "fra-den-unge",
    "Oplysninger fra dig",
    "Oplysninger fra den unge",
    ("questionnaire", "health"),
)

#: Category -> the field of `Youth` it is.
FIELDS = {
    "identity": "identity",
    "schooling": "schooling",
    "grades": "grades",
    "employment": "employment",
    "benefits": "benefits",
    "plan": "plan",
    "casework": "casework",
    "social_plans": "socialPlans",
    "admissions": "admissions",
    "contacts": "contacts",
    "support_needs": "supportNeeds",
    "dropout_risk": "dropoutRisks",
    "questionnaire": "questionnaire",
    "health": "health",
}

_REF = re.compile(r"[0-9a-f]{32}")
CASELOAD_PAGE = 25
ACCESS_LOG_PAGE = 20


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class _NoAccess(Exception):
    """No relationship, an unknown reference, or a young person refused as a whole: one page."""


class _Unavailable(Exception):
    """The young person could not be looked up at all (the register the facts come from)."""

    def __init__(self, register: str) -> None:
        super().__init__(register)
        self.register = register


@dataclass
class Visitor:
    token: str
    subject: Subject

    @property
    def youth(self) -> bool:
        return self.subject.role == "youth"


Handler = Callable[[Request, Visitor], Awaitable[Response]]


class Pages:
    def __init__(
        self,
        settings: Settings,
        *,
        verifier: TokenVerifier,
        operations: Mapping[str, str],
        role_purposes: Mapping[str, Sequence[str]],
        today: Callable[[], dt.date],
    ) -> None:
        self.settings = settings
        self.verifier = verifier
        self.operations = dict(operations)
        self.role_purposes = {role: list(p) for role, p in role_purposes.items()}
        self.today = today
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            dato=texts.date_da,
            tidspunkt=texts.moment_da,
            timer=texts.hours_da,
            register_name=texts.register_da,
            barrier=texts.barrier_da,
            support_flags=texts.support_flags,
            category_title=texts.category_title,
            category_titles=texts.category_titles,
        )
        self.env.globals.update(texts=texts, static="/jobnet/static")
        self._client: GraphQLClient | None = None

    # --- plumbing ---------------------------------------------------------------------------------

    def client(self, request: Request) -> GraphQLClient:
        if self._client is None:  # the app this request came through: /graphql is its route
            self._client = GraphQLClient(request.app, self.operations)
        return self._client

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        status: int = 200,
    ) -> Response:
        visitor: Visitor | None = getattr(request.state, "visitor", None)
        menu = () if visitor is None else YOUTH_MENU if visitor.youth else STAFF_MENU
        html = self.env.get_template(template).render(
            {
                "demo": self.settings.demo,
                "path": request.url.path,
                "visitor": visitor,
                "menu": menu,
                "user_name": getattr(request.state, "user_name", ""),
                "user_info": getattr(request.state, "user_info", ""),
                **(context or {}),
            }
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Security-Policy"] = PAGE_CSP
        return response

    def page(self, handler: Handler, *, youth: bool) -> Callable[[Request], Awaitable[Response]]:
        """A route: signed in (else to sign-in), the right kind of person (else to their own
        front page), and the outcomes no page renders around turned into their pages."""

        async def endpoint(request: Request) -> Response:
            try:
                visitor = await self._visitor(request)
                if visitor.youth != youth:
                    raise _Redirect("/jobnet" if visitor.youth else "/jobnet/sager")
                if request.method == "POST" and not same_origin(request):
                    return self.render(request, "error.html", {"problem": "origin"}, 403)
                return await handler(request, visitor)
            except _Redirect as redirect:
                return RedirectResponse(redirect.location, status_code=303)
            except SignInNeeded:
                response = RedirectResponse(
                    sign_in_url(request, self.settings.demo), status_code=303
                )
                clear_session(response, request)
                return response
            except Withheld:
                # AUDIT_UNAVAILABLE: the gateway released nothing, and the page shows nothing.
                return self.render(request, "error.html", {"problem": "audit"}, 503)
            except _NoAccess:
                return self.render(request, "no_access.html", {}, 403)
            except _Unavailable as down:
                context = {"problem": "register", "register": down.register}
                return self.render(request, "error.html", context, 503)
            except Failed as failed:
                log.error("a Jobnet page's operation failed: %s", failed.code)
                failure = {"problem": "failed", "request_id": failed.request_id}
                return self.render(request, "error.html", failure, 502)

        return endpoint

    async def _visitor(self, request: Request) -> Visitor:
        token = token_of(request)
        if token is None:
            raise SignInNeeded()
        try:
            subject = await self.verifier.verify(f"Bearer {token}")
        except Unauthenticated:
            raise SignInNeeded() from None
        visitor = Visitor(token=token, subject=subject)
        request.state.visitor = visitor
        if not visitor.youth:
            request.state.user_name = subject.name or subject.sub
            request.state.user_info = ", ".join(
                part for part in (texts.role_title(subject.role), subject.org or "") if part
            )
        return visitor

    async def run(
        self,
        request: Request,
        visitor: Visitor,
        operation: str,
        variables: Mapping[str, Any] | None = None,
    ) -> Answer:
        return await self.client(request).run(visitor.token, operation, variables)

    def _me(self, request: Request, answer: Answer, categories: Sequence[str]) -> dict[str, Any]:
        """The young person's own parts; their name for the header."""
        found = self._parts(answer, ("me",), categories)
        identity = found.get("identity")
        if identity is not None and identity.shown:
            request.state.user_name = (
                f"{identity.value['firstName']} {identity.value['lastName']}".strip()
            )
        return found

    def _parts(
        self, answer: Answer, root: Sequence[str | int], categories: Sequence[str]
    ) -> dict[str, views.Part]:
        code = answer.code_at(*root)
        if code == FORBIDDEN:
            raise _NoAccess()
        if code == REGISTER_UNAVAILABLE:
            # The young person could not be decided at all (their facts come from that
            # register): every section says so, and the page still answers.
            error = answer.error_at(*root) or {}
            register = texts.register_da(error.get("extensions", {}).get("register"))
            return {c: views.Part(c, views.UNAVAILABLE, register=register) for c in categories}
        return views.parts(answer, root, {category: FIELDS[category] for category in categories})

    def _contact(self, found: Mapping[str, views.Part]) -> dict[str, Any]:
        contacts = found["contacts"]
        return {
            "contacts": contacts,
            "contact": views.primary_contact(contacts, self.today()),
        }

    def purposes_of(self, role: str) -> list[str]:
        return self.role_purposes.get(role, [])

    def purpose_for(self, request: Request, role: str) -> str | None:
        """The purpose asked for, if it is one of the role's; else the role's usual one."""
        purposes = self.purposes_of(role)
        asked = request.query_params.get("formaal")
        if asked in purposes:
            return asked
        if "PLANNING" in purposes:
            return "PLANNING"
        return purposes[0] if purposes else None

    # --- the young person's pages ---------------------------------------------------------------

    async def welcome(self, request: Request, visitor: Visitor) -> Response:
        answer = await self.run(request, visitor, "JobnetWelcome")
        found = self._me(request, answer, ("identity", "questionnaire", "benefits", "contacts"))
        identity = found["identity"]
        first_name = identity.value["firstName"] if identity.shown else ""
        return self.render(
            request,
            "welcome.html",
            {
                "parts": found,
                "first_name": first_name,
                "stale": answer.stale,
                **self._contact(found),
            },
        )

    async def about_you(self, request: Request, visitor: Visitor) -> Response:
        answer = await self.run(request, visitor, "JobnetAboutYou")
        categories = [c for *_, cats in SECTIONS for c in cats]
        found = self._me(request, answer, ("identity", *categories))
        matrix = views.part(answer, ("policy", "matrix"), "policy")
        return self.render(
            request,
            "about_you.html",
            {
                "parts": found,
                "sections": SECTIONS,
                "readers": views.readers(matrix),
                "matrix": matrix,
                "youth_view": True,
                "stale": answer.stale,
                **self._contact(found),
            },
        )

    async def from_you(self, request: Request, visitor: Visitor) -> Response:
        answer = await self.run(request, visitor, "JobnetFromYou")
        found = self._me(request, answer, ("identity", "questionnaire", "health", "contacts"))
        return self.render(
            request,
            "from_you.html",
            {
                "parts": found,
                "saved": request.query_params.get("gemt") == "1",
                "shared": request.query_params.get("deling"),
                "problem": request.query_params.get("fejl"),
                "stale": answer.stale,
                **self._contact(found),
            },
        )

    async def questionnaire(self, request: Request, visitor: Visitor) -> Response:
        if request.method == "GET":
            answer = await self.run(request, visitor, "JobnetFromYou")
            found = self._me(request, answer, ("identity", "questionnaire", "health", "contacts"))
            start = Answers.from_profile(
                found["questionnaire"].value if found["questionnaire"].shown else None,
                found["health"].value if found["health"].shown else None,
            )
            return self._step(request, start, 1, {}, found)
        form = await read_form(request)
        answers = Answers.from_form(form)
        step = _int(form.get("trin"), 1, LAST)
        action = str(form.get("handling", "naeste"))
        if action == "tilbage" or step < LAST:
            errors = {} if action == "tilbage" else answers.check(step)
            shown = max(1, step - 1) if action == "tilbage" else step if errors else step + 1
            found = await self._contact_only(request, visitor)
            return self._step(request, answers, shown, errors, found, 400 if errors else 200)
        invalid = answers.first_invalid_step()
        if invalid is not None:
            found = await self._contact_only(request, visitor)
            return self._step(request, answers, invalid[0], invalid[1], found, 400)
        answer = await self.run(
            request, visitor, "JobnetQuestionnaireSubmit", {"input": answers.mutation_input()}
        )
        payload = answer.data.get("questionnaireSubmit")
        if not isinstance(payload, dict):
            raise _Redirect("/jobnet/fra-dig?fejl=gem")
        if payload.get("userErrors"):
            step, errors = user_errors(payload["userErrors"])
            found = await self._contact_only(request, visitor)
            return self._step(request, answers, step, errors, found, 400)
        raise _Redirect("/jobnet/fra-dig?gemt=1")

    async def _contact_only(self, request: Request, visitor: Visitor) -> dict[str, views.Part]:
        """The contact person for a step of the questionnaire (a small read of its own)."""
        answer = await self.run(request, visitor, "JobnetContact")
        return self._me(request, answer, ("identity", "contacts"))

    def _step(
        self,
        request: Request,
        answers: Answers,
        step: int,
        errors: Mapping[str, str],
        found: Mapping[str, views.Part] | None,
        status: int = 200,
    ) -> Response:
        names = next(names for number, _, names in STEPS if number == step)
        return self.render(
            request,
            "questionnaire.html",
            {
                "answers": answers,
                "step": step,
                "steps": STEPS,
                "last": LAST,
                "errors": errors,
                "hidden": answers.hidden(names),
                "summary": answers.summary() if step == LAST else [],
                "contact": views.primary_contact(found["contacts"], self.today())
                if found
                else None,
                "contacts": found["contacts"] if found else None,
            },
            status,
        )

    async def health_sharing(self, request: Request, visitor: Visitor) -> Response:
        form = await read_form(request)
        share = str(form.get("del", ""))
        if share not in ("ja", "nej"):
            raise _Redirect("/jobnet/fra-dig?fejl=deling#deling")
        answer = await self.run(
            request, visitor, "JobnetHealthConsentSet", {"share": share == "ja"}
        )
        payload = answer.data.get("healthConsentSet")
        if not isinstance(payload, dict) or payload.get("userErrors"):
            raise _Redirect("/jobnet/fra-dig?fejl=deling#deling")
        raise _Redirect(f"/jobnet/fra-dig?deling={share}#deling")

    async def plan(self, request: Request, visitor: Visitor) -> Response:
        answer = await self.run(request, visitor, "JobnetPlan")
        found = self._me(
            request, answer, ("identity", "plan", "casework", "admissions", "contacts")
        )
        return self.render(
            request,
            "plan.html",
            {
                "parts": found,
                "road": views.road(found["plan"], found["admissions"], self.today()),
                "stale": answer.stale,
                **self._contact(found),
            },
        )

    async def access_log(self, request: Request, visitor: Visitor) -> Response:
        after = request.query_params.get("efter") or None
        own = request.query_params.get("egne") == "1"
        answer = await self.run(
            request, visitor, "JobnetAccessLog", {"first": ACCESS_LOG_PAGE, "after": after}
        )
        found = self._me(request, answer, ("identity", "contacts"))
        log_part = views.part(answer, ("myAccessLog",), "access_log")
        entries = []
        if log_part.shown:
            entries = [
                edge["node"]
                for edge in log_part.value.get("edges") or []
                if own or edge["node"].get("role") != "youth"
            ]
            if not log_part.value.get("edges"):
                log_part = views.Part("access_log", views.EMPTY)
        return self.render(
            request,
            "access_log.html",
            {
                "parts": found,
                "log": log_part,
                "entries": entries,
                "own": own,
                "after": after,
                "next_cursor": log_part.value.get("endCursor")
                if log_part.shown and log_part.value.get("hasNextPage")
                else None,
                **self._contact(found),
            },
        )

    # --- the professional's pages ----------------------------------------------------------------

    async def caseload(self, request: Request, visitor: Visitor) -> Response:
        purpose = self.purpose_for(request, visitor.subject.role)
        after = request.query_params.get("efter") or None
        context: dict[str, Any] = {
            "purpose": purpose,
            "purposes": self.purposes_of(visitor.subject.role),
            "after": after,
        }
        if purpose is None:
            context["caseload"] = views.Part(
                "caseload", views.FORBIDDEN_STATE, reason=texts.reason_da("sees no personal data")
            )
            return self.render(request, "caseload.html", context)
        answer = await self.run(
            request,
            visitor,
            "JobnetCaseload",
            {"purpose": purpose, "first": CASELOAD_PAGE, "after": after},
        )
        caseload = views.part(answer, ("caseload",), "caseload")
        rows = []
        if caseload.shown:
            for index, edge in enumerate(caseload.value.get("edges") or []):
                rows.append(
                    {
                        "ref": edge["cursor"],
                        "identity": views.part(
                            answer, ("caseload", "edges", index, "node", "identity"), "identity"
                        ),
                    }
                )
            if not rows:
                caseload = views.Part("caseload", views.EMPTY)
        page_info = caseload.value.get("pageInfo") if caseload.shown else None
        context.update(
            caseload=caseload,
            rows=rows,
            next_cursor=page_info.get("endCursor")
            if page_info and page_info.get("hasNextPage")
            else None,
        )
        return self.render(request, "caseload.html", context)

    async def case(self, request: Request, visitor: Visitor) -> Response:
        ref = request.path_params["ref"]
        purpose = self.purpose_for(request, visitor.subject.role)
        if purpose is None or not _REF.fullmatch(ref):
            raise _NoAccess()
        cpr = await self._resolve(request, visitor, ref, purpose)
        answer = await self.run(request, visitor, "JobnetCase", {"cpr": cpr, "purpose": purpose})
        categories = [c for *_, cats in (*SECTIONS, FROM_YOUTH) for c in cats]
        found = self._parts(answer, ("youth",), ("identity", *categories))
        identity = found["identity"]
        name = (
            f"{identity.value['firstName']} {identity.value['lastName']}"
            if identity.shown
            else "den unge"
        )
        return self.render(
            request,
            "case.html",
            {
                "parts": found,
                "sections": (*SECTIONS, FROM_YOUTH),
                "youth_view": False,
                "readers": {},
                "matrix": None,
                "name": name,
                "ref": ref,
                "purpose": purpose,
                "purposes": self.purposes_of(visitor.subject.role),
                "stale": answer.stale,
                **self._contact(found),
            },
        )

    async def _resolve(self, request: Request, visitor: Visitor, ref: str, purpose: str) -> str:
        """The CPR behind a caseload reference: the caller's caseload is asked for the first
        young person at or after it (cursors are in hash order), and it must be that one."""
        number = int(ref, 16)
        before = f"{number - 1:032x}" if number else None
        answer = await self.run(
            request, visitor, "JobnetCaseReference", {"purpose": purpose, "after": before}
        )
        if answer.code_at("caseload") == REGISTER_UNAVAILABLE:
            error = answer.error_at("caseload") or {}
            raise _Unavailable(texts.register_da(error.get("extensions", {}).get("register")))
        edges = (answer.data.get("caseload") or {}).get("edges") or []
        if not edges or edges[0].get("cursor") != ref:
            raise _NoAccess()
        cpr = edges[0].get("node", {}).get("cpr")
        if not isinstance(cpr, str):
            raise _NoAccess()
        return cpr

    # --- signing out, and signing in outside demo mode -------------------------------------------

    async def sign_out(self, request: Request) -> Response:
        if not same_origin(request):
            return self.render(request, "error.html", {"problem": "origin"}, 403)
        target = "/demo/login" if self.settings.demo else "/jobnet/log-ind?logget-af=1"
        response = RedirectResponse(target, status_code=303)
        clear_session(response, request)
        return response

    async def sign_in(self, request: Request) -> Response:
        if self.settings.demo:
            target = safe_next(request.query_params.get("next"))
            return RedirectResponse(f"/demo/login?next={target}", status_code=303)
        signed_out = request.query_params.get("logget-af") == "1"
        return self.render(request, "sign_in.html", {"signed_out": signed_out}, 401)


def _int(value: Any, low: int, high: int) -> int:
    text = str(value or "")
    number = int(text) if text.isdigit() else low
    return min(max(number, low), high)


def jobnet_routes(
    settings: Settings,
    *,
    verifier: TokenVerifier,
    operations: Mapping[str, str],
    role_purposes: Mapping[str, Sequence[str]],
    today: Callable[[], dt.date],
) -> list[BaseRoute]:
    """The pages, their static files, and in demo mode `/demo/login`.

    `operations`: the persisted operations the gateway runs, `{operation name: sha256}`;
    `role_purposes`: each role's purposes (the catalogue's), for the purpose picker."""
    pages = Pages(
        settings,
        verifier=verifier,
        operations=operations,
        role_purposes=role_purposes,
        today=today,
    )

    def youth(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        return pages.page(handler, youth=True)

    def staff(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        return pages.page(handler, youth=False)

    routes: list[BaseRoute] = [
        Route("/jobnet", youth(pages.welcome)),
        Route("/jobnet/oplysninger", youth(pages.about_you)),
        Route("/jobnet/fra-dig", youth(pages.from_you)),
        Route("/jobnet/fra-dig/sporgsmaal", youth(pages.questionnaire), methods=["GET", "POST"]),
        Route("/jobnet/fra-dig/deling", youth(pages.health_sharing), methods=["POST"]),
        Route("/jobnet/plan", youth(pages.plan)),
        Route("/jobnet/adgang", youth(pages.access_log)),
        Route("/jobnet/sager", staff(pages.caseload)),
        Route("/jobnet/sag/{ref}", staff(pages.case)),
        Route("/jobnet/log-af", pages.sign_out, methods=["POST"]),
        Route("/jobnet/log-ind", pages.sign_in),
        Mount("/jobnet/static", StaticFiles(directory=STATIC_DIR, check_dir=False)),
    ]
    if settings.demo:
        routes += demo_signin_routes(settings, pages.render)
    return routes
