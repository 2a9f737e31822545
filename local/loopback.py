"""The HTTP server shell the offline stand-ins share: a threaded server on a daemon thread."""

from __future__ import annotations

import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """Serves ``handler`` on ``host:port`` (0: an ephemeral port) once started.

    ``.url`` is known at once; ``start()`` returns the server, ``stop()`` shuts it down, and
    the server is a context manager that stops on exit.
    """

    thread_name = "loopback-server"

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]):
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        bound_host, bound_port = self.httpd.server_address[:2]
        self.url = f"http://{bound_host}:{bound_port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name=self.thread_name, daemon=True
        )

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_until_stopped() -> None:
    """Block the main thread until Ctrl-C or SIGTERM, for the `python -m local...` commands."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
