"""One Starlette app per register, speaking the contract of mocks/README.md."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from mocks.faults import Faults
from mocks.population import Population
from mocks.registers import REGISTERS, Document, Query, Register
from mocks.wire import (
    INTERNAL_ERROR,
    INVALID_CPR,
    UNKNOWN_CPR,
    VALIDATION_FAILED,
    JSONResponse,
    StarError,
    is_star_cpr,
    star_error,
)

CPR_HEADER = "x-civilregistrationIdentifier"
MAX_BATCH = 1000
LOOPBACK = ("127.", "::1", "localhost", "testclient")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_LOOKUP_KEYS = {
    "institutionsnummer": re.compile(r"^\d{6}$"),
    "kommunekode": re.compile(r"^\d{3,4}$"),
    "medarbejderId": re.compile(r"^[A-Za-z0-9._@-]{1,100}$"),
}

Handler = Callable[[Request], Awaitable[Any]]


def create_register_app(label: str, population: Population, faults: Faults) -> Starlette:
    register = REGISTERS[label]
    live = register.live(population) if register.live is not None else None
    render = live.render if live is not None else register.render
    relate = live.relate if live is not None else register.relate
    metrics = CollectorRegistry()
    served = Counter(
        "mock_requests", "Requests served, by route template", ["path"], registry=metrics
    )
    decoys = _decoys(population)

    def guarded(template: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """A data endpoint: counted, subject to the fault knobs, STAR errors on bad input."""

        async def endpoint(request: Request) -> Response:
            served.labels(template).inc()
            await faults.delay()
            if faults.hang:
                await faults.hang_until_released(request)
                return star_error(INTERNAL_ERROR)
            if faults.fail:
                return star_error(INTERNAL_ERROR)
            try:
                payload = await handler(request)
            except StarError as error:
                return star_error(error.error, error.extra)
            except ClientDisconnect:  # the caller gave up (its deadline): nobody to answer
                return Response(status_code=499)
            return JSONResponse(_garbled(payload, decoys) if faults.garbage else payload)

        return endpoint

    def plain(template: str, handler: Callable[[Request], Awaitable[Response]]) -> Any:
        async def endpoint(request: Request) -> Response:
            served.labels(template).inc()
            return await handler(request)

        return endpoint

    async def single(request: Request) -> Document:
        cpr = request.headers.get(CPR_HEADER)
        if not is_star_cpr(cpr):
            raise StarError(INVALID_CPR)
        query = _query(register, request.query_params)
        person = population.get(str(cpr))
        document = render(person, population, query) if person else None
        if document is None:
            raise StarError(UNKNOWN_CPR)
        return document

    async def batch(request: Request) -> Document:
        body = await _json_object(request)
        cprs = _cpr_list(body)
        query = _query(register, body, from_body=True)
        found, unknown = [], []
        for cpr in cprs:
            person = population.get(cpr)
            document = render(person, population, query) if person else None
            if document is None:
                unknown.append(cpr)
            else:
                found.append(document)
        return {"personer": found, "ukendte": unknown}

    async def relationships(request: Request) -> Document:
        assert relate is not None
        cprs = _cpr_list(await _json_object(request))
        found, unknown = [], []
        for cpr in cprs:
            person = population.get(cpr)
            facts = relate(person, population) if person else None
            if facts is None:
                unknown.append(cpr)
            else:
                found.append(facts)
        return {"personer": found, "ukendte": unknown}

    def lookup(key: str, index: Callable[[Population, str], list[str]]) -> Handler:
        async def handler(request: Request) -> Document:
            value = request.path_params[key]
            if not _LOOKUP_KEYS[key].match(value):
                raise StarError(VALIDATION_FAILED)
            if key == "kommunekode":
                value = value.zfill(4)
            return {"cprListe": list(index(population, value))}

        return handler

    async def healthz(request: Request) -> Response:
        if faults.fail:
            return JSONResponse({"status": "fail"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def metrics_endpoint(request: Request) -> Response:
        return Response(generate_latest(metrics), media_type=CONTENT_TYPE_LATEST)

    async def admin_faults(request: Request) -> Response:
        if not _from_loopback(request):
            return JSONResponse({"fejlkode": 1013, "fejltekst": "Forbidden"}, status_code=403)
        try:
            faults.update(await _json_object(request))
        except (StarError, ValueError):
            return star_error(VALIDATION_FAILED)
        return JSONResponse(faults.snapshot())

    async def admin_reset(request: Request) -> Response:
        if not _from_loopback(request):
            return JSONResponse({"fejlkode": 1013, "fejltekst": "Forbidden"}, status_code=403)
        faults.reset()
        return JSONResponse(faults.snapshot())

    prefix = register.prefix
    routes = [
        Route(f"{prefix}/person", guarded(f"{prefix}/person", single), methods=["GET"]),
        Route(
            f"{prefix}/personer/soeg",
            guarded(f"{prefix}/personer/soeg", batch),
            methods=["POST"],
        ),
    ]
    if register.relate is not None:
        template = f"{prefix}/relationer/soeg"
        routes.append(Route(template, guarded(template, relationships), methods=["POST"]))
    for item in register.lookups:
        template = prefix + item.path
        key = item.path.split("{")[1].split("}")[0]
        routes.append(Route(template, guarded(template, lookup(key, item.index)), methods=["GET"]))
    for method, template, handler in live.routes(faults) if live is not None else []:
        # Writes share a path with a read (GET/POST /udb/v1/haendelser), so they are counted
        # under "METHOD path" and a test can tell a write from a poll.
        counted = template if method == "GET" else f"{method} {template}"
        routes.append(Route(template, guarded(counted, handler), methods=[method]))
    routes += [
        Route("/healthz", plain("/healthz", healthz), methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/_admin/faults", plain("/_admin/faults", admin_faults), methods=["POST"]),
        Route("/_admin/reset", plain("/_admin/reset", admin_reset), methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.register = register
    app.state.faults = faults
    app.state.live = live  # a writable register's state, for tests to look into
    return app


# --- request parsing -------------------------------------------------------------------------


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError as error:
        raise StarError(VALIDATION_FAILED) from error
    if not isinstance(body, dict):
        raise StarError(VALIDATION_FAILED)
    return body


def _cpr_list(body: dict[str, Any]) -> list[str]:
    cprs = body.get("cprListe")
    if not isinstance(cprs, list) or len(cprs) > MAX_BATCH:
        raise StarError(VALIDATION_FAILED)
    if not all(is_star_cpr(cpr) for cpr in cprs):
        raise StarError(INVALID_CPR)
    return list(dict.fromkeys(cprs))  # duplicates answered once, order kept


def _query(register: Register, source: Mapping[str, Any], from_body: bool = False) -> Query:
    raw = source.get("sektioner")
    if raw is None:
        sections = frozenset(register.sections)
    elif from_body:
        if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
            raise StarError(VALIDATION_FAILED)
        sections = frozenset(raw)
    else:
        sections = frozenset(s for s in str(raw).split(",") if s)
    if not sections <= set(register.sections):
        raise StarError(VALIDATION_FAILED)
    if not register.month_window:
        return Query(sections)
    first, last = _month(source.get("fra")), _month(source.get("til"))
    if first and last and first > last:
        raise StarError(VALIDATION_FAILED)
    return Query(sections, first, last)


def _month(value: Any) -> date | None:
    if value is None:
        return None
    match = _MONTH.match(value) if isinstance(value, str) else None
    if match is None:
        raise StarError(VALIDATION_FAILED)
    return date(int(match[1]), int(match[2]), 1)


def _from_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    return host.startswith(LOOPBACK)


# --- garbage ---------------------------------------------------------------------------------


def _decoys(population: Population) -> tuple[str, str]:
    people = iter(population.people)
    return next(people, "0101010000"), next(people, "0202020000")


def _garbled(payload: Document, decoys: tuple[str, str]) -> Any:
    """A 200 body of the wrong shape: lists where an object was due, or someone else's
    document. A write is applied all the same; only its answer is garbled."""
    if "personer" in payload:
        return list(payload["personer"])
    if "cprListe" in payload:
        return [{"cpr": cpr} for cpr in payload["cprListe"]]
    if "haendelser" in payload:
        return list(payload["haendelser"])
    if "cpr" not in payload:  # a write's answer, a list of subscriptions
        return [payload]
    other = decoys[1] if payload.get("cpr") == decoys[0] else decoys[0]
    return {**payload, "cpr": other}
