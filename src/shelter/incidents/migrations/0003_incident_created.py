from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_soft_delete")]
    operations = [
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["created", "id"], name="incident_created"),
        ),
    ]
