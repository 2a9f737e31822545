"""personalize-runtime: GetRecommendations and GetPersonalizedRanking."""

from __future__ import annotations

import uuid
import zlib

import numpy as np

from . import filters as filter_lang
from .exceptions import InvalidInputException, ResourceNotFoundException
from .model import TrainedModel, top_k
from .store import ACTIVE, Resource, Store

CACHE_LIMIT = 4096


class Catalog:
    """Model items first (same indexes as the model), then Items-dataset items without
    interactions (exploration candidates)."""

    def __init__(self, model: TrainedModel, metadata: dict[str, dict[str, str]]):
        cold = sorted(item for item in metadata if item not in model.item_index)
        self.n_model = len(model.item_ids)
        self.ids = model.item_ids + cold
        self.index = dict(model.item_index)
        self.index.update({item: self.n_model + i for i, item in enumerate(cold)})
        self.table = filter_lang.ItemTable(self.ids, metadata)
        self.masks: dict = {}


def _campaign_model(store: Store, arn: str) -> tuple[Resource, Resource, TrainedModel]:
    campaign = store.resources.get(arn)
    if campaign is None or campaign.kind != "campaign" or campaign.deleting_at is not None:
        raise ResourceNotFoundException(f"Campaign {arn} does not exist.")
    status = store.status(campaign)
    if status != ACTIVE:
        raise ResourceNotFoundException(f"Campaign {arn} is not ACTIVE (status {status}).")
    store.settle_update(campaign)
    version = store.resources.get(campaign.info["solutionVersionArn"])
    if version is None or "model" not in version.extra:
        raise ResourceNotFoundException(f"Campaign {arn} has no trained solution version.")
    return campaign, version, version.extra["model"]


def _catalog(store: Store, group_arn: str, version: Resource, model: TrainedModel) -> Catalog:
    if store.pending_imports:
        store.refresh_imports()
    items = store.dataset_of(group_arn, "Items")
    metadata = items.extra["records"] if items is not None else {}
    key = (id(items), items.extra["version"] if items is not None else -1)
    cached = version.extra.get("catalog")
    if cached is None or cached[0] != key:
        cached = (key, Catalog(model, metadata))
        version.extra["catalog"] = cached
    return cached[1]


def _streamed_since(store: Store, group_arn: str, version: Resource, user: str) -> list:
    dataset = store.dataset_of(group_arn, "Interactions")
    if dataset is None:
        return []
    upto = version.extra.get("streamed_upto", 0)
    return [
        (item, etype)
        for seq, item, etype in dataset.extra["streamed_by_user"].get(user, [])
        if seq >= upto
    ]


def _user_vector(version: Resource, model: TrainedModel, user: str, new_items: list[str]):
    cache = version.extra.setdefault("vectors", {})
    key = (user, len(new_items))
    if key not in cache:
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        cache[key] = model.user_vector(user, new_items)
    return cache[key]


def _filter_mask(store: Store, p: dict, group_arn: str, catalog: Catalog, model, user, streamed):
    if not p.get("filterArn"):
        return None
    flt = store.resources.get(p["filterArn"])
    if flt is None or flt.kind != "filter" or flt.deleting_at is not None:
        raise ResourceNotFoundException(f"Filter {p['filterArn']} does not exist.")
    if flt.parent != group_arn:
        raise InvalidInputException(
            f"Filter {flt.arn} belongs to another dataset group than the campaign."
        )
    status = store.status(flt)
    if status != ACTIVE:
        raise InvalidInputException(f"Filter {flt.arn} is not ACTIVE (status {status}).")
    parsed = flt.extra["parsed"]
    values = filter_lang.parse_filter_values(p.get("filterValues") or {}, parsed.placeholders)
    user_dependent = parsed.uses_interactions or any(
        c.dataset == "Users" for c in filter_lang._conditions(parsed)
    )
    key = (flt.arn, tuple((k, tuple(v)) for k, v in sorted(values.items())))
    if not user_dependent and key in catalog.masks:
        return catalog.masks[key]
    events: dict[str, set[int]] = {}
    user_meta: dict = {}
    if user_dependent:
        for etype, indexes in model.user_events.get(user, {}).items():
            events.setdefault(etype, set()).update(indexes)
        for item, etype in streamed:
            if item in catalog.index:
                events.setdefault(etype, set()).add(catalog.index[item])
        users = store.dataset_of(group_arn, "Users")
        if users is not None:
            user_meta = users.extra["records"].get(user, {})
    mask = filter_lang.evaluate(parsed, values, catalog.table, events, user_meta)
    if not user_dependent:
        if len(catalog.masks) > CACHE_LIMIT:
            catalog.masks.clear()
        catalog.masks[key] = mask
    return mask


