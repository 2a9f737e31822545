"""ReportFailure: turn a caught error into the Error and Cause of the execution's Fail state."""

from __future__ import annotations

import json
from typing import Any

from recommender.observability import logger


def report_failure(event: dict[str, Any]) -> dict[str, Any]:
    """Return ``{"error", "cause"}``; a Lambda error's JSON Cause becomes its plain message.

    The message of every error this project raises already names the step, the resource and
    the reason, so the Fail state can show it as it is.
    """
    error = event.get("error") or {}
    name = str(error.get("Error") or "States.TaskFailed")
    cause = str(error.get("Cause") or "no cause given")
    try:
        parsed = json.loads(cause)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get("errorMessage"):
        cause = str(parsed["errorMessage"])
    logger.error("lifecycle failed", extra={"error": name, "cause": cause})
    return {"error": name, "cause": cause}
