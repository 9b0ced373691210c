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
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from index.feeds import FeedState, backoff, utc_now
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

_STATE = ("url, every, origin, title, etag, last_modified, failures, next_try, last_error, "
          "last_ok")


class PgFeedStore:
    """:class:`index.feeds.FeedStateStore` on a psycopg pool."""

    def __init__(self, pool: Any, clock: Callable[[], datetime] = utc_now, *,
                 lease: float = LEASE, owner: str | None = None) -> None:
        self._pool = pool
        self.clock = clock
        self.lease_seconds = lease
        self.owner = owner or worker_id()

    def close(self) -> None:
        """The pool belongs to whoever opened it."""

    def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._pool.connection() as conn:
            return list(conn.execute(sql, params).fetchall())

    def _count(self, sql: str, params: tuple[object, ...] = ()) -> int:
        with self._pool.connection() as conn:
            return int(conn.execute(sql, params).rowcount)

    def feeds(self) -> list[FeedState]:
        return [FeedState(*r) for r in self._all(
            f"SELECT {_STATE} FROM feeds ORDER BY origin = 'admin', added_at, seq")]

    def get(self, url: str) -> FeedState | None:
        rows = self._all(f"SELECT {_STATE} FROM feeds WHERE url = %s", (url,))
        return FeedState(*rows[0]) if rows else None

    def add(self, url: str, every: int, origin: str = "admin") -> bool:
        if self._count("INSERT INTO feeds(url, every, origin, added_at) VALUES (%s, %s, %s, %s) "
                       "ON CONFLICT(url) DO NOTHING",
                       (url, every, origin, self.clock().isoformat())):
            return True
        self._count("UPDATE feeds SET every = %s WHERE url = %s", (every, url))
        return False

    def remove(self, url: str) -> bool:
        return self._count("DELETE FROM feeds WHERE url = %s", (url,)) > 0

    def sync_config(self, feeds: Iterable[tuple[str, int]]) -> None:
        wanted = dict(feeds)
        for url, every in wanted.items():
            self.add(url, every, "config")
            self._count("UPDATE feeds SET origin = 'config' WHERE url = %s", (url,))
        for state in self.feeds():
            if state.origin == "config" and state.url not in wanted:
                self.remove(state.url)

    def due(self, url: str) -> bool:
        state = self.get(url)
        return state is not None and (state.next_try is None
                                      or state.next_try <= self.clock().isoformat())

    def record_ok(self, url: str, *, etag: str | None, last_modified: str | None,
                  title: str | None = None) -> None:
        self._count("UPDATE feeds SET etag = %s, last_modified = %s, failures = 0, "
                    "next_try = NULL, last_error = NULL, last_ok = %s, "
                    "title = COALESCE(%s, title) WHERE url = %s",
                    (etag, last_modified, self.clock().isoformat(), title, url))

    def record_failure(self, url: str, error: str) -> FeedState | None:
        state = self.get(url)
        if state is None:
            return None
        failures = state.failures + 1
        next_try = self.clock() + timedelta(seconds=backoff(failures, state.every))
        self._count("UPDATE feeds SET failures = %s, next_try = %s, last_error = %s "
                    "WHERE url = %s", (failures, next_try.isoformat(), error, url))
        return self.get(url)

    def unseen(self, url: str, entry_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(entry_ids))
        seen = {str(r[0]) for r in self._all(
            "SELECT entry_id FROM feed_seen WHERE feed_url = %s AND entry_id = ANY(%s)",
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
        return self._count(
            "UPDATE feeds SET lease_owner = %s, polled_at = now(), "
            "lease_until = now() + make_interval(secs => %s) WHERE url = %s "
            "AND (lease_until IS NULL OR lease_until < now())",
            (self.owner, self.lease_seconds, url)) > 0

    def renew(self, url: str) -> None:
        self._count("UPDATE feeds SET lease_until = now() + make_interval(secs => %s) "
                    "WHERE url = %s AND lease_owner = %s",
                    (self.lease_seconds, url, self.owner))

    def busy(self, url: str) -> bool:
        return bool(self._all("SELECT 1 FROM feeds WHERE url = %s AND lease_owner IS NOT NULL "
                              "AND lease_owner <> %s AND lease_until > now()",
                              (url, self.owner)))

    def release(self, url: str) -> None:
        self._count("UPDATE feeds SET lease_owner = NULL, lease_until = "
                    "polled_at + make_interval(secs => every * %s) "
                    "WHERE url = %s AND lease_owner = %s", (HOLD, url, self.owner))
