"""The full-text index holds pre-analysed Dutch terms (search.text): a column of compound
parts next to the words, and a table of how many documents carry each term.

The analysis is code that changes from release to release, so this migration does not run it:
it empties the database index (documents, facet values, full text), and `manage.py
search_index rebuild` fills it again (as `make run` and `load_demo` do). Until then
`search_index status` reports every page as missing."""

from uuid import uuid4

from django.db import migrations, models

SQLITE = [
    "DROP TABLE search_fulltext",
    # Terms arrive folded and analysed; the tokenizer only has to split them on spaces.
    "CREATE VIRTUAL TABLE search_fulltext USING fts5("
    "title, summary, body, labels, parts, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACK = [
    "DROP TABLE search_fulltext",
    "CREATE VIRTUAL TABLE search_fulltext USING fts5("
    "title, summary, body, labels, tokenize = 'unicode61 remove_diacritics 2')",
]
POSTGRES = [
    "DELETE FROM search_fulltext",
    "ALTER TABLE search_fulltext ADD COLUMN parts tsvector NOT NULL",
    "CREATE INDEX search_fulltext_parts ON search_fulltext USING GIN (parts)",
]
POSTGRES_BACK = [
    "DELETE FROM search_fulltext",
    "DROP INDEX search_fulltext_parts",
    "ALTER TABLE search_fulltext DROP COLUMN parts",
]


def _empty_index(apps):
    apps.get_model("search", "SearchFacetValue").objects.all().delete()
    apps.get_model("search", "SearchDocument").objects.all().delete()
    # A new token: every process reads its cached facet bitmaps again.
    apps.get_model("search", "SearchIndexState").objects.update_or_create(
        id=1, defaults={"version": uuid4().hex}
    )


def forwards(apps, schema_editor):
    statements = SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRES
    for statement in statements:
        schema_editor.execute(statement)
    _empty_index(apps)


def backwards(apps, schema_editor):
    statements = SQLITE_BACK if schema_editor.connection.vendor == "sqlite" else POSTGRES_BACK
    for statement in statements:
        schema_editor.execute(statement)
    _empty_index(apps)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_outbox_target")]
    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("term", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("documents", models.PositiveIntegerField()),
            ],
            options={"db_table": "search_term"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
