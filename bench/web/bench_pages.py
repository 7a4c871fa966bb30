"""Response times of the web interface on the demo workspace plus generated incidents.

Run: python bench/web/bench_pages.py [--incidents 20000] [--people 0] [--requests 30] [--workdir DIR]

Pages are requested in-process through Django's test client (no network), signed in as the demo viewer
(the visibility filter at work) and as the demo admin. The baseline, measured in the same run, is the
Django admin's incident list with its own filters, signed in as the same admin: the page a team would use
without Shelter's interface. ``--people`` adds synthetic people (those of bench/platform, in two case teams of
their own) for the dashboard and the possible-duplicates page at registry scale. With ``--workdir`` the loaded
workspace is kept and reused by later runs of the same sizes. Figures go to bench/RESULTS.md between the web
markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from results import write_section

REPO = Path(__file__).resolve().parents[2]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(request: Callable[[], object], count: int) -> tuple[float, float, float]:
    """p50 and p95 of the wall time (ms), and p50 of the CPU time of this process (ms: on a shared machine the
    wall time includes waiting for a core)."""
    request()  # warm caches (templates, translations) once, outside the measurement
    samples, cpu = [], []
    for _ in range(count):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = request()
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise SystemExit(f"unexpected status {status}")
    return statistics.median(samples), percentile(samples, 0.95), statistics.median(cpu)


def generate_incidents(count: int) -> None:
    from shelter.incidents.models import Incident
    from shelter.incidents.taxonomy import taxonomy
    from shelter.progress import track
    from shelter.search.index import index_records

    rng = random.Random(7)
    tactics = taxonomy().codes
    origins = ["UZ", "TJ", "TM", "RU", "BY", "KZ", "AZ", "CN", "TR", "IR"]
    hosts = ["DE", "TR", "PL", "RU", "FR", "GB", "US", "SE", "NL", "LT", "UA", "AE", "KG", "CZ", "AT"]
    places = ["Istanbul", "Berlin", "Warsaw", "Moscow", "Paris", "Vilnius", "Dubai", "Prague", "Vienna"]
    batch = []
    first_new = (Incident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for n in track(range(count), "generating incidents"):
        year = rng.randint(2014, 2026)
        date = f"{year}-{rng.randint(1, 12):02d}"
        incident = Incident(
            title=f"Generated incident {n}: {rng.choice(places)} case {rng.randint(1, 99999)}",
            tactic=rng.choice(tactics), date=date, origin_state=rng.choice(origins),
            host_country=rng.choice(hosts), place=rng.choice(places),
            confidentiality=rng.choice(["public", "internal", "internal", "confidential"]),
            published=rng.random() < 0.5, description="Generated for the benchmark.",
        )
        incident.set_derived_dates()
        batch.append(incident)
    Incident.objects.bulk_create(batch, batch_size=2000)
    new_ids = Incident.objects.filter(pk__gte=first_new).values_list("pk", flat=True)
    index_records("incident", list(new_ids))


def generate_people(count: int) -> float:
    from load_people import load

    from shelter.access.models import Team

    for name in ("bench-a", "bench-b"):
        Team.objects.get_or_create(name=name)
    return load(count)


def compare_duplicates(home: Path) -> dict[str, float]:
    """The work of the job that compares the registry for possible duplicates, timed once; kept in ``home`` while
    the registry is unchanged (its fingerprint)."""
    from shelter.registry.matching import compare_registry, registry_fingerprint, store_duplicate_pairs
    from shelter.registry.models import DuplicatePair

    fingerprint = registry_fingerprint()
    kept = home / "bench-web-duplicates.json"
    if kept.exists() and DuplicatePair._base_manager.filter(fingerprint=fingerprint).exists():
        return {**json.loads(kept.read_text()), "reused": True}
    print("comparing the registry for possible duplicates (the job's work)", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    pairs = store_duplicate_pairs(fingerprint, compare_registry())
    result = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "pairs": pairs}
    kept.write_text(json.dumps(result))
    return {**result, "reused": False}


def write_results(text: str) -> None:
    write_section("web", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20000, help="generated incidents added to the demo")
    parser.add_argument("--people", type=int, default=0, help="generated people added to the demo")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--duplicates-requests", type=int, default=0,
                        help="timed requests of the possible-duplicates page (default: a fifth of --requests, ≥ 5)")
    parser.add_argument("--workdir", type=Path, help="keep the workspace here and reuse it in later runs of the "
                                                     "same sizes (default: a temporary directory)")
    parser.add_argument("--no-write", action="store_true", help="print the figures without updating RESULTS.md")
    args = parser.parse_args()

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        home = str(args.workdir.resolve())
    else:
        home = tempfile.mkdtemp(prefix="shelter-bench-web-")
    os.environ["SHELTER_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from shelter.access.models import User
    from shelter.demo import load_demo_workspace
    from shelter.incidents.models import Incident

    setup_test_environment()
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    began = time.perf_counter()
    passwords = {username: password for username, _, password in load_demo_workspace(lambda message: None)}
    sizes = {"incidents": args.incidents, "people": args.people}
    loaded = Path(home) / "bench-web-loaded.json"
    reused = loaded.exists()
    if reused:
        earlier = json.loads(loaded.read_text())
        if earlier["sizes"] != sizes:
            raise SystemExit(f"{home} holds {earlier['sizes']}: use another --workdir for other sizes")
        prepared = earlier["prepared"]
    else:
        generate_incidents(args.incidents)
        if args.people:
            generate_people(args.people)
        prepared = time.perf_counter() - began
        loaded.write_text(json.dumps({"sizes": sizes, "prepared": prepared}))
    total = Incident.objects.count()
    from shelter.registry.models import Person

    people = Person.objects.count()
    comparison = compare_duplicates(Path(home)) if args.people else None
    load_before = os.getloadavg()[0]

    viewer, admin = Client(), Client()
    viewer.force_login(User.objects.get(username="demo-viewer"))
    admin.force_login(User.objects.get(username="demo-admin"))
    person_pk = Person.objects.order_by("pk").values_list("pk", flat=True).first()
    incident_pk = Incident.objects.filter(confidentiality="public").order_by("pk").values_list("pk", flat=True)[0]

    def sign_in() -> object:
        # A new browser each time: the password check (Argon2), the redirect and the dashboard it lands on.
        response = Client().post("/accounts/login/", {"username": "demo-viewer",
                                                      "password": passwords["demo-viewer"]}, follow=True)
        if not response.redirect_chain or response.redirect_chain[-1][0] != "/dashboard/":
            raise SystemExit(f"sign-in did not reach the dashboard: {response.redirect_chain}")
        return response

    pages: list[tuple[str, str, Callable[[], object]]] = [
        ("sign-in → dashboard", "viewer", sign_in),
        ("dashboard", "viewer", lambda: viewer.get("/dashboard/")),
        ("incident list, all facets, page 1", "viewer", lambda: viewer.get("/incidents/")),
        ("incident list, all facets, page 1", "admin", lambda: admin.get("/incidents/")),
        ("incident list, `q=istanbul` + tactic + year", "viewer",
         lambda: viewer.get("/incidents/", {"q": "istanbul", "tactic": "detention", "year": "2021"})),
        ("search page across kinds, `q=karimov`", "viewer", lambda: viewer.get("/search/", {"q": "karimov"})),
        ("person autocomplete with duplicate scoring, `q=karim`", "viewer",
         lambda: viewer.get("/autocomplete/person/", {"q": "karim", "target": "x"})),
        ("incident page with history", "viewer", lambda: viewer.get(f"/incidents/{incident_pk}/")),
        ("person page with names, relationships, history", "admin", lambda: admin.get(f"/registry/people/{person_pk}/")),
        ("possible duplicates (stored pairs, both people visible)", "admin", lambda: admin.get("/registry/people/duplicates/")),
    ]
    baseline = ("Django admin incident list with its filters (baseline)", "admin",
                lambda: admin.get("/admin/incidents/incident/"))
    # Where full-text time goes: the index's own subquery, and the same FTS5 match read by rowid first.
    from django.db import connection

    from shelter.search.index import search

    def index_subquery() -> None:
        search(Incident.objects.all(), "istanbul").count()

    def rowid_first() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM incidents_incident WHERE id IN (SELECT d.object_id FROM "
                "search_searchdocument d WHERE d.kind = 'incident' AND d.id IN "
                "(SELECT rowid FROM search_fts WHERE search_fts MATCH '\"istanbul\"*'))")
    diagnostics = [("`shelter.search.index.search(Incident, 'istanbul').count()` (no page)", "—", index_subquery)]
    if connection.vendor == "sqlite":
        diagnostics.append(("same FTS5 match with the rowids read first, `id IN (SELECT rowid …)` (comparison)",
                            "—", rowid_first))
    rows = []
    for label, who, request in [*pages, baseline, *diagnostics]:
        count = max(5, args.requests // 5) if who == "—" else args.requests
        if "duplicates" in label:
            count = args.duplicates_requests or max(5, args.requests // 5)
        p50, p95, cpu = timed(request, count)
        rows.append(f"| {label} | {who} | {p50:.0f} ms | {p95:.0f} ms | {cpu:.0f} ms | {count} |")
        print(rows[-1], flush=True)

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        (f"## web — `python bench/web/bench_pages.py --incidents {args.incidents} --people {args.people} "
         f"--requests {args.requests}"
         f"{f' --duplicates-requests {args.duplicates_requests}' if args.duplicates_requests else ''}`"),
        "",
        (f"Demo workspace plus {args.incidents:,} generated incidents ({total:,} in all) and {args.people:,} generated "
        f"people ({people:,} in all), SQLite, Python {platform.python_version()}, {os.cpu_count()} CPU(s) shared "
        "with other work; in-process requests through Django's test client (template rendering included, no "
        f"network); setup {prepared:.0f} s{' (an earlier run, same --workdir)' if reused else ''}; load average "
        f"(1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; {stamp}."),
        "",
        *([(f"The possible duplicates page reads the pairs stored by the background comparison (job "
            f"`registry.duplicates`): its work, `compare_registry` + `store_duplicate_pairs` over all {people:,} "
            f"people, took {comparison['wall']:.0f} s (CPU {comparison['cpu']:.0f} s) and stored "
            f"{comparison['pairs']:,} pairs{' (an earlier run, same --workdir and registry)' if comparison['reused'] else ''}."),
           ""] if comparison else []),
        "| page | signed in as | p50 | p95 | CPU p50 | requests |",
        "|---|---|---:|---:|---:|---:|",
        *rows,
    ])
    print(text)
    if not args.no_write:
        write_results(text)


if __name__ == "__main__":
    main()
