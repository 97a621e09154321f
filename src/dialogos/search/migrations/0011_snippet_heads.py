"""The start of each entry's text per language in its own short rows (``SearchHead``), copied
from ``SearchBody``: most snippets are cut from there."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

#: search.text.SNIPPET_HEAD_CHARS + 1 when this migration was written.
HEAD_CHARS = 2001


def copy_heads(apps: Any, schema_editor: Any) -> None:
    # substr counts characters on both engines.
    schema_editor.execute(
        "INSERT INTO search_searchhead (entry_id, language, text) "
        "SELECT entry_id, language, substr(text, 1, %s) FROM search_searchbody",
        [HEAD_CHARS],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0010_rank_rows"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=16)),
                ("text", models.TextField()),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="heads",
                        to="search.searchentry",
                    ),
                ),
            ],
            options={
                "verbose_name": "start of a search text",
                "verbose_name_plural": "starts of search texts",
                "constraints": [
                    models.UniqueConstraint(fields=("entry", "language"), name="searchhead_unique")
                ],
            },
        ),
        migrations.RunPython(copy_heads, migrations.RunPython.noop),
    ]
