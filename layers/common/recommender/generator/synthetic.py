"""Deterministic synthetic users and interactions, produced in chunks so memory stays flat.

Users are the 16 segment users the gallery asks recommendations for (``female/happy`` ...
``male/sad``) plus personas (``persona-0001`` ...). Each likes images of their own emotion
with probability ``1 - noise`` and of another emotion otherwise, drawing from a skewed
popularity within the emotion, so nobody likes every item and some items are favourites.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from recommender.config import EMOTIONS, GENDERS
from recommender.exceptions import InvalidInputError

# Rows drawn and held at once: bounds the generator's memory at any number of interactions.
CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class GeneratorSettings:
    """What to generate; the same settings and seed always give the same rows."""

    interactions: int = 3000
    personas: int = 64
    noise: float = 0.15
    window_days: int = 30
    end_time: int = 0
    seed: int = 7
    impressions: int = 3

    def check(self) -> None:
        """Raise InvalidInputError naming the first setting out of range."""
        rules = [
            ("interactions", 1 <= self.interactions <= 50_000_000, "between 1 and 50000000"),
            ("personas", 0 <= self.personas <= 1_000_000, "between 0 and 1000000"),
            ("noise", 0.0 <= self.noise <= 1.0, "between 0 and 1"),
            ("windowDays", 1 <= self.window_days <= 3650, "between 1 and 3650"),
            ("impressions", 0 <= self.impressions <= 25, "between 0 and 25"),
            # Personalize wants epoch seconds; a millisecond value is the classic mistake (D1).
            (
                "endTime",
                1_000_000_000 <= self.end_time <= 9_999_999_999,
                "epoch seconds (10 digits, not milliseconds), or 0 for now",
            ),
        ]
        for field, ok, rule in rules:
            if not ok:
                raise InvalidInputError(f"{field} must be {rule}")


@dataclass(frozen=True)
class SyntheticUser:
    user_id: str
    gender: str
    emotion: str


def synthetic_users(personas: int, seed: int) -> list[SyntheticUser]:
    """The segment users, then ``personas`` personas with seeded genders and emotions."""
    users = [
        SyntheticUser(f"{gender}/{emotion.lower()}", gender.upper(), emotion)
        for gender in GENDERS
        for emotion in EMOTIONS
    ]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(EMOTIONS), size=personas)
    for number in range(personas):
        gender = GENDERS[number % 2]
        users.append(
            SyntheticUser(f"persona-{number + 1:04d}", gender.upper(), EMOTIONS[picks[number]])
        )
    return users


class InteractionSampler:
    """Draws interactions for users from a catalogue grouped by emotion."""

    def __init__(self, items_by_emotion: dict[str, list[str]], settings: GeneratorSettings):
        self.settings = settings
        self.emotions = [e for e in EMOTIONS if items_by_emotion.get(e)]
        if not self.emotions:
            raise InvalidInputError("the items table holds no items with a known emotion")
        # Object arrays: drawn ids are the catalogue's own strings, not a new string per row.
        self.items = {e: np.array(sorted(items_by_emotion[e]), dtype=object) for e in self.emotions}
        self.weights = {}
        rng = np.random.default_rng(settings.seed)
        for emotion, ids in self.items.items():
            # Zipf-like popularity in a seeded order: a few favourites, a long tail.
            ranks = rng.permutation(len(ids)) + 1
            weights = 1.0 / ranks**0.8
            self.weights[emotion] = weights / weights.sum()

    def chunks(
        self, users: list[SyntheticUser], chunk_users: int = 2000, chunk_rows: int = CHUNK_ROWS
    ) -> Iterator[list[tuple[str, str, int, str, str]]]:
        """Rows (USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE, IMPRESSION), at most ``chunk_rows``
        at a time, so memory stays the same whatever the number of interactions.

        Sampling is vectorised per chunk and emotion, so a million rows take seconds. Users
        are taken ``chunk_users`` at a time; a group with more than ``chunk_rows`` rows is
        drawn in blocks of ``chunk_rows`` rows.
        """
        settings = self.settings
        rng = np.random.default_rng(settings.seed + 1)
        per_user = max(2, settings.interactions // len(users))
        remainder = max(0, settings.interactions - per_user * len(users))
        start = settings.end_time - settings.window_days * 86_400
        index_of = {emotion: i for i, emotion in enumerate(self.emotions)}
        for first in range(0, len(users), chunk_users):
            chunk = users[first : first + chunk_users]
            counts = [per_user + (1 if first + i < remainder else 0) for i in range(len(chunk))]
            ends = np.cumsum(counts)
            own_emotions = np.array([index_of.get(u.emotion, 0) for u in chunk])
            user_ids = np.array([u.user_id for u in chunk], dtype=object)
            for low in range(0, int(ends[-1]), chunk_rows):
                positions = np.arange(low, min(low + chunk_rows, int(ends[-1])))
                owner = np.searchsorted(ends, positions, side="right")
                yield self._draw(rng, user_ids[owner], own_emotions[owner], start)

    def _draw(
        self, rng: np.random.Generator, user_ids: np.ndarray, own: np.ndarray, start: int
    ) -> list[tuple[str, str, int, str, str]]:
        """One block of rows: a row per entry of ``user_ids``, whose own emotions are ``own``."""
        settings = self.settings
        total = len(user_ids)
        strays = rng.random(total) < settings.noise
        emotion = np.where(strays, rng.integers(0, len(self.emotions), size=total), own)
        times = rng.integers(start, settings.end_time, size=total, endpoint=True)
        liked = np.empty(total, dtype=object)
        shown = np.empty(total, dtype=object)
        for number, name in enumerate(self.emotions):
            rows = np.flatnonzero(emotion == number)
            if rows.size == 0:
                continue
            ids = self.items[name]
            width = min(settings.impressions + 1, len(ids))
            picked = ids[rng.choice(len(ids), size=(rows.size, width), p=self.weights[name])]
            liked[rows] = picked[:, 0]
            shown[rows] = ["|".join(dict.fromkeys(row)) for row in picked.tolist()]
        return list(zip(user_ids, liked, times.tolist(), ["like"] * total, shown, strict=True))
