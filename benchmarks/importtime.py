"""What dominates a handler's import: ``python -X importtime``, self time summed per package."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from benchmarks.common import REPO_ROOT, SHARED_CODE

RUNTIME_HANDLERS = (
    "http_api",
    "get_recommendations",
    "replay_unsent_events",
    "sync_catalogue_object",
)
_IMPORT = (
    "import importlib.util, sys; sys.path.insert(0, {layer!r}); "
    "spec = importlib.util.spec_from_file_location('handler', {path!r}); "
    "spec.loader.exec_module(importlib.util.module_from_spec(spec))"
)
_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "bench",
}


def dominant_packages(handler: str, top: int = 5) -> list[dict[str, float | str]]:
    """The ``top`` top-level packages by import self time (ms) for one handler, one run."""
    path = REPO_ROOT / "functions" / handler / "app.py"
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            _IMPORT.format(layer=str(SHARED_CODE), path=str(path)),
        ],
        capture_output=True,
        text=True,
        check=True,
        env=_ENVIRONMENT,
    )
    by_package: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        self_us, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if self_us.isdigit():
            by_package[name.split(".")[0]] += int(self_us)
    total = sum(by_package.values())
    return [
        {"package": name, "ms": round(us / 1000, 1), "share": round(us / total, 2)}
        for name, us in by_package.most_common(top)
    ]


def all_dominant() -> dict[str, list[dict[str, float | str]]]:
    return {
        handler: dominant_packages(handler)
        for handler in RUNTIME_HANDLERS
        if (REPO_ROOT / "functions" / handler / "app.py").exists()
    }
