"""A small OPA-compatible HTTP server for tests: the v1 Data API subset the client uses.

It is loaded from a bundle made by `build_bundle`, so the server runs exactly what the
embedded engine runs, and it evaluates with the real OPA Go engine when the bindings load
(else with rego-cpp, marked in `engine_name`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Mapping
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.policies.bundle import read_bundle
from gateway.policies.go_opa_evaluator import GoOpaEvaluator, go_opa_available
from gateway.policies.sources import CATALOGUE_DATA_PATH

PathEvaluator = Callable[[str, Mapping[str, Any] | None], Any]


class RegopyPathEvaluator:
    """Fallback: any document by dotted path on rego-cpp (slow: it compiles per query)."""

    def __init__(self, modules: Mapping[str, str], data: Mapping[str, Any]) -> None:
        import regopy

        self._lock = threading.Lock()
        self._interpreter = regopy.Interpreter()
        for name, source in modules.items():
            self._interpreter.add_module(name, source)
        self._interpreter.add_data_json(orjson.dumps(data).decode())

    def evaluate_path(self, path: str, input: Mapping[str, Any] | None = None) -> Any:
        with self._lock:
            self._interpreter.set_input_term(orjson.dumps(input or {}).decode())
            output = self._interpreter.query(f"data.{path}")
            if not output.ok() or len(output) == 0 or not output[0].expressions:
                return None
            return output[0].expressions[0]


def evaluator_from_bundle(bundle: bytes) -> tuple[str, Any]:
    _manifest, modules, data = read_bundle(bundle)
    catalogue = data[CATALOGUE_DATA_PATH[0]][CATALOGUE_DATA_PATH[1]]
    if go_opa_available():
        return "go-opa", GoOpaEvaluator(catalogue, modules)
    return "regopy", RegopyPathEvaluator(modules, data)


def create_app(bundle: bytes) -> Starlette:
    engine_name, evaluator = evaluator_from_bundle(bundle)

    def document(path: str, input: Mapping[str, Any] | None) -> Response:
        dotted = ".".join(part for part in path.split("/") if part)
        value = evaluator.evaluate_path(dotted, input)
        # OPA answers an undefined document with 200 and no "result" key.
        return JSONResponse({} if value is None else {"result": value})

    async def post_data(request: Request) -> Response:
        body = await request.body()
        payload = orjson.loads(body) if body else {}
        return document(request.path_params["path"], payload.get("input"))

    async def get_data(request: Request) -> Response:
        return document(request.path_params["path"], None)

    async def health(request: Request) -> Response:
        return JSONResponse({})

    async def policies(request: Request) -> Response:
        return JSONResponse({"result": []})

    app = Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/v1/policies/", policies, methods=["GET"]),
            Route("/v1/data/{path:path}", post_data, methods=["POST"]),
            Route("/v1/data/{path:path}", get_data, methods=["GET"]),
        ]
    )
    app.state.engine_name = engine_name
    return app


class RunningServer:
    """The app on a loopback port in a thread. The socket listens before the thread starts,
    so a client may connect at once: the kernel queues it until uvicorn accepts."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(128)
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> RunningServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
