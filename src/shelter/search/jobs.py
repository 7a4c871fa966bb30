"""The rebuild of the full-text search index as a background job (see shelter.jobs), for an administrator."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.access.models import User
from shelter.jobs.models import Job
from shelter.jobs.services import Progress, runner, start
from shelter.search.index import index_records, searchable_kinds

SEARCH_REBUILD = "search.rebuild"
INDEXING = gettext_noop("indexing the records, one kind at a time")
INDEXED = gettext_noop("indexed")


def start_search_rebuild(user: User | None) -> Job:
    """Queue a rebuild of every kind's search documents (``user`` None: the operator)."""
    if user is not None and not user.is_shelter_admin:
        raise PermissionDenied("only an administrator may rebuild the search index")
    return start(SEARCH_REBUILD, user)


@runner(SEARCH_REBUILD, label=gettext_lazy("rebuild of the search index"), stages=(INDEXING, INDEXED))
def rebuild_search_job(job: Job, progress: Progress) -> str:
    """Rebuild one kind at a time, each in one transaction with its checkpoint (a search meanwhile finds the
    old documents of a kind until its new ones are committed); a retry resumes after the last kind done."""
    kinds = searchable_kinds()
    counts: dict[str, int] = dict(job.checkpoint.get("indexed", {}))
    for number, kind in enumerate(kinds):
        if kind in counts:
            continue
        progress.update(INDEXING, number, len(kinds))
        with transaction.atomic():
            counts[kind] = index_records(kind)
            progress.checkpoint(indexed=counts)
    progress.update(INDEXED, len(kinds), len(kinds))
    return f"{sum(counts.values())} documents indexed: " + ", ".join(f"{counts[kind]} {kind}" for kind in kinds)
