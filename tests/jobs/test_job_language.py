"""A Russian page shows every job in Russian: the name of each kind of job and every stage text a job can report
(those its kind declares and those of the connectors' imports and exports, recorded from real runs), translated
when shown, whatever language the job was started in."""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from shelter.jobs.models import Job
from shelter.jobs.services import kind_label, kinds

pytestmark = pytest.mark.django_db


class _Recorded:
    """A connectors' progress that records the stage labels it is given."""

    def __init__(self) -> None:
        self.labels: set[str] = set()

    @contextlib.contextmanager
    def __call__(self, label: str, total: int) -> Iterator[Any]:
        self.labels.add(label)
        yield self

    def update(self, steps: int) -> None:
        pass


def _connector_stages(admin: Any) -> set[str]:
    """The stage labels of every export format, and of importing each export again (dry run), as they run."""
    from shelter.connectors.formats import connector
    from shelter.incidents.models import Incident, Source
    from shelter.registry.models import Organisation, Person, Relationship

    person = Person.objects.create(primary_name="Anvar Tursunov", confidentiality="public", published=True)
    organisation = Organisation.objects.create(name="Embassy", confidentiality="public", published=True)
    Relationship.objects.create(subject_person=person, object_organisation=organisation, kind="employed_by",
                                confidentiality="public", published=True)
    Incident.objects.create(title="Detention", tactic="detention", date="2020-05", origin_state="UZ",
                            confidentiality="public", published=True)
    Source.objects.create(title="Report", confidentiality="public", published=True)
    recorded = _Recorded()
    with tempfile.TemporaryDirectory() as folder:
        for name, suffix in (("json", ".json"), ("csv", ".csv"), ("ftm", ".ftm.jsonl")):
            chosen = connector(name)
            assert chosen.write is not None
            stream = io.StringIO(newline="")
            chosen.write(stream, admin, recorded)
            if chosen.read is not None:
                path = Path(folder) / f"export{suffix}"
                path.write_text(stream.getvalue(), encoding="utf-8")
                chosen.read(path, True, recorded)
    return recorded.labels


def test_the_jobs_pages_name_every_kind_and_stage_in_russian(users: Any) -> None:
    admin = users["admin"]
    declared = kinds()
    assert all(kind_label(kind) != kind for kind in declared), "every kind of job names itself"
    stages = {stage for kind_stages in declared.values() for stage in kind_stages} | _connector_stages(admin)
    assert {"importing notices", "exporting persons", "importing persons", "importing rows"} <= stages
    for kind in declared:
        Job.objects.create(kind=kind, asker=admin, status="running", stage=kind_stages_first(declared[kind]),
                           done=3, total=10)
    for stage in stages:
        Job.objects.create(kind="records.export", asker=admin, status="running", stage=stage, done=3, total=10)
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(admin)
    page = client.get("/jobs/").content.decode()
    assert 'lang="ru"' in page
    with translation.override("ru"):
        for stage in stages:
            assert f"{stage}: 3" not in page, f"'{stage}' is shown in English on a Russian page"
            assert f"{translation.gettext(stage)}: 3 из 10" in page
        for kind in declared:
            assert f">{kind_label(kind)}<" in page
    with translation.override("en"):
        assert all(f">{kind_label(kind)}<" not in page for kind in declared)
    job = Job.objects.filter(kind="analytics.briefing_pdf").first()
    assert job is not None
    detail = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<h1>брифинг в PDF</h1>" in detail and "составление брифинга: 3 из 10" in detail


def kind_stages_first(stages: tuple[str, ...]) -> str:
    return stages[0] if stages else ""
