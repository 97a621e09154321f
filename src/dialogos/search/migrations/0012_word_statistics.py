"""PostgreSQL: statistics over ten times as many words of ``fulltext`` (the most common 10,000,
down to about 1 % of the entries): the engine sizes a search's first window from them
(``PostgresEngine._estimated_share``), as the planner estimates its rows. SQLite: nothing."""

from typing import Any

from django.db import migrations


def _run(target: int) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE search_searchentry ALTER COLUMN fulltext SET STATISTICS {target}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_snippet_heads"),
    ]

    operations = [
        migrations.RunPython(_run(1000), _run(-1)),
    ]
