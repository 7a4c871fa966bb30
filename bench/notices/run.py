"""Benchmark of the notices app: import and screen the 6,400-row Interpol list against a large registry,
screen people entered afterwards against the notices, assess 10,000 notices, and count the indicators over
the 204 real detail records.

    python bench/notices/run.py                      # 1,000,000 people, 10,000 assessments
    python bench/notices/run.py --registry 100000    # a quicker run
    python bench/notices/run.py --skip-screen        # no large registry: keeps its last figures

Needs ../shared/data (the real notices and the CC0 name lists). Uses a throwaway SHELTER_HOME (SQLite),
one process. Figures go to bench/RESULTS.md between the notices markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
RESULTS = REPO / "bench" / "RESULTS.md"
START, END = "<!-- notices:start -->", "<!-- notices:end -->"
LOAD_AT_START = os.getloadavg()[0]
KEPT_NOTE = "*(Kept from an earlier full run: this run used --skip-screen.)*"
LIST_2025 = SHARED / "interpol_red_notices_list_2025" / "red_notices_list_2025.csv"
DETAILS = SHARED / "interpol_red_notices_antontsiklop" / "red_notices_details.json"
NAMES = SHARED / "names_by_country_sigpwned"
# Surname endings by naming tradition, so generated surnames look like the registry's real population.
SUFFIXES = ["ov", "ova", "ev", "eva", "in", "ina", "zoda", "zada", "uulu", "kyzy", "yan", "li", "oglu", "ski",
            "enko", "uk", "ic", "ez", "i", "bekov", "jonov", "murodov", "aliev", ""]
SYLLABLES = ["ka", "ri", "mo", "sa", "to", "na", "bu", "da", "le", "gu", "zi", "ra", "me", "sho", "kho", "ju",
             "ta", "ba", "ne", "fa", "ha", "qo", "ya", "vi", "lo", "du", "ge", "pe", "shi", "zu"]
# Baseline sample for screening people: these many people, each compared with these many notices.
BASELINE_PEOPLE, BASELINE_NOTICES = 5, 2000
NATIONALITIES = ["TJ", "UZ", "KG", "KZ", "RU", "TM", "AZ", "BY", "TR", "CN", "UA", "SV", "AR", "IN", "PK", "AF"]


def cpu_seconds() -> float:
    """CPU time of this process and of finished worker processes (screening forks workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Timer:
    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = cpu_seconds() - self._cpu


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def setup(home: Path) -> None:
    os.environ["SHELTER_HOME"] = str(home)
    os.environ.pop("SHELTER_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def forenames() -> list[str]:
    with (NAMES / "common-forenames-by-country.csv").open(encoding="utf-8-sig") as handle:
        return sorted({row["Romanized Name"].upper() for row in csv.DictReader(handle) if row["Romanized Name"]})


def surname_stems() -> list[str]:
    with (NAMES / "common-surnames-by-country.csv").open(encoding="utf-8-sig") as handle:
        return sorted({row["Romanized Name"].upper() for row in csv.DictReader(handle) if row["Romanized Name"]})


def generated_people(count: int, rng: random.Random) -> Iterator[tuple[str, str, str, str]]:
    """(name, dob, nationalities JSON, sex): real forenames, surnames from real stems or generated syllables."""
    from shelter.progress import track

    given, stems = forenames(), surname_stems()
    for _ in track(range(count), "generating people"):
        if rng.random() < 0.3:
            surname = rng.choice(stems)
        else:
            surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()
            surname += rng.choice(SUFFIXES).upper()
        parts = [rng.choice(given)] + ([rng.choice(given)] if rng.random() < 0.3 else []) + [surname]
        dob = f"{rng.randint(1940, 2005)}" + (f"-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                                                if rng.random() < 0.7 else "")
        yield " ".join(parts), dob, json.dumps([rng.choice(NATIONALITIES)]), rng.choice("mf")


def planted_subjects(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """Registry entries for real notice subjects, written the way a caseworker would (order, case)."""
    from shelter.notices.intake.formats import read_notice_file

    subjects = [n for n in read_notice_file(LIST_2025).notices if n.forename and n.surname and n.dob]
    chosen = rng.sample(subjects, count)
    return [(f"{n.forename.title()} {n.surname.title()}", n.dob, json.dumps(list(n.nationalities)), "")
            for n in chosen]


def fill_registry(size: int, planted: list[tuple[str, str, str, str]], rng: random.Random) -> None:
    from django.db import connection, transaction
    from django.utils import timezone as dj_timezone

    now = dj_timezone.now().isoformat()
    sql = ("INSERT INTO registry_person (confidentiality, published, created, modified, primary_name, dob, sex, "
           "nationalities, country_of_residence, status_abroad, profile, at_risk, description) "
           "VALUES ('internal', 0, %s, %s, %s, %s, %s, %s, '', '', '[]', %s, '')")
    rows = ((now, now, name, dob, sex, nats, 1) for name, dob, nats, sex in planted)
    generated = ((now, now, name, dob, sex, nats, 0) for name, dob, nats, sex in
                 generated_people(size - len(planted), rng))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))
        batch: list[tuple[Any, ...]] = []
        for row in generated:
            batch.append(row)
            if len(batch) == 50000:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)


def bench_import_and_screen(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from shelter.names import compare
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.intake.importing import import_notices
    from shelter.notices.models import Alert, Notice
    from shelter.notices.screening.notices import notice_record, registry_index, screen_notices

    planted = planted_subjects(rng, args.planted)
    with Timer() as filling:
        fill_registry(args.registry, planted, rng)
    log(f"registry of {args.registry:,} people written in {filling.wall:.1f} s")
    with Timer() as building:
        index = registry_index()
    log(f"screening index built and saved in {building.wall:.1f} s")
    with Timer() as total:
        with Timer() as reading:
            records = read_notice_file(LIST_2025).notices
        with Timer() as importing:
            report = import_notices(records)
        with Timer() as screening:
            screened = screen_notices(report.to_screen, index=index, processes=args.processes)
    log(f"import + screen of {len(records):,} notices in {total.wall:.1f} s")
    planted_names = {name.upper() for name, *_ in planted}
    found = {n.full_name.upper() for n in Notice.objects.filter(matches__person__at_risk=True).distinct()}
    # Baseline: no blocking index, every notice compared with every person (measured on a sample).
    sample_people = [r for _, r in zip(range(args.baseline_people), iter(index))]
    sample_notices = [notice_record(n) for n in Notice.objects.order_by("pk")[:args.baseline_notices]]
    with Timer() as linear:
        for query in sample_notices:
            for _key, record in sample_people:
                compare(query, record)
    per_pair = linear.cpu / (len(sample_notices) * len(sample_people))
    return {
        "registry": args.registry, "processes": args.processes, "notices": len(records), "fill": filling, "build": building,
        "read": reading, "import": importing, "screen": screening, "total": total,
        "report": report, "screened": screened, "alerts": Alert.objects.count(),
        "planted": len(planted_names), "planted_found": len(planted_names & found),
        "linear_per_notice": per_pair * args.registry, "linear_pairs": len(sample_notices) * len(sample_people),
    }


def bench_people_screening(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """People entered after the notices: a bulk import of ``--people`` people screened in one batch against
    every notice (the 6,400-row list plus the real detail records), as happens after the import commits."""
    from django.db import connection, transaction

    from shelter.names import compare
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.intake.importing import import_notices
    from shelter.notices.models import Notice, ScreeningMatch
    from shelter.notices.screening.people import notice_subjects, screen_people
    from shelter.registry.matching import people_records
    from shelter.registry.models import Person

    import_notices(read_notice_file(LIST_2025).notices)  # unchanged when the screening part imported it
    planted = planted_subjects(rng, 50)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sql = ("INSERT INTO registry_person (confidentiality, published, created, modified, primary_name, dob, sex, "
           "nationalities, country_of_residence, status_abroad, profile, at_risk, description) "
           "VALUES ('internal', 0, %s, %s, %s, %s, %s, %s, '', '', '[]', %s, '')")
    now = datetime.now(UTC).isoformat()
    rows = [(now, now, name, dob, sex, nats, 1) for name, dob, nats, sex in planted]
    rows += [(now, now, name, dob, sex, nats, 0)
             for name, dob, nats, sex in generated_people(args.people - len(planted), rng)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    ids = list(Person.objects.filter(pk__gt=top).values_list("pk", flat=True))
    before = ScreeningMatch.objects.filter(person__pk__gt=top).count()
    with Timer() as building:
        subjects = notice_subjects()
    with Timer() as screening:
        report = screen_people(ids)
    planted_names = {name.upper() for name, *_ in planted}
    found = set(ScreeningMatch.objects.filter(person__pk__gt=top, person__at_risk=True)
                .values_list("person__primary_name", flat=True))
    # Baseline: every person compared with every notice (measured on a sample).
    sample_people = [record for _, record in people_records(ids[:BASELINE_PEOPLE])]
    sample_notices = list(subjects.records.values())[:BASELINE_NOTICES]
    with Timer() as linear:
        for person in sample_people:
            for notice in sample_notices:
                compare(notice, person)
    pairs = len(sample_people) * len(sample_notices)
    return {"people": len(ids), "notices": Notice.objects.count(), "build": building, "screen": screening,
            "report": report, "existing": before, "planted": len(planted_names),
            "planted_found": len({name.upper() for name in found} & planted_names),
            "linear_per_person": linear.cpu / max(pairs, 1) * Notice.objects.count(), "linear_pairs": pairs}


def bench_assess(args: argparse.Namespace) -> dict[str, Any]:
    from shelter.access.models import Role, User
    from shelter.notices.assessment.as_json import assessments_as_json
    from shelter.notices.assessment.assess import assess_notice
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.intake.importing import import_notices
    from shelter.notices.models import Notice

    details = read_notice_file(DETAILS).notices
    copies = [replace(details[i % len(details)], entity_id=f"BENCH/{i:06d}") for i in range(args.assess)]
    import_notices(copies)
    operator = User(username="operator", role=Role.ADMIN)
    queryset = Notice.objects.filter(entity_id__startswith="BENCH/").order_by("pk")
    with Timer() as batched:
        results = list(assessments_as_json(queryset.iterator(chunk_size=2000), operator, processes=1))
    log(f"assessed {len(results):,} notices in {batched.wall:.1f} s")
    # The command itself, as a user runs it: start-up, every notice in the database (the copies and the
    # real records imported before them), JSON written to a file; in one process and in two.
    total = Notice.objects.count()
    commands = {}
    for processes in (1, args.processes):
        with tempfile.TemporaryDirectory() as scratch, Timer() as command:
            subprocess.run([sys.executable, "-c", "from shelter.cli import main; main()", "notices", "assess",
                            "--json", "--processes", str(processes), "-o", str(Path(scratch) / "assessments.json")],
                           check=True, env=os.environ.copy())
        commands[processes] = command
        log(f"the assess command with {processes} process(es): {command.wall:.1f} s")
    sample = list(queryset[:args.baseline_assess])
    with Timer() as one_by_one:
        for notice in sample:
            assess_notice(notice, operator).to_dict()
    return {"count": len(results), "batched": batched, "one_by_one": one_by_one, "sample": len(sample),
            "commands": commands, "command_count": total}


def real_indicator_table() -> tuple[list[tuple[str, Counter[str]]], int]:
    from shelter.access.models import Role, User
    from shelter.notices.assessment.assess import assess_notices
    from shelter.notices.intake.formats import read_notice_file
    from shelter.notices.intake.importing import import_notices
    from shelter.notices.models import Notice

    records = read_notice_file(DETAILS).notices
    import_notices(records)
    ids = {r.entity_id for r in records}
    operator = User(username="operator", role=Role.ADMIN)
    counts: dict[str, Counter[str]] = {}
    for assessment in assess_notices(Notice.objects.filter(entity_id__in=ids).order_by("pk"), operator):
        for result in assessment.results:
            counts.setdefault(result.id, Counter())[result.answer] += 1
    return sorted(counts.items()), len(ids)


def rate(timer: Timer, count: int) -> str:
    return f"{count / timer.wall:,.0f}/s" if timer.wall else "-"


def screening_lines(s: dict[str, Any]) -> list[str]:
    linear_hours = s["linear_per_notice"] * s["notices"] / 3600
    return [
        f"### Import and screen the 6,400-row Interpol list against a {s['registry']:,}-person registry", "",
        f"Screening in {s['processes']} worker process(es).", "",
        "| step | wall s | CPU s | |", "|---|---:|---:|---|",
        f"| read the CSV | {s['read'].wall:.1f} | {s['read'].cpu:.1f} | {s['notices']:,} rows |",
        f"| import (create notices, history, status events, search index) | {s['import'].wall:.1f} | {s['import'].cpu:.1f} | {s['report'].created:,} created |",
        f"| screen every new notice | {s['screen'].wall:.1f} | {s['screen'].cpu:.1f} | {s['screened'].candidates:,} candidates, {s['alerts']} alerts |",
        f"| **import + screen (target ≤ 60 s)** | **{s['total'].wall:.1f}** | **{s['total'].cpu:.1f}** | |",
        f"| baseline: no blocking index, each notice compared with every person | — | {linear_hours:,.1f} h (est.) | {s['linear_per_notice']:.1f} CPU s per notice, measured on {s['linear_pairs']:,} pairs |",
        f"| one-time: build and save the registry index | {s['build'].wall:.1f} | {s['build'].cpu:.1f} | rebuilt only when people change; a new process loads it without parsing names (bench/notices/screen_scale.py) |",
        f"| one-time: write the generated registry | {s['fill'].wall:.1f} | {s['fill'].cpu:.1f} | |",
        "",
        f"Recall on planted subjects: {s['planted_found']} of {s['planted']} registry entries written from real list "
        "rows (name in title case, same date of birth and nationality) were raised as candidates and alerted "
        "(they are marked at risk). The other people are generated: real forenames (CC0 name lists) and "
        "surnames from real stems or random syllables with the region's endings.",
        "",
    ]


def kept_screening_lines() -> list[str]:
    """The screening figures of the last full run, kept when this run skipped that part."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    heading = "### Import and screen the 6,400-row"
    if START not in text or heading not in text.split(START, 1)[1].split(END, 1)[0]:
        return ["### Import and screen the 6,400-row Interpol list", "", "Not measured in this run (--skip-screen).", ""]
    section = text.split(START, 1)[1].split(END, 1)[0]
    kept = heading + section.split(heading, 1)[1].split("\n### ", 1)[0]
    lines = [line for line in kept.rstrip("\n").splitlines() if line != KEPT_NOTE]
    while lines and not lines[-1]:
        lines.pop()
    return [*lines, "", KEPT_NOTE, ""]


def people_lines(p: dict[str, Any]) -> list[str]:
    report = p["report"]
    linear = p["linear_per_person"] * p["people"]
    return [
        f"### People entered after the notices: {p['people']:,} people screened against {p['notices']:,} notices", "",
        "What runs after a bulk import of people commits (one batch for the whole import).", "",
        "| step | wall s | CPU s | |", "|---|---:|---:|---|",
        f"| build the index of notice subjects (cached until a notice changes) | {p['build'].wall:.1f} | {p['build'].cpu:.1f} | |",
        f"| screen the people, store candidates and alerts | {p['screen'].wall:.1f} | {p['screen'].cpu:.1f} | {report.candidates:,} candidates, {report.alerts} alerts |",
        f"| baseline: each person compared with every notice | — | {linear:,.0f} (est.) | measured on {p['linear_pairs']:,} pairs |",
        "",
        f"Recall: {p['planted_found']} of {p['planted']} people written from real list rows (and marked at risk) "
        "were raised as candidates and alerted.",
        "",
    ]


def render(screen: dict[str, Any] | None, people: dict[str, Any], assess: dict[str, Any],
           table: list[tuple[str, Counter[str]]], distinct: int, command: str) -> str:
    a = assess
    one_by_one_estimate = a["one_by_one"].wall / max(a["sample"], 1) * a["count"]
    lines = [
        START, "## Notices (`shelter.notices`)", "",
        f"Command: `{command}`  ",
        "SQLite in a throwaway SHELTER_HOME, one process unless stated, 2 cores shared with other work; "
        f"load average at start {LOAD_AT_START:.1f}; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Wall time includes waiting for a core; CPU time does not.",
        "",
        *(screening_lines(screen) if screen is not None else kept_screening_lines()),
        *people_lines(people),
        f"### Assess {a['count']:,} notices (copies of the 204 real detail records)", "",
        "| run | notices | wall s | CPU s |", "|---|---:|---:|---:|",
        f"| in process, one process (facts gathered per 500 notices, each assessment encoded as JSON) | {a['count']:,} | {a['batched'].wall:.1f} | {a['batched'].cpu:.1f} |",
        *(f"| **the command `shelter notices assess --json --processes {n} -o FILE`** (start-up included; every notice in the database), target ≤ 10 s | {a['command_count']:,} | **{timer.wall:.1f}** | {timer.cpu:.1f} |"
          for n, timer in a["commands"].items()),
        f"| baseline: one notice at a time (`assess_notice`), {a['sample']} measured | {a['count']:,} (est.) | {one_by_one_estimate:.1f} | — |",
        "",
        f"### Indicators over the real notices ({distinct} distinct of the 204 detail records), through the platform", "",
        "Operator's view with an empty registry: indicators that need registry facts stay unknown.", "",
        "| indicator | present | absent | unknown |", "|---|---:|---:|---:|",
    ]
    lines += [f"| {indicator} | {c['present']} | {c['absent']} | {c['unknown']} |" for indicator, c in table]
    lines.append(END)
    return "\n".join(lines)


def write_results(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", type=int, default=1_000_000, help="people in the generated registry")
    parser.add_argument("--planted", type=int, default=200, help="real notice subjects planted in the registry")
    parser.add_argument("--assess", type=int, default=10_000, help="notices to assess")
    parser.add_argument("--baseline-people", type=int, default=2000)
    parser.add_argument("--baseline-notices", type=int, default=5)
    parser.add_argument("--baseline-assess", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2, help="screening worker processes")
    parser.add_argument("--people", type=int, default=5_000,
                        help="people screened against the notices after they were entered")
    parser.add_argument("--skip-screen", action="store_true",
                        help="skip the import and screening against the large registry (keeps its last figures)")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    args = parser.parse_args(argv)
    if not LIST_2025.exists():
        sys.exit(f"needs the shared data: {LIST_2025} is missing")
    rng = random.Random(20250515)
    with tempfile.TemporaryDirectory(prefix="shelter-bench-notices-") as home:
        setup(Path(home))
        table, distinct = real_indicator_table()
        assess = bench_assess(args)  # before the list is imported, so the command assesses the copies
        screen = None if args.skip_screen else bench_import_and_screen(args, rng)
        people = bench_people_screening(args, rng)
    options = [] if args.registry == 1_000_000 else [f"--registry {args.registry}"]
    options += ["--skip-screen"] if args.skip_screen else []
    options += [] if args.people == 5_000 else [f"--people {args.people}"]
    command = " ".join(["python bench/notices/run.py", *options])
    section = render(screen, people, assess, table, distinct, command)
    print(section)
    if not args.no_write:
        write_results(section)


if __name__ == "__main__":
    main()
