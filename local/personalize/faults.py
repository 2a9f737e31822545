"""Fault injection: seeded throttling, forced creation failures and held resources."""

from __future__ import annotations

import random
import threading

from .exceptions import InvalidInputException


class Faults:
    """Current fault configuration; safe to read and change from any thread."""

    def __init__(self, config: dict | None = None):
        self._lock = threading.Lock()
        self.configure(config or {})

    def configure(self, config: dict) -> None:
        """Replace the configuration with {"throttle", "seed", "fail", "hold"}."""
        if not isinstance(config, dict):
            raise InvalidInputException("faults must be a JSON object")
        unknown = set(config) - {"throttle", "seed", "fail", "hold"}
        if unknown:
            raise InvalidInputException(f"unknown fault keys: {sorted(unknown)}")
        throttle = config.get("throttle") or {}
        fail = config.get("fail") or {}
        hold = config.get("hold") or []
        seed = config.get("seed", 0)
        if not isinstance(throttle, dict) or not all(
            isinstance(v, int | float) and 0 <= v <= 1 for v in throttle.values()
        ):
            raise InvalidInputException("throttle must map operation names (or *) to rates 0..1")
        if not isinstance(fail, dict) or not all(isinstance(v, str) for v in fail.values()):
            raise InvalidInputException("fail must map resource names or ARNs to reason text")
        if not isinstance(hold, list) or not all(isinstance(v, str) for v in hold):
            raise InvalidInputException("hold must be a list of resource names or ARNs")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise InvalidInputException("seed must be an integer")
        with self._lock:
            self.throttle = {str(k): float(v) for k, v in throttle.items()}
            self.fail = dict(fail)
            self.hold = list(hold)
            self.seed = seed
            self._random = random.Random(seed)  # fault draws, not security  # nosec B311

    def as_dict(self) -> dict:
        with self._lock:
            return {
                "throttle": dict(self.throttle),
                "seed": self.seed,
                "fail": dict(self.fail),
                "hold": list(self.hold),
            }

    def should_throttle(self, operation: str) -> bool:
        with self._lock:
            rate = self.throttle.get(operation, self.throttle.get("*", 0.0))
            if rate <= 0:
                return False
            return rate >= 1 or self._random.random() < rate

    def failure(self, keys: tuple[str, ...]) -> str | None:
        with self._lock:
            for key in keys:
                if key in self.fail:
                    return self.fail[key]
        return None

    def held(self, keys: tuple[str, ...]) -> bool:
        with self._lock:
            return any(key in self.hold for key in keys)
