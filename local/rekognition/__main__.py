"""Run the DetectFaces stand-in: python -m local.rekognition --port 8092."""

from __future__ import annotations

import argparse
import signal
import threading

from . import start_rekognition


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.rekognition", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8092)
    args = parser.parse_args(argv)
    stand_in = start_rekognition(args.host, args.port)
    print(f"Rekognition stand-in listening on {stand_in.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stand_in.stop()


if __name__ == "__main__":
    main()
