"""Keep the search index in step with saved and deleted records."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from shelter.search.index import index_records, kind_of, remove_record


def _reindex_later(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: index_records(kind, [pk]))


def on_saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    kind = kind_of(sender)
    if kind and not raw:
        _reindex_later(kind, instance.pk)


def on_deleted(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    kind = kind_of(sender)
    if kind:
        remove_record(kind, instance.pk)


def connect(model: type[models.Model]) -> None:
    post_save.connect(on_saved, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    post_delete.connect(on_deleted, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")


def connect_child(child: type[models.Model], parent_field: str) -> None:
    """Reindex the parent record when a child row that feeds its text (e.g. a name) changes."""

    def reindex_parent(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
        parent = getattr(instance, f"{parent_field}_id")
        parent_model = child._meta.get_field(parent_field).related_model
        kind = kind_of(parent_model)  # type: ignore[arg-type]
        if kind and parent and not raw:
            _reindex_later(kind, parent)

    post_save.connect(reindex_parent, sender=child, weak=False, dispatch_uid=f"search-child-save-{child._meta.label}")
    post_delete.connect(reindex_parent, sender=child, weak=False,
                        dispatch_uid=f"search-child-delete-{child._meta.label}")
