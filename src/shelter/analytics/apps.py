from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_data_version(using: str = "default", **kwargs: Any) -> None:
    """A migration that rebuilds the incidents table (SQLite) drops its triggers and indexes: put them back."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from shelter.analytics import data_version

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("analytics", "0002_data_version") in applied:
        data_version.install(connection)


class AnalyticsConfig(AppConfig):
    name = "shelter.analytics"
    label = "analytics"

    def ready(self) -> None:
        post_migrate.connect(_reinstall_data_version, sender=self, dispatch_uid="analytics-data-version")
