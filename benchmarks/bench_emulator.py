"""Benchmark the Personalize emulator: training time and GetRecommendations latency.

Synthetic, seeded data (100k interactions, 10k items, 2k users, 8 emotions) is imported from
an in-process moto S3, trained with the ALS model, then queried through boto3 (HTTP) and
through the in-process dispatch path, with and without an Items.EMOTION filter.

    .venv/bin/python benchmarks/bench_emulator.py [--json PATH] [--requests 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EMOTIONS = ["HAPPY", "SAD", "ANGRY", "CALM", "SURPRISED", "FEAR", "DISGUSTED", "CONFUSED"]
BUCKET = "bench-emulator"
N_INTERACTIONS, N_ITEMS, N_USERS = 100_000, 10_000, 2_000


def synthetic(seed: int = 7) -> tuple[str, str]:
    rng = random.Random(seed)
    items = [f"img-{i}" for i in range(N_ITEMS)]
    emotion = {item: EMOTIONS[i % len(EMOTIONS)] for i, item in enumerate(items)}
    by_emotion: dict[str, list[str]] = {}
    for item in items:
        by_emotion.setdefault(emotion[item], []).append(item)
    rows = ["USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"]
    t0 = 1_700_000_000
    for n in range(N_INTERACTIONS):
        user = rng.randrange(N_USERS)
        pool = by_emotion[EMOTIONS[user % len(EMOTIONS)]] if rng.random() < 0.8 else items
        # Zipf-like popularity inside the pool.
        item = pool[min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1)]
        if rng.random() < 0.5:
            item = rng.choice(pool)
        rows.append(f"user-{user},{item},click,{t0 + n}")
    item_rows = ["ITEM_ID,EMOTION"] + [f"{i},{emotion[i]}" for i in items]
    return "\n".join(rows) + "\n", "\n".join(item_rows) + "\n"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def wait(describe, key: str) -> dict:
    while True:
        resource = describe()[key]
        if resource["status"] in ("ACTIVE", "CREATE FAILED"):
            return resource
        time.sleep(0.005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    import boto3
    from moto import mock_aws

    from local.personalize import start_emulator

    interactions, items = synthetic()
    with mock_aws(), start_emulator(settings={"time_scale": 0.001}) as emu:
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="interactions.csv", Body=interactions.encode())
        s3.put_object(Bucket=BUCKET, Key="items.csv", Body=items.encode())

        def client(service):
            return boto3.client(service, endpoint_url=emu.url, region_name="us-east-1")

        p, rt = client("personalize"), client("personalize-runtime")
        dsg = p.create_dataset_group(name="bench")["datasetGroupArn"]
        wait(lambda: p.describe_dataset_group(datasetGroupArn=dsg), "datasetGroup")
        schemas = {
            "Interactions": [
                ("USER_ID", "string"),
                ("ITEM_ID", "string"),
                ("EVENT_TYPE", "string"),
                ("TIMESTAMP", "long"),
            ],
            "Items": [("ITEM_ID", "string"), ("EMOTION", "string")],
        }
        figures: dict = {}
        for kind, fields in schemas.items():
            schema = {
                "type": "record",
                "name": kind,
                "fields": [{"name": n, "type": t} for n, t in fields],
            }
            schema_arn = p.create_schema(name=f"bench-{kind}", schema=json.dumps(schema))
            dataset = p.create_dataset(
                name=f"bench-{kind}",
                datasetGroupArn=dsg,
                datasetType=kind,
                schemaArn=schema_arn["schemaArn"],
            )
            arn = dataset["datasetArn"]
            wait(lambda arn=arn: p.describe_dataset(datasetArn=arn), "dataset")
            started = time.perf_counter()
            job = p.create_dataset_import_job(
                jobName=f"bench-{kind}",
                datasetArn=arn,
                dataSource={"dataLocation": f"s3://{BUCKET}/{kind.lower()}.csv"},
            )["datasetImportJobArn"]
            done = wait(
                lambda job=job: p.describe_dataset_import_job(datasetImportJobArn=job),
                "datasetImportJob",
            )
            assert done["status"] == "ACTIVE", done
            figures[f"import_{kind.lower()}_s"] = round(time.perf_counter() - started, 3)
        solution = p.create_solution(
            name="bench",
            datasetGroupArn=dsg,
            recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
        )["solutionArn"]
        wait(lambda: p.describe_solution(solutionArn=solution), "solution")
        started = time.perf_counter()
        version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        trained = wait(
            lambda: p.describe_solution_version(solutionVersionArn=version), "solutionVersion"
        )
        assert trained["status"] == "ACTIVE", trained
        figures["training_wall_s"] = round(time.perf_counter() - started, 3)
        figures["training_model_s"] = round(trained["trainingHours"] * 3600, 3)
        figures["metrics"] = p.get_solution_metrics(solutionVersionArn=version)["metrics"]
        campaign = p.create_campaign(name="bench", solutionVersionArn=version)["campaignArn"]
        wait(lambda: p.describe_campaign(campaignArn=campaign), "campaign")
        flt = p.create_filter(
            name="bench",
            datasetGroupArn=dsg,
            filterExpression="INCLUDE ItemID WHERE Items.EMOTION IN ($EMOTION)",
        )
        wait(lambda: p.describe_filter(filterArn=flt["filterArn"]), "filter")

        rng = random.Random(11)
        handle = emu.emulator.handle

        def requests(with_filter: bool) -> list[dict]:
            out = []
            for _ in range(args.requests):
                params = {
                    "campaignArn": campaign,
                    "userId": f"user-{rng.randrange(N_USERS)}",
                    "numResults": 25,
                }
                if with_filter:
                    params["filterArn"] = flt["filterArn"]
                    params["filterValues"] = {"EMOTION": json.dumps(rng.choice(EMOTIONS))}
                out.append(params)
            return out

        for label, with_filter in (("unfiltered", False), ("filtered", True)):
            batch = requests(with_filter)
            for params in batch[:50]:  # warm-up: connections, caches
                rt.get_recommendations(**params)
            timings = []
            for params in batch:
                started = time.perf_counter()
                rt.get_recommendations(**params)
                timings.append((time.perf_counter() - started) * 1000)
            figures[f"boto3_{label}_p50_ms"] = round(statistics.median(timings), 3)
            figures[f"boto3_{label}_p99_ms"] = round(percentile(timings, 99), 3)
            timings = []
            for params in batch:
                started = time.perf_counter()
                handle("personalize-runtime", "GetRecommendations", params, "us-east-1")
                timings.append((time.perf_counter() - started) * 1000)
            figures[f"inprocess_{label}_p50_ms"] = round(statistics.median(timings), 3)
            figures[f"inprocess_{label}_p99_ms"] = round(percentile(timings, 99), 3)

    print(f"{'figure':<32} value")
    for key, value in figures.items():
        if key != "metrics":
            print(f"{key:<32} {value}")
    print("metrics:", json.dumps(figures["metrics"]))
    if args.json:
        args.json.write_text(json.dumps({"emulator": figures}, indent=2) + "\n")


if __name__ == "__main__":
    main()
