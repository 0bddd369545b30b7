"""The main menu comes from the page tree (templates/components/main_menu.html): switch on
"show in menus" for the four sections it has always linked, on a database made before, and in
their latest revision too, so that the next edit does not switch it off again."""

from django.db import migrations

MENU_SECTIONS = ["experimenten", "kennisbank", "wijken", "experimenttypen"]


def show_sections_in_menus(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    sections = Page.objects.filter(depth=3, slug__in=MENU_SECTIONS)
    sections.update(show_in_menus=True)
    revision_ids = sections.exclude(latest_revision=None).values_list("latest_revision", flat=True)
    for revision in Revision.objects.filter(pk__in=list(revision_ids)):
        revision.content["show_in_menus"] = True
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_places_moved"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(show_sections_in_menus, migrations.RunPython.noop)]
