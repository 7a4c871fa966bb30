"""``shelter worker`` runs jobs; ``shelter jobs list|show|cancel`` follows them (see docs/operations.md)."""

from __future__ import annotations

from typing import Any

import click

from shelter.cli import setup_django


@click.command()
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between looks at the queue when it is empty.")
@click.option("--max-tasks", type=click.IntRange(min=1), help="Stop after this many jobs.")
def worker(interval: float, max_tasks: int | None) -> None:
    """Run background jobs (imports, screening) from the database queue until stopped. Run as many as you
    like, on as many machines as share the database; each job runs once."""
    setup_django()
    from shelter.jobs.worker import run_worker
    from shelter.platform import require_database

    require_database()
    run_worker(interval, max_tasks)


def _job_line(job: Any) -> str:
    asker = job.started_by_label
    return f"{job.pk}  {job.created:%Y-%m-%d %H:%M:%S}  {job.kind:<16} {job.status:<9} {asker:<16} {job.progress}"


def _find(job_id: str) -> Any:
    setup_django()
    from django.core.exceptions import ValidationError

    from shelter.jobs.models import Job

    try:
        return Job.objects.select_related("asker").get(pk=job_id)
    except (Job.DoesNotExist, ValidationError):
        raise click.UsageError(f"no job '{job_id}' (see `shelter jobs list`)") from None


@click.group()
def jobs() -> None:
    """Background jobs: list them, show one, cancel one."""


@jobs.command("list")
@click.option("--status", type=click.Choice(["queued", "running", "done", "failed", "cancelled"]))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
def list_command(status: str | None, limit: int) -> None:
    """The latest jobs, newest first (the operator sees every job)."""
    setup_django()
    from shelter.jobs.models import Job

    queryset = Job.objects.select_related("asker")
    if status:
        queryset = queryset.filter(status=status)
    for job in queryset[:limit]:
        click.echo(_job_line(job))


@jobs.command("show")
@click.argument("job_id")
@click.option("--wait", is_flag=True, help="Follow the job with a progress bar until it finishes.")
def show_command(job_id: str, wait: bool) -> None:
    """One job: its progress, and once finished its result or error."""
    job = _find(job_id)
    if wait:
        job = follow(job)
    click.echo(_job_line(job))
    for label, value in (("params", job.params), ("attempts", job.attempts), ("summary", job.summary),
                         ("error", job.error)):
        if value:
            click.echo(f"{label}: {value}")


@jobs.command("cancel")
@click.argument("job_id")
def cancel_command(job_id: str) -> None:
    """Cancel a queued job, or ask a running one to stop (the step under way is rolled back)."""
    from django.core.exceptions import ValidationError

    from shelter.jobs.services import cancel

    try:
        job = cancel(_find(job_id))
    except ValidationError as error:
        raise click.UsageError("; ".join(error.messages)) from None
    click.echo(f"{job.pk}: {'cancelled' if job.status == 'cancelled' else 'asked to stop'}")


def follow(job: Any) -> Any:
    """Show a job's progress as a bar until it finishes (`--wait`); returns the finished job."""
    from shelter.jobs.services import wait
    from shelter.progress import progress_bar

    with progress_bar(job.kind, job.total) as bar:
        def show(current: Any) -> None:
            bar.show(current.done, current.total, current.progress if not current.is_finished else current.status)

        return wait(job, show)
