"""The dataset generator function's input: every key optional, unknown keys refused."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.validation import SchemaValidationError, validate

from recommender.exceptions import InvalidInputError
from recommender.generator.synthetic import GeneratorSettings

GENERATOR_EVENT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "interactions": {"type": "integer", "minimum": 1, "maximum": 50_000_000},
        "personas": {"type": "integer", "minimum": 0, "maximum": 1_000_000},
        "noise": {"type": "number", "minimum": 0, "maximum": 1},
        "windowDays": {"type": "integer", "minimum": 1, "maximum": 3650},
        "endTime": {"type": "integer", "minimum": 0},  # 0: now; range checked by the settings
        "seed": {"type": "integer"},
        "impressions": {"type": "integer", "minimum": 0, "maximum": 25},
        "sendEvents": {"type": "boolean"},
    },
}


def parse_generator_event(event: Any) -> tuple[GeneratorSettings, bool]:
    """Settings and the sendEvents flag; raises InvalidInputError naming the field and rule."""
    event = {} if event is None else event
    try:
        validate(event=event, schema=GENERATOR_EVENT_SCHEMA)
    except SchemaValidationError as err:
        rule = str(err.validation_message or err.message).replace("data", "event", 1)
        raise InvalidInputError(rule) from err
    defaults = GeneratorSettings()
    settings = GeneratorSettings(
        interactions=event.get("interactions", defaults.interactions),
        personas=event.get("personas", defaults.personas),
        noise=float(event.get("noise", defaults.noise)),
        window_days=event.get("windowDays", defaults.window_days),
        end_time=event.get("endTime", defaults.end_time),
        seed=event.get("seed", defaults.seed),
        impressions=event.get("impressions", defaults.impressions),
    )
    return settings, bool(event.get("sendEvents", False))
