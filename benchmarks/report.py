"""build/bench.json and build/bench.md from the figures of one run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}"


def _met(figure: dict[str, Any]) -> str:
    if figure["met"] is None:
        return "-" if figure["value"] is not None else "not measured"
    return "met" if figure["met"] else "NOT MET"


def markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"{machine['date']}, commit {machine['commit']}: {machine['cpu']}, "
        f"{machine['cores']} cores, {machine['memoryGB']} GB, Python {machine['python']}, "
        f"{machine['os']}. Whole run {report['seconds']:.0f} s.",
        "",
        "| # | figure | value | reference | ratio | goal | |",
        "|---|---|---|---|---|---|---|",
    ]
    for figure in report["figures"]:
        unit = f" {figure['unit']}" if figure["unit"] and figure["value"] is not None else ""
        reference = "-"
        if figure["reference"] is not None:
            reference = f"{_number(figure['reference'])}{unit}: {figure['reference_label']}"
        lines.append(
            f"| {figure['number']} | {figure['title']} | {_number(figure['value'])}{unit} "
            f"| {reference} | {_number(figure['ratio'])} | {figure['goal'] or '-'} "
            f"| {_met(figure)} |"
        )
    notes = [f for f in report["figures"] if f["note"]]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {f['title']}: {f['note']}" for f in notes]
    failed = {name: s["error"] for name, s in report["sections"].items() if s.get("error")}
    if failed:
        lines += ["", "Sections that failed:", ""]
        lines += [f"- {name}: {error}" for name, error in failed.items()]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    as_json, as_markdown = folder / "bench.json", folder / "bench.md"
    as_json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    as_markdown.write_text(markdown(report))
    return as_json, as_markdown
