"""Figures 2, 3 and 5 from the standalone scripts bench_runtime.py and bench_emulator.py.

Each script runs in its own process with ``--json``; this module only turns its output into
figures. When bench_runtime.py is absent, figure 2 is reported as not measured and figure 3
is measured here (median of 5 fresh interpreters per handler).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, SHARED_CODE, Figure, not_measured
from benchmarks.importtime import _ENVIRONMENT, _IMPORT, RUNTIME_HANDLERS, all_dominant

HERE = Path(__file__).resolve().parent
IMPORT_GOAL = 2.0
EMULATOR_TRAINING_GOAL_S = 5.0
EMULATOR_P99_GOAL_MS = 10.0


def _run_script(name: str, *arguments: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.json"
        subprocess.run(  # noqa: S603 - our own scripts
            [sys.executable, str(HERE / name), "--json", str(path), *arguments],
            cwd=REPO_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return json.loads(path.read_text())


def runtime_figures() -> list[Figure]:
    """Figure 2 (SSM reads) and figure 3 (handler import time against boto3)."""
    if not (HERE / "bench_runtime.py").exists():
        missing = "bench_runtime.py missing"
        return [
            not_measured("ssm_reads", "SSM reads per 1000 warm requests", missing),
            *_own_import_figures(),
        ]
    runtime = _run_script("bench_runtime.py")["runtime"]
    figures = []
    for route, counts in runtime["ssmReads"].items():
        ours, every = counts["cached"], counts["everyRequest"]
        figure = Figure(
            f"ssm_reads_{route}",
            f"SSM reads per 1000 warm requests, HTTP API {route}",
            ours["warmReadsPer1000Requests"],
            "reads",
            reference=every["warmReadsPer1000Requests"],
            reference_label="the same requests with the cache off (a read on every request)",
            goal="at most one read per parameter per cache window (300 s)",
            note=f"{ours['warmRequests']} warm requests in one cache window; "
            f"{ours['coldReads']} read(s) on the cold request",
            details=counts,
        )
        # Every warm request falls in the cold request's cache window: no read is allowed.
        figure.met = ours["warmReads"] == 0
        figures.append(figure)
    imports = runtime["importTimes"]
    dominant = all_dominant()
    for handler, measured in imports["handlers"].items():
        figures.append(
            _import_figure(handler, measured["seconds"], imports["boto3Seconds"], dominant)
        )
    return figures


def _import_figure(
    handler: str, seconds: float, boto3_seconds: float, dominant: dict[str, Any]
) -> Figure:
    top = dominant.get(handler, [])
    figure = Figure(
        f"import_{handler}",
        f"Cold-start proxy: import of functions/{handler}/app.py",
        round(seconds * 1000, 1),
        "ms",
        reference=round(boto3_seconds * 1000, 1),
        reference_label="importing boto3 alone",
        goal=f"ratio <= {IMPORT_GOAL}",
        note="most import time: " + ", ".join(f"{p['package']} {p['ms']} ms" for p in top[:3]),
        details={"dominantPackages": top},
    )
    figure.met = figure.ratio is not None and figure.ratio <= IMPORT_GOAL
    return figure


def _own_import_figures(runs: int = 5) -> list[Figure]:
    def seconds(code: str) -> float:
        timed = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", timed],
            capture_output=True,
            text=True,
            check=True,
            env=_ENVIRONMENT,
        )
        return float(done.stdout.split()[-1])

    boto3_seconds = statistics.median(seconds("import boto3") for _ in range(runs))
    dominant = all_dominant()
    figures = []
    for handler in RUNTIME_HANDLERS:
        path = REPO_ROOT / "functions" / handler / "app.py"
        if path.exists():
            code = _IMPORT.format(layer=str(SHARED_CODE), path=str(path))
            median = statistics.median(seconds(code) for _ in range(runs))
            figures.append(_import_figure(handler, median, boto3_seconds, dominant))
    return figures


def emulator_figures() -> list[Figure]:
    """Figure 5: emulator training time and GetRecommendations p99 (bench_emulator.py)."""
    found = _run_script("bench_emulator.py")["emulator"]
    training = Figure(
        "emulator_training",
        "Emulator training, 100k interactions, 10k items, 2k users",
        found["training_wall_s"],
        "s",
        reference=found["training_model_s"],
        reference_label="the ALS fit alone, as the emulator reports it",
        goal=f"value < {EMULATOR_TRAINING_GOAL_S:g} s",
        met=found["training_wall_s"] < EMULATOR_TRAINING_GOAL_S,
        details=found,
    )
    figures = [training]
    for label in ("unfiltered", "filtered"):
        p99 = found[f"boto3_{label}_p99_ms"]
        figures.append(
            Figure(
                f"emulator_get_recommendations_{label}",
                f"Emulator GetRecommendations through boto3, {label}, p99",
                p99,
                "ms",
                reference=found[f"inprocess_{label}_p99_ms"],
                reference_label="the same requests dispatched in-process (no HTTP, no boto3)",
                goal=f"value < {EMULATOR_P99_GOAL_MS:g} ms",
                met=p99 < EMULATOR_P99_GOAL_MS,
                note=f"p50 {found[f'boto3_{label}_p50_ms']} ms",
            )
        )
    return figures


def main() -> None:
    import argparse

    from benchmarks.common import write_figures

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("section", choices=["runtime", "emulator"])
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args()
    make = runtime_figures if args.section == "runtime" else emulator_figures
    write_figures(args.json, args.section, make())


if __name__ == "__main__":
    main()
