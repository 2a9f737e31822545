"""Emulator settings: durations, identity, limits and start-up faults."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class Settings:
    """Tunable behaviour; every duration is multiplied by ``time_scale``."""

    time_scale: float = 1.0
    stage_seconds: float = 0.3
    training_seconds: float = 1.5
    delete_seconds: float = 0.3
    account_id: str = "123456789012"
    default_region: str = "us-east-1"
    seed: int = 42
    max_body_bytes: int = 5 * 1024 * 1024
    faults: dict = field(default_factory=dict)

    def seconds(self, base: float) -> float:
        return max(0.0, base * self.time_scale)

    @classmethod
    def from_env(cls, overrides: Settings | dict | None = None) -> Settings:
        """Defaults, then environment variables, then explicit overrides."""
        values: dict = {}
        if "PERSONALIZE_EMULATOR_TIME_SCALE" in os.environ:
            values["time_scale"] = float(os.environ["PERSONALIZE_EMULATOR_TIME_SCALE"])
        if "PERSONALIZE_EMULATOR_ACCOUNT_ID" in os.environ:
            values["account_id"] = os.environ["PERSONALIZE_EMULATOR_ACCOUNT_ID"]
        if os.environ.get("PERSONALIZE_EMULATOR_FAULTS"):
            values["faults"] = json.loads(os.environ["PERSONALIZE_EMULATOR_FAULTS"])
        settings = replace(cls(), **values)
        if overrides is None:
            return settings
        if isinstance(overrides, Settings):
            return overrides
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown emulator settings: {sorted(unknown)}")
        return replace(settings, **overrides)
