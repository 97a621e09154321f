"""Facet values as index words: the ``facets`` column of every entry, and the same tokens added
to the engine's full text of the entries already indexed (``search.engines.facet_token``), so
that facet filters keep finding them without a ``dialogos reindex``."""

from typing import Any

from django.db import migrations, models

BATCH = 1000
#: Entries whose full text (SQLite) is rewritten at a time.
TEXT_BATCH = 100


def _token(facet: str, value: str) -> str:
    # As search.engines.facet_token when this migration was written.
    return f"qqf{facet[:1]}{value.encode().hex()}"


#: Adding a NOT NULL column makes Django rebuild the SQLite table, which drops its triggers:
#: the one that takes a removed entry's words out of the full-text index is created again.
SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS search_entry_fts_ad
    AFTER DELETE ON search_searchentry BEGIN
        DELETE FROM search_fts_doc WHERE entry_id = old.id;
    END"""


def add_tokens(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
    ids = list(
        apps.get_model("search", "SearchEntry")
        .objects.using(connection.alias)
        .order_by("id")
        .values_list("id", flat=True)
    )
    SearchTag = apps.get_model("search", "SearchTag")
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            lines: dict[int, list[str]] = {entry_id: [] for entry_id in chunk}
            tags = (
                SearchTag.objects.using(connection.alias)
                .filter(entry_id__in=chunk)
                .order_by("id")
                .values_list("entry_id", "facet", "value")
            )
            for entry_id, facet, value in tags:
                lines[entry_id].append(_token(facet, value))
            pairs = [(" ".join(tokens), entry_id) for entry_id, tokens in lines.items()]
            if connection.vendor == "postgresql":
                # One update per row: the column and the words together.
                cursor.executemany(
                    "UPDATE search_searchentry SET facets = %s, fulltext = CASE "
                    "WHEN fulltext IS NULL THEN NULL "
                    "ELSE fulltext || to_tsvector('simple', %s) END WHERE id = %s",
                    [(line, line, entry_id) for line, entry_id in pairs],
                )
                continue
            cursor.executemany("UPDATE search_searchentry SET facets = %s WHERE id = %s", pairs)
            if connection.vendor != "sqlite":
                continue
            by_id = {entry_id: line for line, entry_id in pairs}
            # The texts in small groups: an extracted text may be 400,000 characters long.
            for first in range(0, len(chunk), TEXT_BATCH):
                group = chunk[first : first + TEXT_BATCH]
                marks = ", ".join(["%s"] * len(group))
                cursor.execute(
                    f"SELECT key, entry_id, text FROM search_fts_doc WHERE entry_id IN ({marks})",
                    group,
                )
                docs = cursor.fetchall()
                # The delete trigger takes each entry's old words out of search_fts.
                cursor.execute(f"DELETE FROM search_fts_doc WHERE entry_id IN ({marks})", group)
                rows = [
                    (key, entry_id, f"{text}\n{by_id[entry_id]}") for key, entry_id, text in docs
                ]
                cursor.executemany(
                    "INSERT INTO search_fts_doc (key, entry_id, text) VALUES (%s, %s, %s)", rows
                )
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, text) VALUES (%s, %s)",
                    [(key, text) for key, _entry_id, text in rows],
                )
        if connection.vendor == "sqlite" and ids:
            # The rewritten entries' words merged into one segment again (faster reads).
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_gin_with_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="facets",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(add_tokens, migrations.RunPython.noop),
    ]
