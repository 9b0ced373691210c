"""Idempotent schema steps run when a store opens: report dates as instants, and versions.

:func:`migrate` adds what a data directory from an earlier version lacks and may run any
number of times. Dates: ``reports.published_at`` is the publication instant (UTC ISO, see
:func:`index.dates.report_instant`), ``reports.date_only`` flags a date of which only the day
is known (``reports.date`` then holds that day, else the instant), ``sort_date`` is the
publication instant or else the ingestion instant. Versions: ``report_versions`` has one row
per text a report has had (same id or canonical URL, new content), numbered from 1.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from index.dates import report_instant, utc_iso

log = logging.getLogger(__name__)

DATES_SCHEME = "instants-1"

VERSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS report_versions(
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    published_at TEXT,
    date_only INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY(report_id, version)
);
CREATE INDEX IF NOT EXISTS report_versions_hash ON report_versions(content_hash);
CREATE INDEX IF NOT EXISTS reports_ingested ON reports(ingested_at);
"""


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}


def stored_date(text: str | None, zone: str) -> tuple[str | None, str | None, bool]:
    """``(date shown, instant, day_only)`` of a report date: the day itself when only the
    day is known, else the instant."""
    instant, day_only = report_instant(text, zone)
    if instant is None:
        return None, None, False
    if not day_only:
        return instant, instant, False
    day = datetime.fromisoformat(instant).astimezone(ZoneInfo(zone)).date().isoformat()
    return day, instant, True


def ingest_instant(text: str) -> str:
    """An ingestion stamp of an earlier version in the stored form (they were UTC already)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return utc_iso(moment) if moment.tzinfo else text


def _up_to_date(db: sqlite3.Connection) -> bool:
    """Whether there is nothing to do (checked without taking the write lock)."""
    if not {"published_at", "date_only"} <= _columns(db, "reports"):
        return False
    if not _columns(db, "report_versions"):
        return False
    row = db.execute("SELECT value FROM meta WHERE key = 'dates'").fetchone()
    if row is None or row[0] != DATES_SCHEME:
        return False
    (done,) = db.execute("SELECT NOT EXISTS (SELECT 1 FROM reports r WHERE NOT EXISTS "
                         "(SELECT 1 FROM report_versions v WHERE v.report_id = r.id))"
                         ).fetchone()
    return bool(done)


def migrate(db: sqlite3.Connection, zone: str = "UTC") -> None:
    """Bring an open database up to date (idempotent; a read when there is nothing to do)."""
    if _up_to_date(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        have = _columns(db, "reports")
        if "published_at" not in have:
            db.execute("ALTER TABLE reports ADD COLUMN published_at TEXT")
        if "date_only" not in have:
            db.execute("ALTER TABLE reports ADD COLUMN date_only INTEGER NOT NULL DEFAULT 0")
        for statement in VERSIONS_SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)  # not executescript: it would commit
        row = db.execute("SELECT value FROM meta WHERE key = 'dates'").fetchone()
        if row is None or row[0] != DATES_SCHEME:
            rows = db.execute("SELECT id, date, ingested_at FROM reports").fetchall()
            if rows:
                log.info("storing the dates of %d report(s) as instants", len(rows))
            for rid, raw, ingested in rows:
                shown, instant, day_only = stored_date(raw, zone)
                stamp = ingest_instant(str(ingested))
                db.execute(
                    "UPDATE reports SET date = ?, published_at = ?, date_only = ?, "
                    "ingested_at = ?, sort_date = ? WHERE id = ?",
                    (shown, instant, int(day_only), stamp, instant or stamp, rid))
            db.execute("INSERT INTO meta(key, value) VALUES('dates', ?) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value", (DATES_SCHEME,))
        db.execute(
            "INSERT INTO report_versions(report_id, version, content_hash, title, date, "
            "published_at, date_only, ingested_at) SELECT id, 1, content_hash, title, date, "
            "published_at, date_only, ingested_at FROM reports r WHERE NOT EXISTS "
            "(SELECT 1 FROM report_versions v WHERE v.report_id = r.id)")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
