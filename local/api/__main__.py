"""`python -m local.api` (or `make api`, `make web`): the HTTP API and the web pages, offline.

Starts the offline stack (moto, the Personalize emulator, the DetectFaces stand-in, the sample
catalogue with a placeholder picture per item) and serves the template's HTTP API routes on
127.0.0.1 through the same handlers Lambda runs, with the pages of web/ on the same origin.
``--train`` first generates training data and runs the lifecycle, so recommendations come from
the (emulated) campaign instead of the catalogue fallback. Prints the URLs; Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from local.api.gateway import start_gateway
from local.api.placeholders import catalogue_rows, store_placeholder_images
from local.loopback import serve_until_stopped
from local.stack.deploy import REPO_ROOT
from local.stack.lifecycle_run import run_execution
from local.stack.offline import OfflineStack, offline_stack

SITE = REPO_ROOT / "web"


def _event(name: str) -> dict[str, Any]:
    return json.loads((REPO_ROOT / "events" / name).read_text())


def train(offline: OfflineStack) -> str:
    """Generate the first training data and run the lifecycle; returns the execution status."""
    stack = offline.stack
    print("Generating training data and running the lifecycle (about 20 s) ...", flush=True)
    stack.invoke("DatasetGeneratorFunction", _event("generate_dataset.json"))
    execution = run_execution(
        stack.outputs["LifecycleStateMachineArn"], _event("lifecycle-offline.json"), name="web"
    )
    if execution.status != "SUCCEEDED":
        print(f"  lifecycle {execution.status}: {execution.error}: {execution.cause}")
    return execution.status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.api", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.add_argument("--no-site", action="store_true", help="serve the API only, not web/")
    parser.add_argument(
        "--train", action="store_true", help="train the model first (recommendations source)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    site = None if args.no_site else SITE
    with offline_stack("server") as offline:
        if site is not None:
            store_placeholder_images(
                offline.outputs["DataBucketName"], catalogue_rows(offline.outputs["ItemsTableName"])
            )
        if args.train:
            train(offline)
        with start_gateway(offline, args.host, args.port, site=site) as api:
            print(f"Offline HTTP API at {api.url}", flush=True)
            print(f"  OpenAPI document: {api.url}/openapi.json   Swagger UI: {api.url}/swagger")
            if site is not None:
                print(f"  Gallery: {api.url}/   Enabler: {api.url}/enabler.html")
            print(
                "  Stand-ins: "
                + ", ".join(
                    f"{k}={v}"
                    for k, v in offline.services.environment().items()
                    if k.startswith("AWS_ENDPOINT")
                )
            )
            print("Ctrl-C stops it.", flush=True)
            serve_until_stopped()
    return 0


if __name__ == "__main__":
    sys.exit(main())
