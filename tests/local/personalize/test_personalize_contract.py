"""Contract: validation against botocore's models, error format, routing, pagination."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from emulator_helpers import INTERACTIONS_SCHEMA, make_client, wait_for


def raw(url, path="/", body=b"{}", headers=None, method="POST"):
    request = urllib.request.Request(  # noqa: S310 - the emulator's own http URL
        url + path, data=body, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


TARGET = {
    "X-Amz-Target": "AmazonPersonalize.ListDatasetGroups",
    "Content-Type": "application/x-amz-json-1.1",
}


def test_validation_names_member_and_rule(emulator):
    # Raw HTTP, because boto3 validates client-side before sending.
    headers = dict(TARGET, **{"X-Amz-Target": "AmazonPersonalize.ListDatasetGroups"})
    status, hdrs, body = raw(emulator.url, body=b'{"maxResults": 500}', headers=headers)
    assert status == 400
    assert hdrs["x-amzn-ErrorType"] == "InvalidInputException"
    assert body["__type"] == "InvalidInputException"
    assert "'maxResults'" in body["message"] and "less than or equal to 100" in body["message"]

    headers["X-Amz-Target"] = "AmazonPersonalize.CreateDatasetGroup"
    status, _, body = raw(emulator.url, body=b"{}", headers=headers)
    assert status == 400 and "'name'" in body["message"] and "must not be null" in body["message"]

    status, _, body = raw(
        emulator.url, body=json.dumps({"name": "x" * 64}).encode(), headers=headers
    )
    assert "length less than or equal to 63" in body["message"]

    headers["X-Amz-Target"] = "AmazonPersonalize.CreateSolutionVersion"
    bad = {
        "solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/s",
        "trainingMode": "PARTIAL",
    }
    _, _, body = raw(emulator.url, body=json.dumps(bad).encode(), headers=headers)
    assert "'trainingMode'" in body["message"] and "enum" in body["message"]

    bad = {"solutionArn": "not-an-arn"}
    _, _, body = raw(emulator.url, body=json.dumps(bad).encode(), headers=headers)
    assert "regular expression" in body["message"]

    headers["X-Amz-Target"] = "AmazonPersonalize.CreateCampaign"
    bad = {
        "name": "c",
        "solutionVersionArn": "arn:aws:personalize:us-east-1:1:solution/s/1",
        "campaignConfig": {"itemExplorationConfig": {"explorationWeight": 3}},
    }
    _, _, body = raw(emulator.url, body=json.dumps(bad).encode(), headers=headers)
    assert "campaignConfig.itemExplorationConfig[explorationWeight]" in body["message"]
    assert "string" in body["message"]


def test_nested_list_validation_on_rest_json(emulator):
    body = {"trackingId": "t", "sessionId": "s", "eventList": [{"eventType": "click"}]}
    status, hdrs, out = raw(
        emulator.url, "/events", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    assert status == 400 and out["__type"] == "InvalidInputException"
    assert "eventList[0].sentAt" in out["message"]
    body["eventList"] = [{"eventType": "click", "sentAt": 1.0}] * 11
    _, _, out = raw(
        emulator.url, "/events", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    assert "'eventList'" in out["message"] and "less than or equal to 10" in out["message"]


def test_client_errors_map_to_modelled_exceptions(personalize, runtime, events):
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/missing"
    with pytest.raises(personalize.exceptions.ResourceNotFoundException):
        personalize.describe_dataset_group(datasetGroupArn=arn)
    with pytest.raises(runtime.exceptions.ResourceNotFoundException):
        runtime.get_recommendations(
            campaignArn="arn:aws:personalize:us-east-1:123456789012:campaign/none", userId="u"
        )
    with pytest.raises(events.exceptions.ResourceNotFoundException):
        events.put_events(
            trackingId="nope",
            sessionId="s",
            eventList=[{"eventType": "click", "sentAt": 1700000000}],
        )
    with pytest.raises(events.exceptions.ResourceNotFoundException):
        events.put_items(
            datasetArn=arn.replace("dataset-group", "dataset") + "/ITEMS", items=[{"itemId": "i"}]
        )


def test_not_implemented_operation_is_an_error(personalize):
    with pytest.raises(personalize.exceptions.InvalidInputException, match="not implemented"):
        personalize.list_batch_inference_jobs()


def test_unknown_target_path_bad_json_content_type_and_size(emulator):
    status, _, body = raw(
        emulator.url,
        headers={
            "X-Amz-Target": "AmazonPersonalize.Nope",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    assert status == 404 and body["__type"] == "UnknownOperationException"
    status, _, body = raw(emulator.url, headers={"X-Amz-Target": "Other.ListThings"})
    assert status == 404 and "Other.ListThings" in body["message"]
    status, _, body = raw(emulator.url, "/nowhere", headers={"Content-Type": "application/json"})
    assert status == 404 and "/nowhere" in body["message"]
    status, _, body = raw(emulator.url, body=b"{not json", headers=TARGET)
    assert status == 400 and body["__type"] == "SerializationException"
    status, _, body = raw(emulator.url, body=b"[1, 2]", headers=TARGET)
    assert status == 400 and "JSON object" in body["message"]
    status, _, body = raw(emulator.url, headers=dict(TARGET, **{"Content-Type": "text/plain"}))
    assert status == 415 and body["__type"] == "UnsupportedMediaTypeException"
    huge = b"{" + b" " * (6 * 1024 * 1024) + b"}"
    status, _, body = raw(emulator.url, body=huge, headers=TARGET)
    assert status == 413 and body["__type"] == "RequestEntityTooLargeException"
    # still serving
    status, _, body = raw(emulator.url, headers=TARGET)
    assert status == 200 and body == {"datasetGroups": []}


def test_region_comes_from_the_credential_scope(emulator):
    west = make_client("personalize", emulator.url)
    west = __import__("boto3").client(
        "personalize",
        endpoint_url=emulator.url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    arn = west.create_dataset_group(name="regional")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:eu-west-1:123456789012:dataset-group/regional"
    east = make_client("personalize", emulator.url)
    assert east.list_dataset_groups()["datasetGroups"] == []
    assert len(west.list_dataset_groups()["datasetGroups"]) == 1


def test_arns_responses_and_timestamps(personalize):
    arn = personalize.create_dataset_group(name="shape")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset-group/shape"
    group = personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert group["name"] == "shape"
    assert group["creationDateTime"].year >= 2024  # parsed from an epoch float by botocore
    schema = personalize.create_schema(name="shape-s", schema=json.dumps(INTERACTIONS_SCHEMA))
    assert schema["schemaArn"].endswith(":schema/shape-s")
    described = personalize.describe_schema(schemaArn=schema["schemaArn"])["schema"]
    assert "status" not in described and described["schema"] == json.dumps(INTERACTIONS_SCHEMA)


def test_pagination_and_duplicates(personalize):
    for i in range(7):
        personalize.create_dataset_group(name=f"page-{i}")
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_dataset_group(name="page-3")
    first = personalize.list_dataset_groups(maxResults=3)
    assert len(first["datasetGroups"]) == 3 and "nextToken" in first
    names = [g["name"] for g in first["datasetGroups"]]
    token = first["nextToken"]
    while token:
        page = personalize.list_dataset_groups(maxResults=3, nextToken=token)
        names += [g["name"] for g in page["datasetGroups"]]
        token = page.get("nextToken")
    assert sorted(names) == [f"page-{i}" for i in range(7)]
    paginated = personalize.get_paginator("list_dataset_groups").paginate(
        PaginationConfig={"PageSize": 2}
    )
    assert sum(len(p["datasetGroups"]) for p in paginated) == 7
    with pytest.raises(personalize.exceptions.InvalidNextTokenException):
        personalize.list_dataset_groups(nextToken="garbage")
    summary = first["datasetGroups"][0]
    assert set(summary) <= {
        "name",
        "datasetGroupArn",
        "status",
        "creationDateTime",
        "lastUpdatedDateTime",
        "failureReason",
        "domain",
    }


def test_recipes(personalize):
    names = {r["name"] for r in personalize.list_recipes()["recipes"]}
    assert {
        "aws-user-personalization",
        "aws-user-personalization-v2",
        "aws-popularity-count",
    } <= names
    recipe = personalize.describe_recipe(
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization"
    )["recipe"]
    assert recipe["recipeArn"] == "arn:aws:personalize:::recipe/aws-user-personalization"
    assert recipe["status"] == "ACTIVE"
    with pytest.raises(personalize.exceptions.ResourceNotFoundException):
        personalize.describe_recipe(recipeArn="arn:aws:personalize:::recipe/aws-nope")


def test_boto3_side_validation_still_applies(personalize):
    with pytest.raises(ParamValidationError):
        personalize.create_dataset_group()


def test_schema_checks(personalize):
    def create(name, schema):
        return personalize.create_schema(name=name, schema=schema)

    with pytest.raises(personalize.exceptions.InvalidInputException, match="not valid JSON"):
        create("bad1", "{oops")
    with pytest.raises(personalize.exceptions.InvalidInputException, match="record"):
        create("bad2", json.dumps({"type": "enum", "name": "x"}))
    with pytest.raises(personalize.exceptions.InvalidInputException, match="fields"):
        create("bad3", json.dumps({"type": "record", "name": "x"}))
    bad_cat = {
        "type": "record",
        "name": "x",
        "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "PRICE", "type": "float", "categorical": True},
        ],
    }
    with pytest.raises(personalize.exceptions.InvalidInputException, match="categorical"):
        create("bad4", json.dumps(bad_cat))
    bad_type = {"type": "record", "name": "x", "fields": [{"name": "ITEM_ID", "type": "bytes"}]}
    with pytest.raises(personalize.exceptions.InvalidInputException, match="not supported"):
        create("bad5", json.dumps(bad_type))
    ok = {
        "type": "record",
        "name": "x",
        "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "N", "type": ["null", "long"]}],
    }
    assert create("good", json.dumps(ok))["schemaArn"].endswith("schema/good")


def test_dataset_requires_matching_schema(personalize):
    dsg = personalize.create_dataset_group(name="dsg-types")["datasetGroupArn"]
    wait_for(lambda: personalize.describe_dataset_group(datasetGroupArn=dsg), "datasetGroup")
    items_only = {"type": "record", "name": "x", "fields": [{"name": "ITEM_ID", "type": "string"}]}
    schema = personalize.create_schema(name="items-only", schema=json.dumps(items_only))
    with pytest.raises(personalize.exceptions.InvalidInputException, match="USER_ID"):
        personalize.create_dataset(
            name="d", datasetGroupArn=dsg, datasetType="Interactions", schemaArn=schema["schemaArn"]
        )
    arn = personalize.create_dataset(
        name="d", datasetGroupArn=dsg, datasetType="Items", schemaArn=schema["schemaArn"]
    )["datasetArn"]
    assert arn == "arn:aws:personalize:us-east-1:123456789012:dataset/dsg-types/ITEMS"
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_dataset(
            name="d2", datasetGroupArn=dsg, datasetType="Items", schemaArn=schema["schemaArn"]
        )


def test_validation_error_is_not_retried_and_raises_client_error(emulator):
    client = make_client("personalize", emulator.url)
    with pytest.raises(ClientError) as info:
        client.describe_dataset_group(
            datasetGroupArn="arn:aws:personalize:us-east-1:123456789012:dataset-group/x"
        )
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert emulator.calls()["DescribeDatasetGroup"] == 1
