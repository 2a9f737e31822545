"""Figure 6: what our handlers add to the AWS calls they make, per warm request.

An offline stack is deployed and trained (the real lifecycle, fast emulator), then each
handler is called in this process, warm, with its own environment and sample event shape,
while every boto3 call is timed. A request's overhead is its wall time minus the time spent
inside boto3 calls; the reference is the bare ``get_recommendations`` (or ``put_events``)
call against the emulator with the same arguments.

    .venv/bin/python -m benchmarks.handlers [--json PATH] [--requests 500]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import (
    REPO_ROOT,
    Figure,
    offline_credentials,
    percentile,
    use_repository_paths,
    write_figures,
)

EMOTIONS = ["HAPPY", "SURPRISED", "CALM", "ANGRY", "FEAR", "CONFUSED", "DISGUSTED", "SAD"]
FAST_EMULATOR = {"time_scale": 0.05}
WARM_UP = 30
OVERHEAD_GOAL_MS = 2.0


class CallClock:
    """Times every boto3 API call made while it is installed, by operation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls: Counter[str] = Counter()

    @contextlib.contextmanager
    def installed(self) -> Iterator[CallClock]:
        from botocore.client import BaseClient

        original = BaseClient._make_api_call
        clock = self

        def timed(client: Any, operation: str, params: dict[str, Any]) -> Any:
            started = time.perf_counter()
            try:
                return original(client, operation, params)
            finally:
                clock.seconds += time.perf_counter() - started
                clock.calls[f"{client.meta.service_model.service_name}:{operation}"] += 1

        BaseClient._make_api_call = timed
        try:
            yield self
        finally:
            BaseClient._make_api_call = original


def _load_handler(function: Any) -> Callable[[Any, Any], Any]:
    """The function's handler, imported from its CodeUri with its environment applied."""
    os.environ.update(function.environment)
    module_file, attribute = function.handler.rsplit(".", 1)
    path = function.code_dir / f"{module_file}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{function.name}", path)
    assert spec and spec.loader  # noqa: S101 - the template names an existing file
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attribute)


def _time_handler(function: Any, events: list[Any], check: Callable[[Any], bool]) -> dict[str, Any]:
    from local.stack.lambda_runner import LambdaContext

    handler = _load_handler(function)
    context = LambdaContext(function)
    for event in events[:WARM_UP]:
        assert check(handler(event, context)), "the handler did not answer as expected"  # noqa: S101
    totals, overheads = [], []
    calls: Counter[str] = Counter()
    clock = CallClock()
    # Logs go where Lambda sends them (stdout); here that is /dev/null, formatting included.
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), clock.installed():
        for event in events:
            clock.seconds, clock.calls = 0.0, Counter()
            started = time.perf_counter()
            result = handler(event, context)
            total = time.perf_counter() - started
            if not check(result):
                raise RuntimeError(f"{function.name} answered {str(result)[:300]}")
            totals.append(total * 1000)
            overheads.append((total - clock.seconds) * 1000)
            calls.update(clock.calls)
    return {
        "p50_ms": round(percentile(totals, 50), 3),
        "p99_ms": round(percentile(totals, 99), 3),
        "overhead_p50_ms": round(percentile(overheads, 50), 3),
        "overhead_p99_ms": round(percentile(overheads, 99), 3),
        "awsCallsPerRequest": {op: round(n / len(events), 3) for op, n in sorted(calls.items())},
        "requests": len(events),
    }


def _time_bare(call: Callable[[dict[str, Any]], Any], params: list[dict[str, Any]]) -> dict:
    for one in params[:WARM_UP]:
        call(one)
    timings = []
    for one in params:
        started = time.perf_counter()
        call(one)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(percentile(timings, 50), 3),
        "p99_ms": round(percentile(timings, 99), 3),
    }


def _http_event(method: str, path: str, query: dict[str, str] | None, body: Any) -> dict:
    from urllib.parse import urlencode

    sample = json.loads((REPO_ROOT / "events" / "http_api-post-events.json").read_text())
    route = f"{method} {path}"
    event = {
        **sample,
        "routeKey": route,
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "requestContext": {
            **sample["requestContext"],
            "routeKey": route,
            "http": {**sample["requestContext"]["http"], "method": method, "path": path},
        },
        "body": None if body is None else json.dumps(body),
    }
    if query:
        event["queryStringParameters"] = query
    return event


