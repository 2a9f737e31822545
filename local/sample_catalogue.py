"""A sample catalogue for the offline stack: tens of images for each of the eight emotions."""

from __future__ import annotations

from typing import Any

from recommender.config import EMOTIONS

# Fixed so the demo's data and recommendations are the same on every machine.
CATALOGUE_EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z


def sample_items(per_emotion: int = 30) -> list[dict[str, Any]]:
    """Items ``happy-001`` ... ``sad-030`` with emotion, creation time, title and image key."""
    items = []
    for emotion_number, emotion in enumerate(EMOTIONS):
        for number in range(1, per_emotion + 1):
            item_id = f"{emotion.lower()}-{number:03d}"
            items.append(
                {
                    "itemId": item_id,
                    "emotion": emotion,
                    "createdAt": CATALOGUE_EPOCH + (emotion_number * per_emotion + number) * 3600,
                    "title": f"{emotion.title()} #{number}",
                    "imageKey": f"catalogue/{emotion.lower()}/{item_id}.jpg",
                }
            )
    return items
