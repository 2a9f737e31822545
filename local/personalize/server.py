"""HTTP server: routing for the three Personalize APIs plus the /_emulator admin endpoints."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
import urllib.request
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler

from local.loopback import LoopbackServer

from . import contract, events, runtime
from .exceptions import (
    InvalidInputException,
    NotImplementedOperationException,
    PersonalizeError,
    RequestEntityTooLargeException,
    SerializationException,
    ThrottlingException,
    UnknownOperationException,
    UnsupportedMediaTypeException,
)
from .settings import Settings
from .store import Store

log = logging.getLogger("local.personalize")
TARGET_PREFIX = "AmazonPersonalize."
_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
DATA_PLANE = {
    "personalize-events": {
        "PutEvents": events.put_events,
        "PutUsers": events.put_users,
        "PutItems": events.put_items,
    },
    "personalize-runtime": {
        "GetRecommendations": runtime.get_recommendations,
        "GetPersonalizedRanking": runtime.get_personalized_ranking,
    },
}
CONTENT_TYPES = {
    "personalize": "application/x-amz-json-1.1",
    "personalize-events": "application/json",
    "personalize-runtime": "application/json",
}


class Emulator:
    """The emulator's state and request dispatch, independent of HTTP."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = Store(settings)
        self.counts: Counter[str] = Counter()
        self.counts_lock = threading.Lock()

    def reset(self) -> None:
        self.store.reset()
        self.store.faults.configure(self.settings.faults)
        with self.counts_lock:
            self.counts.clear()

    def count(self, operation: str) -> None:
        with self.counts_lock:
            self.counts[operation] += 1

    def calls(self) -> dict[str, int]:
        with self.counts_lock:
            return dict(sorted(self.counts.items()))

    def handle(self, service: str, operation: str, params: dict, region: str) -> dict:
        """Count, maybe throttle, validate, dispatch and shape one API call."""
        model = contract.service_model(service)
        if operation not in model.operation_names:
            raise UnknownOperationException(f"{service} has no operation {operation}.")
        self.count(operation)
        if self.store.faults.should_throttle(operation):
            raise ThrottlingException(f"Rate exceeded for {operation} (injected fault).")
        contract.validate(contract.input_shape(service, operation), params)
        if service == "personalize":
            handler = getattr(self.store, f"op_{operation}", None)
            call = None if handler is None else (lambda: handler(params, region))
        else:
            fn = DATA_PLANE[service].get(operation)
            call = None if fn is None else (lambda: fn(self.store, params, region))
        if call is None:
            raise NotImplementedOperationException(
                f"Operation {operation} is not implemented by the emulator."
            )
        with self.store.lock:
            result = call()
            if operation.startswith("Create") and params.get("tags"):
                arn = next((v for k, v in result.items() if k.endswith("Arn")), None)
                if arn in self.store.resources:
                    self.store.resources[arn].extra["tags"] = params["tags"]
        return contract.shape_output(contract.output_shape(service, operation), result) or {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PersonalizeEmulator/1.0"
    timeout = 30
    emulator: Emulator

    def setup(self):
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.debug("%s - " + format, self.client_address[0], *args)

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def do_PUT(self):
        self._serve()

    def do_DELETE(self):
        self._serve()

    def _serve(self):
        started = time.perf_counter()
        operation = "-"
        content_type = "application/json"
        try:
            path = self.path.split("?", 1)[0]
            body = self._body()
            if path.startswith("/_emulator/"):
                operation = path
                status, payload = self._admin(path, body)
                self._send(status, payload, content_type)
                return
            service, operation = self._route(path)
            content_type = CONTENT_TYPES[service]
            self._check_content_type(service, body)
            params = self._json(body)
            region = self._region()
            result = self.emulator.handle(service, operation, params, region)
            self._send(200, result, content_type)
        except PersonalizeError as exc:
            self._send(exc.status, exc.body(), content_type, error=exc.code)
        except Exception as exc:  # never let a request kill the server
            log.exception("internal error serving %s", operation)
            body = {"__type": "InternalFailure", "message": f"Emulator error: {exc}"}
            self._send(500, body, content_type, error="InternalFailure")
        finally:
            log.info(
                "%s %s %s -> %s (%.1f ms)",
                self.command,
                self.path,
                operation,
                getattr(self, "_status", "?"),
                (time.perf_counter() - started) * 1000,
            )

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise SerializationException("Chunked request bodies are not supported.")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise SerializationException("Content-Length is not a number.") from None
        if length < 0:
            self.close_connection = True
            raise SerializationException("Content-Length is negative.")
        if length > self.emulator.settings.max_body_bytes:
            self.close_connection = True
            if length <= 8 * self.emulator.settings.max_body_bytes:
                remaining = length  # drain so the client sees the answer, not a broken pipe
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 1 << 20))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            raise RequestEntityTooLargeException(
                f"Request body of {length} bytes exceeds the emulator's limit of "
                f"{self.emulator.settings.max_body_bytes} bytes."
            )
        return self.rfile.read(length) if length else b""

    def _route(self, path: str) -> tuple[str, str]:
        target = self.headers.get("X-Amz-Target")
        if target:
            if not target.startswith(TARGET_PREFIX) or self.command != "POST":
                raise UnknownOperationException(f"Unknown X-Amz-Target {target!r}.")
            return "personalize", target[len(TARGET_PREFIX) :]
        for service in ("personalize-events", "personalize-runtime"):
            operation = contract.rest_routes(service).get((self.command, path.rstrip("/") or "/"))
            if operation:
                return service, operation
        raise UnknownOperationException(
            f"No Personalize operation at {self.command} {path} (control-plane calls need an "
            "X-Amz-Target header)."
        )

    def _check_content_type(self, service: str, body: bytes) -> None:
        declared = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not declared and (service != "personalize" or not body):
            return
        if declared not in ("application/x-amz-json-1.1", "application/json"):
            raise UnsupportedMediaTypeException(
                f"Content-Type {declared or '(none)'!r} is not supported; send JSON "
                f"({CONTENT_TYPES[service]})."
            )

    @staticmethod
    def _json(body: bytes) -> dict:
        if not body.strip():
            return {}
        try:
            value = json.loads(body)
        except ValueError as exc:
            raise SerializationException(f"Request body is not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise SerializationException("Request body must be a JSON object.")
        return value

    def _region(self) -> str:
        match = _REGION.search(self.headers.get("Authorization", ""))
        return match.group(1) if match else self.emulator.settings.default_region

    def _admin(self, path: str, body: bytes) -> tuple[int, dict]:
        emulator = self.emulator
        if path == "/_emulator/calls" and self.command == "GET":
            return 200, emulator.calls()
        if path == "/_emulator/reset" and self.command == "POST":
            emulator.reset()
            return 200, {"reset": True}
        if path == "/_emulator/faults" and self.command == "GET":
            return 200, emulator.store.faults.as_dict()
        if path == "/_emulator/faults" and self.command == "POST":
            emulator.store.faults.configure(self._json(body))
            return 200, emulator.store.faults.as_dict()
        if path == "/_emulator/health" and self.command == "GET":
            return 200, {"ok": True}
        raise UnknownOperationException(f"No admin endpoint {self.command} {path}.")

    def _send(self, status: int, payload: dict, content_type: str, error: str | None = None):
        self._status = status
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            if error:
                self.send_header("x-amzn-ErrorType", error)
            if self.close_connection:
                self.send_header("Connection", "close")
            # Headers and body in one write: separate small writes meet delayed ACKs (~40 ms).
            self._headers_buffer.append(b"\r\n" + data)
            self.flush_headers()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class RunningEmulator(LoopbackServer):
    """A started emulator: ``.url``, ``.stop()``, admin helpers; a context manager."""

    thread_name = "personalize-emulator"

    def __init__(self, host: str, port: int, settings: Settings):
        self.emulator = Emulator(settings)
        handler = type("Handler", (_Handler,), {"emulator": self.emulator})
        super().__init__(host, port, handler)

    def _admin(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - our own http URL
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
            return json.loads(response.read())

    def calls(self) -> dict[str, int]:
        return self._admin("GET", "/_emulator/calls")

    def faults(self) -> dict:
        return self._admin("GET", "/_emulator/faults")

    def set_faults(self, faults: dict) -> dict:
        return self._admin("POST", "/_emulator/faults", faults)

    def reset(self) -> None:
        self._admin("POST", "/_emulator/reset", {})


def start_emulator(
    host: str = "127.0.0.1", port: int = 0, settings: Settings | dict | None = None
) -> RunningEmulator:
    """Start the emulator in a daemon thread and return it (``port=0``: an ephemeral port)."""
    resolved = Settings.from_env(settings)
    if not isinstance(resolved.faults, dict):
        raise InvalidInputException("faults must be a JSON object")
    return RunningEmulator(host, port, resolved).start()
