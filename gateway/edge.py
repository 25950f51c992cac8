"""The HTTP server's edge: limits uvicorn's httptools protocol does not set itself.

uvicorn reads a request's head (request line and headers) without a size or count limit, and
without a deadline: three parallel 100 MB `Authorization` headers cost ~900 MB before the app
answered 401, and a client sending its headers one byte at a time kept its connection for as
long as it liked (every byte re-armed nothing and cancelled the keep-alive timer). This protocol
is uvicorn's own (`HttpToolsProtocol`, pinned in requirements.lock), plus:

- **head size and count**: more than `MAX_HEADER_BYTES` bytes of head, or more than
  `MAX_HEADER_COUNT` header lines, is answered `431 Request Header Fields Too Large` and the
  connection closed. The bytes are counted as they arrive, before the parser has assembled a
  header, so a huge header costs at most one read buffer beyond the limit.
- **head deadline**: a connection must deliver a complete head within `HEADER_TIMEOUT` seconds
  of connecting (or of the request's first byte, on a kept-alive connection), else
  `408 Request Timeout` and closed — an absolute deadline, so trickling bytes does not help.
- **body deadline**: a request's body must be complete within `BODY_TIMEOUT` seconds of its
  head, else 408 (when no response has started) and closed.
- **idle**: an idle kept-alive connection is closed after `IDLE_TIMEOUT` (uvicorn's
  `timeout_keep_alive`, set by the CLI).

The refusals carry the same security headers as every app response (gateway/security.py). After
a refusal the connection is half-closed and what the client still sends is read and dropped for
a moment (a "lingering close"), so the client reads the answer instead of a reset.

uvicorn builds one protocol per connection with its own `Config`; the limits come from the
environment (`EdgeLimits.from_environment`), read once per process, as the app's settings are.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.security import BASE_HEADERS, STRICT_CSP
from gateway.settings import Settings, from_environment

#: How long a refused connection keeps reading (and dropping) what the client still sends.
LINGER = 2.0


@dataclass(frozen=True)
class EdgeLimits:
    max_header_bytes: int = Settings.max_header_bytes
    max_header_count: int = Settings.max_header_count
    header_timeout: float = Settings.header_timeout
    body_timeout: float = Settings.body_timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> EdgeLimits:
        return cls(
            max_header_bytes=settings.max_header_bytes,
            max_header_count=settings.max_header_count,
            header_timeout=settings.header_timeout,
            body_timeout=settings.body_timeout,
        )

    @classmethod
    @functools.cache
    def from_environment(cls) -> EdgeLimits:
        return cls.from_settings(from_environment())


class _HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing a head over the limits."""


def refusal(status: int, reason: str) -> bytes:
    """A complete HTTP/1.1 response that closes the connection, with the security headers."""
    body = f"{reason}\n".encode()
    headers = {
        **BASE_HEADERS,
        "Content-Security-Policy": STRICT_CSP,
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": str(len(body)),
        "Connection": "close",
    }
    lines = [f"HTTP/1.1 {status} {reason}"] + [
        f"{name}: {value}" for name, value in headers.items()
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


TOO_LARGE = refusal(431, "Request Header Fields Too Large")
TIMED_OUT = refusal(408, "Request Timeout")


class EdgeProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with head limits and head/body deadlines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = EdgeLimits.from_environment()
        self._in_head = True  # between a request's first byte (or the connection) and its head
        self._head_raw = 0  # bytes received while the head was incomplete
        self._head_exact = 0  # bytes of request line and headers the parser has handed over
        self._header_count = 0
        self._refused = False
        self._deadline: Any = None  # asyncio.TimerHandle of the head or body deadline

    # --- connection -----------------------------------------------------------------------

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm(self.limits.header_timeout)  # nothing sent at all is a slow head, too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # lingering: read and drop
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError:
            if self._refused:
                return
            self._bad_request()
            return
        except httptools.HttpParserError:
            self._bad_request()
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self._in_head and not self._refused:
            # Still no complete head: all of this chunk counts (the parser holds it).
            self._head_raw += len(data)
            if self._head_raw > self.limits.max_header_bytes:
                self._refuse(TOO_LARGE, "request head too large")

    # --- parser callbacks -----------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_raw = self._head_exact = self._header_count = 0
        if self._deadline is None:
            self._arm(self.limits.header_timeout)

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.limits.max_header_count:
            self._refuse(TOO_LARGE, "too many header lines")
            raise _HeadTooLarge
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        self._arm(self.limits.body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    # --- limits ---------------------------------------------------------------------------

    def _count(self, size: int) -> None:
        self._head_exact += size
        if self._head_exact > self.limits.max_header_bytes:
            self._refuse(TOO_LARGE, "request head too large")
            raise _HeadTooLarge

    def _arm(self, seconds: float) -> None:
        self._disarm()
        if seconds > 0:
            self._deadline = self.loop.call_later(seconds, self._deadline_passed)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _deadline_passed(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self._refused:
            return
        if not self._in_head:
            # The body did not arrive in time (408 unless the app has begun to answer).
            self._refuse(TIMED_OUT, "request body not complete in time")
        elif self._head_raw or self._head_exact or self.cycle is not None:
            self._refuse(TIMED_OUT, "request head not complete in time")
        else:
            self.transport.close()  # connected and said nothing: just close

    def _refuse(self, response: bytes, why: str) -> None:
        """Answer `response` (unless a response has started), stop the request and linger."""
        if self._refused:
            return
        self._refused = True
        self._disarm()
        self.logger.info("refused a connection: %s", why)
        self._stop_cycle()
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(response)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER, self._close_after_linger)

    def _stop_cycle(self) -> None:
        """The app stops waiting for a body that will not come, and sends nothing more."""
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()

    def _close_after_linger(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def _bad_request(self) -> None:
        msg = "Invalid HTTP request received."
        self.logger.warning(msg)
        self.send_400_response(msg)
