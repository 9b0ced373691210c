"""The SQLite store: the source of truth for reports, their sentences and sentence vectors.

One database file (WAL mode) holds ``reports``, ``sentences`` (with each vector as a float32
blob), an FTS5 table over sentence text for BM25, the other outlets that carried a report
(``report_sources``), the versions a report has had (``report_versions``, with the date
columns added by :mod:`index.migrate`), near-duplicate signatures (:mod:`index.neardup`), the
figure ledger (:mod:`index.ledger`) and a ``meta`` table. Dates are stored as UTC instants of
one form, so SQL compares instants.
The FAISS index is derived from it (:mod:`index.vectors`) and tagged with
:meth:`Store.generation`, which every write bumps.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index import entities as entity_table
from index import ledger
from index.context import Neighbours, neighbours
from index.embedder import Vectors
from index.entities import Entity
from index.errors import StoreError
from index.migrate import migrate
from index.models import AlsoReported, Report, ReportVersion, Sentence
from index.neardup import SCHEME as NEARDUP_SCHEME
from index.neardup import Match, NearDupIndex

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports(
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    source TEXT,
    url TEXT,
    canonical_url TEXT,
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    sort_date TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_hash ON reports(content_hash);
CREATE INDEX IF NOT EXISTS reports_canonical ON reports(canonical_url);
CREATE INDEX IF NOT EXISTS reports_sort ON reports(sort_date);
CREATE TABLE IF NOT EXISTS sentences(
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_report ON sentences(report_id, position);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE IF NOT EXISTS report_sources(
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    source TEXT,
    url TEXT,
    canonical_url TEXT,
    content_hash TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY(report_id, url)
);
"""

REPORT_COLUMNS = "id, title, date, source, url, ingested_at, published_at, date_only"