def get_recommendations(store: Store, p: dict, region: str) -> dict:
    if not p.get("campaignArn"):
        if p.get("recommenderArn"):
            raise InvalidInputException("Recommenders are not implemented by the emulator.")
        raise InvalidInputException("campaignArn is required.")
    campaign, version, model = _campaign_model(store, p["campaignArn"])
    if not p.get("userId"):
        raise InvalidInputException(
            "userId is required for campaigns of USER_PERSONALIZATION recipes."
        )
    user = p["userId"]
    num = p.get("numResults", 25)
    if not 1 <= num <= 500:  # the model has no maximum; the service allows up to 500
        raise InvalidInputException(
            f"1 validation error detected: Value '{num}' at 'numResults' failed to satisfy "
            "constraint: Member must have value between 1 and 500"
        )
    group = campaign.parent
    catalog = _catalog(store, group, version, model)
    streamed = _streamed_since(store, group, version, user)
    vector = _user_vector(version, model, user, [item for item, _ in streamed])
    scores = model.scores(vector)
    allowed = _filter_mask(store, p, group, catalog, model, user, streamed)
    weight = 0.0
    exploration = campaign.info.get("campaignConfig", {}).get("itemExplorationConfig")
    if exploration and model.personalized:
        weight = float(exploration.get("explorationWeight", 0.3))
    n_cold = len(catalog.ids) - catalog.n_model
    explore: list[int] = []
    if weight > 0 and n_cold:
        cold = np.arange(catalog.n_model, len(catalog.ids))
        if allowed is not None:
            cold = cold[allowed[catalog.n_model :]]
        n_explore = min(len(cold), int(round(weight * num)))
        if n_explore:
            seed = zlib.crc32(f"{store.settings.seed}:{campaign.arn}:{user}".encode())
            rng = np.random.default_rng(seed)
            explore = sorted(rng.choice(cold, n_explore, replace=False).tolist())
    model_allowed = None if allowed is None else allowed[: catalog.n_model]
    best = top_k(scores, model_allowed, num - len(explore))
    result = [(catalog.ids[i], float(scores[i])) for i in best]
    if explore:
        floor = result[-1][1] if result else 1.0 / max(1, len(catalog.ids))
        total = len(result) + len(explore)
        spots = np.linspace(1, total - 1, len(explore)).round().astype(int) if total > 1 else [0]
        for spot, index in zip(spots, explore, strict=True):
            result.insert(min(int(spot), len(result)), (catalog.ids[index], floor))
    return {
        "itemList": [{"itemId": item, "score": round(score, 7)} for item, score in result],
        "recommendationId": f"RID-{uuid.uuid4()}",
    }


def get_personalized_ranking(store: Store, p: dict, region: str) -> dict:
    campaign, version, model = _campaign_model(store, p["campaignArn"])
    user = p["userId"]
    group = campaign.parent
    catalog = _catalog(store, group, version, model)
    streamed = _streamed_since(store, group, version, user)
    vector = _user_vector(version, model, user, [item for item, _ in streamed])
    scores = model.scores(vector)
    allowed = _filter_mask(store, p, group, catalog, model, user, streamed)
    ranked = []
    for position, item in enumerate(dict.fromkeys(p["inputList"])):
        index = catalog.index.get(item)
        if allowed is not None and (index is None or not allowed[index]):
            continue
        score = float(scores[index]) if index is not None and index < catalog.n_model else 0.0
        ranked.append((-score, position, item))
    ranked.sort()
    return {
        "personalizedRanking": [{"itemId": i, "score": round(-s, 7)} for s, _, i in ranked],
        "recommendationId": f"RID-{uuid.uuid4()}",
    }
