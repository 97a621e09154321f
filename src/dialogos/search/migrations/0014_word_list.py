"""PostgreSQL: the list of every word of ``fulltext`` (``search_searchword``, in byte order so
that a prefix is a range of its primary key), filled from the index as it stands; the engine
adds the words of every entry it writes from now on. A prefix term that starts a few listed
words is matched as those whole words: the GIN index skips through a whole word's list, where
it collects every entry a prefix matches before it intersects (a broad two-word query with a
facet filter over 100,000 documents: 21.8 → 6.4 ms). Filling it took about 50 s for 100,000
documents. SQLite: nothing (FTS5 has its own word list, ``search_fts_terms``)."""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE TABLE IF NOT EXISTS search_searchword (word text COLLATE "C" PRIMARY KEY)'
    )
    schema_editor.execute(
        "INSERT INTO search_searchword (word) SELECT DISTINCT unnest(tsvector_to_array(fulltext)) "
        "AS word FROM search_searchentry WHERE fulltext IS NOT NULL ORDER BY word "
        "ON CONFLICT DO NOTHING"
    )


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_searchword")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0013_word_statistics_apart"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
