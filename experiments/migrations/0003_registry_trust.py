"""Registration numbers from a counter per year; versions keep the names they were published
with and the editor's explanation of each amendment."""

from django.db import migrations, models
from django.db.models import Max

# The labels as they were when this migration was written (a migration must not depend on
# code that may change later).
STATUS_LABELS = {
    "in-voorbereiding": "in voorbereiding",
    "lopend": "lopend",
    "afgerond": "afgerond",
    "gestopt": "gestopt",
}
ROLE_LABELS = {
    "woningcorporatie": "woningcorporatie",
    "school": "school",
    "politie": "politie",
    "gemeente": "gemeente",
    "welzijn": "welzijnsorganisatie",
    "zorg": "zorgaanbieder",
    "bewoners": "bewoners",
    "ondernemers": "bedrijf",
    "kennisinstelling": "kennisinstelling",
    "anders": "overig",
}
VOCABULARY_FIELDS = {
    "municipality": "Municipality",
    "experiment_type": "ExperimentType",
    "neighbourhoods": "Neighbourhood",
    "themes": "Theme",
}


def labels_now(apps, data):
    """What experiments.history.recorded_labels records, for the versions that exist already."""
    labels = {}
    for field, model_name in VOCABULARY_FIELDS.items():
        value = data.get(field)
        ids = (
            [value]
            if isinstance(value, int)
            else list(value or [])
            if isinstance(value, list)
            else []
        )
        if ids:
            model = apps.get_model("vocabulary", model_name)
            labels[field] = {
                str(pk): name
                for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")
            }
    if data.get("status") in STATUS_LABELS:
        labels["status"] = {data["status"]: STATUS_LABELS[data["status"]]}
    roles = {
        p["role"]: ROLE_LABELS[p["role"]]
        for p in data.get("partners") or []
        if p.get("role") in ROLE_LABELS
    }
    if roles:
        labels["partner_roles"] = roles
    return labels


def fill_counters_and_freeze_versions(apps, schema_editor):
    Registration = apps.get_model("experiments", "Registration")
    RegistrationSequence = apps.get_model("experiments", "RegistrationSequence")
    RegistryVersion = apps.get_model("experiments", "RegistryVersion")
    for row in Registration.objects.values("year").annotate(last=Max("sequence")):
        RegistrationSequence.objects.create(year=row["year"], last=row["last"])
    # Versions recorded so far kept ids only: they get the gemeente and the names as they are
    # now, which is the best that can be known of them; from here on each version keeps its own.
    for version in RegistryVersion.objects.select_related("registration__page"):
        page = version.registration.page
        if "municipality" not in version.data:
            version.data["municipality"] = page.municipality_id if page is not None else None
        version.labels = labels_now(apps, version.data)
        version.save(update_fields=["data", "labels"])


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0002_registry_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationSequence",
            fields=[
                ("year", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("last", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="experimentpage",
            name="change_note",
            field=models.TextField(
                blank=True,
                help_text="Required when you publish or submit a change to a published registration: what changes and why. It is shown publicly in the registration's history.",
                max_length=1000,
                verbose_name="explanation of this change",
            ),
        ),
        migrations.AddField(
            model_name="registryversion",
            name="labels",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="registryversion",
            name="note",
            field=models.TextField(blank=True, verbose_name="explanation of this amendment"),
        ),
        migrations.RunPython(fill_counters_and_freeze_versions, migrations.RunPython.noop),
    ]
