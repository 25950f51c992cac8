"""The command line as an operator meets it: help on every option, `--version`, one clear line
(no traceback) for a port in use, a role that does not exist, or an audit database that is not
there — and `audit verify` never creates the database it was asked to check."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway import cli
from gateway.auth import demo_jwks_document
from tests.crash.gateway_process import ROOT, UNGEPROFIL


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [UNGEPROFIL, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from parsers(child)


def test_every_option_has_help() -> None:
    missing = [
        f"{prog} {action.option_strings or action.dest}"
        for prog, parser in parsers(cli._parser())
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        and (action.help is None or action.help == argparse.SUPPRESS)
    ]
    assert missing == []


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ungeprofil {cli._package_version()}"
    assert cli._package_version() != "unknown"


def test_token_refuses_an_unknown_role() -> None:
    done = run("token", "--sub", "jette.hansen", "--role", "superuser")
    assert done.returncode == 2 and done.stdout == ""
    assert "invalid choice: 'superuser'" in done.stderr and "Traceback" not in done.stderr
    assert run("token", "--sub", "jette.hansen", "--role", "mentor").returncode == 0


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_port_in_use_is_one_clear_line(taken_port: int, command: str, tmp_path: Path) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(demo_jwks_document(tmp_path)))
    done = run(
        command,
        "--port",
        str(taken_port),
        env={"JWKS_FILE": str(jwks), "UNGEPROFIL_STATE_DIR": str(tmp_path)},
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        f"ungeprofil: port {taken_port} on 127.0.0.1 is already in use (choose another with --port)"
    ], done.stderr
    assert "Traceback" not in done.stdout


@pytest.mark.parametrize("command", [["verify"], ["purge", "--days", "30"]])
def test_audit_refuses_a_path_with_no_database(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nowhere" / "audit.sqlite3"
    for url in (f"sqlite:///{missing}", str(missing)):
        done = run("audit", *command, env={"AUDIT_URL": url})
        assert done.returncode == 1, done.stdout + done.stderr
        assert done.stdout == ""
        assert done.stderr.strip() == (
            f"ungeprofil: no audit database at {missing} "
            "(set AUDIT_URL to the gateway's audit store)"
        )
        assert not missing.exists() and not missing.parent.exists()


def test_audit_verify_refuses_a_memory_store() -> None:
    done = run("audit", "verify", env={"AUDIT_URL": "memory://"})
    assert done.returncode == 1 and "memory" in done.stderr and "intact" not in done.stdout
