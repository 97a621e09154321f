"""Make a query cheap on both engines.

SQLite: one FTS5 table ``search_fts`` with ``detail=none`` (no positions: matching needs none,
and a frequent term's document list shrinks from megabytes to a few bytes a document) and a
prefix index, whose rowid is the entry's recency key (date in the high bits, id in the low 32),
so a query walks the newest matches first and stops; its text is kept in ``search_fts_doc``.
PostgreSQL: a stripped ``simple`` ``tsvector`` on the entry row itself (the access and facet
columns beside it: no join), GIN-indexed; the large weighted ``document`` of the text table goes.
Ranking moves to two small columns of the entry, ``fts_head`` and ``fts_summary``.

Existing rows are carried over from the old folded columns; ``dialogos reindex`` rebuilds the
same thing from the sources.
"""

import re
import unicodedata
from typing import Any

from django.db import migrations, models

import dialogos.search.models

SUMMARY_CHARS = 300
ID_BITS = 32

SQLITE_DROP_OLD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE_CREATE = [
    """CREATE TABLE search_fts_doc (
        key INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL UNIQUE, text TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        text, content='search_fts_doc', content_rowid='key', detail=none, prefix='3',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_doc_ad AFTER DELETE ON search_fts_doc BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.key, old.text);
    END""",
    """CREATE TRIGGER search_entry_fts_ad AFTER DELETE ON search_searchentry BEGIN
        DELETE FROM search_fts_doc WHERE entry_id = old.id;
    END""",
]
SQLITE_DROP_NEW = [
    "DROP TRIGGER IF EXISTS search_entry_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_doc_ad",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_fts_doc",
]
SQLITE_RECREATE_OLD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        fts_title, fts_body, content='search_searchtext', content_rowid='entry_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchtext BEGIN
        INSERT INTO search_fts(rowid, fts_title, fts_body)
        VALUES (new.entry_id, new.fts_title, new.fts_body);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchtext BEGIN
        INSERT INTO search_fts(search_fts, rowid, fts_title, fts_body)
        VALUES ('delete', old.entry_id, old.fts_title, old.fts_body);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE OF fts_title, fts_body ON search_searchtext
    BEGIN
        INSERT INTO search_fts(search_fts, rowid, fts_title, fts_body)
        VALUES ('delete', old.entry_id, old.fts_title, old.fts_body);
        INSERT INTO search_fts(rowid, fts_title, fts_body)
        VALUES (new.entry_id, new.fts_title, new.fts_body);
    END""",
]
POSTGRES_DROP_OLD = [
    "DROP INDEX IF EXISTS search_searchtext_document",
    "ALTER TABLE search_searchtext DROP COLUMN IF EXISTS document",
]
POSTGRES_CREATE = [
    "ALTER TABLE search_searchentry ADD COLUMN fulltext tsvector",
    "CREATE INDEX search_searchentry_fulltext ON search_searchentry "
    "USING gin (fulltext) WITH (fastupdate = off)",
]
POSTGRES_DROP_NEW = [
    "DROP INDEX IF EXISTS search_searchentry_fulltext",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS fulltext",
]
POSTGRES_RECREATE_OLD = [
    """ALTER TABLE search_searchtext ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, dialogos_unaccent(fts_title)), 'A')
        || setweight(to_tsvector('russian'::regconfig, dialogos_unaccent(fts_title)), 'A')
        || setweight(to_tsvector('simple'::regconfig, dialogos_unaccent(fts_body)), 'B')
        || setweight(to_tsvector('russian'::regconfig, dialogos_unaccent(fts_body)), 'B')
    ) STORED""",
    "CREATE INDEX search_searchtext_document ON search_searchtext USING gin (document)",
]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def _line(text: str) -> str:
    found = _WORD.findall(_fold(text))
    return f" {' '.join(found)} " if found else ""


def _execute(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    _execute({"sqlite": SQLITE_DROP_OLD, "postgresql": POSTGRES_DROP_OLD})(apps, schema_editor)
    _execute({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})(apps, schema_editor)
    entry_model = apps.get_model("search", "SearchEntry")
    text_model = apps.get_model("search", "SearchText")
    texts = text_model.objects.values_list("entry_id", "body", "fts_title", "fts_body")
    dates = dict(entry_model.objects.values_list("id", "date"))
    with schema_editor.connection.cursor() as cursor:
        for entry_id, body, fts_title, fts_body in texts.iterator(chunk_size=200):
            summary = " ".join(str(v)[:SUMMARY_CHARS] for v in (body or {}).values() if v)
            entry_model.objects.filter(id=entry_id).update(
                fts_head=_line(fts_title), fts_summary=_line(summary)
            )
            text = f"{fts_title}\n{fts_body}"
            if vendor == "postgresql":
                cursor.execute(
                    "UPDATE search_searchentry SET fulltext = strip(to_tsvector('simple', %s)) "
                    "WHERE id = %s",
                    [text, entry_id],
                )
            elif vendor == "sqlite":
                date = dates.get(entry_id)
                key = ((date.toordinal() if date else 0) << ID_BITS) | entry_id
                cursor.execute(
                    "INSERT INTO search_fts_doc (key, entry_id, text) VALUES (%s, %s, %s)",
                    [key, entry_id, text],
                )
                cursor.execute(
                    "INSERT INTO search_fts (rowid, text) VALUES (%s, %s)", [key, text]
                )


def backward(apps: Any, schema_editor: Any) -> None:
    """The old structures come back empty: run ``dialogos reindex`` after going back."""
    _execute({"sqlite": SQLITE_DROP_NEW, "postgresql": POSTGRES_DROP_NEW})(apps, schema_editor)
    _execute({"sqlite": SQLITE_RECREATE_OLD, "postgresql": POSTGRES_RECREATE_OLD})(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_text_apart")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="fts_head",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="fts_summary",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["date", "id"], name="searchentry_recent"),
        ),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="searchtext",
            name="body",
            field=models.JSONField(
                default=dict,
                encoder=dialogos.search.models.CompactJSONEncoder,
                verbose_name="text",
            ),
        ),
        migrations.RemoveField(model_name="searchtext", name="fts_title"),
        migrations.RemoveField(model_name="searchtext", name="fts_body"),
    ]
