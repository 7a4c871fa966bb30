"""Fast inserts for large imports (the fast path of ``access.writes.create_in_bulk``): ids reserved up front,
rows written with ``executemany``.

Django's ``bulk_create`` prepares every value through the field machinery, which costs more than the
insert itself at 100,000 rows (and twice over with the history rows). The importers validate their
values beforehand, so here they are only adapted to the database (dates and times) and sent as they are.
Only SQLite and PostgreSQL, the two databases Shelter runs on, are handled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``. Call inside the import's transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                           "FROM generate_series(1, %s)", [count])
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # The transaction holds SQLite's write lock (transaction_mode IMMEDIATE), so nobody else can
            # take these ids; AUTOINCREMENT's counter is honoured so that ids of deleted rows are never reused.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            counter = cursor.fetchone()
            cursor.execute(f'SELECT MAX("id") FROM "{table}"')
            highest = max(counter[0] if counter else 0, cursor.fetchone()[0] or 0)
            return list(range(highest + 1, highest + 1 + count))
    raise NotImplementedError(f"bulk import supports SQLite and PostgreSQL, not {connection.vendor}")


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return lambda value: value


def insert_rows(model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT ``rows`` (values in the order of ``attnames``) into ``model``'s table."""
    fields = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
              for name in attnames]
    adapters = [_adapter(field) for field in fields]  # type: ignore[arg-type]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)  # type: ignore[arg-type, union-attr]
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    prepared = [[adapt(value) for adapt, value in zip(adapters, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
