"""Watches in PostgreSQL, shared by several workers: the same table and the same
compare-and-set claim as :class:`bot.telegram.watches.Watches` (a changed figure is recorded
as told only if the watch still holds the figure it was read with, so of the workers that
see a change one tells it)."""

from __future__ import annotations

import logging
import zlib
from typing import Any

from bot.telegram.subscriptions import Clock, iso, utc_now
from bot.telegram.watches import Watch, find_same
from index.models import TimelinePoint

log = logging.getLogger(__name__)

COMPONENT = "watches"
STEPS = (
    """
    CREATE TABLE watches(
        id BIGSERIAL PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        question TEXT NOT NULL,
        active BOOLEAN NOT NULL DEFAULT true,
        value TEXT,
        number DOUBLE PRECISION,
        date TEXT,
        source TEXT,
        told_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX watches_chat ON watches(chat_id, active);
    """,
)

_COLUMNS = "id, chat_id, question, value, number, date, source, told_at"
ADD_LOCK = zlib.crc32(b"briefbot:watches:add")  # one add at a time, so none is doubled


class PgWatches:
    """:class:`bot.telegram.watches.WatchStore` on a psycopg pool."""

    def __init__(self, pool: Any, clock: Clock = utc_now) -> None:
        self._pool = pool
        self._clock = clock

    def close(self) -> None:
        """The pool belongs to whoever opened it."""

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Watch]:
        with self._pool.connection() as conn:
            return [Watch(*row) for row in conn.execute(sql, params).fetchall()]

    def _count(self, sql: str, params: tuple[object, ...]) -> int:
        with self._pool.connection() as conn:
            return int(conn.execute(sql, params).rowcount)

    def add(self, chat_id: int, question: str, figure: TimelinePoint | None
            ) -> tuple[Watch, bool]:
        """As :meth:`bot.telegram.watches.Watches.add`: a question is watched once per chat,
        also when two workers add it at the same moment (an advisory lock)."""
        values = ((figure.value, figure.number, figure.date, figure.source) if figure
                  else (None,) * 4)
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADD_LOCK,))
            mine = [Watch(*row) for row in conn.execute(
                f"SELECT {_COLUMNS} FROM watches WHERE chat_id = %s AND active ORDER BY id",
                (chat_id,)).fetchall()]
            same = find_same(mine, question)
            if same is not None:
                return mine[same - 1], False
            row = conn.execute(
                "INSERT INTO watches(chat_id, question, value, number, date, source, "
                f"created_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
                (chat_id, question, *values, iso(self._clock()))).fetchone()
        return Watch(*row), True

    def of_chat(self, chat_id: int) -> list[Watch]:
        return self._rows(f"SELECT {_COLUMNS} FROM watches WHERE chat_id = %s AND active "
                          "ORDER BY id", (chat_id,))

    def active(self) -> list[Watch]:
        return self._rows(f"SELECT {_COLUMNS} FROM watches WHERE active ORDER BY id")

    def remove(self, watch_id: int) -> None:
        self._count("UPDATE watches SET active = false WHERE id = %s", (watch_id,))

    def remove_chat(self, chat_id: int) -> None:
        self._count("UPDATE watches SET active = false WHERE chat_id = %s", (chat_id,))

    def claim(self, watch: Watch, figure: TimelinePoint) -> bool:
        return self._count(
            "UPDATE watches SET value = %s, number = %s, date = %s, source = %s, "
            "told_at = %s WHERE id = %s AND number IS NOT DISTINCT FROM %s AND active",
            (figure.value, figure.number, figure.date, figure.source, iso(self._clock()),
             watch.id, watch.number)) > 0
