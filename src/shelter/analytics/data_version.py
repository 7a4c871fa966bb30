"""A version number of the incidents the statistics count, kept by the database itself, and the indexes the
counting queries read.

Kept figures (see :func:`shelter.analytics.services.figures_for`) are valid for one version. Triggers on the
incidents table and on its case-team links change the version inside the writing transaction, so every
write path moves it — saves, deletions, ``queryset.update()``, the importers' bulk inserts, restores, raw
SQL — and a reader's snapshot holds the version that matches its data. A version is a write counter and
a random number drawn afresh by every write: a transaction that writes, reads figures (keeping them under
its own version) and then rolls back leaves a version nobody will see again, although the counter itself
goes back to where it was.

On PostgreSQL the trigger runs once per statement, *before* it takes any row lock: two transactions that
both write incidents queue on the counter from their first such statement, so they cannot deadlock on it.

A SQLite migration that rebuilds the incidents table drops its triggers and indexes with it: they are
installed again after every ``migrate`` (``post_migrate``), and :func:`install` is idempotent.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["COUNTING_INDEXES", "current", "install", "keep_planner_statistics", "uninstall"]

TABLE = "analytics_incident_version"
INCIDENTS = "incidents_incident"
INCIDENT_TEAMS = "incidents_incident_teams"
# The statistics count incidents grouped by (origin state, host country), by (tactic, outcome) and by year.
# Each index starts with one grouping's columns, in order, and carries every column the visibility filter
# and the dashboard's filters read: each grouping is one pass over one index, without a sort and without
# touching the table, whatever the filters.
COUNTING_INDEXES: dict[str, tuple[str, ...]] = {
    "analytics_incident_place": ("origin_state", "host_country", "confidentiality", "published", "year", "tactic",
                                 "outcome"),
    "analytics_incident_tactic": ("tactic", "outcome", "confidentiality", "published", "year", "origin_state",
                                  "host_country"),
    "analytics_incident_year": ("year", "confidentiality", "published", "origin_state", "host_country", "tactic",
                                "outcome"),
}
_TRIGGER = "analytics_version"


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the counter, its triggers and the counting indexes where they are missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (version bigint NOT NULL, nonce bigint NOT NULL)")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} (version, nonce) VALUES (0, %s)", [secrets.randbits(62)])
        existing = connection.introspection.get_constraints(cursor, INCIDENTS)
        for name, columns in COUNTING_INDEXES.items():
            if name in existing and tuple(existing[name]["columns"]) == columns:
                continue
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute(f"CREATE INDEX {name} ON {INCIDENTS} ({', '.join(columns)})")
        if connection.vendor == "postgresql":
            bump = f"UPDATE {TABLE} SET version = version + 1, nonce = (random() * 4e18)::bigint"
            cursor.execute(f"CREATE OR REPLACE FUNCTION {_TRIGGER}_bump() RETURNS trigger LANGUAGE plpgsql AS "
                           f"$$ BEGIN {bump}; RETURN NULL; END $$")
            for table in (INCIDENTS, INCIDENT_TEAMS):
                cursor.execute(f"DROP TRIGGER IF EXISTS {_TRIGGER} ON {table}")
                cursor.execute(f"CREATE TRIGGER {_TRIGGER} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                               f"FOR EACH STATEMENT EXECUTE FUNCTION {_TRIGGER}_bump()")
        elif connection.vendor == "sqlite":
            bump = f"UPDATE {TABLE} SET version = version + 1, nonce = random()"
            for table in (INCIDENTS, INCIDENT_TEAMS):
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER}_{table}_{event.lower()} "
                                   f"AFTER {event} ON {table} BEGIN {bump}; END")
        else:
            raise NotImplementedError(f"no data version triggers for {connection.vendor}")


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in (INCIDENTS, INCIDENT_TEAMS):
                cursor.execute(f"DROP TRIGGER IF EXISTS {_TRIGGER} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {_TRIGGER}_bump()")
        else:
            for table in (INCIDENTS, INCIDENT_TEAMS):
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_TRIGGER}_{table}_{event}")
        for name in COUNTING_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def current(connection: BaseDatabaseWrapper) -> str | None:
    """The version of the incidents as this transaction sees them; ``None`` when the counter row is missing
    or doubled (nothing may then be kept)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, nonce FROM {TABLE}")
        rows: list[Any] = cursor.fetchall()
    if len(rows) != 1:
        return None
    version, nonce = rows[0]
    return f"{version}:{nonce}"


def keep_planner_statistics(connection: BaseDatabaseWrapper) -> None:
    """On SQLite, analyse the incidents table when it has no statistics or has more than doubled since.

    Without statistics SQLite's planner guesses that any indexed equality is selective, reads the incidents
    through the confidentiality index and sorts them for every grouping — four times slower at 100,000
    incidents than reading the counting indexes in order. PostgreSQL keeps its statistics itself.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        analysed_rows = None
        if cursor.fetchone()[0]:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx = %s",
                           [INCIDENTS, next(iter(COUNTING_INDEXES))])
            row = cursor.fetchone()
            analysed_rows = int(row[0].split()[0]) if row else None
        # The highest id is read from the table's b-tree in one step; a count would read every row.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {INCIDENTS}")
        highest_id = cursor.fetchone()[0]
        if analysed_rows is None or highest_id > 2 * analysed_rows + 100:
            cursor.execute(f"ANALYZE {INCIDENTS}")
