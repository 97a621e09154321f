"""The engine-specific full-text part of the index: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        fts_title, fts_body,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, fts_title, fts_body)
        VALUES (new.id, new.fts_title, new.fts_body);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, fts_title, fts_body)
        VALUES ('delete', old.id, old.fts_title, old.fts_body);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE OF fts_title, fts_body ON search_searchentry
    BEGIN
        INSERT INTO search_fts(search_fts, rowid, fts_title, fts_body)
        VALUES ('delete', old.id, old.fts_title, old.fts_body);
        INSERT INTO search_fts(rowid, fts_title, fts_body)
        VALUES (new.id, new.fts_title, new.fts_body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE (it reads its dictionary by search_path); naming the
    # dictionary makes it safe to declare IMMUTABLE and use in a generated column.
    """CREATE OR REPLACE FUNCTION dialogos_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, dialogos_unaccent(fts_title)), 'A')
        || setweight(to_tsvector('russian'::regconfig, dialogos_unaccent(fts_title)), 'A')
        || setweight(to_tsvector('simple'::regconfig, dialogos_unaccent(fts_body)), 'B')
        || setweight(to_tsvector('russian'::regconfig, dialogos_unaccent(fts_body)), 'B')
    ) STORED""",
    "CREATE INDEX search_searchentry_document ON search_searchentry USING gin (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    "DROP FUNCTION IF EXISTS dialogos_unaccent(text)",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
