"""A job's file is kept in parts, written and handed out one part at a time; a file kept whole before moves into
its first part."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _into_parts(apps: Any, schema_editor: Any) -> None:
    JobResult = apps.get_model("jobs", "JobResult")
    JobResultPart = apps.get_model("jobs", "JobResultPart")
    for result in JobResult.objects.all().iterator(chunk_size=1):
        data = bytes(result.data)
        JobResultPart.objects.create(result=result, number=0, data=data)
        JobResult.objects.filter(pk=result.pk).update(size=len(data))


def _whole(apps: Any, schema_editor: Any) -> None:
    JobResult = apps.get_model("jobs", "JobResult")
    JobResultPart = apps.get_model("jobs", "JobResultPart")
    for result in JobResult.objects.all().iterator(chunk_size=1):
        data = b"".join(bytes(part) for part in JobResultPart.objects.filter(result=result).order_by("number")
                        .values_list("data", flat=True))
        JobResult.objects.filter(pk=result.pk).update(data=data)


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0004_scheduled_run_missed"),
    ]

    operations = [
        # a default, so that undoing this migration can put the column back on existing rows
        migrations.AlterField(
            model_name="jobresult",
            name="data",
            field=models.BinaryField(default=b""),
        ),
        migrations.AddField(
            model_name="jobresult",
            name="size",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="JobResultPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("data", models.BinaryField()),
                ("result", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="parts",
                                             to="jobs.jobresult")),
            ],
            options={
                "ordering": ["result", "number"],
                "constraints": [models.UniqueConstraint(fields=("result", "number"), name="jobs_one_part_per_number")],
            },
        ),
        migrations.RunPython(_into_parts, _whole),
        migrations.RemoveField(
            model_name="jobresult",
            name="data",
        ),
    ]
