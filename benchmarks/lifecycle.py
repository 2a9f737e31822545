"""Figure 1: a whole lifecycle offline, our backoff polling against fixed 60 s polling.

Both runs execute the real ASL on moto's Step Functions engine with the real handlers,
against the Personalize emulator. The clock is dilated: SCALE real seconds pass as one
benchmark second, for the emulator's resources (each paced to a realistic duration) and for
the state machine's Wait states alike. The polling settings therefore stay the production
values (template.yaml's defaults, or a fixed 60 s) and the emulator's resources take their
realistic durations, only SCALE times faster. See docs/performance.md.

    .venv/bin/python -m benchmarks.lifecycle [--json PATH]     # both runs, in parallel
    .venv/bin/python -m benchmarks.lifecycle --run backoff --json PATH   # one run
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks.common import (
    REPO_ROOT,
    Figure,
    offline_credentials,
    use_repository_paths,
    write_figures,
)

SCALE = 60  # one real minute passes as one benchmark second

# How long each resource takes on the service, in real seconds (pending + in progress).
REALISTIC_SECONDS = {
    "dataset-group": 60,
    "dataset": 60,
    "event-tracker": 60,
    "dataset-import-job": 600,
    "solution": 60,
    "solution-version": 2400,
    "filter": 60,
    "campaign": 600,
}
PENDING_SECONDS = 30  # the part of each duration spent in CREATE PENDING


def _template_default(parameter: str) -> int:
    """The production default of a polling parameter, as template.yaml declares it."""
    from local.stack.template import load_sam_template

    template = load_sam_template(REPO_ROOT / "template.yaml")
    return int(template["Parameters"][parameter]["Default"])


POLLING = {
    "backoff": {
        "initialSeconds": _template_default("PollInitialSeconds"),
        "maxSeconds": _template_default("PollMaxSeconds"),
        "maxPolls": 120,
    },
    "fixed": {"initialSeconds": 60, "maxSeconds": 60, "maxPolls": 120},
}
# The data is sufficient, so the gate never waits; both runs say so explicitly.
SUFFICIENCY = {"minInteractions": 1000, "minUsers": 25, "rechecks": 3, "waitSeconds": 600}
TIMEOUT_SECONDS = 240


@contextmanager
def dilated_waits(scale: float) -> Iterator[None]:
    """Make moto's Wait states sleep ``seconds / scale`` instead of ``seconds``.

    The state machine still sees (and records in its history) the integer seconds the
    handlers asked for; only the time that passes is shorter.
    """
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function

    def wait_interval(self: Any, env: Any, wait_seconds: int) -> None:
        if wait_seconds > 0 and env.is_running():
            env.program_state_event.wait(wait_seconds / scale)

    with mock.patch.object(wait_function.WaitFunction, "_wait_interval", wait_interval):
        yield


def pace_resources(store: Any, scale: float) -> None:
    """Give every new emulator resource of a kind in REALISTIC_SECONDS that duration / scale.

    NOTE: the emulator's Settings have one duration for all resources and one for training,
    so this wraps the store's ``new`` on this instance only; a per-kind duration setting in
    the emulator would make it unnecessary.
    """
    create = store.new

    def new(kind, arn, name, region, info, parent=None, stages=None, keys=()):  # noqa: ANN001
        if kind in REALISTIC_SECONDS:
            total = REALISTIC_SECONDS[kind]
            stages = (PENDING_SECONDS / scale, (total - PENDING_SECONDS) / scale)
        return create(kind, arn, name, region, info, parent=parent, stages=stages, keys=keys)

    store.new = new


def run_once(polling: str) -> dict[str, Any]:
    """Deploy a fresh offline stack, generate the sample data and run one lifecycle."""
    use_repository_paths()
    offline_credentials()
    from local.stack.lifecycle_run import run_execution
    from local.stack.offline import offline_stack

    sample = json.loads((REPO_ROOT / "events" / "generate_dataset.json").read_text())
    settings = {
        "time_scale": 1 / SCALE,
        "stage_seconds": PENDING_SECONDS,
        "training_seconds": REALISTIC_SECONDS["solution-version"] - PENDING_SECONDS,
    }
    with warnings.catch_warnings(), dilated_waits(SCALE):
        warnings.simplefilter("ignore")
        with offline_stack("inprocess", emulator_settings=settings) as offline:
            pace_resources(offline.services.emulator.emulator.store, SCALE)
            offline.stack.invoke("DatasetGeneratorFunction", sample)
            execution = run_execution(
                offline.outputs["LifecycleStateMachineArn"],
                {"polling": POLLING[polling], "sufficiency": SUFFICIENCY},
                name=f"bench-{polling}",
                timeout=TIMEOUT_SECONDS,
            )
    entered = Counter(execution.states_entered())
    waits = [
        e["stateEnteredEventDetails"]["name"]
        for e in execution.history
        if e["type"] == "WaitStateEntered"
    ]
    return {
        "polling": POLLING[polling],
        "status": execution.status,
        "error": execution.error,
        "seconds": execution.seconds,
        "simulatedMinutes": round(execution.seconds * SCALE / 60, 1),
        "transitions": execution.transitions,
        "lambdaInvocations": sum(1 for e in execution.history if e["type"] == "TaskStateEntered"),
        "waits": dict(Counter(waits)),
        "statesEntered": dict(entered),
    }


def run_both() -> dict[str, dict[str, Any]]:
    """Run both polling styles at once, each in its own process with its own stack."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: Path(folder) / f"{name}.json" for name in POLLING}
        workers = {
            name: subprocess.Popen(  # noqa: S603 - our own module
                [sys.executable, "-m", "benchmarks.lifecycle", "--run", name, "--json", str(path)],
                cwd=REPO_ROOT,
                stdout=subprocess.DEVNULL,
            )
            for name, path in paths.items()
        }
        for name, worker in workers.items():
            if worker.wait() != 0:
                raise RuntimeError(f"lifecycle run with {name} polling failed")
            results[name] = json.loads(paths[name].read_text())
    return results


