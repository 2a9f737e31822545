"""Photos in, one emotion out: image checks before Rekognition, then DetectFaces analysis.

Every check that can fail cheaply runs before the paid DetectFaces call: the format by magic
bytes (JPEG or PNG), the size of inline bytes (Rekognition takes at most 5 MB inline), and the
pixel dimensions read from the file header (at least 80 px a side, at most 10000 px). Nothing
here logs image bytes or face details.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from recommender.api.exceptions import ImageTooLargeError, InvalidImageError, NoFaceError
from recommender.config import EMOTIONS

# Rekognition takes 5 MB inline, but the photo must also fit Lambda's 6 MB request payload
# after API Gateway base64-encodes it (4/3 larger): 4 MiB is the most that always fits.
MAX_INLINE_BYTES = 4 * 1024 * 1024
MAX_S3_BYTES = 15 * 1024 * 1024
MIN_SIDE = 80
MAX_SIDE = 10_000
# What DetectFaces must be asked for: without ALL (or EMOTIONS) the answer has no emotions.
ATTRIBUTES = ["ALL"]

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers carry the dimensions; DHT (C4), JPG (C8) and DAC (CC) do not.
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?P<params>(;[^,;]*)*?);base64,", re.I)


@dataclass(frozen=True)
class ImageInfo:
    """What the header says: ``jpeg`` or ``png``, width and height in pixels, size in bytes."""

    format: str
    width: int
    height: int
    size: int


@dataclass(frozen=True)
class FaceAnalysis:
    """The strongest emotion of the largest face, and what else DetectFaces said about it."""

    emotion: str
    confidence: float
    emotions: dict[str, float]
    gender: str | None
    gender_confidence: float | None
    age_low: int | None
    age_high: int | None
    face_count: int
    bounding_box: dict[str, float] = field(default_factory=dict)

    @property
    def segment_user_id(self) -> str:
        """``gender/emotion`` in lower case, the synthetic user of this person's segment."""
        return f"{(self.gender or 'unknown').lower()}/{self.emotion.lower()}"


def _jpeg_size(data: bytes) -> tuple[int, int]:
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise InvalidImageError("body: the JPEG header is damaged (no marker where expected)")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte before a marker
            offset += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker in _SOF_MARKERS:
            if offset + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data starts before any frame header
            break
        offset += 2 + length
    raise InvalidImageError("body: the JPEG has no frame header with its width and height")


def inspect_image(data: bytes, *, max_bytes: int = MAX_INLINE_BYTES) -> ImageInfo:
    """Check format, byte size and dimensions; return what the header says.

    Raises ImageTooLargeError (413) above ``max_bytes`` and InvalidImageError (400) for anything
    that is not a JPEG or PNG of 80 to 10000 px a side.
    """
    if len(data) > max_bytes:
        raise ImageTooLargeError(
            f"body: the image is {len(data)} bytes, more than the {max_bytes} bytes accepted "
            'inline; upload it to S3 under the upload prefix and send {"s3Key": ...} instead'
        )
    if data.startswith(_PNG_MAGIC):
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise InvalidImageError("body: the PNG has no IHDR header")
        kind = "png"
        width, height = struct.unpack(">II", data[16:24])
    elif data.startswith(_JPEG_MAGIC):
        kind = "jpeg"
        width, height = _jpeg_size(data)
    else:
        raise InvalidImageError("body: the image must be a JPEG or PNG (checked by magic bytes)")
    if min(width, height) < MIN_SIDE:
        raise InvalidImageError(
            f"body: the image is {width}x{height} px; each side must be at least {MIN_SIDE} px"
        )
    if max(width, height) > MAX_SIDE:
        raise InvalidImageError(
            f"body: the image is {width}x{height} px; no side may exceed {MAX_SIDE} px"
        )
    return ImageInfo(kind, width, height, len(data))


def decode_image_text(text: str) -> bytes:
    """Bytes of base64 text or a ``data:image/...;base64,`` URL; else InvalidImageError."""
    text = text.strip()
    match = _DATA_URL.match(text)
    if match:
        text = text[match.end() :]
    elif text.startswith("data:"):
        raise InvalidImageError("body: a data: URL must be base64 encoded (data:image/png;base64,)")
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as err:
        raise InvalidImageError("body: the image text is neither base64 nor a data: URL") from err


def _box_area(face: dict[str, Any]) -> float:
    box = face.get("BoundingBox") or {}
    return float(box.get("Width", 0.0)) * float(box.get("Height", 0.0))


def _face_order(face: dict[str, Any]) -> tuple[float, float, float]:
    # Largest first; equal areas are settled by position so the choice never depends on order.
    box = face.get("BoundingBox") or {}
    return (-_box_area(face), float(box.get("Left", 0.0)), float(box.get("Top", 0.0)))


def analyse_faces(face_details: list[dict[str, Any]]) -> FaceAnalysis:
    """Pick the largest face and its highest-confidence emotion.

    Raises NoFaceError when there is no face, or when the face carries no emotions (which means
    DetectFaces was asked without Attributes ALL).
    """
    if not face_details:
        raise NoFaceError("no face found in the image")
    face = sorted(face_details, key=_face_order)[0]
    scores = {
        str(entry["Type"]).upper(): round(float(entry.get("Confidence", 0.0)), 3)
        for entry in face.get("Emotions") or []
        if str(entry.get("Type", "")).upper() in EMOTIONS
    }
    if not scores:
        raise NoFaceError("the face found carries no emotion scores")
    # max() over the scores, never the list's first entry: Rekognition does not sort them.
    emotion = max(scores, key=lambda name: (scores[name], -EMOTIONS.index(name)))
    gender = face.get("Gender") or {}
    age = face.get("AgeRange") or {}
    return FaceAnalysis(
        emotion=emotion,
        confidence=scores[emotion],
        emotions=dict(sorted(scores.items(), key=lambda kv: -kv[1])),
        gender=str(gender["Value"]).lower() if gender.get("Value") else None,
        gender_confidence=float(gender["Confidence"]) if "Confidence" in gender else None,
        age_low=int(age["Low"]) if "Low" in age else None,
        age_high=int(age["High"]) if "High" in age else None,
        face_count=len(face_details),
        bounding_box={k: float(v) for k, v in (face.get("BoundingBox") or {}).items()},
    )


def detect_emotion(rekognition: Any, image: dict[str, Any]) -> FaceAnalysis:
    """Call DetectFaces with every attribute on ``image`` ({"Bytes": ...} or {"S3Object": ...})."""
    response = rekognition.detect_faces(Image=image, Attributes=ATTRIBUTES)
    return analyse_faces(response.get("FaceDetails") or [])
