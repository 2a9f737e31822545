"""Faces and smiles found by OpenCV's bundled Haar cascades, shaped like DetectFaces FaceDetails.

This is an approximation of Rekognition, good enough to run the app on real photos offline:
- faces are real detections (frontal faces only), with Rekognition's relative BoundingBox;
- the emotion is HAPPY (confidence 90) when a smile is found in the lower half of the face,
  else CALM (confidence 70); the other emotions share the rest, so the scores sum to 100;
- Gender (always "Female", confidence 50) and AgeRange (25 to 40) are placeholders: the
  cascades estimate neither, so nothing downstream should read meaning into them;
- Emotions are listed in a fixed order that does *not* put the strongest first, as Rekognition
  does not promise any order: callers must take the maximum.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import cv2
import numpy as np

# Deliberately not sorted by confidence (see the module docstring).
EMOTION_ORDER = ("CALM", "SAD", "CONFUSED", "ANGRY", "SURPRISED", "DISGUSTED", "FEAR", "HAPPY")
PLACEHOLDER_GENDER = {"Value": "Female", "Confidence": 50.0}
PLACEHOLDER_AGE = {"Low": 25, "High": 40}
DEFAULT_ATTRIBUTES = {"DEFAULT"}


class UndecodableImageError(ValueError):
    """The bytes are not an image OpenCV can decode."""


@cache
def _cascade(name: str) -> Any:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():
        raise RuntimeError(f"OpenCV cascade {name} is missing from this opencv install")
    return classifier


def _emotions(smiling: bool) -> list[dict[str, Any]]:
    top, score = ("HAPPY", 90.0) if smiling else ("CALM", 70.0)
    rest = round((100.0 - score) / (len(EMOTION_ORDER) - 1), 3)
    return [{"Type": name, "Confidence": score if name == top else rest} for name in EMOTION_ORDER]


def _landmarks(x: float, y: float, w: float, h: float) -> list[dict[str, Any]]:
    # Rough positions on a frontal face; enough for clients that draw them.
    points = {
        "eyeLeft": (0.3, 0.38),
        "eyeRight": (0.7, 0.38),
        "nose": (0.5, 0.58),
        "mouthLeft": (0.35, 0.78),
        "mouthRight": (0.65, 0.78),
    }
    return [{"Type": k, "X": x + w * px, "Y": y + h * py} for k, (px, py) in points.items()]


def detect_faces(image: bytes, attributes: list[str] | None = None) -> list[dict[str, Any]]:
    """FaceDetails for ``image`` (JPEG or PNG bytes), largest face first like Rekognition.

    With Attributes ALL (or EMOTIONS) each face carries Emotions, Gender, AgeRange and Smile;
    with the default attributes only BoundingBox, Confidence, Landmarks, Pose and Quality.
    Raises UndecodableImageError when OpenCV cannot decode the bytes.
    """
    pixels = cv2.imdecode(np.frombuffer(image, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if pixels is None:
        raise UndecodableImageError("the image could not be decoded")
    gray = pixels
    height, width = gray.shape[:2]
    side = max(24, min(width, height) // 20)
    found = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=6, minSize=(side, side)
    )
    wanted = {a.upper() for a in (attributes or ["DEFAULT"])}
    everything = "ALL" in wanted
    details = []
    for x, y, w, h in sorted((tuple(map(int, f)) for f in found), key=lambda f: -f[2] * f[3]):
        mouth = gray[y + h // 2 : y + h, x : x + w]
        smiles = _cascade("haarcascade_smile.xml").detectMultiScale(
            mouth, scaleFactor=1.1, minNeighbors=15, minSize=(max(1, w // 4), max(1, h // 10))
        )
        smiling = len(smiles) > 0
        box = {"Width": w / width, "Height": h / height, "Left": x / width, "Top": y / height}
        face: dict[str, Any] = {
            "BoundingBox": box,
            "Confidence": 99.0,
            "Landmarks": _landmarks(box["Left"], box["Top"], box["Width"], box["Height"]),
            "Pose": {"Roll": 0.0, "Yaw": 0.0, "Pitch": 0.0},
            "Quality": {"Brightness": float(gray[y : y + h, x : x + w].mean()), "Sharpness": 50.0},
        }
        if everything or "EMOTIONS" in wanted:
            face["Emotions"] = _emotions(smiling)
        if everything or "SMILE" in wanted:
            face["Smile"] = {"Value": smiling, "Confidence": 80.0}
        if everything or "GENDER" in wanted:
            face["Gender"] = dict(PLACEHOLDER_GENDER)
        if everything or "AGE_RANGE" in wanted:
            face["AgeRange"] = dict(PLACEHOLDER_AGE)
        details.append(face)
    return details
