"""Fail-fast boto3 clients for the request path of the HTTP API.

The shared clients (recommender.clients) retry up to 8 times, right for background work but
too slow for a person waiting on a like: the API would hang for seconds before answering 202.
These clients try twice with short timeouts; whatever they cannot deliver stays in the
interactions log for the scheduled replay. Each is rebuilt whenever the shared client it shadows
is, so ``recommender.clients.reset_clients()`` resets both.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from recommender.clients import client

_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 2},  # the first call and one retry
    connect_timeout=2,
    read_timeout=8,
    user_agent_extra="emotion-rec-api",
)
_BUILT: dict[str, tuple[Any, Any]] = {}


def fast_client(service: str) -> Any:
    """A client for ``service`` that gives up after two attempts (same endpoint and region)."""
    shared = client(service)
    built = _BUILT.get(service)
    if built is None or built[0] is not shared:
        built = (shared, boto3.session.Session().client(service, config=_CONFIG))
        _BUILT[service] = built
    return built[1]
