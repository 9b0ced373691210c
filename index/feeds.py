"""Feeds: parsing RSS/Atom bytes, the polling state of each feed, and one poll.

* :func:`parse_feed` turns bytes we fetched ourselves into :class:`FeedEntry` objects
  (feedparser is only ever given the bytes, as a stream, so it never fetches anything).
* :class:`FeedStore` keeps each feed's state in ``feeds.sqlite3`` of the data directory: URL,
  interval, validators (ETag / Last-Modified), consecutive failures, the time of the next
  try (backoff), the last error, and the ids of the entries already seen.
* :func:`poll_feed` fetches one feed conditionally, ingests its new entries (each entry's link
  fetched for the full text, the entry summary when that fails) and records the outcome.

:class:`FeedStateStore` is the interface of that state; :class:`FeedStore` is the SQLite one
(one process: its lease is always granted), :class:`index.feeds_pg.PgFeedStore` the
PostgreSQL one, where a lease that expires lets one worker at a time poll a feed.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from index.errors import (
    BriefbotError,
    InputError,
    MalformedInput,
    StoreError,
)
from index.fetch import FEED_TYPES, Fetcher
from index.library import Library
from index.loaders import parse_html
from index.models import IngestResult, LoadProblem, ReportDraft
from index.pages import host_outlet
from index.textcheck import scrub, scrub_char_refs

log = logging.getLogger(__name__)

FEEDS_DB = "feeds.sqlite3"
MAX_BACKOFF = 86400  # seconds: a failing feed is still tried once a day
MAX_ENTRIES = 200    # new entries ingested per poll; the rest wait for the next one
LINK_WORKERS = 4

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: a stable id, and what a report can be made of."""

    id: str
    title: str
    link: str | None
    summary: str
    published: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]


_TAG = re.compile(r"<[^>]+>")


