"""Digest subscriptions, chats and the delivery log in PostgreSQL, shared by several workers.

The same tables as :mod:`bot.telegram.subscriptions` (timestamps kept as ISO text, so rows
copy across unchanged), plus a lease on each claim. A claim is a row inserted with
``ON CONFLICT DO NOTHING``: of the workers racing for a (chat, local date) exactly one gets
it, as ``claimed`` with an owner and ``lease_until`` (the database's clock, so the workers'
clocks need not agree). :meth:`PgSubscriptions.begin_send` turns it into ``sending`` only
while this worker still holds the lease; :meth:`heartbeat` renews the leases of a live
worker. When a worker dies (SIGKILL, a lost machine), :meth:`take_over` gives its expired
``claimed`` rows to the caller, to send once; an expired ``sending`` row may or may not have
reached Telegram, so it is recorded ``interrupted`` and never sent again (at most once).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.config import check_zone, parse_hhmm
from bot.telegram.subscriptions import (
    Clock,
    Delivery,
    Subscription,
    Takeover,
    iso,
    utc_now,
)
from index.pgdb import worker_id

log = logging.getLogger(__name__)

COMPONENT = "subscriptions"
LEASE = 30.0  # seconds a claim stays a worker's without a heartbeat

STEPS = (
    """
    CREATE TABLE subscriptions(
        chat_id BIGINT PRIMARY KEY,
        time TEXT NOT NULL,
        zone TEXT NOT NULL,
        topic TEXT,
        active BOOLEAN NOT NULL DEFAULT true,
        watermark TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE deliveries(
        chat_id BIGINT NOT NULL,
        local_date TEXT NOT NULL,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL,
        since TEXT,
        until TEXT,
        detail TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        owner TEXT,
        lease_until TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY(chat_id, local_date)
    );
    CREATE INDEX deliveries_open ON deliveries(lease_until)
        WHERE status IN ('claimed', 'sending');
    CREATE INDEX deliveries_date ON deliveries(local_date);
    CREATE TABLE chats(
        chat_id BIGINT PRIMARY KEY,
        active BOOLEAN NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
)

_SUB = "chat_id, time, zone, topic, active, watermark, created_at, updated_at"
_DELIVERY = "chat_id, local_date, due_at, status, since, until, detail"


class PgSubscriptions:
    """:class:`bot.telegram.subscriptions.SubscriptionStore` on a psycopg pool."""

    def __init__(self, pool: Any, clock: Clock = utc_now, *, lease: float = LEASE,
                 owner: str | None = None) -> None:
        self._pool = pool
        self._clock = clock
        self.lease = lease
        self.owner = owner or worker_id()

    def close(self) -> None:
        """The pool belongs to whoever opened it."""

    def _now(self) -> str:
        return iso(self._clock())

    def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._pool.connection() as conn:
            return list(conn.execute(sql, params).fetchall())

    def _count(self, sql: str, params: tuple[object, ...] = ()) -> int:
        with self._pool.connection() as conn:
            return int(conn.execute(sql, params).rowcount)

    # -- subscriptions --------------------------------------------------------------------

    def subscribe(self, chat_id: int, time: str, zone: str, topic: str | None = None
                  ) -> Subscription:
        h, m = parse_hhmm(time)
        check_zone(zone)
        now = self._now()
        rows = self._all(
            "INSERT INTO subscriptions(chat_id, time, zone, topic, active, created_at, "
            "updated_at) VALUES (%s, %s, %s, %s, true, %s, %s) ON CONFLICT(chat_id) DO UPDATE "
            "SET time=excluded.time, zone=excluded.zone, topic=excluded.topic, active=true, "
            f"updated_at=excluded.updated_at RETURNING {_SUB}",
            (chat_id, f"{h:02d}:{m:02d}", zone, topic or None, now, now))
        return _sub(rows[0])

    def unsubscribe(self, chat_id: int) -> bool:
        return self.set_active(chat_id, False)

    def set_active(self, chat_id: int, active: bool) -> bool:
        return self._count(
            "UPDATE subscriptions SET active = %s, updated_at = %s WHERE chat_id = %s "
            "AND active = %s", (active, self._now(), chat_id, not active)) > 0

    def get(self, chat_id: int) -> Subscription | None:
        rows = self._all(f"SELECT {_SUB} FROM subscriptions WHERE chat_id = %s", (chat_id,))
        return _sub(rows[0]) if rows else None

    def active(self) -> list[Subscription]:
        return [_sub(r) for r in self._all(
            f"SELECT {_SUB} FROM subscriptions WHERE active ORDER BY chat_id")]

    def set_watermark(self, chat_id: int, watermark: str) -> None:
        self._count("UPDATE subscriptions SET watermark = %s WHERE chat_id = %s",
                    (watermark, chat_id))

    # -- chats ----------------------------------------------------------------------------

    def set_chat_active(self, chat_id: int, active: bool) -> None:
        self._count(
            "INSERT INTO chats(chat_id, active, updated_at) VALUES (%s, %s, %s) "
            "ON CONFLICT(chat_id) DO UPDATE SET active = excluded.active, "
            "updated_at = excluded.updated_at", (chat_id, active, self._now()))

    def chat_active(self, chat_id: int) -> bool:
        rows = self._all("SELECT active FROM chats WHERE chat_id = %s", (chat_id,))
        return not rows or bool(rows[0][0])

    # -- delivery log ---------------------------------------------------------------------

    def claim(self, chat_id: int, local_date: str, due_at: str) -> bool:
        """Claim this day's digest for this worker (leased); False if any worker has."""
        return self._count(
            "INSERT INTO deliveries(chat_id, local_date, due_at, status, started_at, owner, "
            "lease_until) VALUES (%s, %s, %s, 'claimed', %s, %s, "
            "now() + make_interval(secs => %s)) ON CONFLICT DO NOTHING",
            (chat_id, local_date, due_at, self._now(), self.owner, self.lease)) > 0

    def begin_send(self, chat_id: int, local_date: str) -> bool:
        """``claimed`` -> ``sending`` if the claim is still this worker's (its lease
        renewed); False when it expired and another worker took it over."""
        return self._count(
            "UPDATE deliveries SET status = 'sending', "
            "lease_until = now() + make_interval(secs => %s) WHERE chat_id = %s "
            "AND local_date = %s AND status = 'claimed' AND owner = %s",
            (self.lease, chat_id, local_date, self.owner)) > 0

    def finish(self, chat_id: int, local_date: str, status: str, *, since: str | None = None,
               until: str | None = None, detail: str | None = None) -> None:
        self._count(
            "UPDATE deliveries SET status = %s, since = %s, until = %s, detail = %s, "
            "finished_at = %s, lease_until = NULL WHERE chat_id = %s AND local_date = %s "
            "AND owner = %s",
            (status, since, until, detail, self._now(), chat_id, local_date, self.owner))

    def delivery(self, chat_id: int, local_date: str) -> Delivery | None:
        rows = self._all(f"SELECT {_DELIVERY} FROM deliveries WHERE chat_id = %s "
                         "AND local_date = %s", (chat_id, local_date))
        return _delivery(rows[0]) if rows else None

    def deliveries(self, chat_id: int) -> list[Delivery]:
        return [_delivery(r) for r in self._all(
            f"SELECT {_DELIVERY} FROM deliveries WHERE chat_id = %s ORDER BY local_date",
            (chat_id,))]

    def claimed_days(self, from_date: str) -> set[tuple[int, str]]:
        return {(int(r[0]), str(r[1])) for r in self._all(
            "SELECT chat_id, local_date FROM deliveries WHERE local_date >= %s",
            (from_date,))}

    def heartbeat(self) -> int:
        """Renew the leases of this worker's open claims; how many."""
        return self._count(
            "UPDATE deliveries SET lease_until = now() + make_interval(secs => %s) "
            "WHERE owner = %s AND status IN ('claimed', 'sending')", (self.lease, self.owner))

    def take_over(self) -> Takeover:
        """Expired claims become this worker's (to send once); expired sends become
        ``interrupted``. Each row goes to one caller: the updates lock what they change."""
        now = self._now()
        with self._pool.connection() as conn:
            claimed = conn.execute(
                "UPDATE deliveries SET owner = %s, attempts = attempts + 1, "
                "lease_until = now() + make_interval(secs => %s) "
                "WHERE status = 'claimed' AND lease_until < now() "
                f"RETURNING {_DELIVERY}", (self.owner, self.lease)).fetchall()
            cut = conn.execute(
                "UPDATE deliveries SET status = 'interrupted', finished_at = %s, "
                "detail = 'worker ' || coalesce(owner, '?') || ' stopped mid-send', "
                "lease_until = NULL WHERE status = 'sending' AND lease_until < now() "
                f"RETURNING {_DELIVERY}", (now,)).fetchall()
        for row in cut:
            log.warning("digest for chat %s (%s) was cut off by a stopped worker: recorded "
                        "as interrupted, not resent", row[0], row[1])
        if claimed:
            log.info("took over %d digest claim(s) of stopped workers", len(claimed))
        return Takeover([_delivery(r) for r in claimed], [_delivery(r) for r in cut])


def _sub(row: tuple[Any, ...]) -> Subscription:
    return Subscription(chat_id=int(row[0]), time=str(row[1]), zone=str(row[2]),
                        topic=row[3], active=bool(row[4]), watermark=row[5],
                        created_at=str(row[6]), updated_at=str(row[7]))


def _delivery(row: tuple[Any, ...]) -> Delivery:
    return Delivery(int(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], row[5],
                    row[6])
