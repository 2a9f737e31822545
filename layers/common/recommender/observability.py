"""Logger, Tracer and Metrics shared by every function, created once per container.

Service name, log level and metrics namespace come from the POWERTOOLS_* variables that
template.yaml sets in Globals.

Lambda's active tracing records every invocation without any SDK. Powertools' Tracer adds
subsegments for each AWS call, but importing the X-Ray SDK it needs costs about 0.2 s of
cold start, doubling a handler's import time (docs/performance.md). So it is built only
when detailed tracing is on (template parameter DetailedTracing, which sets
POWERTOOLS_TRACE_DISABLED=false); otherwise handlers get a stand-in with the same decorator.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics


class _UntracedHandlers:
    """Same decorator as Tracer.capture_lambda_handler, adding nothing."""

    def capture_lambda_handler(self, handler: Callable | None = None, **_: Any) -> Any:
        if handler is None:
            return lambda wrapped: wrapped
        return handler


def _make_tracer() -> Any:
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "").strip().lower() in ("1", "true"):
        return _UntracedHandlers()
    from aws_lambda_powertools import Tracer

    return Tracer()


logger = Logger()
tracer = _make_tracer()
metrics = Metrics()
