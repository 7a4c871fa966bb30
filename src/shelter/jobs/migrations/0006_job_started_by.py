"""Where a job without an asker was started: the command line, the schedule or an anonymous visitor (who were all
shown as "command line" before). Existing jobs are told apart by what they hold: a visitor's job is a document asked
for by a page, a scheduled job has its scheduled run."""

from typing import Any

from django.db import migrations, models


def _started_by(apps: Any, schema_editor: Any) -> None:
    Job = apps.get_model("jobs", "Job")
    ScheduledRun = apps.get_model("jobs", "ScheduledRun")
    Job.objects.filter(asker__isnull=False).update(started_by="user")
    without_asker = Job.objects.filter(asker__isnull=True)
    without_asker.filter(params__has_key="document_key").update(started_by="visitor")
    without_asker.filter(pk__in=ScheduledRun.objects.filter(job__isnull=False).values("job")).update(
        started_by="schedule")


class Migration(migrations.Migration):
    dependencies = [("jobs", "0005_result_parts")]

    operations = [
        migrations.AddField(
            model_name="job",
            name="started_by",
            field=models.CharField(choices=[("user", "signed-in user"), ("visitor", "anonymous visitor"),
                                            ("command_line", "command line"), ("schedule", "schedule")],
                                   default="command_line", max_length=16),
        ),
        migrations.AlterField(
            model_name="job",
            name="asker",
            field=models.ForeignKey(blank=True, help_text="Who asked; empty for the operator (command line, schedule) "
                                    "and for visitors.", null=True, on_delete=models.deletion.SET_NULL,
                                    related_name="+", to="access.user"),
        ),
        migrations.RunPython(_started_by, migrations.RunPython.noop),
    ]
