"""Settings read from the environment that template.yaml gives each function.

Functions receive parameter *names* and resource names here, never runtime values such as a
tracking ID: those live in SSM (see parameters.py) so they can change without a redeploy.
"""

from __future__ import annotations

import os

from recommender.exceptions import ConfigurationError

EMOTIONS = ("HAPPY", "SURPRISED", "CALM", "ANGRY", "FEAR", "CONFUSED", "DISGUSTED", "SAD")
GENDERS = ("female", "male")
PLACEHOLDER = "NONE"


def required(name: str) -> str:
    """Return the environment variable ``name``; raise ConfigurationError if unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"environment variable {name} is required but not set")
    return value


def optional_int(name: str, default: int) -> int:
    """Return ``name`` as an int, ``default`` when unset; raise ConfigurationError if malformed."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as err:
        raise ConfigurationError(
            f"environment variable {name} must be an integer, got {raw!r}"
        ) from err


def optional_str(name: str, default: str) -> str:
    """Return ``name``, or ``default`` when unset or empty."""
    return os.environ.get(name, "").strip() or default
