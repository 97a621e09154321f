"""The start of each entry's text per language in its own rows (``SearchBody``), copied from
the JSON ``body`` of ``SearchText``, which then keeps the embedding alone."""

import json
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500
#: search.text.SNIPPET_SCAN_CHARS when this migration was written.
SNIPPET_SCAN_CHARS = 60_000


def copy_bodies(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    SearchText = apps.get_model("search", "SearchText")
    SearchBody = apps.get_model("search", "SearchBody")
    ids = list(
        SearchText.objects.using(alias).order_by("entry_id").values_list("entry_id", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = []
        for entry_id, body in (
            SearchText.objects.using(alias)
            .filter(entry_id__in=chunk)
            .values_list("entry_id", "body")
        ):
            if isinstance(body, str):  # a JSON text the field did not decode
                body = json.loads(body)
            for language, text in (body or {}).items():
                if text:
                    rows.append(
                        SearchBody(
                            entry_id=entry_id,
                            language=str(language)[:16],
                            text=str(text)[:SNIPPET_SCAN_CHARS],
                        )
                    )
        SearchBody.objects.using(alias).bulk_create(rows, batch_size=200)


def copy_bodies_back(apps: Any, schema_editor: Any) -> None:
    """Undo: the texts per language into the JSON ``body`` again (as much as was kept)."""
    alias = schema_editor.connection.alias
    SearchText = apps.get_model("search", "SearchText")
    SearchBody = apps.get_model("search", "SearchBody")
    ids = list(SearchText.objects.using(alias).order_by("entry_id").values_list("entry_id", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        bodies: dict[int, dict[str, str]] = {}
        rows = SearchBody.objects.using(alias).filter(entry_id__in=chunk)
        for entry_id, language, text in rows.values_list("entry_id", "language", "text"):
            bodies.setdefault(entry_id, {})[language] = text
        for entry_id, body in bodies.items():
            SearchText.objects.using(alias).filter(entry_id=entry_id).update(body=body)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_facet_tokens"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchBody",
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
                        related_name="bodies",
                        to="search.searchentry",
                    ),
                ),
            ],
            options={
                "verbose_name": "search text",
                "verbose_name_plural": "search texts",
                "constraints": [
                    models.UniqueConstraint(fields=("entry", "language"), name="searchbody_unique")
                ],
            },
        ),
        migrations.RunPython(copy_bodies, copy_bodies_back),
        migrations.RemoveField(
            model_name="searchtext",
            name="body",
        ),
    ]
