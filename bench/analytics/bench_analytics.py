"""Statistics speed at scale: the dashboard page and a briefing PDF over 100,000 incidents.

Run from the repository root:  python bench/analytics/bench_analytics.py  [--incidents 100000] [--runs 5]
Uses a fresh SQLite workspace in a temporary SHELTER_HOME (or the database in SHELTER_DATABASE_URL when set:
it must be an empty throwaway database). Every figure is compared in the same run with a baseline that
counts the same incidents row by row in Python, and the two results are checked to be equal.
Results go to bench/RESULTS.md (section "analytics").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "RESULTS.md"
START, END = "<!-- analytics:start -->", "<!-- analytics:end -->"

os.environ.setdefault("SHELTER_HOME", tempfile.mkdtemp(prefix="shelter-bench-analytics-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")

import django

django.setup()

from django.conf import settings

# Pages are rendered without running collectstatic first (static files are not what is measured).
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from shelter.access.models import Team, User
from shelter.analytics import charts
from shelter.analytics.briefing import build_briefing, render_pdf
from shelter.analytics.rendered import cache_dir
from shelter.analytics.services import Audience, IncidentFilters, figures_for, visible_incidents
from shelter.analytics.stats import RETURN_TACTICS
from shelter.analytics.views import DASHBOARD_CHARTS
from shelter.incidents.models import Incident
from shelter.incidents.taxonomy import taxonomy
from shelter.progress import track

ORIGINS = ("RU", "CN", "TR", "TJ", "UZ", "BY", "KZ", "TM", "AZ", "EG", "RW", "IR")
ORIGIN_WEIGHTS = (20, 18, 12, 10, 10, 8, 6, 4, 4, 4, 2, 2)
HOSTS = ("RU", "TR", "DE", "FR", "KZ", "UA", "AE", "US", "GB", "PL", "LT", "GE", "SE", "TH", "EG", "")
OUTCOMES = ("detained", "sentenced", "tortured", "disappeared", "released", "unknown", "ongoing", "no_harm")
# (confidentiality, published, team): a realistic mix, so that the visibility filter has work to do.
LEVELS = (("public", True, None), ("public", False, None), ("internal", False, None),
          ("confidential", False, "bench-a"), ("confidential", False, "bench-b"))
LEVEL_WEIGHTS = (30, 10, 35, 15, 10)


def populate(count: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in ("bench-a", "bench-b")}
    tactics = taxonomy().codes
    through = Incident.teams.through
    batch: list[Incident] = []
    levels: list[str | None] = []

    def flush() -> None:
        created = Incident.objects.bulk_create(batch)
        through.objects.bulk_create([
            through(incident_id=incident.pk, team_id=teams[team].pk)
            for incident, team in zip(created, levels, strict=True) if team
        ])
        batch.clear()
        levels.clear()

    for number in track(range(count), "generating incidents"):
        confidentiality, published, team = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        year = rng.randint(2000, 2026)
        incident = Incident(
            title=f"Synthetic incident {number}", tactic=rng.choice(tactics),
            date=f"{year}-{rng.randint(1, 12):02d}", origin_state=rng.choices(ORIGINS, ORIGIN_WEIGHTS)[0],
            host_country=rng.choice(HOSTS), outcome=rng.choice(OUTCOMES),
            confidentiality=confidentiality, published=published,
        )
        incident.set_derived_dates()  # bulk_create does not call save()
        batch.append(incident)
        levels.append(team)
        if len(batch) == 5000:
            flush()
    if batch:
        flush()


def row_by_row(audience: Audience, filters: IncidentFilters) -> dict[str, Counter[str]]:
    """The baseline: fetch every visible incident and count in Python, as a hand-built report would."""
    category = {t.code: t.category for t in taxonomy().tactics}
    counts: dict[str, Counter[str]] = {name: Counter() for name in ("year", "origin", "host", "tactic", "category",
                                                                     "flow", "outcome")}
    for origin, host, tactic, year, outcome in visible_incidents(audience, filters).values_list(
            "origin_state", "host_country", "tactic", "year", "outcome").iterator(chunk_size=5000):
        counts["year"][str(year)] += 1
        counts["origin"][origin] += 1
        counts["host"][host] += 1
        counts["tactic"][tactic] += 1
        counts["category"][category[tactic]] += 1
        counts["flow"][f"{origin}-{host}"] += 1
        if tactic in RETURN_TACTICS:
            counts["outcome"][outcome] += 1
    return counts


def same_figures(audience: Audience, filters: IncidentFilters) -> bool:
    figures = figures_for(audience, filters)
    baseline = row_by_row(audience, filters)
    ours = {
        "year": Counter({t.key: t.count for t in figures.by_year if t.count}),
        "origin": Counter({t.key: t.count for t in figures.by_origin}),
        "host": Counter({t.key: t.count for t in figures.by_host}),
        "tactic": Counter({t.key: t.count for t in figures.by_tactic}),
        "category": Counter({t.key: t.count for t in figures.by_category}),
        "flow": Counter({f"{f.origin_state}-{f.host_country}": f.count for f in figures.flows}),
        "outcome": Counter({o.outcome: o.count for o in figures.returnee_outcomes if o.count}),
    }
    return ours == baseline


class Timing:
    """Median wall-clock and CPU milliseconds of some calls. The CPU time is this process's (on SQLite it
    includes the database's work; on PostgreSQL the server's work is in the wall-clock time only)."""

    def __init__(self, wall: list[float], cpu: list[float]) -> None:
        self.wall = statistics.median(wall)
        self.cpu = statistics.median(cpu)

    def __str__(self) -> str:
        return f"{self.wall:,.0f} ms (CPU {self.cpu:,.0f} ms)"


def timed(action: Callable[[], object], runs: int) -> Timing:
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Timing(wall, cpu)


def cold(action: Callable[[], object], redraw_charts: bool = False) -> Callable[[], object]:
    """``action`` as the first view after a change to the incidents: no figures (and no PDF) kept; with
    ``redraw_charts`` no chart image kept either, as when the change moved the charted counts."""

    def first_view() -> object:
        cache.clear()
        shutil.rmtree(cache_dir("briefings"), ignore_errors=True)
        if redraw_charts:
            charts._render.cache_clear()
            shutil.rmtree(cache_dir("charts"), ignore_errors=True)
        return action()

    return first_view


def new_process_brief(runs: int, kept: bool) -> Timing:
    """``shelter brief`` as a person runs it, in a new process: with the charts and PDF kept on disk by an earlier
    process (``kept``), or with nothing kept (the first briefing after a change: vl-convert and WeasyPrint start)."""
    wall, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            if not kept:
                shutil.rmtree(cache_dir("charts").parent, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            output = Path(folder) / "briefing.pdf"
            subprocess.run([sys.executable, "-c", "from shelter.cli import main; main()", "brief", "--state", "UZ",
                            "--from", "2014", "--to", "2026", "-o", str(output)],
                           check=True, capture_output=True, cwd=REPO)
            wall.append((time.perf_counter() - started) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if not output.read_bytes().startswith(b"%PDF"):
                raise SystemExit("shelter brief wrote no PDF")
            output.unlink()
            cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return Timing(wall, cpu)


def get_ok(client: Client, url: str) -> Callable[[], object]:
    def fetch() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return fetch


def write_section(vendor: str, block: str) -> None:
    """Replace this database's block inside the analytics section of RESULTS.md, keeping the other's."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    blocks: dict[str, str] = {}
    if START in current and END in current:
        before, rest = current.split(START, 1)
        inside, after = rest.split(END, 1)
        for part in inside.split("\n### ")[1:]:
            name = part.split(None, 1)[0]
            blocks[name] = "### " + part.strip()
    else:
        before, after = current.rstrip() + "\n\n", "\n"
    blocks[vendor] = f"### {vendor}\n\n{block.strip()}"
    heading = "## analytics — `python bench/analytics/bench_analytics.py`"
    section = "\n\n".join([heading, *(blocks[name] for name in sorted(blocks))])
    RESULTS.write_text(f"{before}{START}\n{section}\n{END}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure (median reported)")
    parser.add_argument("--no-write", action="store_true", help="print the results without updating RESULTS.md")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Incident.objects.exists():
        raise SystemExit("the benchmark database already holds incidents: point SHELTER_HOME or "
                         "SHELTER_DATABASE_URL at an empty throwaway workspace")
    started = time.perf_counter()
    populate(args.incidents)
    load_seconds = time.perf_counter() - started
    viewer = User.objects.create_user("bench-viewer", password="bench-password-long", role="viewer",
                                      clearance="confidential")
    viewer.teams.add(Team.objects.get(name="bench-a"))
    viewer_client = Client()
    viewer_client.force_login(viewer)
    anonymous_client = Client()
    audience = Audience(viewer)
    everything = IncidentFilters()
    uzbekistan = IncidentFilters(year_from=2014, year_to=2026, states=("UZ",))
    uz_query = "year_from=2014&year_to=2026&states=UZ"

    checks = {
        "viewer, all incidents": same_figures(audience, everything),
        "viewer, Uzbekistan 2014–2026": same_figures(audience, uzbekistan),
        "public": same_figures(Audience(None, public=True), everything),
    }
    if not all(checks.values()):
        raise SystemExit(f"figures differ from the row-by-row baseline: {checks}")

    # Warm-up: the first chart render starts vl-convert's JavaScript engine (about a second, once per process).
    started = time.perf_counter()
    get_ok(viewer_client, "/analytics/charts/by_year.svg")()
    first_chart_ms = (time.perf_counter() - started) * 1000
    get_ok(viewer_client, "/analytics/")()

    runs = args.runs
    load_before = os.getloadavg()[0]
    # (measure, figures kept from an earlier view, first view after a change, baseline, target)
    rows: list[tuple[str, str, str, str, str]] = []
    visible = visible_incidents(audience, everything).count()

    def page_rows(name: str, client: Client, url: str, reader: Audience, filters: IncidentFilters) -> None:
        fetch = get_ok(client, url)
        fetch()
        rows.append((name, str(timed(fetch, runs)), str(timed(cold(fetch), runs)),
                     str(timed(lambda: row_by_row(reader, filters), runs)), "≤ 300 ms"))

    page_rows("dashboard page, viewer (confidential clearance, one team), all incidents", viewer_client,
              "/analytics/", audience, everything)
    page_rows("dashboard page, viewer, filtered to Uzbekistan 2014–2026", viewer_client,
              f"/analytics/?{uz_query}", audience, uzbekistan)
    page_rows("dashboard page, anonymous visitor (public version)", anonymous_client, "/analytics/",
              Audience(None, public=True), everything)
    chart_urls = [f"/analytics/charts/{name}.svg?{uz_query}" for name in DASHBOARD_CHARTS]

    def whole_view() -> None:
        get_ok(viewer_client, f"/analytics/?{uz_query}")()
        for url in chart_urls:
            get_ok(viewer_client, url)()

    whole_view()
    rows.append(("the same filtered page with its 7 chart images (8 requests; after a change every chart is redrawn)",
                 str(timed(whole_view, runs)), str(timed(cold(whole_view, redraw_charts=True), runs)), "—", "—"))
    flows_csv = get_ok(viewer_client, "/analytics/charts/flows.csv")
    rows.append(("one chart CSV (origin → host flows, all incidents)", str(timed(flows_csv, runs)),
                 str(timed(cold(flows_csv), runs)), "—", "—"))
    pdf_runs = max(1, min(3, runs))
    pdf_sizes: list[int] = []

    def briefing_pdf() -> None:
        pdf_sizes.append(len(render_pdf(build_briefing("UZ", audience, 2014, 2026))))

    def briefing_pdf_row_by_row() -> None:
        row_by_row(audience, uzbekistan)
        briefing_pdf()

    briefing_pdf()

    rows.append(("briefing PDF, Uzbekistan 2014–2026, viewer (figures, 5 charts, tables, notable cases, PDF; "
                 "kept: the same briefing asked for again)",
                 str(timed(briefing_pdf, pdf_runs)), str(timed(cold(briefing_pdf, redraw_charts=True), pdf_runs)),
                 str(timed(cold(briefing_pdf_row_by_row, redraw_charts=True), pdf_runs)), "≤ 5,000 ms"))
    new_process_brief(1, kept=True)
    rows.append(("`shelter brief --state UZ --from 2014 --to 2026` in a new process (operator; starts Django; "
                 "after a change also vl-convert's engine and WeasyPrint)", str(new_process_brief(pdf_runs, kept=True)),
                 str(new_process_brief(pdf_runs, kept=False)), "—", "≤ 3,000 ms kept"))

    from django.db import connection

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_after = os.getloadavg()[0]
    lines = [
        (f"{args.incidents:,} synthetic incidents ({visible:,} visible to the benchmark viewer) in "
         f"{connection.vendor}, loaded in {load_seconds:.0f} s; Python {platform.python_version()}, "
         f"{os.cpu_count()} CPU(s) shared with other work (load average {load_before:.1f} at the start of "
         f"the measures, {load_after:.1f} at the end); median of {runs} runs ({pdf_runs} for PDFs); {stamp}."),
        ("Baseline, same run: the same figures counted row by row in Python over every visible incident "
         "(results checked equal: " + ", ".join(checks) + "). For the PDF, the baseline is the briefing "
         "built after that row-by-row count. Times are wall-clock on a machine shared with other work, "
         "with the CPU time of the process (for `shelter brief`, of the child process) in brackets; on "
         "SQLite that includes the database's work, on PostgreSQL it does not."),
        "",
        ("| measure | Shelter, figures kept from an earlier view | Shelter, first view after a change "
         "| baseline in the same run: counting alone, row by row | target |"),
        "|---|---:|---:|---:|---|",
        *(f"| {name} | {warm} | {first} | {baseline} | {target} |" for name, warm, first, baseline, target in rows),
        "",
        (f"First chart of a process: {first_chart_ms:,.0f} ms (starting vl-convert's engine, once per "
         f"process). Briefing PDF size: {statistics.median(pdf_sizes) / 1024:,.0f} KB."),
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(connection.vendor, text)


if __name__ == "__main__":
    sys.exit(main())
