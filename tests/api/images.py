"""Test photos from scikit-image (public domain), encoded the way clients send them."""

from __future__ import annotations

import base64

import cv2
import numpy as np
from skimage import data


def encode(pixels: np.ndarray, extension: str = ".jpg", **params: int) -> bytes:
    """RGB (or grey) pixels -> JPEG/PNG bytes."""
    if pixels.ndim == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    flags = [cv2.IMWRITE_JPEG_QUALITY, params["quality"]] if "quality" in params else []
    ok, buffer = cv2.imencode(extension, pixels, flags)
    assert ok
    return buffer.tobytes()


def astronaut(extension: str = ".jpg") -> bytes:
    """One smiling face."""
    return encode(data.astronaut(), extension)


def coffee(extension: str = ".png") -> bytes:
    """A cup of coffee: no face."""
    return encode(data.coffee(), extension)


def three_faces() -> bytes:
    """The astronaut large at the left, twice small at the right (the small ones unsmiling
    to the detector at that size), on white."""
    canvas = np.full((600, 900, 3), 255, np.uint8)
    photo = data.astronaut()
    canvas[0:512, 0:512] = photo
    small = cv2.resize(photo, (256, 256))
    canvas[0:256, 600:856] = small
    canvas[300:556, 600:856] = small
    return encode(canvas)


def data_url(image: bytes, media_type: str = "image/jpeg") -> str:
    return f"data:{media_type};base64,{base64.b64encode(image).decode()}"
