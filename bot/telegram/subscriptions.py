"""Digest subscriptions and their delivery log, in ``subscriptions.sqlite3`` of the data dir.

A separate file from the library's database, so that writing here never touches the
generation the vector index is tagged with. One row per chat (re-subscribing updates it):
local time ``HH:MM``, IANA zone, optional topic words, an active flag and the watermark (the
end of the last window sent). The delivery log has one row per (chat, local date): it is
claimed *before* sending, so a restart never sends the same day's digest twice. The chats
table remembers chats the bot can no longer reach (``Forbidden``: blocked or removed).

:class:`SubscriptionStore` is the interface the bot uses; :class:`Subscriptions` is its SQLite
implementation (one process), :class:`bot.telegram.subscriptions_pg.PgSubscriptions` the
PostgreSQL one that several workers share (claims with a lease; see :meth:`claim`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from bot.config import check_zone, parse_hhmm

log = logging.getLogger(__name__)

DB_NAME = "subscriptions.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions(
    chat_id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    zone TEXT NOT NULL,
    topic TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    watermark TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries(
    chat_id INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,
    since TEXT,
    until TEXT,
    detail TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY(chat_id, local_date)
);
CREATE TABLE IF NOT EXISTS chats(
    chat_id INTEGER PRIMARY KEY,
    active INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
"""

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    time: str
    zone: str
    topic: str | None
    active: bool
    watermark: str | None
    created_at: str
    updated_at: str = ""


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    local_date: str
    due_at: str
    status: str  # sending, sent, empty, timed_out, blocked, failed
    since: str | None
    until: str | None
    detail: str | None


@dataclass(frozen=True)
class Takeover:
    """What :meth:`SubscriptionStore.take_over` found of workers that stopped: claims now
    this worker's to send, and sends cut off midway (recorded ``interrupted``, not resent:
    the message may have arrived)."""

    claimed: list[Delivery] = field(default_factory=list)
    interrupted: list[Delivery] = field(default_factory=list)


class SubscriptionStore(Protocol):
    """Subscriptions, chats and the delivery log, whichever database holds them.

    A day's digest goes ``claim`` (the (chat, local date) row, once) -> ``begin_send`` (the
    point after which it may have arrived) -> ``finish``. A shared store gives each claim a
    lease that ``heartbeat`` renews while the worker lives; ``take_over`` hands the claims of
    a worker whose lease ran out to another."""

    def close(self) -> None: ...
    def subscribe(self, chat_id: int, time: str, zone: str, topic: str | None = None
                  ) -> Subscription: ...
    def unsubscribe(self, chat_id: int) -> bool: ...
    def set_active(self, chat_id: int, active: bool) -> bool: ...
    def get(self, chat_id: int) -> Subscription | None: ...
    def active(self) -> list[Subscription]: ...
    def set_watermark(self, chat_id: int, watermark: str) -> None: ...
    def set_chat_active(self, chat_id: int, active: bool) -> None: ...
    def chat_active(self, chat_id: int) -> bool: ...
    def claim(self, chat_id: int, local_date: str, due_at: str) -> bool: ...
    def begin_send(self, chat_id: int, local_date: str) -> bool: ...
    def finish(self, chat_id: int, local_date: str, status: str, *, since: str | None = None,
               until: str | None = None, detail: str | None = None) -> None: ...
    def delivery(self, chat_id: int, local_date: str) -> Delivery | None: ...
    def deliveries(self, chat_id: int) -> list[Delivery]: ...
    def claimed_days(self, from_date: str) -> set[tuple[int, str]]: ...
    def heartbeat(self) -> int: ...
    def take_over(self) -> Takeover: ...