class Store:
    """A thread-safe handle on the SQLite database of one data directory."""

    def __init__(self, path: Path, zone: str = "UTC") -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
            self.neardup = NearDupIndex(self._db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Cannot open the database {path}: {exc}") from exc
        self.path = path
        self._lock = threading.RLock()
        self._sentence_count: tuple[int, int] | None = None
        self._backfill_neardup()
        try:
            with self._lock:
                migrate(self._db, zone)
                entity_table.ensure_schema(self._db)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot update the database {path}: {exc}") from exc
        self.rebuild_ledger(force=False)

    def rebuild_ledger(self, force: bool = True) -> int | None:
        """The figure ledger (:mod:`index.ledger`), built when new or of another scheme (or
        always when ``force``); the number of figures, ``None`` when it was up to date."""
        with self._lock:
            return ledger.backfill(self._db, force=force)

    def _backfill_neardup(self) -> None:
        """Signatures for reports stored before near-duplicate detection existed, or under
        another signature scheme (no generation bump: the vectors do not change)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'neardup_scheme'"
                                   ).fetchone()
            stale = row is None or row[0] != NEARDUP_SCHEME
            missing = None if stale else NearDupIndex.missing(self._db)
            if missing == []:
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if stale:
                    self._db.execute("DELETE FROM neardup_bands")
                    self._db.execute("DELETE FROM neardup_sigs")
                    self._db.execute(
                        "INSERT INTO meta(key, value) VALUES('neardup_scheme', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (NEARDUP_SCHEME,))
                    missing = NearDupIndex.missing(self._db)
                if missing:
                    log.info("indexing %d report(s) for near-duplicate detection",
                             len(missing))
                for rid, title, text in missing or ():
                    NearDupIndex.put(self._db, rid, title, text)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def near_duplicates(self, title: str, text: str, exclude: str | None = None
                        ) -> list[Match]:
        """Stored reports that a report with this title and text nearly copies."""
        with self._lock:
            return self.neardup.find(self._db, title, text, exclude)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that also bumps the generation the vector index is tagged with."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, params).fetchall())

    # -- meta ---------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def generation(self) -> int:
        value = self.get_meta("generation")
        return int(value) if value else 0

    def sentence_count(self) -> int:
        """How many sentences are stored; counted once per generation (every write bumps it),
        so a question path can ask for it without scanning the table each time."""
        generation = self.generation()
        if self._sentence_count is None or self._sentence_count[0] != generation:
            (n,), = self.query("SELECT COUNT(*) FROM sentences")
            self._sentence_count = (generation, int(str(n)))
        return self._sentence_count[1]

    def between_writes(self, now: Callable[[], str]) -> str:
        """``now()`` read while holding the database's write lock, i.e. when no writer, in
        this process or another, is midway through a transaction (ingestion stamps are taken
        inside theirs). Raises :class:`sqlite3.OperationalError` when the lock stays busy."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                return now()
            finally:
                self._db.execute("ROLLBACK")

    # -- reports ------------------------------------------------------------------------

    def report_hash(self, report_id: str) -> str | None:
        rows = self.query("SELECT content_hash FROM reports WHERE id = ?", (report_id,))
        return str(rows[0][0]) if rows else None

    def find_report(self, *, content_hash: str | None = None, canonical_url: str | None = None
                    ) -> str | None:
        """The id of a report with this content hash or canonical URL (also as another source)."""
        for column in ("content_hash", "canonical_url"):
            value = content_hash if column == "content_hash" else canonical_url
            if not value:
                continue
            rows = self.query(f"SELECT id FROM reports WHERE {column} = ? LIMIT 1", (value,))
            for table in ("report_sources", "report_versions"):
                if not rows and (table == "report_sources" or column == "content_hash"):
                    rows = self.query(
                        f"SELECT report_id FROM {table} WHERE {column} = ? LIMIT 1", (value,))
            if rows:
                return str(rows[0][0])
        return None

    def add_source(self, conn: sqlite3.Connection, report_id: str, source: str | None,
                   url: str | None, canonical_url: str | None, content_hash: str | None,
                   added_at: str) -> bool:
        """Record another outlet for ``report_id``; False when it was already recorded."""
        cur = conn.execute(
            "INSERT OR IGNORE INTO report_sources"
            "(report_id, source, url, canonical_url, content_hash, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (report_id, source, url or f"hash:{content_hash}", canonical_url, content_hash,
             added_at),
        )
        return cur.rowcount > 0

    def put_report(self, conn: sqlite3.Connection, *, report_id: str, title: str,
                   date: str | None, source: str | None, url: str | None,
                   canonical_url: str | None, content_hash: str, ingested_at: str, text: str,
                   sentences: Sequence[str], vectors: Vectors, published_at: str | None = None,
                   date_only: bool = False) -> list[int]:
        """Insert (or replace, as its newest version) a report with its sentences; returns
        the new sentence ids. ``published_at`` and ``ingested_at`` are UTC instants
        (:func:`index.dates.utc_iso`); ``date`` is how the date is shown."""
        conn.execute("DELETE FROM sentences WHERE report_id = ?", (report_id,))
        conn.execute(
            "INSERT INTO reports(id, title, date, source, url, canonical_url, content_hash, "
            "ingested_at, sort_date, text, published_at, date_only) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET title=excluded.title, date=excluded.date, "
            "source=excluded.source, url=excluded.url, canonical_url=excluded.canonical_url, "
            "content_hash=excluded.content_hash, sort_date=excluded.sort_date, "
            "text=excluded.text, ingested_at=excluded.ingested_at, "
            "published_at=excluded.published_at, date_only=excluded.date_only",
            (report_id, title, date, source, url, canonical_url, content_hash, ingested_at,
             published_at or ingested_at, text, published_at, int(date_only)),
        )
        self.add_version(conn, report_id, content_hash=content_hash, title=title, date=date,
                         published_at=published_at, date_only=date_only,
                         ingested_at=ingested_at)
        ids: list[int] = []
        for position, (sentence, vector) in enumerate(zip(sentences, vectors, strict=True)):
            cur = conn.execute(
                "INSERT INTO sentences(report_id, position, text, vector) VALUES (?, ?, ?, ?)",
                (report_id, position, sentence, np.asarray(vector, dtype=np.float32).tobytes()),
            )
            ids.append(int(cur.lastrowid or 0))
        NearDupIndex.put(conn, report_id, title, text)
        ledger.put(conn, report_id, ids, sentences)
        return ids

    def add_version(self, conn: sqlite3.Connection, report_id: str, *, content_hash: str,
                    title: str, date: str | None, published_at: str | None, date_only: bool,
                    ingested_at: str) -> None:
        """Record a text of ``report_id`` (once per content hash)."""
        conn.execute(
            "INSERT INTO report_versions(report_id, version, content_hash, title, date, "
            "published_at, date_only, ingested_at) SELECT ?, n, ?, ?, ?, ?, ?, ? FROM ("
            "SELECT COALESCE(MAX(version), 0) + 1 AS n FROM report_versions "
            "WHERE report_id = ?) WHERE NOT EXISTS ("
            "SELECT 1 FROM report_versions WHERE report_id = ? AND content_hash = ?)",
            (report_id, content_hash, title, date, published_at, int(date_only), ingested_at,
             report_id, report_id, content_hash))

    def versions(self, report_id: str) -> list[ReportVersion]:
        """The texts a report has had, oldest version first."""
        return [ReportVersion(int(str(v)), str(h), str(t), _opt(d), _opt(p), bool(o), str(i))
                for v, h, t, d, p, o, i in self.query(
                    "SELECT version, content_hash, title, date, published_at, date_only, "
                    "ingested_at FROM report_versions WHERE report_id = ? ORDER BY version",
                    (report_id,))]

    def current_instant(self, report_id: str) -> str | None:
        """The publication (else ingestion) instant of a report's current version."""
        rows = self.query("SELECT sort_date FROM reports WHERE id = ?", (report_id,))
        return str(rows[0][0]) if rows else None

    def removed_sentence_ids(self, report_id: str) -> list[int]:
        return [int(str(r[0])) for r in
                self.query("SELECT id FROM sentences WHERE report_id = ?", (report_id,))]

    def _report(self, row: tuple[object, ...]) -> Report:
        rid = str(row[0])
        also = tuple(
            AlsoReported(source=_opt(s), url=None if str(u).startswith("hash:") else _opt(u))
            for s, u in self.query(
                "SELECT source, url FROM report_sources WHERE report_id = ? ORDER BY added_at",
                (rid,),
            )
        )
        n = self.query("SELECT COUNT(*) FROM sentences WHERE report_id = ?", (rid,))[0][0]
        versions = self.query("SELECT COUNT(*) FROM report_versions WHERE report_id = ?",
                              (rid,))[0][0]
        return Report(id=rid, title=str(row[1]), date=_opt(row[2]), source=_opt(row[3]),
                      url=_opt(row[4]), ingested_at=str(row[5]), n_sentences=int(str(n)),
                      also_reported_by=also, published_at=_opt(row[6]),
                      date_only=bool(row[7]), versions=max(1, int(str(versions))))

    def get_report(self, report_id: str) -> Report | None:
        rows = self.query(f"SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        return self._report(rows[0]) if rows else None

    def get_reports(self, report_ids: Iterable[str]) -> dict[str, Report]:
        return {rid: r for rid in set(report_ids) if (r := self.get_report(rid)) is not None}

    def report_text(self, report_id: str) -> str | None:
        rows = self.query("SELECT text FROM reports WHERE id = ?", (report_id,))
        return str(rows[0][0]) if rows else None

    def list_reports(self, *, limit: int | None = None, since: str | None = None,
                     until: str | None = None, ingested_since: str | None = None,
                     ingested_until: str | None = None) -> list[Report]:
        """Reports newest first (by publication date, else ingestion time), optionally in
        the half-open windows ``since <= sort_date < until`` and ``ingested_since <=
        ingested_at < ingested_until``. Bounds are instants in the stored form
        (:func:`index.dates.utc_iso`), so comparing them compares instants."""
        sql = f"SELECT {REPORT_COLUMNS} FROM reports WHERE 1=1"
        params: list[object] = []
        for column, op, value in (("sort_date", ">=", since), ("sort_date", "<", until),
                                  ("ingested_at", ">=", ingested_since),
                                  ("ingested_at", "<", ingested_until)):
            if value is not None:
                sql += f" AND {column} {op} ?"
                params.append(value)
        sql += " ORDER BY sort_date DESC, ingested_at DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._report(row) for row in self.query(sql, params)]

    def counts(self) -> tuple[int, int, str | None, str | None]:
        """Reports, sentences, and the dates (as shown) of the oldest and newest report."""
        (n_reports,), = self.query("SELECT COUNT(*) FROM reports")
        first, last = (
            next(iter(self.query("SELECT COALESCE(date, ingested_at) FROM reports "
                                 f"ORDER BY sort_date {order} LIMIT 1")), (None,))[0]
            for order in ("ASC", "DESC"))
        (n_sentences,), = self.query("SELECT COUNT(*) FROM sentences")
        return int(str(n_reports)), int(str(n_sentences)), _opt(first), _opt(last)

    # -- sentences ----------------------------------------------------------------------

    def sentences(self, ids: Sequence[int]) -> dict[int, Sentence]:
        out: dict[int, Sentence] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for sid, rid, pos, text in self.query(
                f"SELECT id, report_id, position, text FROM sentences WHERE id IN ({marks})",
                chunk,
            ):
                out[int(str(sid))] = Sentence(int(str(sid)), str(rid), int(str(pos)), str(text))
        return out

    def report_sentences(self, report_id: str) -> list[Sentence]:
        return [Sentence(int(str(i)), report_id, int(str(p)), str(t)) for i, p, t in self.query(
            "SELECT id, position, text FROM sentences WHERE report_id = ? ORDER BY position",
            (report_id,))]

    def vectors(self, ids: Sequence[int], dim: int) -> Vectors:
        """The stored vectors of ``ids``, in that order."""
        found: dict[int, bytes] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for sid, blob in self.query(
                f"SELECT id, vector FROM sentences WHERE id IN ({marks})", chunk
            ):
                found[int(str(sid))] = blob  # type: ignore[assignment]
        out = np.zeros((len(ids), dim), dtype=np.float32)
        for row, sid in enumerate(ids):
            if sid in found:
                out[row] = np.frombuffer(found[sid], dtype=np.float32)
        return out

    def iter_vectors(self, batch: int = 20000) -> Iterator[tuple[list[int], list[bytes]]]:
        """All (ids, vector blobs) in id order, in batches."""
        last = -1
        while True:
            rows = self.query(
                "SELECT id, vector FROM sentences WHERE id > ? ORDER BY id LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            yield [int(str(r[0])) for r in rows], [r[1] for r in rows]  # type: ignore[misc]
            last = int(str(rows[-1][0]))

    def bm25(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(sentence id, score) for an FTS5 MATCH expression, best first; score = -bm25."""
        if not match:
            return []
        try:
            rows = self.query(
                "SELECT rowid, -bm25(sentences_fts) AS s FROM sentences_fts "
                "WHERE sentences_fts MATCH ? ORDER BY bm25(sentences_fts) LIMIT ?",
                (match, limit),
            )
        except sqlite3.OperationalError as exc:
            log.warning("FTS query %r failed: %s", match, exc)
            return []
        return [(int(str(r[0])), float(str(r[1]))) for r in rows]

    # -- entities and context (index.entities, index.context) ----------------------------

    def entities(self, texts: dict[int, str]) -> dict[int, list[Entity]]:
        """Stored entities of sentences (id -> text); unanalysed ones are absent."""
        with self._lock:
            return entity_table.load(self._db, texts)

    @staticmethod
    def put_entities(conn: sqlite3.Connection, ids: Sequence[int],
                     entities: Sequence[list[Entity]]) -> None:
        entity_table.put(conn, ids, entities)

    def add_entities(self, ids: Sequence[int], entities: Sequence[list[Entity]]) -> None:
        """Store entities found after their sentences (a backfill); no generation bump:
        the vectors do not change."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                entity_table.put(self._db, ids, entities)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def unanalysed(self, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` sentences (id, text) whose entities were never found."""
        with self._lock:
            return entity_table.missing(self._db, limit)

    def neighbours(self, ids: Sequence[int], dim: int) -> Neighbours:
        """Each sentence's report title and previous sentence (with its vector)."""
        with self._lock:
            return neighbours(self._db, ids, dim)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
