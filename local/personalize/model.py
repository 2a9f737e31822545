"""Training, recommendations and offline metrics.

aws-user-personalization(-v2): implicit-feedback ALS (``implicit``) on the user x item count
matrix. aws-popularity-count: interaction counts only. Metrics come from a model trained on a
time-ordered holdout split (each user's latest 10% of interactions are held out).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

MIN_INTERACTIONS = 1000
MIN_USERS = 25
METRIC_KS = (5, 10, 25)
MAX_EVAL_USERS = 2000
ALS_RECIPES = {"aws-user-personalization", "aws-user-personalization-v2"}


class InsufficientData(Exception):
    """Training data is below the service's minimums."""


@dataclass
class Interactions:
    """Column-oriented interactions, in arrival order."""

    users: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    timestamps: list[float] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)

    def append(self, user: str, item: str, ts: float, event_type: str = "") -> None:
        self.users.append(user)
        self.items.append(item)
        self.timestamps.append(ts)
        self.event_types.append(event_type)

    def extend(self, other: Interactions) -> None:
        self.users.extend(other.users)
        self.items.extend(other.items)
        self.timestamps.extend(other.timestamps)
        self.event_types.extend(other.event_types)

    def __len__(self) -> int:
        return len(self.users)


def check_sufficient(data: Interactions) -> None:
    counts: dict[str, int] = {}
    for user in data.users:
        counts[user] = counts.get(user, 0) + 1
    active = sum(1 for c in counts.values() if c >= 2)
    if len(data) < MIN_INTERACTIONS or active < MIN_USERS:
        raise InsufficientData(
            f"Insufficient data: {len(data)} interactions (minimum {MIN_INTERACTIONS}) from "
            f"{active} users with at least 2 interactions (minimum {MIN_USERS})."
        )


class TrainedModel:
    """A fitted model plus what the runtime needs to score and filter."""

    def __init__(self, recipe: str, data: Interactions, seed: int, params: dict | None = None):
        self.recipe = recipe
        self.seed = seed
        self.item_ids = sorted(set(data.items))
        self.item_index = {item: i for i, item in enumerate(self.item_ids)}
        self.user_ids = sorted(set(data.users))
        self.user_index = {user: i for i, user in enumerate(self.user_ids)}
        self.matrix = _matrix(data, self.user_index, self.item_index)
        self.popularity = np.asarray(self.matrix.sum(axis=0)).ravel().astype(np.float32)
        self.pop_order = np.argsort(-self.popularity, kind="stable")
        self.user_events: dict[str, dict[str, set[int]]] = {}
        for user, item, event_type in zip(data.users, data.items, data.event_types, strict=True):
            per_user = self.user_events.setdefault(user, {})
            per_user.setdefault(event_type, set()).add(self.item_index[item])
        self.als = None
        self.user_factors = None
        self.item_factors = None
        self._lock = threading.Lock()
        if recipe in ALS_RECIPES:
            self.als = _fit_als(self.matrix, seed, params or {})
            self.user_factors = np.asarray(self.als.user_factors)
            self.item_factors = np.asarray(self.als.item_factors)
        self.metrics: dict[str, float] = {}

    @property
    def personalized(self) -> bool:
        return self.als is not None

    def user_vector(self, user: str, extra_items: list[str]) -> np.ndarray | None:
        """The user's factors; re-solved with streamed interactions when there are any."""
        if not self.personalized:
            return None
        row = self.user_index.get(user)
        extra = [self.item_index[i] for i in extra_items if i in self.item_index]
        if not extra:
            return None if row is None else self.user_factors[row]
        counts: dict[int, float] = {}
        if row is not None:
            start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
            for col, val in zip(
                self.matrix.indices[start:end], self.matrix.data[start:end], strict=True
            ):
                counts[int(col)] = float(val)
        for col in extra:
            counts[col] = counts.get(col, 0.0) + 1.0
        cols = np.fromiter(counts.keys(), dtype=np.int32)
        vals = np.fromiter(counts.values(), dtype=np.float32)
        order = np.argsort(cols)
        user_row = sp.csr_matrix(
            (vals[order], cols[order], np.array([0, len(cols)])), shape=(1, len(self.item_ids))
        )
        with self._lock, threadpool_limits(1, "blas"):
            vec = self.als.recalculate_user(0, user_row)
        return np.asarray(vec).ravel()

    def scores(self, vector: np.ndarray | None) -> np.ndarray:
        """Scores over self.item_ids, normalised to sum to 1 (softmax / popularity share)."""
        if vector is None:
            total = float(self.popularity.sum()) or 1.0
            return self.popularity / total
        raw = self.item_factors @ vector
        raw = raw - raw.max()
        exp = np.exp(raw * 4.0)
        return exp / exp.sum()


