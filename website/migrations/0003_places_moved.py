# The wijk and experiment-type index pages now belong to the places app (places 0001): the
# website app lets go of them without touching their tables, and their content types move
# with them, so every page, revision and permission that points at one keeps pointing at it.

from django.db import migrations

MOVED = ["neighbourhoodindexpage", "experimenttypeindexpage"]


def relabel(apps, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        # A fresh database has no content types yet (post_migrate makes them afterwards).
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def forwards(apps, schema_editor):
    relabel(apps, "website", "places")


def backwards(apps, schema_editor):
    relabel(apps, "places", "website")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("places", "0001_initial"),
        ("website", "0002_places_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NeighbourhoodIndexPage"),
                migrations.DeleteModel(name="ExperimentTypeIndexPage"),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
