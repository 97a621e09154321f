"""Embeddings stored as half-precision floats (float16, 1 KB) instead of float32 (2 KB): the
vectors written before are converted, a batch at a time. Related items read 2,000 candidates'
vectors a fragment; on PostgreSQL a 2 KB value is kept out of line (over its in-row limit), and
reading them took about twice as long as the 1 KB values, which stay in the row. Backward, they
become float32 again. A value of any other length is left as it is (it is read as no vector)."""

from typing import Any

import numpy as np
from django.db import migrations

DIMENSIONS = 512
BATCH = 2000


def _convert(apps: Any, source: Any, target: Any) -> None:
    SearchText = apps.get_model("search", "SearchText")
    rows = SearchText.objects.exclude(vector=None).order_by("pk")
    last = None
    while True:
        batch = rows.filter(pk__gt=last) if last is not None else rows
        chunk = list(batch.only("pk", "vector")[:BATCH])
        if not chunk:
            return
        last = chunk[-1].pk
        changed = []
        for row in chunk:
            value = bytes(row.vector)
            if len(value) == DIMENSIONS * np.dtype(source).itemsize:
                row.vector = np.frombuffer(value, dtype=source).astype(target).tobytes()
                changed.append(row)
        SearchText.objects.bulk_update(changed, ["vector"], batch_size=500)


def forward(apps: Any, schema_editor: Any) -> None:
    _convert(apps, np.float32, np.float16)


def backward(apps: Any, schema_editor: Any) -> None:
    _convert(apps, np.float16, np.float32)


class Migration(migrations.Migration):
    dependencies = [("search", "0015_related_cover")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
