"""The incidents' data version (a counter moved by triggers) and the indexes the statistics count from."""

from django.db import migrations

from shelter.analytics import data_version


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    data_version.install(schema_editor.connection)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    data_version.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("incidents", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
