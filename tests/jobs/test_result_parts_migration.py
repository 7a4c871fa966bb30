"""The migration that keeps a job's file in parts moves a file kept whole into its first part, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("jobs", "0004_scheduled_run_missed")]
AFTER = [("jobs", "0005_result_parts")]


def _migrate(target: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_a_file_kept_whole_moves_into_its_first_part_and_back() -> None:
    old = _migrate(BEFORE)
    job = old.get_model("jobs", "Job").objects.create(kind="records.export", status="done")
    old.get_model("jobs", "JobResult").objects.create(job=job, name="export.json", content_type="application/json",
                                                     data=b'{"persons": []}')
    new = _migrate(AFTER)
    result = new.get_model("jobs", "JobResult").objects.get(job_id=job.pk)
    assert result.size == 15
    parts = new.get_model("jobs", "JobResultPart").objects.filter(result=result)
    assert [(part.number, bytes(part.data)) for part in parts] == [(0, b'{"persons": []}')]
    old = _migrate(BEFORE)
    assert bytes(old.get_model("jobs", "JobResult").objects.get(job_id=job.pk).data) == b'{"persons": []}'
    executor = MigrationExecutor(connection)  # the tests after this one need the schema as it is now
    executor.migrate(executor.loader.graph.leaf_nodes("jobs"))
