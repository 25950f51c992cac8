"""`ungeprofil demo | serve | mocks | token | schema | audit verify | audit purge`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import os
import secrets
import socket
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from gateway.personas import PERSONAS
from gateway.settings import (
    DEMO_ISSUER,
    REGISTER_LABELS,
    Settings,
    from_environment,
    production_problem,
)
from schema.enums import Role

ROLES = tuple(role.value for role in Role)

#: Names the demo token command fills in for the professionals among the personas
#: (gateway/personas.py), so access logs read like Jobnet's.
KNOWN_PEOPLE = {
    persona.sub: (persona.name, persona.org, persona.municipality)
    for persona in PERSONAS
    if persona.role != "youth"
}


def _mock_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--population", type=int, default=2000, help="generated young people (default 2000)"
    )
    parser.add_argument(
        "--seed", type=int, default=42, help="seed of the generated population (default 42)"
    )
    parser.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the population's ages and periods are computed for (default today)",
    )
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="milliseconds added to every register answer (default 0)",
    )
    parser.add_argument(
        "--fail",
        action="append",
        default=[],
        choices=REGISTER_LABELS,
        metavar="REGISTER",
        help=f"this register answers 503 (repeatable; one of {', '.join(REGISTER_LABELS)})",
    )
    parser.add_argument(
        "--hang",
        action="append",
        default=[],
        choices=REGISTER_LABELS,
        metavar="REGISTER",
        help="this register accepts calls and never answers (repeatable)",
    )


def _listen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port of the gateway (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, help="gateway worker processes (default 1)"
    )


def _package_version() -> str:
    try:
        return version("ungeprofil")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ungeprofil", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_package_version()}")
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        help="what to run (COMMAND -h: its options)",
    )

    demo = sub.add_parser("demo", help="mock registers + gateway with embedded defaults")
    _listen_options(demo)
    demo.add_argument(
        "--mock-base-port",
        type=int,
        default=8101,
        help="the mock registers listen on this port and the six after it (default 8101)",
    )
    _mock_options(demo)

    serve = sub.add_parser("serve", help="the gateway alone, configured from the environment")
    _listen_options(serve)
    serve.add_argument(
        "--demo",
        action="store_true",
        help="demo mode: GraphiQL, introspection, and the demo token key when no "
        "JWKS_FILE/JWKS_URL is set",
    )
    serve.add_argument(
        "--trusted-only",
        action="store_true",
        help="run only the persisted operations (TRUSTED_OPERATIONS_ONLY=true)",
    )

    mocks = sub.add_parser("mocks", help="the mock registers alone")
    mocks.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    mocks.add_argument(
        "--base-port",
        type=int,
        default=8101,
        help="the registers listen on this port and the six after it (default 8101)",
    )
    _mock_options(mocks)

    token = sub.add_parser("token", help="print a signed demo bearer token")
    token.add_argument(
        "--sub", required=True, help="the subject: a user name, or a young person's CPR number"
    )
    token.add_argument(
        "--role", required=True, choices=ROLES, metavar="ROLE", help=f"one of {', '.join(ROLES)}"
    )
    token.add_argument("--org", help="the caller's organisation (default: the persona's)")
    token.add_argument(
        "--municipality", help="the caller's municipality code, e.g. 101 (default: the persona's)"
    )
    token.add_argument("--name", help="the caller's name for the logs (default: the persona's)")
    token.add_argument(
        "--hours", type=float, default=8.0, help="hours the token is valid (default 8)"
    )

    schema_cmd = sub.add_parser("schema", help="print the GraphQL SDL")
    schema_cmd.add_argument(
        "--federation",
        action="store_true",
        help="the subgraph SDL a router composes (the same text: the served schema is a "
        "federation v2.9 subgraph)",
    )

    audit = sub.add_parser("audit", help="verify or purge the audit log (AUDIT_URL)")
    audit_sub = audit.add_subparsers(
        dest="audit_command", required=True, metavar="ACTION", help="verify or purge"
    )
    audit_sub.add_parser("verify", help="walk the hash chain, name the first bad record")
    purge = audit_sub.add_parser("purge", help="delete records older than the retention period")
    purge.add_argument(
        "--days", type=int, default=183, help="retention in days (default 183, ~6 months)"
    )
    return parser


def _fail(message: str, status: int = 2) -> int:
    """One line on stderr, no traceback."""
    print(f"ungeprofil: {message}", file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from gateway.logs import configure_logging

    configure_logging()
    command: str = args.command
    if command == "token":
        return _token(args)
    if command == "schema":
        from schema.build import sdl

        sys.stdout.write(sdl())
        return 0
    if command == "mocks":
        return _mocks(args)
    if command == "demo":
        return _demo(args)
    if command == "serve":
        return _serve(args)
    if command == "audit":
        return _audit(args)
    return 2


def _token(args: argparse.Namespace) -> int:
    from gateway.auth import sign_demo_token

    settings = from_environment()
    name, org, municipality = KNOWN_PEOPLE.get(args.sub, (None, None, None))
    print(
        sign_demo_token(
            settings.state_dir,
            sub=args.sub,
            role=args.role,
            org=args.org or org,
            municipality=args.municipality or municipality,
            name=args.name or name,
            issuer=DEMO_ISSUER,
            audience=settings.token_audience,
            lifetime=dt.timedelta(hours=args.hours),
        )
    )
    return 0


def _mock_config(args: argparse.Namespace, base_port: int | None) -> object:
    from mocks.runner import MockConfig

    return MockConfig(
        population=args.population,
        seed=args.seed,
        reference_date=args.reference_date,
        latency_ms=args.latency_ms,
        fail=frozenset(args.fail),
        hang=frozenset(args.hang),
        host=args.host,
        base_port=base_port,
    )


def _mocks(args: argparse.Namespace) -> int:
    from mocks.runner import serve_forever

    asyncio.run(serve_forever(_mock_config(args, args.base_port)))  # type: ignore[arg-type]
    return 0


def _port_problem(host: str, port: int) -> str | None:
    """Why the gateway could not listen on host:port, or None. Checked before anything starts,
    so a port in use is one clear line instead of a server's traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"cannot listen on {host}: no such address"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use (choose another with --port)"
            return f"cannot listen on {host}:{port}: {error.strerror}"
    return None