def open_db(path: Path, schema: str) -> sqlite3.Connection:
    """A chat-state database (WAL, autocommit, shared across threads under a lock), its
    schema applied; the folder is made if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(schema)
    return db


class Subscriptions:
    """The subscription and delivery tables in SQLite; thread-safe. One process owns the
    file, so a claim needs no lease: :meth:`begin_send` always goes ahead, and there is
    nothing to take over."""

    def __init__(self, data_dir: Path, clock: Clock = utc_now) -> None:
        self.path = data_dir / DB_NAME
        self._db = open_db(self.path, SCHEMA)
        self._lock = threading.RLock()
        self._clock = clock

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _now(self) -> str:
        return iso(self._clock())

    # -- subscriptions --------------------------------------------------------------------

    def subscribe(self, chat_id: int, time: str, zone: str, topic: str | None = None
                  ) -> Subscription:
        """Add or update this chat's subscription (one per chat); keeps the watermark."""
        h, m = parse_hhmm(time)
        check_zone(zone)
        now = self._now()
        with self._lock:
            self._db.execute(
                "INSERT INTO subscriptions(chat_id, time, zone, topic, active, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET "
                "time=excluded.time, zone=excluded.zone, topic=excluded.topic, active=1, "
                "updated_at=excluded.updated_at",
                (chat_id, f"{h:02d}:{m:02d}", zone, topic or None, now, now))
        sub = self.get(chat_id)
        assert sub is not None
        return sub

    def unsubscribe(self, chat_id: int) -> bool:
        """Deactivate; False when the chat had no active subscription."""
        return self.set_active(chat_id, False)

    def set_active(self, chat_id: int, active: bool) -> bool:
        with self._lock:
            cur = self._db.execute(
                "UPDATE subscriptions SET active = ?, updated_at = ? WHERE chat_id = ? "
                "AND active = ?", (int(active), self._now(), chat_id, int(not active)))
        return cur.rowcount > 0

    def get(self, chat_id: int) -> Subscription | None:
        with self._lock:
            row = self._db.execute(
                "SELECT chat_id, time, zone, topic, active, watermark, created_at, updated_at "
                "FROM subscriptions WHERE chat_id = ?", (chat_id,)).fetchone()
        return _sub(row) if row else None

    def active(self) -> list[Subscription]:
        with self._lock:
            rows = self._db.execute(
                "SELECT chat_id, time, zone, topic, active, watermark, created_at, updated_at "
                "FROM subscriptions WHERE active = 1 ORDER BY chat_id").fetchall()
        return [_sub(r) for r in rows]

    def set_watermark(self, chat_id: int, watermark: str) -> None:
        with self._lock:
            self._db.execute("UPDATE subscriptions SET watermark = ? WHERE chat_id = ?",
                             (watermark, chat_id))

    # -- chats ----------------------------------------------------------------------------

    def set_chat_active(self, chat_id: int, active: bool) -> None:
        """Remember whether the bot can reach this chat (``False`` after ``Forbidden``)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO chats(chat_id, active, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET active = excluded.active, "
                "updated_at = excluded.updated_at", (chat_id, int(active), self._now()))

    def chat_active(self, chat_id: int) -> bool:
        """False only for a chat marked inactive (one that blocked or removed the bot)."""
        with self._lock:
            row = self._db.execute("SELECT active FROM chats WHERE chat_id = ?",
                                   (chat_id,)).fetchone()
        return row is None or bool(row[0])

    # -- delivery log ---------------------------------------------------------------------

    def claim(self, chat_id: int, local_date: str, due_at: str) -> bool:
        """Record that this day's digest is being sent; False if it already was (or is)."""
        with self._lock:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO deliveries(chat_id, local_date, due_at, status, "
                "started_at) VALUES (?, ?, ?, 'sending', ?)",
                (chat_id, local_date, due_at, self._now()))
        return cur.rowcount > 0

    def finish(self, chat_id: int, local_date: str, status: str, *, since: str | None = None,
               until: str | None = None, detail: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE deliveries SET status = ?, since = ?, until = ?, detail = ?, "
                "finished_at = ? WHERE chat_id = ? AND local_date = ?",
                (status, since, until, detail, self._now(), chat_id, local_date))

    def begin_send(self, chat_id: int, local_date: str) -> bool:
        """The claim is this process's: sending may start."""
        return True

    def heartbeat(self) -> int:
        return 0

    def take_over(self) -> Takeover:
        return Takeover()

    def claimed_days(self, from_date: str) -> set[tuple[int, str]]:
        """(chat, local date) of every delivery row from ``from_date`` on."""
        with self._lock:
            rows = self._db.execute("SELECT chat_id, local_date FROM deliveries "
                                    "WHERE local_date >= ?", (from_date,)).fetchall()
        return {(int(r[0]), str(r[1])) for r in rows}

    def delivery(self, chat_id: int, local_date: str) -> Delivery | None:
        with self._lock:
            row = self._db.execute(
                "SELECT chat_id, local_date, due_at, status, since, until, detail "
                "FROM deliveries WHERE chat_id = ? AND local_date = ?",
                (chat_id, local_date)).fetchone()
        return Delivery(*row) if row else None

    def deliveries(self, chat_id: int) -> list[Delivery]:
        with self._lock:
            rows = self._db.execute(
                "SELECT chat_id, local_date, due_at, status, since, until, detail "
                "FROM deliveries WHERE chat_id = ? ORDER BY local_date", (chat_id,)).fetchall()
        return [Delivery(*r) for r in rows]


def _sub(row: tuple[object, ...]) -> Subscription:
    return Subscription(chat_id=int(str(row[0])), time=str(row[1]), zone=str(row[2]),
                        topic=None if row[3] is None else str(row[3]), active=bool(row[4]),
                        watermark=None if row[5] is None else str(row[5]),
                        created_at=str(row[6]), updated_at=str(row[7]))
