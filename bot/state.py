"""The bot's own state (subscriptions and the delivery log, watches, feeds, the answers behind
*More evidence*), opened by the configured store URL, and copied from SQLite to PostgreSQL.

:func:`open_state`: no URL = the SQLite files of the data directory (one process); a
``postgresql://`` URL = that database, shared by every worker, its schema brought up to date
by versioned migrations (:func:`index.pgdb.migrate`) before use. Nothing above the stores
knows which one it holds; :attr:`BotState.shared` only says whether other processes may work
on the same state (then the workers look at it periodically: leases, takeovers).

:func:`copy_state` copies a data directory's SQLite bot state into PostgreSQL, idempotently
(a row already there is left as it is), and returns the counts now in the database;
:func:`state_counts` counts the data directory's side.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.telegram import answers as answers_mod
from bot.telegram import subscriptions_pg, watches_pg
from bot.telegram.answers import AnswerStore, MemoryAnswers, PgAnswers
from bot.telegram.subscriptions import DB_NAME as SUBSCRIPTIONS_DB
from bot.telegram.subscriptions import Clock, Subscriptions, SubscriptionStore, utc_now
from bot.telegram.watches import DB_NAME as WATCHES_DB
from bot.telegram.watches import Watches, WatchStore
from index import feeds_pg
from index.backends.transfer import TableCount
from index.feeds import FEEDS_DB, FeedStateStore, FeedStore
from index.pgdb import migrate, open_pool, worker_id

log = logging.getLogger(__name__)

MIGRATIONS = ((subscriptions_pg.COMPONENT, subscriptions_pg.STEPS),
              (watches_pg.COMPONENT, watches_pg.STEPS),
              (feeds_pg.COMPONENT, feeds_pg.STEPS),
              (answers_mod.COMPONENT, answers_mod.STEPS))


@dataclass
class BotState:
    subscriptions: SubscriptionStore
    watches: WatchStore
    feeds: FeedStateStore
    answers: AnswerStore
    shared: bool = False
    pool: Any = field(default=None, repr=False)

    def close(self) -> None:
        self.subscriptions.close()
        self.watches.close()
        self.feeds.close()
        if self.pool is not None:
            self.pool.close()


def migrate_state(pool: Any) -> int:
    """Create or update the bot-state tables; the number of steps applied."""
    return sum(migrate(pool, component, steps) for component, steps in MIGRATIONS)


def open_state(config: Config, clock: Clock = utc_now) -> BotState:
    """The bot state the config names: SQLite in the data dir, or the PostgreSQL at
    ``config.store.url`` (migrated first)."""
    if not config.store.url:
        return BotState(Subscriptions(config.data_dir, clock), Watches(config.data_dir, clock),
                        FeedStore(config.data_dir), MemoryAnswers())
    pool = open_pool(config.store.url, max_size=config.store.pool_size, name="briefbot-state")
    try:
        migrate_state(pool)
    except Exception:
        pool.close()
        raise
    owner, lease = worker_id(), float(config.workers.lease)
    log.info("bot state in PostgreSQL; this worker is %s", owner)
    return BotState(
        subscriptions_pg.PgSubscriptions(pool, clock, lease=lease, owner=owner),
        watches_pg.PgWatches(pool, clock),
        feeds_pg.PgFeedStore(pool, lease=lease, owner=owner),
        PgAnswers(pool), shared=True, pool=pool)


# -- copying a data directory's state ----------------------------------------------------------

# (SQLite file, table, columns, the PostgreSQL conflict target); boolean columns are cast.
_TABLES = (
    (SUBSCRIPTIONS_DB, "subscriptions", ("chat_id", "time", "zone", "topic", "active",
                                         "watermark", "created_at", "updated_at"), "chat_id"),
    (SUBSCRIPTIONS_DB, "deliveries", ("chat_id", "local_date", "due_at", "status", "since",
                                      "until", "detail", "started_at", "finished_at"),
     "chat_id, local_date"),
    (SUBSCRIPTIONS_DB, "chats", ("chat_id", "active", "updated_at"), "chat_id"),
    (WATCHES_DB, "watches", ("id", "chat_id", "question", "active", "value", "number", "date",
                             "source", "told_at", "created_at"), "id"),
    (FEEDS_DB, "feeds", ("url", "every", "origin", "title", "etag", "last_modified",
                         "failures", "next_try", "last_error", "last_ok", "added_at"), "url"),
    (FEEDS_DB, "feed_seen", ("feed_url", "entry_id", "seen_at"), "feed_url, entry_id"),
)
_BOOLEAN = {"active"}


def copy_state(data_dir: Path, url: str) -> dict[str, int]:
    """Copy subscriptions, the delivery log, chats, watches and feeds from ``data_dir``'s
    SQLite files into the PostgreSQL at ``url`` (its tables made first); rows already there
    stay as they are, so running it twice changes nothing. Returns, per table, the rows the
    database holds afterwards."""
    return {c.table: c.target for c in copy_state_tables(data_dir, url)}


def copy_state_tables(data_dir: Path, url: str) -> list[TableCount]:
    """:func:`copy_state`, with each table's rows on both sides and the rows copied now
    (what ``briefbot migrate`` prints and checks)."""
    pool = open_pool(url, max_size=2, name="briefbot-copy-state")
    try:
        migrate_state(pool)
        counts: list[TableCount] = []
        for file, table, columns, key in _TABLES:
            rows = _sqlite_rows(Path(data_dir) / file, table, columns)
            before = _pg_count(pool, table)
            _insert(pool, table, columns, key, rows)
            after = _pg_count(pool, table)
            counts.append(TableCount(table, len(rows), after, after - before))
        with pool.connection() as conn:  # ids copied as they were: the sequence goes past them
            conn.execute("SELECT setval(pg_get_serial_sequence('watches', 'id'), "
                         "greatest((SELECT max(id) FROM watches), 1))")
        log.info("bot state copied from %s: %s", data_dir,
                 {c.table: c.target for c in counts})
        return counts
    finally:
        pool.close()


def _pg_count(pool: Any, table: str) -> int:
    with pool.connection() as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def state_counts(data_dir: Path) -> dict[str, int]:
    """Rows per table in ``data_dir``'s SQLite bot state: what :func:`copy_state`'s counts
    are checked against (equal after copying into an empty database)."""
    return {table: len(_sqlite_rows(Path(data_dir) / file, table, columns[:1]))
            for file, table, columns, _key in _TABLES}


def _sqlite_rows(path: Path, table: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            (table,)).fetchone()
        if not exists:
            return []
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    finally:
        db.close()
    flags = [c in _BOOLEAN for c in columns]
    return [tuple(bool(v) if flag and v is not None else v for v, flag in zip(row, flags,
                                                                              strict=True))
            for row in rows]


def _insert(pool: Any, table: str, columns: tuple[str, ...], key: str,
            rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = (f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks}) "
           f"ON CONFLICT({key}) DO NOTHING")
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.executemany(sql, rows)
