"""The embedded backend (the default): one SQLite file (:class:`index.store.Store`) and a
FAISS index beside it (:mod:`index.vectors`), saved after each ingest and rebuilt from the
store when it is missing, torn or out of step.
"""

from __future__ import annotations

import logging
from pathlib import Path

from index.backends.base import Backend, ReportStore, VectorSearch
from index.store import Store
from index.vectors import VectorIndex, open_vectors

log = logging.getLogger(__name__)

DB_NAME = "briefbot.sqlite3"
VECTORS_NAME = "vectors.faiss"


class SqliteBackend(Backend):
    """``briefbot.sqlite3`` and ``vectors.faiss`` in one data directory."""

    name = "sqlite"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.vectors_path = self.data_dir / VECTORS_NAME

    def exists(self) -> bool:
        return (self.data_dir / DB_NAME).is_file()

    def open_store(self, zone: str, dim: int) -> Store:
        return Store(self.data_dir / DB_NAME, zone)

    def open_vectors(self, store: ReportStore, dim: int) -> VectorIndex:
        return open_vectors(_sqlite(store), self.vectors_path, dim)

    def save_vectors(self, vectors: VectorSearch, store: ReportStore) -> None:
        if not isinstance(vectors, VectorIndex):
            raise TypeError(f"not a FAISS index: {type(vectors).__name__}")
        if not vectors.fits():  # grown past exact search (or far past its IVF)
            vectors.rebuild_from(_sqlite(store))
        vectors.save(self.vectors_path, store.generation())

    def describe(self) -> str:
        return str(self.data_dir)


def _sqlite(store: ReportStore) -> Store:
    if not isinstance(store, Store):
        raise TypeError(f"not a SQLite store: {type(store).__name__}")
    return store
