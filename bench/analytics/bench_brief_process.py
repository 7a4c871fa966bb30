"""`shelter brief --state UZ` in a new process on the demo workspace, as a person runs it: with nothing kept
("cold": the first briefing after a change of data) and again with the data unchanged ("warm"), against a baseline
measured in the same run: the code before rendered charts and PDFs were kept on disk, checked out as a git
worktree and run the same way on the same database.

    python bench/analytics/bench_brief_process.py [--runs 5] [--baseline REV] [--no-write]

Each run is a new Python process that starts Django; its wall time, its CPU time and which renderers it imported
(vl-convert, WeasyPrint) are recorded. The baseline and Shelter take turns, so both see the same load.
Results go to bench/RESULTS.md (section "brief-process").
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import write_section

REPO = Path(__file__).resolve().parents[2]
SECTION = "brief-process"
TARGET_MS = 3000
RENDERERS = ("vl_convert", "weasyprint")
# The command, run by each tree's code; at exit it names the renderers the process imported.
PROGRAM = ("import atexit, sys\n"
           "atexit.register(lambda: sys.stderr.write('renderers=' + ','.join(m for m in "
           f"{RENDERERS!r} if m in sys.modules) + '\\n'))\n"
           "from shelter.cli import main\n"
           "main()\n")


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    renderers: set[str] = field(default_factory=set)
    pdfs: set[bytes] = field(default_factory=set)

    def cell(self) -> str:
        return (f"{statistics.median(self.wall):,.0f} ms (CPU {statistics.median(self.cpu):,.0f} ms; "
                f"{min(self.wall):,.0f}–{max(self.wall):,.0f})")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def default_baseline() -> str:
    """The commit before rendered files were first kept on disk."""
    added = git("log", "--diff-filter=A", "--format=%H", "--", "src/shelter/analytics/rendered.py").splitlines()
    if not added:
        raise SystemExit("no commit adds src/shelter/analytics/rendered.py: give --baseline")
    return added[-1] + "^"


def brief(source: Path, home: Path, output: Path, runs: Runs) -> None:
    environment = {**os.environ, "SHELTER_HOME": str(home), "PYTHONPATH": str(source)}
    environment.pop("SHELTER_DATABASE_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROGRAM, "brief", "--state", "UZ", "-o", str(output)],
                          capture_output=True, text=True, cwd=home, env=environment)
    runs.wall.append((time.perf_counter() - started) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"shelter brief failed ({source}):\n{done.stderr[-2000:]}")
    runs.cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    for line in done.stderr.splitlines():
        if line.startswith("renderers="):
            runs.renderers.update(filter(None, line.removeprefix("renderers=").split(",")))
    pdf = output.read_bytes()
    if not pdf.startswith(b"%PDF"):
        raise SystemExit(f"shelter brief wrote no PDF ({source})")
    runs.pdfs.add(pdf)
    output.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", help="git revision of the baseline (default: the commit before "
                                           "src/shelter/analytics/rendered.py was added)")
    parser.add_argument("--no-write", action="store_true", help="print the results without updating RESULTS.md")
    args = parser.parse_args()
    baseline = git("rev-parse", "--short", args.baseline or default_baseline())
    current = git("rev-parse", "--short", "HEAD")
    with tempfile.TemporaryDirectory(prefix="shelter-bench-brief-") as folder:
        home, tree = Path(folder) / "home", Path(folder) / "baseline"
        home.mkdir()
        git("worktree", "add", "--detach", str(tree), baseline)
        try:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "from shelter.cli import main; main()", "demo", "--load-only"],
                           cwd=home, env={**os.environ, "SHELTER_HOME": str(home), "PYTHONPATH": str(REPO / "src")},
                           check=True, capture_output=True)
            load_seconds = time.perf_counter() - started
            load_before = os.getloadavg()
            measured = {name: Runs() for name in ("baseline cold", "baseline warm", "shelter cold", "shelter warm")}
            output = Path(folder) / "briefing.pdf"
            for _ in range(args.runs):
                for name, source in (("baseline", tree / "src"), ("shelter", REPO / "src")):
                    shutil.rmtree(home / "cache", ignore_errors=True)
                    brief(source, home, output, measured[f"{name} cold"])
                    brief(source, home, output, measured[f"{name} warm"])
            load_after = os.getloadavg()
        finally:
            git("worktree", "remove", "--force", str(tree))
    same_pdf = len(measured["shelter cold"].pdfs | measured["shelter warm"].pdfs) == 1
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        "| `shelter brief --state UZ`, new process | Shelter (" + current + ") | baseline in the same run ("
        + baseline + ") | target |",
        "|---|---:|---:|---|",
        f"| unchanged data: the same briefing asked for again | {measured['shelter warm'].cell()} | "
        f"{measured['baseline warm'].cell()} | ≤ {TARGET_MS:,} ms |",
        f"| first briefing after a change (nothing kept) | {measured['shelter cold'].cell()} | "
        f"{measured['baseline cold'].cell()} | — |",
    ]
    started_by = {name: ", ".join(sorted(runs.renderers)) or "none" for name, runs in measured.items()}
    body = "\n".join([
        "## `shelter brief` in a new process — `python bench/analytics/bench_brief_process.py`",
        "",
        f"The demo workspace (`shelter demo --load-only`, loaded in {load_seconds:.0f} s) on SQLite; Python "
        f"{platform.python_version()}, {os.cpu_count()} CPU(s) shared with other work; load average "
        f"{load_before[0]:.1f} at the start of the measures, {load_after[0]:.1f} at the end; {stamp}. Median of "
        f"{args.runs} runs each (range in brackets), wall-clock first, the process's CPU time in brackets. Cold: "
        "`SHELTER_HOME/cache` removed before the run; warm: the run right after. The baseline is the code before "
        "rendered charts and PDFs were kept on disk, run from a git worktree on the same database, taking turns "
        "with Shelter.",
        "",
        *rows,
        "",
        f"Renderers a process imported — Shelter warm: {started_by['shelter warm']}; Shelter cold: "
        f"{started_by['shelter cold']}; baseline warm: {started_by['baseline warm']}. Shelter's warm and cold "
        f"PDFs are {'byte for byte the same' if same_pdf else 'NOT the same'}.",
    ])
    print(body)
    if not args.no_write:
        write_section(SECTION, body)


if __name__ == "__main__":
    main()
