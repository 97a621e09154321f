"""SQLite: the list of indexed words, ``search_fts_terms``, through which a query term is
expanded to whole words (FTS5 reads a whole word's document list lazily, newest first, but
merges every list of a prefix query before its first row). Filled from the index itself.
PostgreSQL needs nothing."""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE TABLE search_fts_terms (term TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID"
    )
    schema_editor.execute(
        "CREATE VIRTUAL TABLE temp.search_fts_vocab USING fts5vocab(main, search_fts, 'row')"
    )
    schema_editor.execute(
        "INSERT OR IGNORE INTO search_fts_terms (term) SELECT term FROM temp.search_fts_vocab"
    )
    schema_editor.execute("DROP TABLE temp.search_fts_vocab")


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_terms")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_cheap_queries")]

    operations = [migrations.RunPython(forward, backward)]
