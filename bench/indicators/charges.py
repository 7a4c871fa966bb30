"""Charge classifier precision and recall, written to the `charges` section of bench/RESULTS.md.

    python bench/indicators/charges.py            # measure on the held-out part and write the section
    python bench/indicators/charges.py --split tune --no-write --misses

The labelled set is tests/fixtures/indicators/charge_labels.yaml: real Red Notice charges and charge
wordings from court and NGO documents in twelve languages, each labelled with the offences it alleges and
assigned to the part the lexicons were tuned on ("tune") or to the held-out part ("test").
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from shelter.indicators.evaluation import load_labelled, score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from results import write_section

LABELS = REPO / "tests" / "fixtures" / "indicators" / "charge_labels.yaml"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("test", "tune"), default="test")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md as it is")
    parser.add_argument("--misses", action="store_true", help="list the texts whose offences differ from the labels")
    args = parser.parse_args()

    items = load_labelled(LABELS)
    chosen = [item for item in items if item.split == args.split]
    started = time.perf_counter()
    scores, misses = score(chosen)
    elapsed = time.perf_counter() - started
    load = os.getloadavg()
    origins = Counter("notice" if item.source.startswith("INTERPOL public Red Notice") else "document" for item in chosen)
    command = "python bench/indicators/charges.py" + ("" if args.split == "test" else f" --split {args.split}")
    lines = [
        "## Charge classifier (`shelter.indicators.charges`)",
        "",
        f"Command: `{command}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min) when run.",
        "",
        f"Labelled set `tests/fixtures/indicators/charge_labels.yaml`: {len(items)} charge texts, "
        f"{sum(i.split == 'tune' for i in items)} in the part the lexicons were tuned on, "
        f"{sum(i.split == 'test' for i in items)} held out. Measured on the **{args.split}** part: "
        f"{origins['notice']} real Red Notice charges and {origins['document']} wordings from court and NGO "
        f"documents (12 languages), read in {elapsed * 1000:.0f} ms. A text alleging several offences counts for "
        "each; \"named\" is how many texts the classifier named the offence for.",
        "",
        "| offence | labelled | named | correct | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in scores.values():
        lines.append(
            f"| {s.offence} | {s.labelled} | {s.named} | {s.correct} | {_ratio(s.precision)} | {_ratio(s.recall)} |"
        )
    lines += [
        "",
        f"{len(misses)} of {len(chosen)} texts read with other offences than labelled "
        f"(`--misses` lists them). `tests/indicators/test_charge_figures.py` holds these figures to floors.",
    ]
    body = "\n".join(lines)
    print(body)
    if args.misses:
        for miss in misses:
            print(f"- labelled {sorted(miss.labelled)}, named {sorted(miss.named)}: {miss.text[:120]!r}")
    if not args.no_write:
        write_section("charges", body)


if __name__ == "__main__":
    main()
