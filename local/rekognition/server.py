"""HTTP server speaking Rekognition's JSON protocol for DetectFaces, plus admin endpoints.

boto3 sends ``POST /`` with ``X-Amz-Target: RekognitionService.DetectFaces`` and the image
either as base64 ``Image.Bytes`` or as ``Image.S3Object`` (read here with boto3, so it reaches
the same S3 the caller uses: moto in the offline stack). Errors come back the way Rekognition
sends them (``__type`` and ``Message``), so botocore raises the same ClientError codes.

Admin: ``GET /_rekognition/calls`` lists the calls served (operation, attributes, image source,
faces found; never image bytes), ``POST /_rekognition/reset`` forgets them,
``GET /_rekognition/health`` answers ``{"ok": true}``.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any

from local.loopback import LoopbackServer

from .detector import UndecodableImageError, detect_faces

log = logging.getLogger(__name__)
TARGET_PREFIX = "RekognitionService."
MAX_BYTES = 5 * 1024 * 1024
MAX_S3_BYTES = 15 * 1024 * 1024
MIN_SIDE = 80
VALID_ATTRIBUTES = {
    "DEFAULT",
    "ALL",
    "AGE_RANGE",
    "BEARD",
    "EMOTIONS",
    "EYE_DIRECTION",
    "EYEGLASSES",
    "EYES_OPEN",
    "FACE_OCCLUDED",
    "GENDER",
    "MOUTH_OPEN",
    "MUSTACHE",
    "SMILE",
    "SUNGLASSES",
}


class RekognitionError(Exception):
    """An error answered the way Rekognition answers it."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.status = code, status


class Recorder:
    """The calls served so far; thread safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[dict[str, Any]] = []

    def add(self, call: dict[str, Any]) -> None:
        with self._lock:
            self._calls.append(call)

    def calls(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(c) for c in self._calls]

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()


def _image_bytes(image: Any) -> tuple[bytes, str]:
    if not isinstance(image, dict) or not ({"Bytes", "S3Object"} & set(image)):
        raise RekognitionError("InvalidParameterException", "Image must hold Bytes or S3Object")
    if "Bytes" in image:
        try:
            data = base64.b64decode(image["Bytes"], validate=True)
        except (binascii.Error, TypeError, ValueError) as err:
            raise RekognitionError(
                "InvalidParameterException", "Image.Bytes is not base64"
            ) from err
        if len(data) > MAX_BYTES:
            raise RekognitionError("ImageTooLargeException", "Image.Bytes exceeds 5 MB")
        return data, "Bytes"
    return _s3_bytes(image["S3Object"]), "S3Object"


def _s3_bytes(location: Any) -> bytes:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    if not isinstance(location, dict) or not location.get("Bucket") or not location.get("Name"):
        raise RekognitionError("InvalidParameterException", "S3Object needs Bucket and Name")
    try:
        s3 = boto3.client("s3")
        head = s3.head_object(Bucket=location["Bucket"], Key=location["Name"])
        if head["ContentLength"] > MAX_S3_BYTES:
            raise RekognitionError("ImageTooLargeException", "S3 object exceeds 15 MB")
        return s3.get_object(Bucket=location["Bucket"], Key=location["Name"])["Body"].read()
    except (ClientError, BotoCoreError) as err:
        raise RekognitionError(
            "InvalidS3ObjectException", f"Unable to get object metadata from S3: {err}"
        ) from err


def handle_detect_faces(params: dict[str, Any], recorder: Recorder) -> dict[str, Any]:
    """DetectFaces: validate like Rekognition, detect, record the call (without the image)."""
    attributes = params.get("Attributes") or ["DEFAULT"]
    if not isinstance(attributes, list) or not set(map(str, attributes)) <= VALID_ATTRIBUTES:
        raise RekognitionError("InvalidParameterException", f"Attributes {attributes} invalid")
    data, source = _image_bytes(params.get("Image"))
    try:
        faces = detect_faces(data, attributes)
    except UndecodableImageError as err:
        raise RekognitionError(
            "InvalidImageFormatException", "Request has invalid image format"
        ) from err
    recorder.add(
        {
            "operation": "DetectFaces",
            "attributes": attributes,
            "source": source,
            "faces": len(faces),
        }
    )
    return {"FaceDetails": faces}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RekognitionStandIn/1.0"
    recorder: Recorder

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.debug("%s - " + format, self.client_address[0], *args)

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        try:
            if path.startswith("/_rekognition/"):
                self._send(200, self._admin(path))
                return
            target = self.headers.get("X-Amz-Target", "")
            if target != TARGET_PREFIX + "DetectFaces":
                raise RekognitionError(
                    "UnknownOperationException", f"The stand-in serves DetectFaces only: {target}"
                )
            try:
                params = json.loads(body or b"{}")
            except ValueError as err:
                raise RekognitionError("SerializationException", "body is not JSON") from err
            self._send(200, handle_detect_faces(params, self.recorder))
        except RekognitionError as err:
            self._send(err.status, {"__type": err.code, "Message": str(err)}, error=err.code)
        except Exception as err:  # never let one request stop the server
            log.exception("stand-in failed")
            self._send(500, {"__type": "InternalServerError", "Message": str(err)})

    def _admin(self, path: str) -> Any:
        if path == "/_rekognition/calls" and self.command == "GET":
            return self.recorder.calls()
        if path == "/_rekognition/reset" and self.command == "POST":
            self.recorder.reset()
            return {"ok": True}
        if path == "/_rekognition/health":
            return {"ok": True}
        raise RekognitionError("UnknownOperationException", f"No admin endpoint {path}", 404)

    def _send(self, status: int, payload: Any, error: str | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error:
            self.send_header("x-amzn-ErrorType", error)
        self.end_headers()
        self.wfile.write(data)


class RunningRekognition(LoopbackServer):
    """A started stand-in: ``.url``, ``.calls()``, ``.reset()``, ``.stop()``; a context manager."""

    thread_name = "rekognition-stand-in"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.recorder = Recorder()
        handler = type("Handler", (_Handler,), {"recorder": self.recorder})
        super().__init__(host, port, handler)

    def _admin(self, method: str, path: str) -> Any:
        request = urllib.request.Request(  # noqa: S310 - our own loopback URL
            self.url + path, data=b"{}" if method == "POST" else None, method=method
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
            return json.loads(response.read())

    def calls(self) -> list[dict[str, Any]]:
        """Calls served so far, read through the admin endpoint as another process would."""
        return self._admin("GET", "/_rekognition/calls")

    def reset(self) -> None:
        self._admin("POST", "/_rekognition/reset")


def start_rekognition(host: str = "127.0.0.1", port: int = 0) -> RunningRekognition:
    """Start the stand-in on a thread; ``port=0`` picks a free port."""
    return RunningRekognition(host, port).start()
