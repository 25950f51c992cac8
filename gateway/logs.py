"""Application logs as JSON lines, with CPR numbers scrubbed as a last line of defence.

The code never logs a CPR on purpose; the filter catches one that slips in through a library's
message or an exception text, because a CPR in a log line is a personal-data leak.

Every line written while a request is handled carries its `requestId`: the access middleware
(gateway/access_log.py) binds it to the request's context with `bind_request_id`, and the
formatter adds it to each line — the access line, a register's warning, the guard's error.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

import orjson

_CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")

#: The id of the request being handled in this context (None outside a request).
_REQUEST_ID: ContextVar[str | None] = ContextVar("ungeprofil_request_id", default=None)

#: Hex digits written as the letters a-p: a request id carries no digits at all, so no log
#: scanner (or reader) ever mistakes a run of it for a CPR number.
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def scrub(text: str) -> str:
    return _CPR_LIKE.sub("[cpr]", text)


def new_request_id() -> str:
    """128 random bits as 32 letters a-p."""
    return uuid.uuid4().hex.translate(_LETTERS)


def bind_request_id(request_id: str) -> Token[str | None]:
    """Tag every log line of this context (a request and the tasks it starts) with the id."""
    return _REQUEST_ID.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _REQUEST_ID.reset(token)


def current_request_id() -> str | None:
    return _REQUEST_ID.get()


def _stamp_request_id(
    factory: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    """A log record factory that notes the request id when the line is made (a handler may
    format it later, elsewhere: a queue, a test's capture)."""

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.requestId = _REQUEST_ID.get()
        return record

    make.stamps_request_id = True  # type: ignore[attr-defined]
    return make


if not getattr(logging.getLogRecordFactory(), "stamps_request_id", False):
    logging.setLogRecordFactory(_stamp_request_id(logging.getLogRecordFactory()))


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        request_id = getattr(record, "requestId", None) or _REQUEST_ID.get()
        if request_id is not None:
            entry["requestId"] = request_id
        fields = getattr(record, "fields", None)  # structured fields (the access line's)
        if isinstance(fields, dict):
            entry.update({key: value for key, value in fields.items() if key not in entry})
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn installs its own handlers; route them through ours.
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
