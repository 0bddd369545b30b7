from django.db import migrations, models


class Migration(migrations.Migration):
    """The queue becomes the index's outbox: entries for the database index too. Entries that
    exist already were queued for Elasticsearch."""

    dependencies = [
        ("search", "0005_queue_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexqueueentry",
            name="target",
            field=models.CharField(
                choices=[("database", "database index"), ("elasticsearch", "Elasticsearch")],
                default="elasticsearch",
                max_length=15,
            ),
        ),
        migrations.AlterField(
            model_name="indexqueueentry",
            name="target",
            field=models.CharField(
                choices=[("database", "database index"), ("elasticsearch", "Elasticsearch")],
                default="database",
                max_length=15,
            ),
        ),
        migrations.AddField(
            model_name="indexqueueentry",
            name="refusals",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="indexqueueentry",
            index=models.Index(fields=["target", "id"], name="search_queue_target"),
        ),
    ]
