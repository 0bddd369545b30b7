# The wijk and experiment-type index pages move to the places app: first their tables get the
# new app's names (0003 hands over the models and their content types).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="neighbourhoodindexpage", table="places_neighbourhoodindexpage"
        ),
        migrations.AlterModelTable(
            name="experimenttypeindexpage", table="places_experimenttypeindexpage"
        ),
    ]
