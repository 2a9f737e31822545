"""A fresh offline stack per test, for executions that must start from nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.stack.offline import OfflineStack, offline_stack
from tests.support import FAST_EMULATOR


@pytest.fixture
def fresh_stack() -> Iterator[OfflineStack]:
    """An empty offline stack (in-process moto, its own emulator), catalogue loaded."""
    with offline_stack("inprocess", emulator_settings=FAST_EMULATOR) as offline:
        yield offline
