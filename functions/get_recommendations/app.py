"""Recommendations: {"userId", "emotion", "numResults"} -> ranked items of that emotion.

Invalid input answers {"error": ...} naming the field; it never raises for bad input.
"""

from typing import Any

from recommender.exceptions import InvalidInputError
from recommender.observability import logger, tracer
from recommender.recommendations import RecommendationRequest, recommend


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        request = RecommendationRequest.parse(event)
    except InvalidInputError as err:
        return {"error": "InvalidInput", "message": str(err)}
    return recommend(request)
