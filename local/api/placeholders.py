"""Placeholder pictures for the sample catalogue, so the web pages have images to show offline.

The sample catalogue is only rows in the items table: their ``imageKey`` objects do not exist.
``store_placeholder_images`` draws one small JPEG per item (a colour and a simple face for its
emotion, and its title) and puts it in the data bucket under that key, so the API's presigned
``imageUrl`` resolves against moto's S3 exactly as it would against S3 on AWS. Each picture is
labelled as a placeholder; nothing here pretends to be a real photo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import cv2
import numpy as np

WIDTH, HEIGHT = 320, 240
# BGR background per emotion, light enough for dark text and lines.
BACKGROUND = {
    "HAPPY": (120, 215, 250),
    "SURPRISED": (240, 200, 150),
    "CALM": (200, 230, 170),
    "ANGRY": (130, 140, 240),
    "FEAR": (200, 170, 190),
    "CONFUSED": (160, 210, 230),
    "DISGUSTED": (150, 200, 160),
    "SAD": (215, 190, 170),
}
INK = (40, 40, 40)


def _mouth(image: np.ndarray, emotion: str, centre: tuple[int, int]) -> None:
    x, y = centre
    if emotion == "HAPPY":
        cv2.ellipse(image, (x, y + 18), (34, 22), 0, 10, 170, INK, 4, cv2.LINE_AA)
    elif emotion in ("SAD", "DISGUSTED"):
        cv2.ellipse(image, (x, y + 48), (30, 18), 0, 200, 340, INK, 4, cv2.LINE_AA)
    elif emotion in ("SURPRISED", "FEAR"):
        cv2.ellipse(image, (x, y + 34), (14, 18), 0, 0, 360, INK, 4, cv2.LINE_AA)
    elif emotion == "CONFUSED":
        cv2.line(image, (x - 26, y + 38), (x + 26, y + 28), INK, 4, cv2.LINE_AA)
    elif emotion == "ANGRY":
        cv2.line(image, (x - 28, y + 36), (x + 28, y + 36), INK, 5, cv2.LINE_AA)
    else:  # CALM and anything new
        cv2.ellipse(image, (x, y + 26), (24, 8), 0, 20, 160, INK, 4, cv2.LINE_AA)


def placeholder_jpeg(item_id: str, emotion: str, title: str) -> bytes:
    """A 320x240 JPEG: the emotion's colour, a face drawn for it, the title, 'placeholder'."""
    base = np.array(BACKGROUND.get(emotion, (210, 210, 210)), dtype=np.int16)
    # A small per-item shift so neighbouring tiles are told apart at a glance.
    shift = hashlib.sha256(item_id.encode()).digest()[0] % 40 - 20
    colour = tuple(int(c) for c in np.clip(base + shift, 0, 255))
    image = np.full((HEIGHT, WIDTH, 3), colour, np.uint8)
    centre = (WIDTH // 2, 100)
    cv2.circle(image, centre, 62, (245, 245, 245), -1, cv2.LINE_AA)
    cv2.circle(image, centre, 62, INK, 3, cv2.LINE_AA)
    for dx in (-22, 22):
        cv2.circle(image, (centre[0] + dx, centre[1] - 14), 7, INK, -1, cv2.LINE_AA)
    if emotion == "ANGRY":
        for dx, tilt in ((-22, 8), (22, -8)):
            start = (centre[0] + dx - 12, centre[1] - 32 - tilt)
            end = (centre[0] + dx + 12, centre[1] - 32 + tilt)
            cv2.line(image, start, end, INK, 4, cv2.LINE_AA)
    _mouth(image, emotion, centre)
    font = cv2.FONT_HERSHEY_SIMPLEX
    for text, y, scale, thickness in ((title, 198, 0.7, 2), ("placeholder", 226, 0.45, 1)):
        (width, _), _ = cv2.getTextSize(text, font, scale, thickness)
        position = ((WIDTH - width) // 2, y)
        cv2.putText(image, text, position, font, scale, INK, thickness, cv2.LINE_AA)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        raise RuntimeError(f"could not encode the placeholder for {item_id}")
    return encoded.tobytes()


def catalogue_rows(items_table: str) -> list[dict[str, str]]:
    """Every item of the items table as plain strings (itemId, emotion, title, imageKey)."""
    rows: list[dict[str, str]] = []
    paginator = boto3.client("dynamodb").get_paginator("scan")
    for page in paginator.paginate(TableName=items_table):
        for item in page["Items"]:
            rows.append({k: str(next(iter(v.values()))) for k, v in item.items()})
    return rows


def store_placeholder_images(bucket: str, rows: Iterable[dict[str, Any]]) -> int:
    """Put a placeholder JPEG at each row's ``imageKey``; returns how many were written."""
    s3 = boto3.client("s3")
    wanted = [row for row in rows if row.get("imageKey")]

    def store(row: dict[str, Any]) -> None:
        body = placeholder_jpeg(
            row["itemId"], row.get("emotion", ""), row.get("title") or row["itemId"]
        )
        s3.put_object(Bucket=bucket, Key=row["imageKey"], Body=body, ContentType="image/jpeg")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(store, wanted))
    return len(wanted)
