import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ministries.json"


def load_ministries(apps, schema_editor):
    Ministry = apps.get_model("programme", "Ministry")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        # Only missing ones: an editor's later changes to a ministry are kept.
        Ministry.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"], "abbreviation": row["abbreviation"]}
        )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(load_ministries, migrations.RunPython.noop)]
