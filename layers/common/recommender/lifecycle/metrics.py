"""LogSolutionMetrics: record the trained version's offline metrics in logs and CloudWatch."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from recommender.clients import client
from recommender.lifecycle.task import StepInput
from recommender.observability import logger, metrics

REPORTED = (
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_10",
    "precision_at_10",
)


def log_solution_metrics(step: StepInput) -> dict[str, Any]:
    """Fetch GetSolutionMetrics for the version this execution deploys and log them."""
    arn = step.steps["solutionVersion"]["arn"]
    values = client("personalize").get_solution_metrics(solutionVersionArn=arn).get("metrics", {})
    logger.info("solution metrics", extra={"arn": arn, "metrics": values})
    for name in REPORTED:
        if name in values:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=float(values[name]))
    metrics.flush_metrics()
    return {"arn": arn, "metrics": values, "ready": True, "polls": 0, "waitSeconds": 0}
