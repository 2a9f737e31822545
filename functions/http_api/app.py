"""HTTP API: POST /emotion, GET /recommendations, POST /events, GET and POST /items.

The routes live in recommender.api.routes; the OpenAPI document is served at /openapi.json and
Swagger UI at /swagger. Logs carry the API Gateway request id as correlation id.
"""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from recommender.api.routes import app
from recommender.observability import logger, metrics, tracer


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True
)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    return app.resolve(event, context)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        return _handle(event, context)
    finally:
        # log_metrics has flushed them; with POWERTOOLS_METRICS_DISABLED (offline) Powertools
        # keeps them instead, and would print them all once 100 pile up.
        metrics.clear_metrics()
