"""Run the emulator: python -m local.personalize --host 127.0.0.1 --port 8765."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from . import start_emulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.personalize", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--time-scale",
        type=float,
        default=None,
        help="multiply every lifecycle duration (default: env or 1.0)",
    )
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(message)s")
    settings = None if args.time_scale is None else {"time_scale": args.time_scale}
    emulator = start_emulator(args.host, args.port, settings)
    print(f"Personalize emulator listening on {emulator.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
