"""Lifecycle state ValidateInput: input {"input": <execution input>, "executionName": str}."""

from typing import Any

from recommender.lifecycle.validate import validate_input
from recommender.observability import logger


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return validate_input(event)
