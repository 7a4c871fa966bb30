"""The full-text index shared by every searchable record type.

One row per searchable record. The database-specific index sits beside this table: an FTS5 external-content
table kept in sync by triggers on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL
(see migration 0002). Results are record ids, which callers always narrow through the visibility filter.
"""

from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_per_record")]
