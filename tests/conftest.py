"""Shared fixtures: sample events, an offline stack per test module, emulator call counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "events"


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, exactly as `sam local invoke -e` would send it."""
    return json.loads((EVENTS / name).read_text())


@pytest.fixture(autouse=True)
def _fresh_runtime_caches() -> Iterator[None]:
    """Cached clients and SSM values must not leak from one test into the next."""
    from recommender.clients import reset_clients
    from recommender.parameters import clear_settings_cache

    reset_clients()
    clear_settings_cache()
    yield
    reset_clients()
    clear_settings_cache()


def emulator_calls(offline: Any) -> dict[str, int]:
    """How many calls of each operation the Personalize emulator has served."""
    return dict(offline.services.emulator.calls())


def creates(calls: dict[str, int]) -> dict[str, int]:
    return {op: n for op, n in calls.items() if op.startswith(("Create", "Update"))}
