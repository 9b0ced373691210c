"""PostgreSQL plumbing shared by every part that keeps its state there: a connection pool
opened from a ``postgresql://`` URL (pgvector's types registered on each connection) and
versioned schema migrations applied at start, one list of steps per component, serialised
across workers by an advisory lock so that N processes starting at once apply each step once.

Nothing here knows a table of the product; the components (the report store, subscriptions,
feeds, ...) pass their own steps.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import zlib
from collections.abc import Sequence
from typing import Any

from index.errors import StoreError

log = logging.getLogger(__name__)

LOCK_KEY = zlib.crc32(b"briefbot:schema_migrations")
MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations(
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY(component, version)
)
"""


def is_postgres_url(url: str | None) -> bool:
    """Whether ``url`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return bool(url) and str(url).split("://", 1)[0] in ("postgresql", "postgres")


def worker_id() -> str:
    """This process as the owner of the leases it takes: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def open_pool(url: str, *, min_size: int = 1, max_size: int = 8, name: str = "briefbot",
              timeout: float = 30.0) -> Any:
    """A ``psycopg_pool.ConnectionPool`` on ``url``, opened and checked, each connection with
    pgvector's types registered; :class:`StoreError` when the database cannot be reached."""
    import psycopg
    from pgvector.psycopg import register_vector
    from psycopg_pool import ConnectionPool

    def configure(conn: Any) -> None:
        conn.autocommit = True
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        register_vector(conn)

    if not is_postgres_url(url):
        raise StoreError(f"Not a PostgreSQL URL: {redact_url(url)}")
    pool = ConnectionPool(url, min_size=min_size, max_size=max_size, configure=configure,
                          name=name, open=False)
    try:
        pool.open(wait=True, timeout=timeout)
    except (psycopg.Error, Exception) as exc:  # the pool raises its own PoolTimeout
        pool.close()
        raise StoreError(f"Cannot reach the database {redact_url(url)}: {exc}") from exc
    return pool


def migrate(pool: Any, component: str, steps: Sequence[str]) -> int:
    """Apply the steps of ``component`` not yet applied, in order, in one transaction under
    an advisory lock (a worker starting meanwhile waits, then finds them applied); the
    number applied. Step ``i`` (from 1) is version ``i``: steps are only ever appended,
    never edited."""
    applied = 0
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(MIGRATIONS)
        row = conn.execute(
            "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE component = %s",
            (component,)).fetchone()
        done = int(row[0]) if row else 0
        for version, step in enumerate(steps, start=1):
            if version > done:
                conn.execute(step)
                conn.execute("INSERT INTO schema_migrations(component, version) "
                             "VALUES (%s, %s)", (component, version))
                applied += 1
    if applied:
        log.info("%s: applied %d schema migration(s)", component, applied)
    return applied


def redact_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    head, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{head}://{user}:***@{host}" if ":" in creds else url
