"""The default theme → centre routes, for a database whose vocabulary is already loaded. On an
empty database this does nothing: loket/signals.py adds each route as its theme and centre are
created, and `manage.py load_question_routes` (idempotent) fills in what is missing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from loket.routing import add_default_routes

    add_default_routes(
        apps.get_model("loket", "ThemeRoute"),
        apps.get_model("vocabulary", "Theme"),
        apps.get_model("vocabulary", "KnowledgeCentre"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("loket", "0001_initial"),
        ("vocabulary", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
