"""Turns a lifecycle step function into a Lambda handler with logging, tracing and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from recommender.exceptions import RecommenderError
from recommender.lifecycle.config import LifecycleConfig
from recommender.observability import logger, tracer

THROTTLING_CODES = {"ThrottlingException", "LimitExceededException", "TooManyRequestsException"}


class ServiceThrottledError(RecommenderError):
    """Personalize kept throttling after the client's own retries; the state machine retries."""


class PersonalizeRequestError(RecommenderError):
    """Personalize refused a request for a reason retrying will not fix."""


@dataclass(frozen=True)
class StepInput:
    """What every lifecycle step receives from the state machine."""

    config: LifecycleConfig
    steps: dict[str, Any]
    stage: str = ""

    def previous(self, step_key: str) -> dict[str, Any]:
        """This step's own result from the last poll ({} on the first call)."""
        return self.steps.get(step_key) or {}


StepFunction = Callable[[StepInput], dict[str, Any]]


def lifecycle_task(step_name: str, step: StepFunction) -> Callable[[dict, Any], dict]:
    """Wrap ``step`` as a Lambda handler for the state machine task ``step_name``.

    AWS errors are re-raised as ServiceThrottledError (retried by the state machine) or
    PersonalizeRequestError (caught and reported), both naming the step.
    """

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    def handler(event: dict, context: Any) -> dict:
        logger.append_keys(step=step_name)
        step_input = StepInput(
            LifecycleConfig.from_dict(event["config"]),
            event.get("steps", {}),
            str(event.get("stage", "")),
        )
        logger.append_keys(execution=step_input.config.execution_name)
        try:
            result = step(step_input)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "ClientError")
            message = err.response.get("Error", {}).get("Message", str(err))
            operation = getattr(err, "operation_name", "request")
            text = f"{step_name}: {operation} failed with {code}: {message}"
            logger.exception(text)
            if code in THROTTLING_CODES:
                raise ServiceThrottledError(text) from err
            raise PersonalizeRequestError(text) from err
        except RecommenderError:
            logger.exception("lifecycle step failed")
            raise
        logger.info(
            "step result",
            extra={k: result.get(k) for k in ("arn", "status", "ready", "polls") if k in result},
        )
        return result

    return handler