def measure(requests: int) -> dict[str, Any]:
    use_repository_paths()
    offline_credentials()
    import boto3

    from local.stack.lifecycle_run import run_execution
    from local.stack.offline import offline_stack

    sample = json.loads((REPO_ROOT / "events" / "generate_dataset.json").read_text())
    lifecycle = json.loads((REPO_ROOT / "events" / "lifecycle-offline.json").read_text())
    users = [f"{g}/{e.lower()}" for g in ("female", "male") for e in EMOTIONS]
    users += [f"persona-{n:04d}" for n in range(1, 65)]
    asks = [
        {"userId": users[n % len(users)], "emotion": EMOTIONS[n % 7], "numResults": 10}
        for n in range(requests)
    ]
    results: dict[str, Any] = {}
    # The functions log at INFO, as deployed; their logs go nowhere here.
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stack_context = offline_stack(
            "inprocess", emulator_settings=FAST_EMULATOR, parameters={"LogLevel": "INFO"}
        )
        with stack_context as offline:
            stack = offline.stack
            stack.invoke("DatasetGeneratorFunction", sample)
            execution = run_execution(stack.outputs["LifecycleStateMachineArn"], lifecycle)
            if execution.status != "SUCCEEDED":
                raise RuntimeError(f"lifecycle {execution.status}: {execution.cause}")
            ssm = boto3.client("ssm")
            campaign, filter_arn = (
                ssm.get_parameter(Name=stack.outputs[name])["Parameter"]["Value"]
                for name in ("CampaignArnParameterName", "FilterArnParameterName")
            )
            runtime = boto3.client("personalize-runtime")

            def bare_recommendations(ask: dict[str, Any]) -> Any:
                return runtime.get_recommendations(
                    campaignArn=campaign,
                    userId=ask["userId"],
                    numResults=ask["numResults"],
                    filterArn=filter_arn,
                    filterValues={"EMOTION": json.dumps(ask["emotion"])},
                )

            results["bare_get_recommendations"] = _time_bare(bare_recommendations, asks)
            results["recommendations_function"] = _time_handler(
                stack.functions["RecommendationsFunction"],
                asks,
                lambda answer: answer.get("source") == "personalize",
            )
            http = stack.functions.get("HttpApiFunction")
            if http is not None:
                results.update(_measure_http(http, asks, offline))
    return results


def _measure_http(function: Any, asks: list[dict[str, Any]], offline: Any) -> dict[str, Any]:
    import boto3

    results: dict[str, Any] = {}
    gets = [
        _http_event("GET", "/recommendations", {k: str(v) for k, v in ask.items()}, body=None)
        for ask in asks
    ]
    results["http_get_recommendations"] = _time_handler(
        function, gets, lambda answer: answer.get("statusCode") == 200
    )
    likes = [
        {
            "userId": ask["userId"],
            "sessionId": f"bench-{n // 10}",
            "events": [{"eventType": "like", "itemId": f"{ask['emotion'].lower()}-001"}],
        }
        for n, ask in enumerate(asks)
    ]
    posts = [_http_event("POST", "/events", None, body) for body in likes]
    results["http_post_events"] = _time_handler(
        function, posts, lambda answer: answer.get("statusCode") == 200
    )
    tracking_name = offline.stack.outputs["TrackingIdParameterName"]
    tracking_id = boto3.client("ssm").get_parameter(Name=tracking_name)["Parameter"]["Value"]
    events = boto3.client("personalize-events")

    def bare_put_events(body: dict[str, Any]) -> Any:
        return events.put_events(
            trackingId=tracking_id,
            userId=body["userId"],
            sessionId=body["sessionId"],
            eventList=[
                {
                    "eventType": "like",
                    "itemId": body["events"][0]["itemId"],
                    "sentAt": time.time(),
                }
            ],
        )

    results["bare_put_events"] = _time_bare(bare_put_events, likes)
    return results


def figures(results: dict[str, Any]) -> list[Figure]:
    out = []
    pairs = [
        (
            "recommendations_function",
            "bare_get_recommendations",
            "Recommendations function (functions/get_recommendations), warm p99",
            "the bare get_recommendations call, same arguments, p99",
        ),
        (
            "http_get_recommendations",
            "bare_get_recommendations",
            "HTTP API GET /recommendations (functions/http_api), warm p99",
            "the bare get_recommendations call, same arguments, p99",
        ),
        (
            "http_post_events",
            "bare_put_events",
            "HTTP API POST /events (functions/http_api), warm p99",
            "the bare put_events call, one like, p99",
        ),
    ]
    for key, bare, title, label in pairs:
        if key not in results:
            continue
        ours, reference = results[key], results[bare]
        out.append(
            Figure(
                f"handler_{key}",
                title,
                ours["p99_ms"],
                "ms",
                reference=reference["p99_ms"],
                reference_label=label,
                goal=f"overhead p99 < {OVERHEAD_GOAL_MS} ms",
                met=ours["overhead_p99_ms"] < OVERHEAD_GOAL_MS,
                note=f"overhead (time outside AWS calls) p50 {ours['overhead_p50_ms']} ms, "
                f"p99 {ours['overhead_p99_ms']} ms",
                details={"handler": ours, "reference": reference},
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    results = measure(args.requests)
    found = figures(results)
    if "http_post_events" not in results:
        found.append(
            Figure(
                "handler_http_post_events",
                "HTTP API POST /events",
                None,
                "",
                note="not measured: no HttpApiFunction in template.yaml",
            )
        )
    write_figures(args.json, "handlers", found)


if __name__ == "__main__":
    main()
