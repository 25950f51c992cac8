"""An httpx transport that sends requests with aiohttp: httpx's API, aiohttp's leaner client.

`httpx.AsyncClient(transport=AiohttpTransport())` keeps every httpx call site (requests,
responses, `httpx.HTTPError`) while the bytes travel through one `aiohttp.ClientSession` with a
pooled `TCPConnector`. On this project's register calls (small JSON over loopback keep-alive
connections) that costs about half the CPU of httpx's own transport (`make bench` measures it).

Semantics kept from httpx:
- the request's `timeout` extension (connect / read / write / pool) is honoured: connect →
  `sock_connect`, read → `sock_read`, pool + connect → the time allowed to get a connection;
- failures are httpx's: a timeout raises `httpx.ConnectTimeout` / `httpx.ReadTimeout` /
  `httpx.PoolTimeout` (all `httpx.TimeoutException`), a refused or failed connection
  `httpx.ConnectError`, a dropped one `httpx.ReadError` / `httpx.RemoteProtocolError`;
- redirects, cookies and content decoding stay with httpx (aiohttp follows no redirects,
  keeps no cookies and leaves bodies encoded).

Bodies are read whole before the response is returned; the transport is meant for small API
answers, not for streaming downloads.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx
from yarl import URL

_Timeouts = tuple[float | None, float | None, float | None]


def _total(*parts: float | None) -> float | None:
    if any(part is None for part in parts):
        return None
    return sum(part for part in parts if part is not None)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session per transport, opened in the running event loop on first use."""

    def __init__(self, *, max_connections: int = 100, keepalive_expiry: float | None = 5.0) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[_Timeouts, aiohttp.ClientTimeout] = {}

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
            auto_decompress=False,  # httpx decodes by Content-Encoding
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),  # httpx sets them
            timeout=aiohttp.ClientTimeout(total=None),
            trust_env=False,
        )
        return self._session

    def _timeout(self, extension: Any) -> aiohttp.ClientTimeout:
        values = extension if isinstance(extension, dict) else {}
        connect, read, pool = values.get("connect"), values.get("read"), values.get("pool")
        key = (connect, read, pool)
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(
                total=None, connect=_total(pool, connect), sock_connect=connect, sock_read=read
            )
            if len(self._timeouts) < 64:
                self._timeouts[key] = timeout
        return timeout

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session
        if session is None or session.closed:
            session = self._open()
        body = await request.aread()
        try:
            async with session.request(
                request.method,
                URL(str(request.url), encoded=True),
                headers=request.headers.multi_items(),
                data=body or None,
                allow_redirects=False,
                timeout=self._timeout(request.extensions.get("timeout")),
            ) as answer:
                content = await answer.read()
                return httpx.Response(
                    answer.status,
                    headers=list(answer.raw_headers),
                    content=content,
                    request=request,
                    extensions={
                        "http_version": b"HTTP/1.1",
                        "reason_phrase": (answer.reason or "").encode("ascii", "replace"),
                    },
                )
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc) or "connect timeout", request=request) from exc
        except aiohttp.SocketTimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "read timeout", request=request) from exc
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise httpx.PoolTimeout(str(exc) or "timed out", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except aiohttp.ClientResponseError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
