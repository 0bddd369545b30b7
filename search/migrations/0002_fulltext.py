"""The full-text half of the database index, which Django's ORM cannot describe:
an FTS5 virtual table on SQLite, a tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_fulltext USING fts5("
    "title, summary, body, labels, tokenize = 'unicode61 remove_diacritics 2')"
)
POSTGRES_CREATE = [
    "CREATE TABLE search_fulltext ("
    " document_id integer PRIMARY KEY REFERENCES search_document (page_id) ON DELETE CASCADE,"
    " vector tsvector NOT NULL)",
    "CREATE INDEX search_fulltext_vector ON search_fulltext USING GIN (vector)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(
            f"The database search engine supports SQLite and PostgreSQL, not {vendor}."
        )


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS search_fulltext")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents")]
    operations = [migrations.RunPython(create, drop)]