def _strip_html(text: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    return scrub(re.sub(r"[ \t]+", " ", html.unescape(_TAG.sub(" ", text))).strip())


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def parse_feed(data: bytes, origin: str = "the feed") -> ParsedFeed:
    """Entries of an RSS or Atom document; :class:`MalformedInput` when it is not one.

    References to characters no text may hold (``&#xD800;``, ``&#0;``) are replaced before
    parsing (feedparser raises on them and the whole feed would be lost); any other failure
    inside the parser is a :class:`MalformedInput` too."""
    import feedparser

    try:
        parsed = feedparser.parse(io.BytesIO(scrub_char_refs(data)))
    except Exception as exc:  # the parser's own bugs on hostile input: the feed fails
        raise MalformedInput(f"{origin} could not be parsed as a feed "
                             f"({type(exc).__name__}: {str(exc)[:120]})") from exc
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        title = _strip_html(str(entry.get("title") or "")).strip()
        summary = ""
        content = entry.get("content")
        if content:
            summary = _strip_html(str(content[0].get("value") or ""))
        if not summary:
            summary = _strip_html(str(entry.get("summary") or ""))
        if not (link or summary):
            continue
        link = scrub(str(link)) if link else None
        eid = scrub(str(entry.get("id") or link or hashlib.sha256(
            f"{title}\n{summary}".encode()).hexdigest()[:32]))
        entries.append(FeedEntry(eid, title, link, summary, _entry_date(entry)))
    version = getattr(parsed, "version", "") or ""
    if not entries and (parsed.get("bozo") or not version):
        reason = parsed.get("bozo_exception")
        why = str(reason).splitlines()[0] if reason else "no RSS or Atom entries found"
        why = re.sub(r"^<unknown>:(\d+):\d+: ", r"line \1: ", why)  # the XML parser's name
        raise MalformedInput(f"{origin} is not a valid RSS or Atom feed ({why})")
    feed_title = parsed.feed.get("title") if parsed.get("feed") else None
    return ParsedFeed(scrub(str(feed_title)).strip() or None if feed_title else None,
                      tuple(entries))


# -- state --------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds(
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
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_seen(
    feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY(feed_url, entry_id)
);
"""


@dataclass(frozen=True)
class FeedState:
    url: str
    every: int
    origin: str  # "config" or "admin"
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_try: str | None = None
    last_error: str | None = None
    last_ok: str | None = None


_SELECT_STATE = ("SELECT url, every, origin, title, etag, last_modified, failures, next_try, "
                 "last_error, last_ok FROM feeds")


def backoff(failures: int, every: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: doubling, at most a day."""
    return int(min(every * 2 ** min(failures, 16), max(MAX_BACKOFF, every)))


class FeedStateStore(Protocol):
    """Feeds and their polling state, whichever database holds them."""

    def close(self) -> None: ...
    def feeds(self) -> list[FeedState]: ...
    def get(self, url: str) -> FeedState | None: ...
    def add(self, url: str, every: int, origin: str = "admin") -> bool: ...
    def remove(self, url: str) -> bool: ...
    def sync_config(self, feeds: Iterable[tuple[str, int]]) -> None: ...
    def due(self, url: str) -> bool: ...
    def record_ok(self, url: str, *, etag: str | None, last_modified: str | None,
                  title: str | None = None) -> None: ...
    def record_failure(self, url: str, error: str) -> FeedState | None: ...
    def unseen(self, url: str, entry_ids: Iterable[str]) -> set[str]: ...
    def mark_seen(self, url: str, entry_ids: Iterable[str]) -> None: ...

    def lease(self, url: str) -> bool:
        """Take the right to poll ``url`` now; False while another worker holds it (or
        polled it less than a feed interval ago)."""
        ...

    def renew(self, url: str) -> None:
        """Extend this worker's lease during a long poll."""
        ...

    def busy(self, url: str) -> bool:
        """Whether another worker is polling ``url`` right now (its lease not run out)."""
        ...

    def release(self, url: str) -> None:
        """The poll is over (the next one is due a feed interval later)."""
        ...


class FeedBook:
    """The bookkeeping of feeds that every database does alike, in SQL both accept (``?``
    placeholders); a backend runs it with :meth:`_run` (the rows changed) and :meth:`_rows`."""

    clock: Clock
    _SEQ = "rowid"  # the column that keeps the order feeds were added in

    def _run(self, sql: str, params: Sequence[object] = ()) -> int:
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def feeds(self) -> list[FeedState]:
        """Every feed, config ones first, then in the order they were added."""
        return [FeedState(*row) for row in self._rows(
            f"{_SELECT_STATE} ORDER BY origin = 'admin', added_at, {self._SEQ}")]

    def get(self, url: str) -> FeedState | None:
        rows = self._rows(f"{_SELECT_STATE} WHERE url = ?", (url,))
        return FeedState(*rows[0]) if rows else None

    def add(self, url: str, every: int, origin: str = "admin") -> bool:
        """Add a feed; False when it is already there (its interval is then updated)."""
        if self._run("INSERT INTO feeds(url, every, origin, added_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(url) DO NOTHING",
                     (url, every, origin, self.clock().isoformat())):
            return True
        self._run("UPDATE feeds SET every = ? WHERE url = ?", (every, url))
        return False

    def remove(self, url: str) -> bool:
        return self._run("DELETE FROM feeds WHERE url = ?", (url,)) > 0

    def sync_config(self, feeds: Iterable[tuple[str, int]]) -> None:
        """Make the config's feeds present (with their intervals); a feed no longer in the
        config is dropped unless an admin added it."""
        wanted = dict(feeds)
        for url, every in wanted.items():
            self.add(url, every, "config")
            self._run("UPDATE feeds SET origin = 'config' WHERE url = ?", (url,))
        for state in self.feeds():
            if state.origin == "config" and state.url not in wanted:
                self.remove(state.url)

    def due(self, url: str) -> bool:
        state = self.get(url)
        return state is not None and (state.next_try is None
                                      or state.next_try <= self.clock().isoformat())

    def record_ok(self, url: str, *, etag: str | None, last_modified: str | None,
                  title: str | None = None) -> None:
        self._run("UPDATE feeds SET etag = ?, last_modified = ?, failures = 0, "
                  "next_try = NULL, last_error = NULL, last_ok = ?, "
                  "title = COALESCE(?, title) WHERE url = ?",
                  (etag, last_modified, self.clock().isoformat(), title, url))

    def record_failure(self, url: str, error: str) -> FeedState | None:
        state = self.get(url)
        if state is None:
            return None
        failures = state.failures + 1
        next_try = self.clock() + timedelta(seconds=backoff(failures, state.every))
        self._run("UPDATE feeds SET failures = ?, next_try = ?, last_error = ? WHERE url = ?",
                  (failures, next_try.isoformat(), error, url))
        return self.get(url)


class FeedStore(FeedBook):
    """Feeds and their polling state, in ``feeds.sqlite3`` of the data directory."""

    def __init__(self, data_dir: Path, clock: Clock = utc_now) -> None:
        path = Path(data_dir) / FEEDS_DB
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Cannot open the feed database {path}: {exc}") from exc
        self._lock = threading.RLock()
        self.clock = clock

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, params: Sequence[object] = ()) -> int:
        with self._lock:
            return self._db.execute(sql, tuple(params)).rowcount

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def unseen(self, url: str, entry_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(entry_ids))
        seen: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                seen.update(str(r[0]) for r in self._db.execute(
                    f"SELECT entry_id FROM feed_seen WHERE feed_url = ? AND entry_id IN ({marks})",
                    (url, *chunk)))
        return set(ids) - seen

    def mark_seen(self, url: str, entry_ids: Iterable[str]) -> None:
        now = self.clock().isoformat()
        with self._lock:
            self._db.executemany(
                "INSERT OR IGNORE INTO feed_seen(feed_url, entry_id, seen_at) VALUES (?, ?, ?)",
                [(url, eid, now) for eid in entry_ids])

    def lease(self, url: str) -> bool:
        """One process polls the feeds of a data directory: always granted."""
        return True

    def renew(self, url: str) -> None:
        return None

    def busy(self, url: str) -> bool:
        return False

    def release(self, url: str) -> None:
        return None