def _run_gateway(
    settings_env: dict[str, str], host: str, port: int, workers: int, demo: bool
) -> None:
    import uvicorn

    os.environ.update(settings_env)
    os.environ["UNGEPROFIL_DEMO"] = "1" if demo else "0"
    # The workers of one `serve` share one key for caseload cursors and cache keys, so a cursor
    # one worker gave out pages on another (processes on other machines: set CACHE_KEY_SECRET).
    os.environ.setdefault("CACHE_KEY_SECRET", secrets.token_hex(32))
    settings = from_environment(demo=demo)
    uvicorn.run(
        "gateway.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        # uvicorn's httptools protocol with head limits and client deadlines (gateway/edge.py).
        http="gateway.edge:EdgeProtocol",
        timeout_keep_alive=settings.idle_timeout,  # type: ignore[arg-type]
        lifespan="on",
        log_config=None,
    )


def _refusal(settings: Settings, host: str, port: int) -> str | None:
    return production_problem(settings) or _port_problem(host, port)


def _demo(args: argparse.Namespace) -> int:
    from mocks.runner import MocksThread

    problem = _port_problem(args.host, args.port) or next(
        (
            f"mock register port: {found}"
            for offset in range(len(REGISTER_LABELS))
            if (found := _port_problem(args.host, args.mock_base_port + offset))
        ),
        None,
    )
    if problem:
        return _fail(problem, 1)
    with MocksThread(_mock_config(args, args.mock_base_port)) as mocks:  # type: ignore[arg-type]
        env = {f"REGISTER_URL_{label.upper()}": url for label, url in mocks.urls.items()}
        print(f"Mock registers: {', '.join(f'{k} {v}' for k, v in mocks.urls.items())}")
        print(f"GraphQL: http://{args.host}:{args.port}/graphql")
        print("Token:   .venv/bin/ungeprofil token --sub jette.hansen --role contact_person")
        sys.stdout.flush()
        _run_gateway(env, args.host, args.port, args.workers, demo=True)
    return 0


def _serve(args: argparse.Namespace) -> int:
    env = {"TRUSTED_OPERATIONS_ONLY": "true"} if args.trusted_only else {}
    settings = from_environment({**os.environ, **env}, demo=args.demo)
    problem = _refusal(settings, args.host, args.port)
    if problem:
        return _fail(problem, 2 if "JWKS" in problem else 1)
    _run_gateway(env, args.host, args.port, args.workers, demo=args.demo)
    return 0


def _audit(args: argparse.Namespace) -> int:
    from gateway.audit import purge_store, verify_store

    url = from_environment().audit_url
    missing = _missing_audit_database(url)
    if missing:
        return _fail(missing, 1)
    if args.audit_command == "verify":
        result = asyncio.run(verify_store(url))
        if result.ok:
            print(f"audit chain intact: {result.checked} records checked")
            return 0
        print(f"audit chain broken at record {result.first_bad_seq}: {result.problem}")
        return 1
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=args.days)
    removed = asyncio.run(purge_store(url, cutoff))
    print(f"purged {removed} records older than {cutoff.date().isoformat()}")
    return 0


def _missing_audit_database(url: str) -> str | None:
    """Why `audit verify`/`purge` has nothing to work on, or None. Opening a store creates it,
    so a mistyped path would otherwise be reported as an empty, intact log."""
    if url == "memory://" or url.startswith("memory:"):
        return "AUDIT_URL is memory://: a memory store lives and dies with its process"
    path: str | None = None
    if url.startswith("sqlite://"):
        path = url[len("sqlite://") :]
        path = path[1:] if path.startswith("/") else path
    elif "://" not in url:
        path = url
    if path is not None and not Path(path).is_file():
        return f"no audit database at {path} (set AUDIT_URL to the gateway's audit store)"
    return None


if __name__ == "__main__":
    raise SystemExit(main())
