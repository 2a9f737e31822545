"""The offline HTTP API fixtures of tests/api (one stack per test module), reused here."""

from tests.api.conftest import _no_faults, api, personalize_ready  # noqa: F401
