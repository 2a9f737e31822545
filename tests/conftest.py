"""Fixtures for every test: no cached client or SSM value survives from one test to the next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_runtime_caches() -> Iterator[None]:
    from recommender.clients import reset_clients
    from recommender.parameters import clear_settings_cache

    reset_clients()
    clear_settings_cache()
    yield
    reset_clients()
    clear_settings_cache()
