"""Write one module's section of bench/RESULTS.md, leaving the other modules' sections as they are.

Each benchmark owns the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "# Benchmark results\n"


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def read_section(name: str, results: Path = RESULTS) -> str | None:
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    start, end = markers(name)
    if start not in text or end not in text:
        return None
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def write_section(name: str, body: str, results: Path = RESULTS) -> None:
    """Replace the section ``name`` with ``body`` (appended at the end when new)."""
    text = results.read_text(encoding="utf-8") if results.exists() else HEADING
    start, end = markers(name)
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before = text.split(start, 1)[0]
        after = text.split(end, 1)[1]
        text = f"{before}{block}{after}"
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    results.write_text(text, encoding="utf-8")
