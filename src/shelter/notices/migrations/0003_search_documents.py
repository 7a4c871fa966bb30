"""Index the notices recorded before notices were searchable (later ones are indexed as they are saved)."""

from django.db import migrations


def index_existing_notices(apps, schema_editor):  # type: ignore[no-untyped-def]
    from shelter.notices.models import notice_search_text
    from shelter.search.index import document_body

    notice_model = apps.get_model("notices", "Notice")
    document_model = apps.get_model("search", "SearchDocument")
    indexed = set(document_model.objects.filter(kind="notice").values_list("object_id", flat=True))
    batch = []
    for notice in notice_model.objects.prefetch_related("charges").iterator(chunk_size=2000):
        if notice.pk not in indexed:
            batch.append(document_model(kind="notice", object_id=notice.pk,
                                        body=document_body(notice_search_text(notice))))
    document_model.objects.bulk_create(batch, batch_size=2000)


def remove_notice_documents(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("search", "SearchDocument").objects.filter(kind="notice").delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_documents"), ("search", "0002_fulltext")]
    operations = [migrations.RunPython(index_existing_notices, remove_notice_documents)]
