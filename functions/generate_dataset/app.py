"""Dataset generator: writes the import CSVs from the items table (see recommender.generator).

Input (all optional): {"interactions", "personas", "noise", "windowDays", "endTime", "seed",
"impressions", "sendEvents"}. Output: counts and S3 locations of the three CSVs.
"""

from typing import Any

from recommender.config import required
from recommender.generator.event import parse_generator_event
from recommender.generator.run import generate_dataset
from recommender.observability import logger, tracer
from recommender.training_data import data_bucket


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings, send_events = parse_generator_event(event)
    return generate_dataset(
        settings, data_bucket(), required("ITEMS_TABLE"), send_events=send_events
    )