def figures(runs: dict[str, dict[str, Any]]) -> list[Figure]:
    ours, fixed = runs["backoff"], runs["fixed"]
    ok = ours["status"] == fixed["status"] == "SUCCEEDED"
    transitions = Figure(
        "lifecycle_transitions",
        "Lifecycle state transitions, backoff polling "
        f"({POLLING['backoff']['initialSeconds']} s doubling to "
        f"{POLLING['backoff']['maxSeconds']} s)",
        ours["transitions"],
        "transitions",
        reference=fixed["transitions"],
        reference_label="the same lifecycle with fixed 60 s polling",
        goal="ratio <= 0.5",
        details={"backoff": ours, "fixed": fixed, "scale": SCALE},
    )
    transitions.met = ok and transitions.ratio is not None and transitions.ratio <= 0.5
    if not ok:
        transitions.note = f"runs ended {ours['status']} and {fixed['status']}"
    wall = Figure(
        "lifecycle_wall",
        f"Lifecycle wall time, backoff polling (1 s here = {SCALE} s on AWS)",
        ours["seconds"],
        "s",
        reference=fixed["seconds"],
        reference_label="the same lifecycle with fixed 60 s polling",
        note=f"about {ours['simulatedMinutes']} min against {fixed['simulatedMinutes']} min "
        "on AWS at these durations",
    )
    return [transitions, wall]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--run", choices=sorted(POLLING), help="only this run, raw result")
    args = parser.parse_args()
    if args.run:
        result = run_once(args.run)
        print(json.dumps(result, indent=2))
        if args.json:
            args.json.write_text(json.dumps(result, indent=2) + "\n")
        return
    write_figures(args.json, "lifecycle", figures(run_both()))


if __name__ == "__main__":
    main()
