# A reference for every question: added empty, given to the questions already there one by one
# (a callable default would give them all the same one), then made required and unique.

from django.db import migrations, models

import loket.models


def give_references(apps, schema_editor):
    Question = apps.get_model("loket", "Question")
    taken = set()
    for question in Question.objects.filter(reference__isnull=True).only("pk"):
        reference = loket.models.new_reference()
        while reference in taken:
            reference = loket.models.new_reference()
        taken.add(reference)
        Question.objects.filter(pk=question.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("loket", "0003_anonymisation_review")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, null=True, verbose_name="reference"
            ),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="question",
            name="reference",
            field=models.CharField(
                default=loket.models.new_reference,
                editable=False,
                max_length=20,
                unique=True,
                verbose_name="reference",
            ),
        ),
    ]
