"""Notifications: the EventBridge rule hears the stack's executions that end and tells the
topic in words; the topic is encrypted with a key EventBridge may use; e-mail is optional.

The rule and topic come from template.yaml through the SAM translator; the event pattern is
matched by moto's EventBridge (TestEventPattern) against the sample events in events/.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.security.conditions import Deployed
from tests.support import load_event

FAILED = "notification-lifecycle-failed.json"
SUCCEEDED = "notification-teardown-succeeded.json"


def _machine_arn(sample: str) -> str:
    return load_event(sample)["detail"]["stateMachineArn"]


# What the Refs to the two state machines become once deployed, as in the sample events.
DEPLOYED_MACHINES = {
    "LifecycleStateMachine": _machine_arn(FAILED),
    "TeardownStateMachine": _machine_arn(SUCCEEDED),
}


def _with_machine_arns(node: Any) -> Any:
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in DEPLOYED_MACHINES:
            return DEPLOYED_MACHINES[node["Ref"]]
        return {k: _with_machine_arns(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_machine_arns(v) for v in node]
    return node


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return Deployed({}).resources()


@pytest.fixture(scope="module")
def rule(resources) -> dict[str, Any]:
    return resources["ExecutionStatusRule"]["Properties"]


@pytest.fixture
def deliver(rule):
    """Put an event on moto's default bus under the template's rule; return what the target
    got. moto cannot deliver to SNS, so a queue stands in for the topic, with the same input
    transformer."""
    (target,) = rule["Targets"]
    with mock_aws():
        events = boto3.client("events", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        queue = sqs.create_queue(QueueName="notification-topic-stand-in")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        events.put_rule(
            Name="execution-status",
            EventPattern=json.dumps(_with_machine_arns(rule["EventPattern"])),
        )
        events.put_targets(
            Rule="execution-status",
            Targets=[
                {
                    "Id": target["Id"],
                    "Arn": queue_arn["Attributes"]["QueueArn"],
                    "InputTransformer": target["InputTransformer"],
                }
            ],
        )

        def put(event: dict[str, Any]) -> list[str]:
            answer = events.put_events(
                Entries=[
                    {
                        "Source": event["source"],
                        "DetailType": event["detail-type"],
                        "Detail": json.dumps(event["detail"]),
                        "Resources": event["resources"],
                    }
                ]
            )
            assert answer["FailedEntryCount"] == 0
            received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
            return [m["Body"] for m in received.get("Messages", [])]

        yield put


def _sample(name: str, **detail: Any) -> dict[str, Any]:
    event = copy.deepcopy(load_event(name))
    event["detail"].update(detail)
    return event


@pytest.mark.parametrize("status", ["FAILED", "TIMED_OUT", "ABORTED", "SUCCEEDED"])
@pytest.mark.parametrize("sample", [FAILED, SUCCEEDED])
def test_every_ending_of_either_state_machine_is_heard(deliver, sample, status):
    (message,) = deliver(_sample(sample, status=status))
    assert f"ended {status} at" in message


def test_running_executions_are_not_heard(deliver):
    assert deliver(_sample(FAILED, status="RUNNING")) == []


def test_other_state_machines_are_not_heard(deliver):
    other = "arn:aws:states:us-east-1:123456789012:stateMachine:SomeoneElses-1a2b3c"
    assert deliver(_sample(FAILED, stateMachineArn=other)) == []


def test_other_sources_are_not_heard(deliver):
    event = _sample(FAILED)
    event["source"] = "my.app"
    assert deliver(event) == []


def test_a_failure_message_names_execution_status_error_and_the_cause(deliver):
    event = load_event(FAILED)
    (message,) = deliver(event)
    text = json.loads(message)  # the template is one JSON string: SNS sends it as it is
    detail = event["detail"]
    for value in (detail["executionArn"], "FAILED", detail["error"], detail["cause"]):
        assert value in text
    assert "CheckDataSufficiency" in text  # the failing step, from our Fail state's cause


def test_a_success_message_reads_as_a_sentence(deliver):
    (message,) = deliver(load_event(SUCCEEDED))
    text = json.loads(message)
    assert text.startswith("Execution teardown-1 ended SUCCEEDED at ")
    assert text.endswith(load_event(SUCCEEDED)["detail"]["executionArn"])


def test_the_rule_publishes_to_the_topic_and_only_the_rule_may(resources, rule):
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Ref": "NotificationTopic"}
    policy = resources["NotificationTopicPolicy"]["Properties"]["PolicyDocument"]
    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert len(allows) == 1
    assert allows[0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert allows[0]["Condition"]["ArnEquals"]["aws:SourceArn"] == {
        "Fn::GetAtt": ["ExecutionStatusRule", "Arn"]
    }


def test_the_topic_is_encrypted_with_a_key_eventbridge_may_use(resources):
    topic = resources["NotificationTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "NotificationKey"}
    key = resources["NotificationKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    (events,) = [
        s
        for s in key["KeyPolicy"]["Statement"]
        if s["Principal"] == {"Service": "events.amazonaws.com"}
    ]
    assert sorted(events["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_no_subscription_without_an_address():
    assert "NotificationEmailSubscription" not in Deployed({}).resources()


def test_an_address_subscribes_by_email():
    resources = Deployed({"NotificationEmail": "ops@example.com"}).resources()
    subscription = resources["NotificationEmailSubscription"]["Properties"]
    assert subscription["Protocol"] == "email"
    assert subscription["TopicArn"] == {"Ref": "NotificationTopic"}
