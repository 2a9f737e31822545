"""Lifecycle state ReportFailure: input {"error": {"Error": str, "Cause": str}}."""

from typing import Any

from recommender.lifecycle.failure import report_failure
from recommender.observability import logger


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return report_failure(event)
