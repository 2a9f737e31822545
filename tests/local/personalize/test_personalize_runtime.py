"""Runtime and events: recommendations from the trained model, filters, exploration, streaming."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from emulator_helpers import EMOTIONS, make_client


@pytest.fixture(scope="module")
def rt(trained):
    return make_client("personalize-runtime", trained.url)


@pytest.fixture(scope="module")
def ev(trained):
    return make_client("personalize-events", trained.url)


@pytest.fixture(scope="module")
def cp(trained):
    return make_client("personalize", trained.url)


def recs(rt, campaign, user, **kwargs):
    return [
        i["itemId"]
        for i in rt.get_recommendations(campaignArn=campaign, userId=user, **kwargs)["itemList"]
    ]


def test_recommendations_follow_the_users_taste(trained, rt):
    out = rt.get_recommendations(campaignArn=trained.quiet, userId="user-0", numResults=10)
    items = [i["itemId"] for i in out["itemList"]]
    assert len(items) == 10 and len(set(items)) == 10
    assert out["recommendationId"].startswith("RID-")
    scores = [i["score"] for i in out["itemList"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    liked = EMOTIONS[0]  # user-0 interacts mostly with items of the first emotion
    share = sum(trained.catalog[i] == liked for i in items) / len(items)
    assert share >= 0.8, items
    assert len(recs(rt, trained.quiet, "user-0")) == 25  # default numResults


def test_num_results_bounds(trained, rt):
    assert len(recs(rt, trained.quiet, "user-1", numResults=500)) == 200  # all known items
    with pytest.raises(rt.exceptions.InvalidInputException, match="500"):
        rt.get_recommendations(campaignArn=trained.quiet, userId="user-1", numResults=501)
    with pytest.raises(rt.exceptions.InvalidInputException, match="userId"):
        rt.get_recommendations(campaignArn=trained.quiet)


def test_filter_values_are_honoured(trained, rt):
    for emotion in ("SAD", "CALM"):
        items = recs(
            rt,
            trained.campaign,
            "user-0",
            numResults=20,
            filterArn=trained.filter,
            filterValues={"EMOTION": json.dumps(emotion)},
        )
        assert len(items) == 20
        assert {trained.catalog[i] for i in items} == {emotion}
    items = recs(
        rt,
        trained.campaign,
        "user-2",
        numResults=40,
        filterArn=trained.filter,
        filterValues={"EMOTION": '"HAPPY","SAD"'},
    )
    assert {trained.catalog[i] for i in items} == {"HAPPY", "SAD"}
    with pytest.raises(rt.exceptions.InvalidInputException, match=r"\$EMOTION"):
        rt.get_recommendations(
            campaignArn=trained.campaign, userId="user-0", filterArn=trained.filter
        )
    with pytest.raises(rt.exceptions.InvalidInputException, match="quoted"):
        rt.get_recommendations(
            campaignArn=trained.campaign,
            userId="user-0",
            filterArn=trained.filter,
            filterValues={"EMOTION": "HAPPY"},
        )


def test_interactions_filter_excludes_seen_items(trained, rt):
    seen = {
        line.split(",")[1]
        for line in trained.interactions_csv.splitlines()
        if line.startswith("user-4,")
    }
    unfiltered = recs(rt, trained.quiet, "user-4", numResults=50)
    assert set(unfiltered) & seen  # the model does recommend already-seen items
    items = recs(rt, trained.quiet, "user-4", numResults=50, filterArn=trained.seen_filter)
    assert items and not set(items) & seen


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("INCLUDE ItemID Items.EMOTION IN ($E)", "expected WHERE"),
        ("KEEP ItemID WHERE Items.EMOTION IN ($E)", "INCLUDE or EXCLUDE"),
        ("INCLUDE ItemID WHERE Items.COLOR IN ($E)", "Items.COLOR is not a field"),
        ("INCLUDE ItemID WHERE Items.EMOTION IN ($E", r"missing '\)'"),
        ("INCLUDE ItemID WHERE Items.EMOTION LIKE ($E)", "expected an operator"),
        ('EXCLUDE ItemID WHERE Interactions.ITEM_ID IN ("a")', "EVENT_TYPE"),
        ("INCLUDE ItemID WHERE Users.AGE > 3", "no Users dataset"),
        ('INCLUDE ItemID WHERE Items.EMOTION > "x"', "needs a number"),
        ("", "empty"),
    ],
)
def test_invalid_filter_expressions(trained, cp, expression, message):
    with pytest.raises(cp.exceptions.InvalidInputException, match=message):
        cp.create_filter(
            name="bad", datasetGroupArn=trained.dsg, filterExpression=expression or " "
        )


def test_valid_filter_expressions(trained, cp):
    expression = (
        'INCLUDE ItemID WHERE Items.EMOTION IN ("HAPPY") OR Items.EMOTION NOT IN ($E) '
        '| EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "view")'
    )
    arn = cp.create_filter(name="combo", datasetGroupArn=trained.dsg, filterExpression=expression)[
        "filterArn"
    ]
    assert arn.endswith(":filter/combo")
    with pytest.raises(cp.exceptions.ResourceAlreadyExistsException):
        cp.create_filter(name="combo", datasetGroupArn=trained.dsg, filterExpression=expression)
    listed = cp.list_filters(datasetGroupArn=trained.dsg)["Filters"]
    assert "combo" in {f["name"] for f in listed}
    assert cp.describe_filter(filterArn=arn)["filter"]["filterExpression"] == expression


def test_cold_users_get_popular_items(trained, rt):
    counts = Counter(line.split(",")[1] for line in trained.interactions_csv.splitlines()[1:])
    popular = recs(rt, trained.quiet, "nobody-1", numResults=5)
    assert popular == recs(rt, trained.quiet, "nobody-2", numResults=5)
    top_count = counts.most_common(1)[0][1]
    assert counts[popular[0]] == top_count
    assert [counts[i] for i in popular] == sorted((counts[i] for i in popular), reverse=True)


def test_exploration_surfaces_items_without_interactions(trained, rt):
    explored = recs(rt, trained.campaign, "user-6", numResults=20)
    cold = [i for i in explored if i.startswith("cold-")]
    assert len(cold) == 6  # round(0.3 * 20) of the 30 cold items
    assert explored == recs(rt, trained.campaign, "user-6", numResults=20)  # deterministic
    assert not [i for i in recs(rt, trained.quiet, "user-6", numResults=20) if "cold" in i]


def test_streamed_events_change_the_next_answer(trained, rt, ev):
    before = recs(rt, trained.quiet, "user-5", numResults=10)
    other = EMOTIONS[(5 + 4) % len(EMOTIONS)]
    targets = [i for i, e in trained.catalog.items() if e == other and i.startswith("item-")]
    for start in range(0, 30, 10):
        ev.put_events(
            trackingId=trained.tracking_id,
            userId="user-5",
            sessionId="s-5",
            eventList=[
                {
                    "eventType": "click",
                    "itemId": targets[k % len(targets)],
                    "sentAt": 1800000000 + k,
                }
                for k in range(start, start + 10)
            ],
        )
    after = recs(rt, trained.quiet, "user-5", numResults=10)
    assert after != before
    assert sum(trained.catalog[i] == other for i in after) > sum(
        trained.catalog[i] == other for i in before
    )
    # A brand-new user is personalised from streamed events alone.
    ev.put_events(
        trackingId=trained.tracking_id,
        userId="fresh-user",
        sessionId="s",
        eventList=[{"eventType": "click", "itemId": t, "sentAt": 1800000000} for t in targets[:5]],
    )
    fresh = recs(rt, trained.quiet, "fresh-user", numResults=10)
    assert fresh != recs(rt, trained.quiet, "nobody-3", numResults=10)
    assert sum(trained.catalog[i] == other for i in fresh) >= 5


def test_put_events_checks(trained, ev):
    base = {"trackingId": trained.tracking_id, "sessionId": "s", "userId": "u"}
    with pytest.raises(ev.exceptions.InvalidInputException, match="properties"):
        ev.put_events(
            **base,
            eventList=[
                {"eventType": "click", "sentAt": 1, "itemId": "i", "properties": "not json"}
            ],
        )
    with pytest.raises(ev.exceptions.InvalidInputException, match="JSON object"):
        ev.put_events(
            **base,
            eventList=[{"eventType": "click", "sentAt": 1, "itemId": "i", "properties": "[1]"}],
        )
    with pytest.raises(ev.exceptions.InvalidInputException, match="25"):
        ev.put_events(
            **base,
            eventList=[
                {
                    "eventType": "click",
                    "sentAt": 1,
                    "itemId": "i",
                    "impression": [f"x{i}" for i in range(26)],
                }
            ],
        )
    with pytest.raises(ev.exceptions.InvalidInputException, match="less than or equal to 10"):
        ev.put_events(**base, eventList=[{"eventType": "click", "sentAt": 1}] * 11)
    ev.put_events(
        **base,
        eventList=[
            {
                "eventType": "click",
                "sentAt": 1,
                "itemId": "item-1",
                "eventValue": 2.5,
                "properties": '{"a": "b"}',
                "impression": ["item-1", "item-2"],
            }
        ],
    )


def test_put_items_and_users(trained, ev, rt):
    with pytest.raises(ev.exceptions.InvalidInputException, match="COLOR|color"):
        ev.put_items(
            datasetArn=trained.items, items=[{"itemId": "x", "properties": '{"color": "red"}'}]
        )
    with pytest.raises(ev.exceptions.InvalidInputException, match="not a Users dataset"):
        ev.put_users(datasetArn=trained.items, users=[{"userId": "u"}])
    ev.put_items(
        datasetArn=trained.items,
        items=[{"itemId": "brand-new", "properties": '{"emotion": "ECSTATIC"}'}],
    )
    items = recs(
        rt,
        trained.campaign,
        "user-0",
        numResults=10,
        filterArn=trained.filter,
        filterValues={"EMOTION": '"ECSTATIC"'},
    )
    assert items == ["brand-new"]  # surfaced by exploration, no interactions yet


def test_personalized_ranking(trained, rt):
    wanted = ["item-3", "item-0", "item-8", "unknown-item"]
    out = rt.get_personalized_ranking(campaignArn=trained.quiet, userId="user-0", inputList=wanted)
    ranked = [i["itemId"] for i in out["personalizedRanking"]]
    assert sorted(ranked) == sorted(wanted)
    assert ranked[-1] == "unknown-item"
    assert trained.catalog[ranked[0]] == EMOTIONS[0]


def test_solution_metrics(trained, cp):
    metrics = cp.get_solution_metrics(solutionVersionArn=trained.version)["metrics"]
    assert set(metrics) == {
        "coverage",
        "mean_reciprocal_rank_at_25",
        "normalized_discounted_cumulative_gain_at_5",
        "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25",
        "precision_at_5",
        "precision_at_10",
        "precision_at_25",
    }
    assert all(0.0 <= v <= 1.0 for v in metrics.values())
    assert metrics["mean_reciprocal_rank_at_25"] > 0
    assert metrics["precision_at_5"] >= metrics["precision_at_25"] * 0.5


def test_popularity_recipe(emulator, personalize, s3):
    from emulator_helpers import Stack, synthetic

    interactions, _, _ = synthetic(n_users=30, per_user=40)
    stack = Stack(personalize, s3, "pop").build(interactions, recipe="aws-popularity-count")
    runtime = make_client("personalize-runtime", emulator.url)
    a = recs(runtime, stack.campaign, "user-1", numResults=5)
    assert a == recs(runtime, stack.campaign, "user-2", numResults=5)
