"""SQLite: what a search reads of each matching entry (access, dialogue, year, the ranking word
lines, the facet tokens) in a narrow table ``search_fts_rank`` keyed by the full-text rowid
(the recency key), so that the newest matches are read from neighbouring pages of a small
table instead of one page each of the wide entry table. ``SqliteEngine.write`` fills it with
the full text; the trigger that takes an entry's words out of the index removes its row.
PostgreSQL keeps these columns on the entry row itself: nothing to do there."""

from typing import Any

from django.db import migrations

COLUMNS = "key, id, kind, object_id, dialogue_id, access, year, fts_head, fts_summary, facets"

FORWARD = [
    """CREATE TABLE search_fts_rank (
        key INTEGER PRIMARY KEY, id INTEGER NOT NULL, kind TEXT NOT NULL,
        object_id INTEGER NOT NULL, dialogue_id INTEGER, access TEXT NOT NULL, year INTEGER,
        fts_head TEXT NOT NULL, fts_summary TEXT NOT NULL, facets TEXT NOT NULL
    )""",
    f"""INSERT INTO search_fts_rank ({COLUMNS})
        SELECT d.key, e.id, e.kind, e.object_id, e.dialogue_id, e.access, e.year, e.fts_head,
        e.fts_summary, e.facets
        FROM search_fts_doc AS d JOIN search_searchentry AS e ON e.id = d.entry_id""",
    "DROP TRIGGER IF EXISTS search_fts_doc_ad",
    """CREATE TRIGGER search_fts_doc_ad AFTER DELETE ON search_fts_doc BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.key, old.text);
        DELETE FROM search_fts_rank WHERE key = old.key;
    END""",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_doc_ad",
    """CREATE TRIGGER search_fts_doc_ad AFTER DELETE ON search_fts_doc BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.key, old.text);
    END""",
    "DROP TABLE IF EXISTS search_fts_rank",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_recent_first"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