def _matrix(data: Interactions, users: dict, items: dict) -> sp.csr_matrix:
    rows = np.fromiter((users[u] for u in data.users), dtype=np.int32, count=len(data))
    cols = np.fromiter((items[i] for i in data.items), dtype=np.int32, count=len(data))
    vals = np.ones(len(data), dtype=np.float32)
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(users), len(items)))
    matrix.sum_duplicates()
    return matrix


def _fit_als(matrix: sp.csr_matrix, seed: int, params: dict):
    from implicit.cpu.als import AlternatingLeastSquares

    def param(name: str, default: float, cast=float):
        try:
            return cast(params.get(name, default))
        except (TypeError, ValueError):
            return cast(default)

    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=param("hidden_dimension", 32, int),
            regularization=param("regularization", 0.05),
            alpha=param("alpha", 10.0),
            iterations=param("iterations", 10, int),
            random_state=seed,
        )
        model.fit(matrix, show_progress=False)
    return model


def train(recipe: str, data: Interactions, seed: int, params: dict | None = None) -> TrainedModel:
    """Check minimums, compute holdout metrics, then fit on everything."""
    check_sufficient(data)
    metrics = holdout_metrics(recipe, data, seed, params)
    model = TrainedModel(recipe, data, seed, params)
    model.metrics = metrics
    return model


def holdout_metrics(recipe: str, data: Interactions, seed: int, params: dict | None) -> dict:
    ts = np.asarray(data.timestamps, dtype=np.float64)
    by_user: dict[str, list[int]] = {}
    for idx, user in enumerate(data.users):
        by_user.setdefault(user, []).append(idx)
    train_idx: list[int] = []
    held: dict[str, set[str]] = {}
    for user, rows in by_user.items():
        if len(rows) < 2:
            train_idx.extend(rows)
            continue
        rows = sorted(rows, key=lambda r: (ts[r], r))
        n_test = max(1, math.ceil(len(rows) * 0.1))
        train_idx.extend(rows[:-n_test])
        held[user] = {data.items[r] for r in rows[-n_test:]}
    split = Interactions(
        [data.users[i] for i in train_idx],
        [data.items[i] for i in train_idx],
        [data.timestamps[i] for i in train_idx],
        [data.event_types[i] for i in train_idx],
    )
    model = TrainedModel(recipe, split, seed, params)
    users = sorted(u for u in held if u in model.user_index)
    rng = np.random.default_rng(seed)
    if len(users) > MAX_EVAL_USERS:
        users = sorted(rng.choice(users, MAX_EVAL_USERS, replace=False).tolist())
    k_max = max(METRIC_KS)
    n_items = len(model.item_ids)
    if model.personalized:
        rows = np.asarray([model.user_index[u] for u in users])
        scores = model.user_factors[rows] @ model.item_factors.T
        k = min(k_max, n_items)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        top = np.take_along_axis(top, order, axis=1)
    else:
        top = np.tile(model.pop_order[:k_max], (len(users), 1))
    sums = {f"ndcg{k}": 0.0 for k in METRIC_KS} | {f"p{k}": 0.0 for k in METRIC_KS}
    mrr = 0.0
    seen_items: set[int] = set()
    for row, user in zip(top, users, strict=True):
        relevant = held[user]
        recs = [model.item_ids[i] for i in row]
        seen_items.update(int(i) for i in row)
        hits = [1.0 if r in relevant else 0.0 for r in recs]
        first = next((i for i, h in enumerate(hits) if h), None)
        if first is not None:
            mrr += 1.0 / (first + 1)
        for k in METRIC_KS:
            dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits[:k]))
            ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
            sums[f"ndcg{k}"] += dcg / ideal if ideal else 0.0
            sums[f"p{k}"] += sum(hits[:k]) / k
    n = max(1, len(users))
    metrics = {
        "coverage": len(seen_items) / max(1, n_items),
        "mean_reciprocal_rank_at_25": mrr / n,
    }
    for k in METRIC_KS:
        metrics[f"normalized_discounted_cumulative_gain_at_{k}"] = sums[f"ndcg{k}"] / n
    for k in METRIC_KS:
        metrics[f"precision_at_{k}"] = sums[f"p{k}"] / n
    return {k: round(float(v), 4) for k, v in metrics.items()}


def top_k(scores: np.ndarray, allowed: np.ndarray | None, k: int) -> np.ndarray:
    """Indexes of the k best allowed scores, best first."""
    if allowed is not None:
        candidates = np.flatnonzero(allowed)
        if len(candidates) == 0:
            return candidates
        sub = scores[candidates]
        k = min(k, len(candidates))
        part = np.argpartition(-sub, k - 1)[:k]
        return candidates[part[np.argsort(-sub[part], kind="stable")]]
    k = min(k, len(scores))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]
