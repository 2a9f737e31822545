"""Ranked images of one emotion for one person: Personalize first, the catalogue as fallback.

Before the lifecycle has deployed a campaign (SSM still holds NONE), or when Personalize
cannot answer, the newest items of the emotion come from the items table, and the answer
says so in ``source``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from recommender.catalogue import get_items, recent_items
from recommender.config import EMOTIONS, required
from recommender.exceptions import InvalidInputError, NotReadyError
from recommender.observability import logger
from recommender.parameters import CAMPAIGN_ARN, FILTER_ARN, read_setting
from recommender.request_clients import fast_client

MAX_RESULTS = 100
DEFAULT_RESULTS = 25


@dataclass(frozen=True)
class RecommendationRequest:
    user_id: str
    emotion: str
    num_results: int = DEFAULT_RESULTS

    @classmethod
    def parse(cls, event: Any) -> RecommendationRequest:
        """Validate a request; raises InvalidInputError naming the field and the rule."""
        if not isinstance(event, dict):
            raise InvalidInputError("the request must be a JSON object")
        user_id = event.get("userId")
        if not isinstance(user_id, str) or not 1 <= len(user_id.strip()) <= 256:
            raise InvalidInputError("userId must be a string of 1 to 256 characters")
        emotion = event.get("emotion")
        if not isinstance(emotion, str) or emotion.strip().upper() not in EMOTIONS:
            raise InvalidInputError(f"emotion must be one of {', '.join(EMOTIONS)}")
        raw = event.get("numResults", DEFAULT_RESULTS)
        try:
            num_results = int(raw)
        except (TypeError, ValueError):
            num_results = 0
        if (
            isinstance(raw, bool)
            or not 1 <= num_results <= MAX_RESULTS
            or str(raw).strip() != str(num_results)
        ):
            raise InvalidInputError(f"numResults must be a whole number from 1 to {MAX_RESULTS}")
        return cls(user_id.strip(), emotion.strip().upper(), num_results)


def filter_values(emotion: str) -> dict[str, str]:
    """Personalize wants each placeholder's values as one string of quoted values."""
    return {"EMOTION": json.dumps(emotion)}


def _from_personalize(request: RecommendationRequest) -> tuple[list[dict[str, Any]], str]:
    # Two quick tries, not the lifecycle's patient retries: a person is waiting, and the
    # catalogue is a fine answer when Personalize is slow.
    response = fast_client("personalize-runtime").get_recommendations(
        campaignArn=read_setting(CAMPAIGN_ARN),
        userId=request.user_id,
        numResults=request.num_results,
        filterArn=read_setting(FILTER_ARN),
        filterValues=filter_values(request.emotion),
    )
    return response.get("itemList", []), response.get("recommendationId", "")


def recommend(request: RecommendationRequest) -> dict[str, Any]:
    """Return ``{userId, emotion, source, recommendationId, items}``, best first."""
    table = required("ITEMS_TABLE")
    source, reason, recommendation_id = "personalize", None, ""
    try:
        ranked, recommendation_id = _from_personalize(request)
    except NotReadyError as err:
        source, reason, ranked = "catalogue", str(err), []
    except (ClientError, BotoCoreError) as err:
        logger.warning("Personalize unavailable, using the catalogue", extra={"error": str(err)})
        source, reason, ranked = "catalogue", f"Personalize unavailable: {err}", []
    if source == "catalogue":
        items = recent_items(table, request.emotion, request.num_results)
        scores = {}
    else:
        found = get_items(table, [entry["itemId"] for entry in ranked])
        items = [found[entry["itemId"]] for entry in ranked if entry["itemId"] in found]
        scores = {entry["itemId"]: entry.get("score") for entry in ranked}
    answer: dict[str, Any] = {
        "userId": request.user_id,
        "emotion": request.emotion,
        "source": source,
        "recommendationId": recommendation_id,
        "items": [{**item, "score": scores.get(item["itemId"])} for item in items],
    }
    if reason:
        answer["fallbackReason"] = reason
    return answer