# -- one poll -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PollResult:
    """What one poll of one feed did; ``error`` is set when the feed itself failed."""

    url: str
    not_modified: bool = False
    entries: int = 0
    new_entries: int = 0
    ingest: IngestResult | None = None
    error: str | None = None


def entry_draft(entry: FeedEntry, fetcher: Fetcher, source: str | None) -> ReportDraft:
    """A report from a feed entry: its linked page's main text, else the entry summary.

    The report is credited to the outlet that published the page (its own metadata, else
    the host of the link: :mod:`index.pages`); the feed is only how it arrived, so
    ``source`` (the feed's name) is used only for an entry without a link."""
    if entry.link:
        try:
            page = fetcher.fetch(entry.link)
            if page.is_html:
                draft = parse_html(page.body, page.final_url, url=page.final_url)
                return ReportDraft(
                    title=entry.title or draft.title, text=draft.text,
                    date=entry.published or draft.date,
                    source=draft.source or host_outlet(entry.link) or source,
                    # the page's own canonical link, as when the page itself is ingested
                    url=draft.url or entry.link, origin=entry.link)
            log.debug("%s is %s, using the entry summary", entry.link, page.content_type)
        except (BriefbotError, ValueError) as exc:
            log.info("entry %s: %s; using the entry summary", entry.link, exc)
    if not entry.summary:
        raise InputError(f"{entry.link or entry.id}: no page text and no summary")
    return ReportDraft(title=entry.title or entry.summary[:100], text=entry.summary,
                       date=entry.published, source=host_outlet(entry.link) or source,
                       url=entry.link, origin=entry.link or entry.id)


def entry_items(entries: Sequence[FeedEntry], fetcher: Fetcher, source: str | None
                 ) -> list[ReportDraft | LoadProblem]:
    """A report (or the reason there is none) per entry, in order; the entries' links are
    fetched ``LINK_WORKERS`` at a time."""

    def item(entry: FeedEntry) -> ReportDraft | LoadProblem:
        try:
            return entry_draft(entry, fetcher, source)
        except BriefbotError as exc:
            return LoadProblem(entry.link or entry.id, str(exc))

    with ThreadPoolExecutor(max_workers=LINK_WORKERS) as pool:
        return list(pool.map(item, entries))


def poll_feed(url: str, fetcher: Fetcher, library: Library, store: FeedStateStore,
              max_entries: int = MAX_ENTRIES) -> PollResult:
    """Fetch ``url`` conditionally, ingest its new entries, record the outcome. Never raises
    a :class:`BriefbotError`: a failed feed is recorded (with backoff) and reported."""
    state = store.get(url)
    if state is None:
        return PollResult(url, error="not a known feed")
    try:
        fetched = fetcher.fetch(url, etag=state.etag, last_modified=state.last_modified,
                                accept=", ".join(FEED_TYPES) + ", text/html;q=0.5")
        if fetched.not_modified:
            store.record_ok(url, etag=fetched.etag, last_modified=fetched.last_modified)
            return PollResult(url, not_modified=True)
        feed = parse_feed(fetched.body, url)
    except BriefbotError as exc:
        store.record_failure(url, str(exc))
        log.warning("feed %s failed: %s", url, exc)
        return PollResult(url, error=str(exc))
    fresh = store.unseen(url, (e.id for e in feed.entries))
    new = [e for e in feed.entries if e.id in fresh][:max_entries]
    items = entry_items(new, fetcher, feed.title or _host(url))
    result = library.ingest(items)
    store.mark_seen(url, [e.id for e, item in zip(new, items, strict=True)
                          if isinstance(item, ReportDraft)])
    store.record_ok(url, etag=fetched.etag, last_modified=fetched.last_modified,
                    title=feed.title)
    return PollResult(url, entries=len(feed.entries), new_entries=len(new), ingest=result)


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname
