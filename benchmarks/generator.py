"""Figure 4: the dataset generator's throughput and peak memory at 100k, 1M and 5M likes.

Each size runs in a fresh worker process, so its peak resident memory (ru_maxrss) is the
generator's alone; S3 and DynamoDB are a moto server in a third process, so the object's
bytes are held there, not counted against the generator. The worker writes the three
CSVs with ``generate_dataset`` exactly as the function does, then streams the same number
of bytes of a constant row through the same S3 path: the transfer floor it is compared
with.

    .venv/bin/python -m benchmarks.generator [--json PATH] [--sizes 100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import (
    REPO_ROOT,
    Figure,
    offline_credentials,
    use_repository_paths,
    write_figures,
)

SIZES = (100_000, 1_000_000, 5_000_000)
BUCKET = "bench-generator"
ITEMS_TABLE = "bench-items"
END_TIME = 1_767_225_600
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES / 2**20


def _peak_resident_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server in its own process on a free loopback port; yields its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - moto's own entry point
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("moto server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _point_at(endpoint: str) -> None:
    use_repository_paths()
    offline_credentials()
    os.environ["AWS_ENDPOINT_URL"] = endpoint


def _create_bucket_and_catalogue(endpoint: str) -> None:
    """The data bucket and the sample catalogue, once, before any worker starts."""
    _point_at(endpoint)
    import boto3

    from local.sample_catalogue import sample_items
    from recommender.catalogue import put_items

    boto3.client("s3").create_bucket(Bucket=BUCKET)
    boto3.client("dynamodb").create_table(
        TableName=ITEMS_TABLE,
        KeySchema=[{"AttributeName": "itemId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "itemId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    put_items(ITEMS_TABLE, sample_items())


def measure_size(interactions: int, endpoint: str) -> dict[str, Any]:
    """Generate ``interactions`` likes into S3 (in this process) and time a transfer floor."""
    _point_at(endpoint)
    import boto3

    from recommender.generator.event import parse_generator_event
    from recommender.generator.run import generate_dataset
    from recommender.generator.writer import write_csv

    event = json.loads((REPO_ROOT / "events" / "generate_dataset.json").read_text())
    settings, _ = parse_generator_event(
        {**event, "interactions": interactions, "endTime": END_TIME}
    )
    baseline = _resident_mb()
    started = time.perf_counter()
    summary = generate_dataset(settings, BUCKET, ITEMS_TABLE)
    seconds = time.perf_counter() - started
    peak = _peak_resident_mb()
    size = boto3.client("s3").head_object(Bucket=BUCKET, Key="training/interactions.csv")
    csv_bytes = size["ContentLength"]

    # The floor: the same bytes through the same writer and S3 path, nothing to generate.
    row = ("persona-0001", "happy-001", END_TIME, "like", "happy-001|happy-002|happy-003")
    row_bytes = len(",".join(map(str, row))) + 1
    block = [row] * 10_000
    rows = max(1, csv_bytes // row_bytes)
    blocks = [block] * (rows // len(block)) + [[row] * (rows % len(block))]
    started = time.perf_counter()
    write_csv(BUCKET, "bench/floor.csv", ["A", "B", "C", "D", "E"], blocks)
    floor_seconds = time.perf_counter() - started
    return {
        "interactions": summary["counts"]["interactions"],
        "seconds": round(seconds, 3),
        "perSecond": round(summary["counts"]["interactions"] / seconds),
        "csvMegabytes": round(csv_bytes / 2**20, 1),
        "baselineMB": round(baseline, 1),
        "peakMB": round(peak, 1),
        "generatorMB": round(peak - baseline, 1),
        "transferFloorSeconds": round(floor_seconds, 3),
    }


def run_sizes(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """Each size in a fresh worker process, all against one moto server process."""
    results = []
    with moto_server() as endpoint:
        _create_bucket_and_catalogue(endpoint)
        for size in sizes:
            worker = subprocess.run(  # noqa: S603 - our own module
                [
                    sys.executable,
                    "-m",
                    "benchmarks.generator",
                    "--worker",
                    str(size),
                    "--endpoint",
                    endpoint,
                ],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if worker.returncode != 0:
                raise RuntimeError(f"generator worker for {size} failed:\n{worker.stderr}")
            results.append(json.loads(worker.stdout.strip().splitlines()[-1]))
            print(f"    {results[-1]}", flush=True)
    return results


def figures(results: list[dict[str, Any]]) -> list[Figure]:
    by_size = {r["interactions"]: r for r in results}
    out = []
    million = by_size.get(1_000_000)
    if million:
        speed = Figure(
            "generator_1m_seconds",
            "Dataset generator: 1M likes to S3",
            million["seconds"],
            "s",
            reference=million["transferFloorSeconds"],
            reference_label="streaming the same bytes of a constant row to the same S3",
            goal="value < 10 s",
            met=million["seconds"] < 10,
            note=f"{million['perSecond']:,} likes/s",
            details={"sizes": results},
        )
        out.append(speed)
    smallest, largest = by_size.get(min(by_size)), by_size.get(max(by_size))
    if smallest and largest and smallest is not largest:
        memory = Figure(
            "generator_memory_growth",
            f"Dataset generator: peak memory at {largest['interactions']:,} likes",
            largest["generatorMB"],
            "MB",
            reference=smallest["generatorMB"],
            reference_label=f"the same at {smallest['interactions']:,} likes",
            goal="ratio <= 1.2",
            note=f"process peak {largest['peakMB']} MB against {smallest['peakMB']} MB "
            "(interpreter, numpy and boto3 included)",
            details={"sizes": results},
        )
        memory.met = memory.ratio is not None and memory.ratio <= 1.2
        out.append(memory)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure_size(args.worker, args.endpoint)))
        return
    sizes = tuple(int(size) for size in args.sizes.split(","))
    write_figures(args.json, "generator", figures(run_sizes(sizes)))


if __name__ == "__main__":
    main()
