"""GET /recommendations, GET and POST /items, and the catalogue sync function."""

from __future__ import annotations

import boto3
import pytest

from recommender.config import EMOTIONS
from tests.api.conftest import Api
from tests.support import load_event


def test_sample_recommendations_fall_back_to_the_catalogue_and_say_so(api: Api):
    before = api.personalize_calls().get("GetRecommendations", 0)
    status, body = api.invoke_sample("http_api-get-recommendations.json")
    assert status == 200, body
    assert body["source"] == "catalogue"
    assert "NONE" in body["fallbackReason"]
    assert len(body["items"]) == 5
    assert {i["emotion"] for i in body["items"]} == {"HAPPY"}
    assert all(i["imageUrl"] and i["imageKey"] in i["imageUrl"] for i in body["items"])
    assert api.personalize_calls().get("GetRecommendations", 0) == before  # no campaign yet


def test_personalize_unavailable_falls_back_after_a_real_call(api: Api):
    ssm = boto3.client("ssm")
    outputs = api.offline.outputs
    arn = "arn:aws:personalize:us-east-1:123456789012:campaign/emotion-recommender-local-gone"
    ssm.put_parameter(Name=outputs["CampaignArnParameterName"], Value=arn, Overwrite=True)
    ssm.put_parameter(Name=outputs["FilterArnParameterName"], Value=arn, Overwrite=True)
    try:
        before = api.personalize_calls().get("GetRecommendations", 0)
        response = api.get("/recommendations", userId="male/sad", emotion="sad", numResults=3)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["source"] == "catalogue"
        assert "Personalize unavailable" in body["fallbackReason"]
        assert [i["emotion"] for i in body["items"]] == ["SAD"] * 3
        assert api.personalize_calls().get("GetRecommendations", 0) > before
    finally:
        for name in ("CampaignArnParameterName", "FilterArnParameterName"):
            ssm.put_parameter(Name=outputs[name], Value="NONE", Overwrite=True)


def test_unknown_emotion_is_400_listing_the_valid_ones(api: Api):
    response = api.get("/recommendations", userId="u1", emotion="JOYFUL")
    assert response.status_code == 400
    body = response.json()
    assert body["fields"][0]["field"] == "emotion"
    assert all(emotion in body["message"] for emotion in EMOTIONS)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"userId": "u1", "emotion": "HAPPY", "numResults": 0}, "numResults"),
        ({"userId": "u1", "emotion": "HAPPY", "numResults": "ten"}, "numResults"),
        ({"emotion": "HAPPY"}, "userId"),
        ({"userId": "u1"}, "emotion"),
    ],
)
def test_bad_query_parameters_name_the_field(api: Api, params, field):
    response = api.get("/recommendations", **params)
    assert response.status_code == 400
    assert field in [f["field"] for f in response.json()["fields"]]


def test_items_are_listed_page_by_page(api: Api):
    status, first = api.invoke_sample("http_api-get-items.json")
    assert status == 200, first
    assert len(first["items"]) == 5 and first["nextToken"]
    second = api.get("/items", emotion="happy", limit=5, nextToken=first["nextToken"]).json()
    ids = [i["itemId"] for i in first["items"] + second["items"]]
    assert len(set(ids)) == 10
    created = [i["createdAt"] for i in first["items"] + second["items"]]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"emotion": "HAPPY", "nextToken": "garbage!"}, "nextToken"),
        ({"emotion": "BORED"}, "emotion"),
        ({"emotion": "HAPPY", "limit": 101}, "limit"),
    ],
)
def test_bad_listing_parameters_name_the_field(api: Api, params, field):
    response = api.get("/items", **params)
    assert response.status_code == 400, response.text
    assert field in [f["field"] for f in response.json()["fields"]]


def test_a_token_of_another_emotion_is_refused(api: Api):
    token = api.get("/items", emotion="HAPPY", limit=1).json()["nextToken"]
    response = api.get("/items", emotion="SAD", nextToken=token)
    assert response.status_code == 400


