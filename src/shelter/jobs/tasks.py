"""The one task of the django-tasks queue: run the job it names (see :mod:`shelter.jobs.services`)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> str:
    from shelter.jobs.services import run

    return run(job_id)
