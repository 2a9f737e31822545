"""One cached boto3 client per service, created on first use.

Lambda keeps module state between warm invocations, so clients are built once per container.
Tests swap endpoints through the standard AWS_ENDPOINT_URL_* variables and call
``reset_clients()`` between cases.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Standard retries (jittered exponential backoff) absorb throttling without a loop of our own.
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8}, user_agent_extra="emotion-rec")


@cache
def client(service: str) -> Any:
    """Return the shared boto3 client for ``service`` (e.g. "personalize", "s3")."""
    return boto3.session.Session().client(service, config=_CONFIG)


def reset_clients() -> None:
    """Forget every cached client, so the next call reads the environment again."""
    client.cache_clear()
