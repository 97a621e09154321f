"""Entries newest first: the order of results without words, and of the table after a bulk load
on PostgreSQL (CLUSTER)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_snippet_texts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["-date", "-id"], name="search_entry_recent"),
        ),
    ]
