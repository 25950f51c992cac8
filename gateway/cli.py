"""`ungeprofil demo | serve | mocks | token | schema | audit verify | audit purge`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Sequence

from gateway.settings import DEMO_ISSUER, REGISTER_LABELS, from_environment

#: Names the demo token command fills in for the personas, so access logs read like Jobnet's.
KNOWN_PEOPLE = {
    "jette.hansen": ("Jette Hansen", "Jobcenter København", "0101"),
    "mikkel.holm": ("Mikkel Holm", "Københavns Kommune", "0101"),
    "sara.nielsen": ("Sara Nielsen", "Københavns Kommune", "0101"),
    "lars.pedersen": ("Lars Pedersen", "Jobcenter Aarhus", "0751"),
    "maria.kristensen": ("Maria Kristensen", "851234", None),
    "henrik.soerensen": ("Henrik Sørensen", "Københavns Kommune", "0101"),
    "fagsystem-101": ("Fagsystem, Københavns Kommune", "Københavns Kommune", "0101"),
}


def _mock_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--population", type=int, default=2000, help="generated young people")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reference-date", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every register answer")
    parser.add_argument("--fail", action="append", default=[], choices=REGISTER_LABELS)
    parser.add_argument("--hang", action="append", default=[], choices=REGISTER_LABELS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ungeprofil", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="mock registers + gateway with embedded defaults")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--mock-base-port", type=int, default=8101)
    demo.add_argument("--workers", type=int, default=1)
    _mock_options(demo)

    serve = sub.add_parser("serve", help="the gateway alone, configured from the environment")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="GraphiQL and demo conveniences")
    serve.add_argument(
        "--trusted-only",
        action="store_true",
        help="run only the persisted operations (TRUSTED_OPERATIONS_ONLY=true)",
    )

    mocks = sub.add_parser("mocks", help="the mock registers alone")
    mocks.add_argument("--host", default="127.0.0.1")
    mocks.add_argument("--base-port", type=int, default=8101)
    _mock_options(mocks)

    token = sub.add_parser("token", help="print a signed demo bearer token")
    token.add_argument("--sub", required=True)
    token.add_argument("--role", required=True)
    token.add_argument("--org")
    token.add_argument("--municipality")
    token.add_argument("--name")
    token.add_argument("--hours", type=float, default=8.0)

    sub.add_parser("schema", help="print the GraphQL SDL")

    audit = sub.add_parser("audit", help="verify or purge the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="walk the hash chain, name the first bad record")
    purge = audit_sub.add_parser("purge", help="delete records older than the retention period")
    purge.add_argument(
        "--days", type=int, default=183, help="retention in days (default ~6 months)"
    )
    return parser


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


def _run_gateway(
    settings_env: dict[str, str], host: str, port: int, workers: int, demo: bool
) -> None:
    import os

    import uvicorn

    os.environ.update(settings_env)
    os.environ["UNGEPROFIL_DEMO"] = "1" if demo else "0"
    uvicorn.run(
        "gateway.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        log_config=None,
    )


def _demo(args: argparse.Namespace) -> int:
    from mocks.runner import MocksThread

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
    _run_gateway(env, args.host, args.port, args.workers, demo=args.demo)
    return 0


def _audit(args: argparse.Namespace) -> int:
    from gateway.audit import purge_store, verify_store

    url = from_environment().audit_url
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


if __name__ == "__main__":
    raise SystemExit(main())
