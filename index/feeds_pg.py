"""Feeds and their polling state in PostgreSQL, shared by several workers.

The same columns as :class:`index.feeds.FeedStore` (times as ISO text), plus a lease: every
worker holds a repeating job per feed, and :meth:`PgFeedStore.lease` lets one of them poll
at a time. The lease lasts :data:`LEASE` seconds and is renewed during a long poll, so a
worker killed mid-poll holds its feed no longer than that; on release the feed stays held
until most of its interval has passed since the poll began, so N workers poll it about once
an interval, not N times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from index.feeds import FeedBook, utc_now
from index.pgdb import worker_id

log = logging.getLogger(__name__)

COMPONENT = "feeds"
LEASE = 45.0  # seconds; renewed every third of it while a poll runs
HOLD = 0.8  # of the interval, from the start of a poll, during which no worker polls again

STEPS = (
    """
    CREATE TABLE feeds(
        url TEXT PRIMARY KEY,
        every INTEGER NOT NULL,
        origin TEXT NOT NULL,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_try TEXT,
        last_error TEXT,
        last_ok TEXT,
        added_at TEXT NOT NULL,
        seq BIGSERIAL,
        lease_owner TEXT,
        lease_until TIMESTAMPTZ,
        polled_at TIMESTAMPTZ
    );
    CREATE TABLE feed_seen(
        feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
        entry_id TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY(feed_url, entry_id)
    );
    """,
)


class PgFeedStore(FeedBook):
    """:class:`index.feeds.FeedStateStore` on a psycopg pool."""

    _SEQ = "seq"

    def __init__(self, pool: Any, clock: Callable[[], datetime] = utc_now, *,
                 lease: float = LEASE, owner: str | None = None) -> None:
        self._pool = pool
        self.clock = clock
        self.lease_seconds = lease
        self.owner = owner or worker_id()

    def close(self) -> None:
        """The pool belongs to whoever opened it."""

    def _run(self, sql: str, params: Sequence[object] = ()) -> int:
        with self._pool.connection() as conn:
            return int(conn.execute(sql.replace("?", "%s"), tuple(params)).rowcount)

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._pool.connection() as conn:
            return list(conn.execute(sql.replace("?", "%s"), tuple(params)).fetchall())

    def unseen(self, url: str, entry_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(entry_ids))
        seen = {str(r[0]) for r in self._rows(
            "SELECT entry_id FROM feed_seen WHERE feed_url = ? AND entry_id = ANY(?)",
            (url, ids))}
        return set(ids) - seen

    def mark_seen(self, url: str, entry_ids: Iterable[str]) -> None:
        now = self.clock().isoformat()
        with self._pool.connection() as conn, conn.cursor() as cur:
            cur.executemany("INSERT INTO feed_seen(feed_url, entry_id, seen_at) "
                            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            [(url, eid, now) for eid in entry_ids])

    # -- one worker at a time ---------------------------------------------------------------

    def lease(self, url: str) -> bool:
        return self._run(
            "UPDATE feeds SET lease_owner = ?, polled_at = now(), "
            "lease_until = now() + make_interval(secs => ?) WHERE url = ? "
            "AND (lease_until IS NULL OR lease_until < now())",
            (self.owner, self.lease_seconds, url)) > 0

    def renew(self, url: str) -> None:
        self._run("UPDATE feeds SET lease_until = now() + make_interval(secs => ?) "
                  "WHERE url = ? AND lease_owner = ?", (self.lease_seconds, url, self.owner))

    def busy(self, url: str) -> bool:
        return bool(self._rows("SELECT 1 FROM feeds WHERE url = ? AND lease_owner IS NOT NULL "
                               "AND lease_owner <> ? AND lease_until > now()", (url, self.owner)))

    def release(self, url: str) -> None:
        self._run("UPDATE feeds SET lease_owner = NULL, lease_until = "
                  "polled_at + make_interval(secs => every * ?) "
                  "WHERE url = ? AND lease_owner = ?", (HOLD, url, self.owner))
