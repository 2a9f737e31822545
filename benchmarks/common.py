"""What every benchmark module shares: paths, percentiles, the figure record, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_CODE = REPO_ROOT / "layers" / "common"
BUILD = REPO_ROOT / "build"


def use_repository_paths() -> None:
    """Make the repository and the shared layer importable, as the Lambda runtime would."""
    for path in (str(SHARED_CODE), str(REPO_ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


def offline_credentials() -> None:
    """Fake credentials and no endpoint overrides: nothing a benchmark does may reach AWS."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q``th percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class Figure:
    """One measured figure, the reference it is compared with, and its goal.

    ``ratio`` is ``value / reference`` (both measured in the same run). ``met`` is None when
    the figure has no goal or could not be measured.
    """

    key: str
    title: str
    value: float | None
    unit: str
    reference: float | None = None
    reference_label: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference:
            return None
        return round(self.value / self.reference, 3)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def not_measured(key: str, title: str, why: str, goal: str = "") -> Figure:
    """A figure that this run could not produce, saying why."""
    return Figure(key, title, None, "", goal=goal, note=f"not measured: {why}")


def json_argument(description: str) -> argparse.Namespace:
    """The command line every benchmark module takes: ``--json PATH``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    return parser.parse_args()


def write_figures(path: Path | None, section: str, figures: list[Figure]) -> None:
    """Print the figures and, with a path, write ``{section: [figure, ...]}`` there."""
    for figure in figures:
        shown = "-" if figure.value is None else f"{figure.value} {figure.unit}"
        print(f"  {figure.title}: {shown} {figure.note}".rstrip(), flush=True)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {section: [figure.as_dict() for figure in figures]}
        path.write_text(json.dumps(body, indent=2) + "\n")
