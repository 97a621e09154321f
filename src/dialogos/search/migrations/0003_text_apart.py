"""Keep the large part of an entry (texts, folded text, embedding) in its own table, so that
filtering, counting and faceting entries never read through it; the engine structures follow
the folded text to the new table."""

from typing import Any


import django.db.models.deletion
from django.db import migrations, models


def _fts_sql(table: str, key: str) -> list[str]:
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            fts_title, fts_body, content='{table}', content_rowid='{key}',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        f"""CREATE TRIGGER search_fts_ai AFTER INSERT ON {table} BEGIN
            INSERT INTO search_fts(rowid, fts_title, fts_body)
            VALUES (new.{key}, new.fts_title, new.fts_body);
        END""",
        f"""CREATE TRIGGER search_fts_ad AFTER DELETE ON {table} BEGIN
            INSERT INTO search_fts(search_fts, rowid, fts_title, fts_body)
            VALUES ('delete', old.{key}, old.fts_title, old.fts_body);
        END""",
        f"""CREATE TRIGGER search_fts_au AFTER UPDATE OF fts_title, fts_body ON {table} BEGIN
            INSERT INTO search_fts(search_fts, rowid, fts_title, fts_body)
            VALUES ('delete', old.{key}, old.fts_title, old.fts_body);
            INSERT INTO search_fts(rowid, fts_title, fts_body)
            VALUES (new.{key}, new.fts_title, new.fts_body);
        END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def _document_sql(table: str) -> list[str]:
    return [
        f"""ALTER TABLE {table} ADD COLUMN document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, dialogos_unaccent(fts_title)), 'A')
            || setweight(to_tsvector('russian'::regconfig, dialogos_unaccent(fts_title)), 'A')
            || setweight(to_tsvector('simple'::regconfig, dialogos_unaccent(fts_body)), 'B')
            || setweight(to_tsvector('russian'::regconfig, dialogos_unaccent(fts_body)), 'B')
        ) STORED""",
        f"CREATE INDEX {table}_document ON {table} USING gin (document)",
    ]


_DROP_FTS = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
DROP_OLD = {
    "sqlite": _DROP_FTS,
    "postgresql": [
        "DROP INDEX IF EXISTS search_searchentry_document",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    ],
}
RECREATE_OLD = {
    "sqlite": _fts_sql("search_searchentry", "id"),
    "postgresql": _document_sql("search_searchentry"),
}
CREATE_NEW = {
    "sqlite": _fts_sql("search_searchtext", "entry_id"),
    "postgresql": _document_sql("search_searchtext"),
}
DROP_NEW = {
    "sqlite": _DROP_FTS,
    "postgresql": [
        "DROP INDEX IF EXISTS search_searchtext_document",
        "ALTER TABLE search_searchtext DROP COLUMN IF EXISTS document",
    ],
}


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0002_fulltext'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchText',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='text', serialize=False, to='search.searchentry')),
                ('body', models.JSONField(default=dict, verbose_name='text')),
                ('fts_title', models.TextField(default='', editable=False)),
                ('fts_body', models.TextField(default='', editable=False)),
                ('vector', models.BinaryField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'search text',
                'verbose_name_plural': 'search texts',
            },
        ),
        migrations.RunPython(_run(DROP_OLD), _run(RECREATE_OLD)),
        migrations.RunSQL(
            "INSERT INTO search_searchtext (entry_id, body, fts_title, fts_body, vector) "
            "SELECT id, body, fts_title, fts_body, vector FROM search_searchentry",
            "UPDATE search_searchentry SET body = t.body, fts_title = t.fts_title, "
            "fts_body = t.fts_body, vector = t.vector FROM search_searchtext t "
            "WHERE t.entry_id = search_searchentry.id",
        ),
        migrations.RemoveField(
            model_name='searchentry',
            name='body',
        ),
        migrations.RemoveField(
            model_name='searchentry',
            name='fts_body',
        ),
        migrations.RemoveField(
            model_name='searchentry',
            name='fts_title',
        ),
        migrations.RemoveField(
            model_name='searchentry',
            name='vector',
        ),
        migrations.RunPython(_run(CREATE_NEW), _run(DROP_NEW)),
    ]