def test_posted_item_is_in_the_table_and_sent_with_put_items(api: Api, personalize_ready):
    before = api.personalize_calls().get("PutItems", 0)
    status, body = api.invoke_sample("http_api-post-items.json")
    assert status == 201, body
    assert body["personalize"] == "sent"
    assert api.personalize_calls().get("PutItems", 0) == before + 1
    stored = boto3.client("dynamodb").get_item(
        TableName=api.items_table, Key={"itemId": {"S": "happy-sample"}}
    )["Item"]
    assert stored["emotion"] == {"S": "HAPPY"}


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"itemId": "x1", "emotion": "glad", "imageKey": "catalogue/x1.jpg"}, "emotion"),
        ({"itemId": "x1", "emotion": "SAD", "imageKey": "training/x1.jpg"}, "imageKey"),
        ({"itemId": "x 1", "emotion": "SAD", "imageKey": "catalogue/x1.jpg"}, "itemId"),
        ({"itemId": "x1", "emotion": "SAD"}, "imageKey"),
    ],
)
def test_invalid_items_are_400_naming_the_field(api: Api, item, field):
    response = api.post("/items", json=item)
    assert response.status_code == 400
    assert field in [f["field"] for f in response.json()["fields"]]


def _in_table(api: Api, item_id: str) -> bool:
    found = boto3.client("dynamodb").get_item(
        TableName=api.items_table, Key={"itemId": {"S": item_id}}
    )
    return "Item" in found


def test_catalogue_sync_registers_copies_and_removes_deletes(api: Api):
    created = api.offline.stack.invoke(
        "SyncCatalogueObjectFunction", load_event("sync_catalogue_object.json")
    )
    assert created == {"registered": 1, "removed": 0, "skipped": 0}
    assert _in_table(api, "happy-uploaded")
    removed = api.offline.stack.invoke(
        "SyncCatalogueObjectFunction", load_event("sync_catalogue_object-deleted.json")
    )
    assert removed["removed"] == 1
    assert not _in_table(api, "happy-uploaded")


def test_catalogue_sync_takes_s3_notifications_of_every_kind(api: Api):
    def record(name: str, key: str) -> dict:
        return {"eventName": name, "s3": {"object": {"key": key}}}

    event = {
        "Records": [
            record("ObjectCreated:CompleteMultipartUpload", "catalogue/calm/big+calm.png"),
            record("ObjectCreated:Copy", "catalogue/fear/fear-copy.jpeg"),
            record("ObjectCreated:Put", "uploads/me.jpg"),
            record("ObjectCreated:Put", "catalogue/bored/x.jpg"),
        ]
    }
    counts = api.offline.stack.invoke("SyncCatalogueObjectFunction", event)
    assert counts == {"registered": 2, "removed": 0, "skipped": 2}
    assert _in_table(api, "big calm") and _in_table(api, "fear-copy")


def test_throttled_personalize_falls_back_after_two_quick_tries_not_a_retry_storm(api: Api):
    ssm = boto3.client("ssm")
    outputs = api.offline.outputs
    arn = "arn:aws:personalize:us-east-1:123456789012:campaign/emotion-recommender-local-any"
    ssm.put_parameter(Name=outputs["CampaignArnParameterName"], Value=arn, Overwrite=True)
    ssm.put_parameter(Name=outputs["FilterArnParameterName"], Value=arn, Overwrite=True)
    api.faults({"throttle": {"GetRecommendations": 1.0}})
    try:
        before = api.personalize_calls().get("GetRecommendations", 0)
        response = api.get("/recommendations", userId="female/calm", emotion="CALM", numResults=3)

        assert response.status_code == 200, response.text
        assert response.json()["source"] == "catalogue"
        assert "ThrottlingException" in response.json()["fallbackReason"]
        # A person is waiting: two tries, not the lifecycle clients' eight.
        assert api.personalize_calls().get("GetRecommendations", 0) - before == 2
    finally:
        api.faults({})
        for name in ("CampaignArnParameterName", "FilterArnParameterName"):
            ssm.put_parameter(Name=outputs[name], Value="NONE", Overwrite=True)
