"""PostgreSQL: the GIN index covers the date too (``btree_gin``), so "the matches of the newest
entries" is one index condition — the planner can no longer pick the date alone and test the
match row by row, which reads (detoasts) every row's tsvector. The plain date index goes (on
both engines: nothing reads it any more)."""

from typing import Any

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "DROP INDEX IF EXISTS search_searchentry_fulltext",
    "CREATE INDEX search_searchentry_fulltext ON search_searchentry "
    "USING gin (fulltext, date) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_fulltext",
    "CREATE INDEX search_searchentry_fulltext ON search_searchentry "
    "USING gin (fulltext) WITH (fastupdate = off)",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_terms")]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="searchentry_recent"),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
