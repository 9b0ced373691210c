"""The state behind the *More evidence* button: per pressed-able answer, the HTML items the
press shows (the message that carries the button, then the further quotes and sources).

:class:`AnswerStore` is the interface; :class:`MemoryAnswers` keeps them in the process (one
worker: the SQLite default), :class:`PgAnswers` in PostgreSQL, so that any worker behind a
load balancer can answer a press on a button another worker sent. A key is random (it
travels in the button's ``callback_data``, at most 64 bytes); :meth:`AnswerStore.take`
hands the items out once, so two presses (or two workers) never expand an answer twice.
The newest :data:`KEPT` answers are kept.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections import OrderedDict
from typing import Any, Protocol

log = logging.getLogger(__name__)

KEPT = 1000  # answers whose button still works
COMPONENT = "answers"
STEPS = (
    """
    CREATE TABLE pending_answers(
        id BIGSERIAL PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        items TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    """,
)


def new_key() -> str:
    return secrets.token_urlsafe(9)


class AnswerStore(Protocol):
    def put(self, items: list[str]) -> str:
        """Keep ``items``; the key for the button."""
        ...

    def take(self, key: str) -> list[str] | None:
        """The items under ``key``, removed; None when unknown or too old."""
        ...


class MemoryAnswers:
    """The newest answers in this process."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._items: OrderedDict[str, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, items: list[str]) -> str:
        key = new_key()
        with self._lock:
            self._items[key] = list(items)
            while len(self._items) > self.kept:
                self._items.popitem(last=False)
        return key

    def take(self, key: str) -> list[str] | None:
        with self._lock:
            return self._items.pop(key, None)


class PgAnswers:
    """The newest answers in PostgreSQL, for every worker."""

    def __init__(self, pool: Any, kept: int = KEPT) -> None:
        self._pool = pool
        self.kept = kept

    def put(self, items: list[str]) -> str:
        key = new_key()
        with self._pool.connection() as conn:
            row = conn.execute("INSERT INTO pending_answers(key, items) VALUES (%s, %s) "
                               "RETURNING id", (key, json.dumps(items))).fetchone()
            if row is not None and int(row[0]) % 100 == 0:  # prune now and then
                conn.execute("DELETE FROM pending_answers WHERE id <= %s",
                             (int(row[0]) - self.kept,))
        return key

    def take(self, key: str) -> list[str] | None:
        with self._pool.connection() as conn:
            row = conn.execute("DELETE FROM pending_answers WHERE key = %s RETURNING id, items",
                               (key,)).fetchone()
            if row is None:
                return None
            newest = conn.execute("SELECT coalesce(max(id), 0) FROM pending_answers").fetchone()
        if newest is not None and int(row[0]) <= int(newest[0]) - self.kept:
            return None  # older than the kept ones, not pruned yet
        items = json.loads(row[1])
        return [str(x) for x in items]
