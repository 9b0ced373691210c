"""What the SQL helpers (ledger, entities, near-duplicates, context) need of a database
connection: the small part of DB-API that :mod:`sqlite3` gives and the PostgreSQL adapter
(:class:`index.backends.postgres.PgConnection`) imitates, with ``?`` placeholders and rows
as tuples (vectors as float32 bytes).

The SQL written against it is in a dialect both engines accept (``ON CONFLICT``,
``IN (?, ?)``, no ``INSERT OR ...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol


class Cursor(Protocol):
    """The result of one statement."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection (inside the caller's transaction when it writes)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...
