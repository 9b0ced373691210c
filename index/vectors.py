"""The FAISS vector index, derived from the store and saved crash-safely.

An ``IndexIDMap2`` over an inner-product flat index (vectors are unit length, so inner
product is cosine), whose ids are the sentences' SQLite row ids. It is saved to a temporary
file then moved into place with ``os.replace``; a small JSON tag beside it records the store
generation it matches. When the file is missing, unreadable, or its tag does not match the
store, :func:`open_vectors` rebuilds it from the vectors in SQLite.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.embedder import Vectors
from index.store import Store

log = logging.getLogger(__name__)


class VectorIndex:
    """Cosine search over sentence vectors by sentence id."""

    def __init__(self, dim: int, index: Any | None = None) -> None:
        self.dim = dim
        self._index: Any = index if index is not None else faiss.IndexIDMap2(
            faiss.IndexFlatIP(dim))
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: Sequence[int], vectors: Vectors) -> None:
        if len(ids) == 0:
            return
        with self._lock:
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                     np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids) == 0:
            return
        with self._lock:
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        """(sentence id, cosine) of the ``k`` nearest, best first."""
        if len(self) == 0 or k <= 0:
            return []
        with self._lock:
            scores, ids = self._index.search(
                np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path, generation: int) -> None:
        """Write atomically: a temp file in the same folder, then ``os.replace``."""
        with self._lock:
            data = faiss.serialize_index(self._index)
            count = int(self._index.ntotal)
        _atomic_write(path, np.asarray(data).tobytes())
        _atomic_write(_tag_path(path), json.dumps(
            {"generation": generation, "ntotal": count, "dim": self.dim}).encode())

    @classmethod
    def load(cls, path: Path) -> tuple[VectorIndex, dict[str, int]]:
        raw = np.frombuffer(path.read_bytes(), dtype=np.uint8)
        index = faiss.deserialize_index(raw)
        tag = json.loads(_tag_path(path).read_text())
        return cls(int(index.d), index), {k: int(v) for k, v in tag.items()}


def open_vectors(store: Store, path: Path, dim: int) -> VectorIndex:
    """The vector index for ``store``: loaded from ``path`` when in step, else rebuilt."""
    generation = store.generation()
    _, n_sentences, _, _ = store.counts()
    try:
        index, tag = VectorIndex.load(path)
        if (tag.get("generation") == generation and tag.get("ntotal") == n_sentences
                and index.dim == dim and len(index) == n_sentences):
            return index
        log.info("vector index %s is out of step with the store; rebuilding", path)
    except FileNotFoundError:
        if n_sentences:
            log.info("vector index %s is missing; rebuilding from the store", path)
    except Exception as exc:  # a torn or foreign file: any failure means rebuild
        log.warning("vector index %s is unreadable (%s); rebuilding", path, exc)
    index = rebuild(store, dim)
    index.save(path, generation)
    return index


def rebuild(store: Store, dim: int) -> VectorIndex:
    index = VectorIndex(dim)
    for ids, blobs in store.iter_vectors():
        vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)
        if vectors.shape[1] != dim:
            raise ValueError(f"stored vectors are {vectors.shape[1]}-d, the model is {dim}-d")
        index.add(ids, vectors)
    return index


def _tag_path(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".json")


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
