"""The SQLite store: the source of truth for reports, their sentences and sentence vectors.

One database file (WAL mode) holds ``reports``, ``sentences`` (with each vector as a float32
blob), an FTS5 table over sentence text for BM25, the other outlets that carried a report
(``report_sources``), the versions a report has had (``report_versions``, with the date
columns added by :mod:`index.migrate`), near-duplicate signatures (:mod:`index.neardup`), the
figure ledger (:mod:`index.ledger`) and a ``meta`` table. Dates are stored as UTC instants of
one form, so SQL compares instants.
The FAISS index is derived from it (:mod:`index.vectors`) and tagged with
:meth:`Store.generation`, which every write bumps. :class:`Store` is the SQLite side of
:class:`index.backends.base.ReportStore` (the SQL both engines share lives there); it adds
the connection, the write lock (``BEGIN IMMEDIATE``) and FTS5's BM25.
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
from index.backends.base import ReportStore
from index.dbapi import Connection
from index.embedder import Vectors
from index.errors import StoreBusy, StoreError
from index.migrate import migrate
from index.neardup import SCHEMA as NEARDUP_SCHEMA

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
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_vocab USING fts5vocab(sentences_fts, 'row');
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

class Store(ReportStore):
    """A thread-safe handle on the SQLite database of one data directory."""

    def __init__(self, path: Path, zone: str = "UTC") -> None:
        super().__init__()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
            for statement in NEARDUP_SCHEMA:
                self._db.execute(statement)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Cannot open the database {path}: {exc}") from exc
        self.path = path
        self._lock = threading.RLock()
        try:
            with self._lock:
                migrate(self._db, zone)
                entity_table.ensure_schema(self._db)
                ledger.ensure(self._db)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot update the database {path}: {exc}") from exc
        self._open()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _connected(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def between_writes(self, now: Callable[[], str]) -> str:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreBusy(f"the database stays locked: {exc}") from exc
            try:
                return now()
            finally:
                self._db.execute("ROLLBACK")

    def _insert_sentences(self, conn: Connection, report_id: str, sentences: Sequence[str],
                          vectors: Vectors) -> list[int]:
        ids: list[int] = []
        for position, (sentence, vector) in enumerate(zip(sentences, vectors, strict=True)):
            cur = self._db.execute(  # conn is this connection, in its transaction
                "INSERT INTO sentences(report_id, position, text, vector) VALUES (?, ?, ?, ?)",
                (report_id, position, sentence, np.asarray(vector, dtype=np.float32).tobytes()),
            )
            ids.append(int(cur.lastrowid or 0))
        return ids

    def replace_vectors(self, chunks: Iterable[tuple[Sequence[int], Vectors]], dim: int
                        ) -> None:
        with self.transaction() as conn:
            for ids, vectors in chunks:
                conn.executemany("UPDATE sentences SET vector = ? WHERE id = ?", [
                    (np.asarray(v, dtype=np.float32).tobytes(), sid)
                    for sid, v in zip(ids, vectors, strict=True)])

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

    def term_frequency(self, term: str, cap: int) -> int:
        match = '"' + term.replace('"', "") + '"'
        rows = self.query("SELECT count(*) FROM (SELECT rowid FROM sentences_fts "
                          "WHERE sentences_fts MATCH ? LIMIT ?)", (match, cap))
        return int(str(rows[0][0]))

    def terms_starting(self, prefix: str, limit: int) -> list[str]:
        return [str(r[0]) for r in self.query(
            "SELECT term FROM sentences_vocab WHERE term >= ? AND term < ? ORDER BY term "
            "LIMIT ?", (prefix, prefix + "\U0010ffff", limit))]
