"""How bytes reach the registers: `RegisterTransport`s, chosen by the composition root.

`RegisterEndpoint` (resolvers/http.py) needs one thing of HTTP: send a small JSON request and
get back the status and the whole body, or learn that the exchange failed. Two transports do it:

- `AiohttpRegisterTransport` (the default): one `aiohttp.ClientSession` with a pooled
  `TCPConnector`, called directly. On the register calls (small JSON over loopback keep-alive
  connections) it costs about a third of the CPU of httpx's own client, and less than half of
  httpx over an aiohttp transport (`make bench` measures both).
- `HttpxRegisterTransport`: any `httpx.AsyncClient`, so tests can put an `httpx.MockTransport`
  or `httpx.ASGITransport` between the gateway and its registers, and `REGISTER_HTTP_TRANSPORT=
  httpx` keeps a second, independent client one setting away.

Both translate failures the same way: connection refused, reset or dropped, a malformed answer,
a connect or read timeout raise `TransportFailure` (another attempt might succeed); a request
that can never be sent (a bad URL) raises `TransportFailure` with `retryable=False`. The overall
deadline of a call is not theirs: the endpoint holds it (`asyncio.timeout`).

Both add the W3C `traceparent` of the register call's span when tracing is on
(gateway/tracing.py); nothing else of the request's context travels.

Bodies are read whole; no redirects are followed, no cookies kept, no bodies decompressed (the
registers answer small, uncompressed JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import aiohttp
import httpx
from yarl import URL

from gateway.tracing import outgoing_headers

_JSON = {"content-type": "application/json", "accept": "application/json"}


class TransportFailure(Exception):
    """The exchange failed before a whole answer arrived; `reason` names how, never the data."""

    def __init__(self, reason: str, *, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class RegisterTransport(Protocol):
    async def send(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """(status, body) of one JSON exchange, or TransportFailure. `headers`: a write's own
        (its request id, the CPR it is about: never in the URL)."""
        ...

    async def aclose(self) -> None: ...


class AiohttpRegisterTransport:
    """One aiohttp session, opened in the running event loop on first use."""

    def __init__(
        self,
        *,
        max_connections: int = 100,
        connect_timeout: float | None = 2.0,
        read_timeout: float | None = 5.0,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=connect_timeout, sock_read=read_timeout
        )
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._max_connections,
            limit_per_host=0,
            keepalive_timeout=self._keepalive_expiry,
            ttl_dns_cache=300,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding"),
            timeout=self._timeout,
            trust_env=False,
        )
        return self._session

    async def send(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            if self._closed:  # a call still running at shutdown must not open a new session
                raise TransportFailure("closed", retryable=False)
            session = self._open()
        try:
            async with session.request(
                method,
                URL(url, encoded=True),
                data=content,
                # + the register call span's traceparent
                headers=outgoing_headers(_JSON if headers is None else {**_JSON, **headers}),
                allow_redirects=False,
            ) as answer:
                return answer.status, await answer.read()
        except (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError) as exc:
            raise TransportFailure(type(exc).__name__, retryable=False) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            # Connect/read timeouts (aiohttp's are TimeoutErrors), refused, reset or dropped
            # connections, answers that are not HTTP. The deadline's own timeout never lands
            # here: it cancels this coroutine instead.
            raise TransportFailure(type(exc).__name__) from None

    async def aclose(self) -> None:
        self._closed = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


class HttpxRegisterTransport:
    """Any httpx client (its own transport, a MockTransport, an ASGITransport)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes]:
        try:
            response = await self._client.request(
                method,
                url,
                content=content,
                headers=outgoing_headers(_JSON if headers is None else {**_JSON, **headers}),
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise TransportFailure(type(exc).__name__, retryable=False) from None
        except httpx.TransportError as exc:  # connect/read/write errors and timeouts
            raise TransportFailure(type(exc).__name__) from None
        except httpx.HTTPError as exc:  # anything else httpx refuses to send
            raise TransportFailure(type(exc).__name__, retryable=False) from None
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self._client.aclose()
