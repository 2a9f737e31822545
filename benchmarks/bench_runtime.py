"""Runtime API benchmark: SSM reads per 1000 warm requests, and handler import times.

    .venv/bin/python benchmarks/bench_runtime.py [--requests 200] [--runs 5] [--json PATH]

1. SSM GetParameter calls made by the HTTP API function over N warm requests to POST /events
   and GET /recommendations (the sample events from events/), on the offline stack, with the
   parameter cache as deployed (PARAMETER_CACHE_SECONDS=300) and with the cache off (0: one read
   per request per parameter, what the seed system did). Goal: at most one read per parameter
   per cache window. Reads are counted over ``--requests`` warm requests and reported per
   1000 (the count is deterministic; fewer requests keep the run short).
2. Import time of each of the runtime handler modules, a cold-start proxy, as a ratio to
   importing boto3 alone: median of ``--runs`` fresh interpreters each. Goal: at most 2x.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LAYER = REPO / "layers" / "common"
HANDLERS = ["http_api", "replay_unsent_events", "sync_catalogue_object", "get_recommendations"]
ROUTES = {
    "events": "http_api-post-events.json",
    "recommendations": "http_api-get-recommendations.json",
}

_IMPORT_BOTO3 = "import time; t = time.perf_counter(); import boto3; print(time.perf_counter() - t)"
_IMPORT_HANDLER = (
    "import importlib.util, sys, time; sys.path.insert(0, {layer!r}); t = time.perf_counter(); "
    "spec = importlib.util.spec_from_file_location('handler', {path!r}); "
    "spec.loader.exec_module(importlib.util.module_from_spec(spec)); "
    "print(time.perf_counter() - t)"
)


def _seconds(code: str) -> float:
    env = {
        "PATH": "/usr/bin:/bin",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "bench",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(done.stdout.strip().splitlines()[-1])


def import_times(runs: int) -> dict[str, Any]:
    """Median import seconds of boto3 and of each handler, and their ratios."""
    boto3_seconds = statistics.median(_seconds(_IMPORT_BOTO3) for _ in range(runs))
    result: dict[str, Any] = {"boto3Seconds": round(boto3_seconds, 4), "handlers": {}}
    for name in HANDLERS:
        path = REPO / "functions" / name / "app.py"
        code = _IMPORT_HANDLER.format(layer=str(LAYER), path=str(path))
        seconds = statistics.median(_seconds(code) for _ in range(runs))
        result["handlers"][name] = {
            "seconds": round(seconds, 4),
            "ratioToBoto3": round(seconds / boto3_seconds, 2),
            "goalMet": seconds / boto3_seconds <= 2.0,
        }
    return result


def _ready_tracker(outputs: dict[str, str]) -> None:
    """An ACTIVE tracker of the stack's dataset group, its tracking ID in SSM."""
    import boto3

    from local.stack.offline import STACK_NAME
    from recommender.schemas import schema_json

    personalize = boto3.client("personalize")

    def active(describe: Any, key: str) -> None:
        while describe()[key]["status"] != "ACTIVE":
            time.sleep(0.01)

    group = personalize.create_dataset_group(name=STACK_NAME)["datasetGroupArn"]
    active(lambda: personalize.describe_dataset_group(datasetGroupArn=group), "datasetGroup")
    schema = personalize.create_schema(name="bench", schema=schema_json("INTERACTIONS"))
    dataset = personalize.create_dataset(
        name="bench",
        datasetGroupArn=group,
        datasetType="INTERACTIONS",
        schemaArn=schema["schemaArn"],
    )["datasetArn"]
    active(lambda: personalize.describe_dataset(datasetArn=dataset), "dataset")
    tracker = personalize.create_event_tracker(name="bench", datasetGroupArn=group)
    arn = tracker["eventTrackerArn"]
    active(lambda: personalize.describe_event_tracker(eventTrackerArn=arn), "eventTracker")
    boto3.client("ssm").put_parameter(
        Name=outputs["TrackingIdParameterName"],
        Value=tracker["trackingId"],
        Type="String",
        Overwrite=True,
    )


def ssm_reads(requests: int) -> dict[str, Any]:
    """GetParameter calls per ``requests`` warm requests, cached and uncached, per route."""
    sys.path[:0] = [str(LAYER), str(REPO)]
    from local.stack.offline import offline_stack
    from recommender.clients import client
    from recommender.parameters import clear_settings_cache

    result: dict[str, Any] = {}
    with offline_stack("inprocess", emulator_settings={"time_scale": 0.01}) as offline:
        _ready_tracker(offline.outputs)
        function = offline.stack.functions["HttpApiFunction"]
        runner = offline.services.runner
        for route, sample in ROUTES.items():
            event = json.loads((REPO / "events" / sample).read_text())
            result[route] = {}
            for label, cache_seconds in (("cached", "300"), ("everyRequest", "0")):
                function.environment["PARAMETER_CACHE_SECONDS"] = cache_seconds
                clear_settings_cache()
                reads = {"count": 0}
                ssm = client("ssm")  # the client the parameters provider will be built on

                def count(reads: dict[str, int] = reads, **_: Any) -> None:
                    reads["count"] += 1

                ssm.meta.events.register("before-call.ssm.GetParameter", count)
                runner.invoke(function.name, event)  # cold: the first read of each parameter
                cold = reads["count"]
                started = time.perf_counter()
                for _ in range(requests):
                    answer, failed = runner.invoke(function.name, event)
                    assert not failed and answer["statusCode"] < 300, answer
                elapsed = time.perf_counter() - started
                ssm.meta.events.unregister("before-call.ssm.GetParameter", count)
                result[route][label] = {
                    "coldReads": cold,
                    "warmReads": reads["count"] - cold,
                    "warmRequests": requests,
                    "warmReadsPer1000Requests": round((reads["count"] - cold) * 1000 / requests),
                    "msPerRequest": round(elapsed / requests * 1000, 2),
                }
            function.environment["PARAMETER_CACHE_SECONDS"] = "300"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write {'runtime': {...}} here")
    args = parser.parse_args(argv)
    figures = {"ssmReads": ssm_reads(args.requests), "importTimes": import_times(args.runs)}
    print(json.dumps({"runtime": figures}, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"runtime": figures}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
