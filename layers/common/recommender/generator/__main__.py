"""Command line: ``PYTHONPATH=layers/common python -m recommender.generator --help``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from recommender.exceptions import RecommenderError
from recommender.generator.run import generate_dataset
from recommender.generator.synthetic import GeneratorSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m recommender.generator",
        description="Write Personalize training CSVs (interactions, users, items) to S3.",
    )
    parser.add_argument("--bucket", default=os.environ.get("DATA_BUCKET"), required=False)
    parser.add_argument("--items-table", default=os.environ.get("ITEMS_TABLE"))
    parser.add_argument("--interactions", type=int, default=3000)
    parser.add_argument("--personas", type=int, default=64)
    parser.add_argument("--noise", type=float, default=0.15)
    parser.add_argument("--window-days", type=int, default=30)
    parser.add_argument("--end-time", type=int, default=0, help="epoch seconds; default now")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--send-events", action="store_true", help="also call PutEvents")
    args = parser.parse_args(argv)
    if not args.bucket or not args.items_table:
        parser.error("--bucket and --items-table (or DATA_BUCKET and ITEMS_TABLE) are required")
    settings = GeneratorSettings(
        interactions=args.interactions,
        personas=args.personas,
        noise=args.noise,
        window_days=args.window_days,
        end_time=args.end_time,
        seed=args.seed,
    )
    try:
        summary = generate_dataset(
            settings, args.bucket, args.items_table, send_events=args.send_events
        )
    except RecommenderError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
