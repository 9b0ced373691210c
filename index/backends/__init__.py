"""Storage backends behind one interface (:mod:`index.backends.base`): SQLite + FAISS in a
data directory (:mod:`index.backends.sqlite`, the default) or PostgreSQL with pgvector
(:mod:`index.backends.postgres`, chosen by a ``postgresql://`` URL).
"""

from __future__ import annotations

from pathlib import Path

from index.backends.base import Backend


def open_backend(data_dir: Path, url: str | None = None, pool_size: int = 8) -> Backend:
    """The backend for ``url`` (PostgreSQL), else the data directory's SQLite + FAISS."""
    from index.pgdb import is_postgres_url

    if url and is_postgres_url(url):
        from index.backends.postgres import PostgresBackend

        return PostgresBackend(url, pool_size=pool_size)
    if url:
        from index.errors import StoreError
        from index.pgdb import redact_url

        raise StoreError(f"Unsupported database URL {redact_url(url)}: use postgresql://…")
    from index.backends.sqlite import SqliteBackend

    return SqliteBackend(data_dir)
