"""`python -m local.api` (or `make api`): the HTTP API on loopback, offline.

Starts the offline stack (moto, the Personalize emulator, the DetectFaces stand-in, the sample
catalogue) and serves the template's HTTP API routes on 127.0.0.1 through the same handlers
Lambda runs. Prints the base URL; Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from local.api.gateway import start_gateway
from local.stack.offline import offline_stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.api", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with offline_stack("server") as offline, start_gateway(offline, args.host, args.port) as api:
        print(f"Offline HTTP API at {api.url}", flush=True)
        print(f"  OpenAPI document: {api.url}/openapi.json   Swagger UI: {api.url}/swagger")
        print(
            "  Stand-ins: "
            + ", ".join(
                f"{k}={v}"
                for k, v in offline.services.environment().items()
                if k.startswith("AWS_ENDPOINT")
            )
        )
        print("Ctrl-C stops it.", flush=True)
        try:
            while not stop.wait(1):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
