"""A loopback stand-in for API Gateway's HTTP API in front of the template's functions.

Routes come from the ``HttpApi`` events in template.yaml. Each request becomes a payload
format 2.0 event (the shape the real HTTP API sends, binary bodies base64-encoded) and runs the
same handler Lambda runs, through the offline stack's in-process runner. Like API Gateway it
answers 404 for undeclared routes, 413 for bodies over the 6 MB Lambda payload limit and 500
when the function fails. CORS and throttling, which API Gateway applies itself, are not
imitated.

Given a ``site`` (``StaticSite``), it also serves the web pages on the same origin: GET requests
that match no API route are answered from ``web/``, and ``/config.json`` tells the pages to call
the API on their own origin, so the browser needs no CORS here.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from local.loopback import LoopbackServer
from local.stack.template import load_sam_template

log = logging.getLogger(__name__)
LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024
# Bodies of these types reach the function as text; everything else arrives base64-encoded.
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")

Invoke = Callable[[str, dict[str, Any]], tuple[Any, bool]]
Answer = tuple[int, dict[str, str], bytes]
SITE_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".png", ".ico", ".txt")


class StaticSite:
    """The files of a folder (``web/``) by URL path, and a generated ``config.json``.

    Only files with a page-like suffix are served, never hidden ones, never outside the folder;
    ``/`` and ``/<dir>/`` are their ``index.html``. The config is generated, not read from the
    folder: on AWS the deploy step writes the real one next to the pages.
    """

    def __init__(self, root: Path, config: dict[str, Any]):
        self.root = root.resolve()
        self.config = json.dumps(config, indent=2).encode()

    def answer(self, path: str) -> Answer | None:
        """The response for a GET of ``path``, or None when the site has no such file."""
        if path == "/config.json":
            headers = {"content-type": "application/json", "cache-control": "no-store"}
            return 200, headers, self.config
        relative = path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        parts = relative.split("/")
        if any(part in ("", "..") or part.startswith(".") for part in parts):
            return None
        file = (self.root / relative).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            return None
        if file.suffix not in SITE_SUFFIXES:
            return None
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json")):
            content_type += "; charset=utf-8"
        # Pages change while someone edits them; the browser asks again every time.
        return 200, {"content-type": content_type, "cache-control": "no-cache"}, file.read_bytes()


def http_api_routes(template: Path) -> dict[tuple[str, str], str]:
    """{(METHOD, path): function logical id} for every HttpApi event in the template."""
    routes: dict[tuple[str, str], str] = {}
    for logical_id, resource in load_sam_template(template)["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        for event in (resource.get("Properties", {}).get("Events") or {}).values():
            if event.get("Type") == "HttpApi":
                properties = event.get("Properties") or {}
                routes[(str(properties["Method"]).upper(), str(properties["Path"]))] = logical_id
    return routes


def http_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1"
) -> dict[str, Any]:
    """The API Gateway HTTP API (payload 2.0) event for one request."""
    split = urlsplit(target)
    lowered = {k.lower(): v for k, v in headers.items()}
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(split.query, keep_blank_values=True):
        query.setdefault(key, []).append(value)
    content_type = lowered.get("content-type", "")
    textual = not body or content_type.startswith(TEXT_TYPES)
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {split.path}",
        "rawPath": split.path,
        "rawQueryString": split.query,
        "headers": lowered,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "offline",
            "domainName": lowered.get("host", "localhost"),
            "domainPrefix": "offline",
            "http": {
                "method": method,
                "path": split.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": f"{method} {split.path}",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": not textual,
    }
    if query:
        event["queryStringParameters"] = {k: ",".join(v) for k, v in query.items()}
    if lowered.get("cookie"):
        event["cookies"] = [c.strip() for c in lowered["cookie"].split(";") if c.strip()]
    if body:
        event["body"] = (
            body.decode("utf-8", "replace") if textual else base64.b64encode(body).decode()
        )
    return event


class HttpApiGateway(LoopbackServer):
    """Routes loopback HTTP requests to functions; ``.url``, ``.stop()``, context manager."""

    thread_name = "http-api"

    def __init__(
        self,
        invoke: Invoke,
        routes: dict[tuple[str, str], str],
        function_names: dict[str, str],
        host: str = "127.0.0.1",
        port: int = 0,
        site: StaticSite | None = None,
    ):
        self.invoke = invoke
        self.routes = routes
        self.function_names = function_names
        self.site = site
        handler = type("Handler", (_Handler,), {"gateway": self})
        super().__init__(host, port, handler)

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        """One request -> (status, headers, body), as API Gateway would answer it."""
        path = urlsplit(target).path
        logical_id = self.routes.get((method, path))
        if logical_id is None and self.site is not None and method == "GET":
            page = self.site.answer(path)
            if page is not None:
                return page
        if logical_id is None:
            return _plain(404, {"message": "Not Found"})
        event = http_event(method, target, headers, body)
        if len(json.dumps(event)) > LAMBDA_PAYLOAD_LIMIT:
            return _plain(
                413,
                {
                    "error": "TooLarge",
                    "message": "body: the request is over Lambda's 6 MB payload limit; upload "
                    'the photo to S3 under the upload prefix and send {"s3Key": ...} instead',
                    "fields": [{"field": "body", "rule": "at most 6 MB with its encoding"}],
                },
            )
        result, failed = self.invoke(self.function_names[logical_id], event)
        if failed or not isinstance(result, dict) or "statusCode" not in result:
            if failed:
                log.error("function %s failed: %s", logical_id, result.get("errorMessage"))
            return _plain(500, {"message": "Internal Server Error"})
        raw = result.get("body") or ""
        data = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
        answer_headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        for cookie in result.get("cookies") or []:
            answer_headers.setdefault("set-cookie", cookie)
        if not any(k.lower() == "content-type" for k in answer_headers):
            answer_headers["content-type"] = "application/json"
        return int(result["statusCode"]), answer_headers, data


def _plain(status: int, payload: dict[str, Any]) -> Answer:
    return status, {"content-type": "application/json"}, json.dumps(payload).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OfflineHttpApi/1.0"
    gateway: HttpApiGateway

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.info("%s - " + format, self.client_address[0], *args)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            status, headers, data = self.gateway.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
        except Exception:  # the gateway answers 500 rather than dropping the connection
            log.exception("gateway failed")
            status, headers, data = _plain(500, {"message": "Internal Server Error"})
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve


def start_gateway(
    offline: Any, host: str = "127.0.0.1", port: int = 0, site: Path | None = None
) -> HttpApiGateway:
    """Serve the HTTP API routes of the running offline stack (``local.stack.offline``), and
    the web pages in ``site`` (e.g. ``web/``) on the same origin when it is given."""
    from local.stack.deploy import TEMPLATE

    routes = http_api_routes(TEMPLATE)
    names = {lid: offline.stack.function_name(lid) for lid in set(routes.values())}
    # An empty apiBaseUrl means "this page's own origin" (see web/js/api.js).
    pages = StaticSite(site, {"apiBaseUrl": ""}) if site is not None else None
    gateway = HttpApiGateway(offline.services.runner.invoke, routes, names, host, port, pages)
    return gateway.start()
