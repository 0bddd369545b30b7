# The wijk and experiment-type index pages, moved from the website app: their tables were
# renamed by website 0002, so this migration only takes the models into the places app's
# state (website 0003 then drops them from the website app's).

import django.db.models.deletion
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def page_model(name, verbose_name):
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "page_ptr",
                models.OneToOneField(
                    auto_created=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    parent_link=True,
                    primary_key=True,
                    serialize=False,
                    to=settings.WAGTAIL_PAGE_MODEL,
                ),
            ),
            ("intro", wagtail.fields.RichTextField(blank=True, verbose_name="introduction")),
        ],
        options={"verbose_name": verbose_name},
        bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, "wagtailcore.page"),
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("website", "0002_places_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                page_model("NeighbourhoodIndexPage", "wijken index"),
                page_model("ExperimentTypeIndexPage", "experiment types index"),
            ],
        ),
    ]
