"""`make bench`: every benchmark, one after the other, then build/bench.json and bench.md.

Each section runs in its own process (a fresh interpreter, its own offline stack), writes its
figures as JSON, and a section that crashes is reported as such without stopping the others.
The exit status is 1 when a section crashed; a goal not met is a finding, not a failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import machine, report
from benchmarks.common import BUILD, REPO_ROOT

# (figure number in docs/performance.md, section name, module and arguments)
SECTIONS = [
    (1, "lifecycle", ["benchmarks.lifecycle"]),
    (2, "runtime", ["benchmarks.existing", "runtime"]),
    (4, "generator", ["benchmarks.generator"]),
    (5, "emulator", ["benchmarks.existing", "emulator"]),
    (6, "handlers", ["benchmarks.handlers"]),
]


def _number_of(section_number: int, key: str) -> int:
    return 3 if key.startswith("import_") else section_number


def main() -> int:
    started = time.monotonic()
    print(f"Benchmarks on {machine.describe()['cpu']}; writing {BUILD.relative_to(REPO_ROOT)}/")
    figures: list[dict] = []
    sections: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for number, name, command in SECTIONS:
            path = Path(folder) / f"{name}.json"
            print(f"\n[{name}]", flush=True)
            began = time.monotonic()
            done = subprocess.run(  # noqa: S603 - our own modules
                [sys.executable, "-m", *command, "--json", str(path)],
                cwd=REPO_ROOT,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
            sections[name] = {"seconds": round(time.monotonic() - began, 1)}
            if done.returncode != 0 or not path.exists():
                tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
                sections[name]["error"] = f"exit {done.returncode}: {tail[0]}"
                print(done.stderr[-3000:], file=sys.stderr)
                continue
            for figure in json.loads(path.read_text())[name]:
                figures.append({"number": _number_of(number, figure["key"]), **figure})
    figures.sort(key=lambda figure: figure["number"])
    result = {
        "machine": machine.describe(),
        "seconds": round(time.monotonic() - started, 1),
        "sections": sections,
        "figures": figures,
    }
    as_json, as_markdown = report.write(result, BUILD)
    print("\n" + report.markdown(result))
    print(f"Wrote {as_json.relative_to(REPO_ROOT)} and {as_markdown.relative_to(REPO_ROOT)}")
    return 1 if any("error" in s for s in sections.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
