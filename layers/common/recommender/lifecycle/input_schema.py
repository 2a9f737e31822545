"""JSON Schemas of the state machines' execution inputs (every key is optional)."""

RECIPES = (
    "aws-user-personalization",
    "aws-user-personalization-v2",
    "aws-popularity-count",
)

_POLLING = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "initialSeconds": {"type": "integer", "minimum": 0, "maximum": 3600},
        "maxSeconds": {"type": "integer", "minimum": 0, "maximum": 3600},
        "maxPolls": {"type": "integer", "minimum": 1, "maximum": 1000},
    },
}

LIFECYCLE_INPUT_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "trainingMode": {"enum": ["FULL", "UPDATE"]},
        "forceTraining": {"type": "boolean"},
        "recipe": {"enum": list(RECIPES)},
        "minProvisionedTPS": {"type": "integer", "minimum": 1, "maximum": 500},
        "explorationWeight": {"type": "number", "minimum": 0, "maximum": 1},
        "sufficiency": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                # Personalize refuses to train below these, so a lower gate would only fail later.
                "minInteractions": {"type": "integer", "minimum": 1000},
                "minUsers": {"type": "integer", "minimum": 25},
                "rechecks": {"type": "integer", "minimum": 0, "maximum": 100},
                "waitSeconds": {"type": "integer", "minimum": 0, "maximum": 86400},
            },
        },
        "polling": _POLLING,
    },
}

# The teardown state machine takes only the polling settings.
TEARDOWN_INPUT_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": {"polling": _POLLING},
}
