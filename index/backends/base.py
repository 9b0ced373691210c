"""The one small interface every storage backend gives the library (txtai's ``ann/`` is the
model): a :class:`ReportStore` (reports, versions, sources, sentences with their vectors,
entities, the figure ledger, near-duplicate signatures, meta), a :class:`VectorSearch` over
the sentence vectors, and a :class:`Backend` that opens both.

:class:`ReportStore` holds the SQL both engines accept (written with ``?`` placeholders
against :class:`index.dbapi.Connection`); a backend supplies connections, transactions,
the sentence insert, the lexical search and the write lock. Nothing above the store
(library, retrieval, answers, digests, timelines) knows which backend it talks to.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import numpy as np

from index import entities as entity_table
from index import ledger
from index.context import Neighbours, neighbours
from index.dbapi import Connection
from index.embedder import Vectors
from index.entities import Entity
from index.models import AlsoReported, Report, ReportVersion, Sentence
from index.neardup import SCHEME as NEARDUP_SCHEME
from index.neardup import Match, NearDupIndex

log = logging.getLogger(__name__)

REPORT_COLUMNS = "id, title, date, source, url, ingested_at, published_at, date_only"
#: Sentences BM25 may score for one question (:mod:`index.postings` keeps to it; a backend
#: may count document frequencies only up to it).
LEXICAL_BUDGET = 10_000
SET_META = ("INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
BUMP_GENERATION = ("INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) "
                   "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)")


class VectorSearch(Protocol):
    """Cosine search over sentence vectors by sentence id (the FAISS index, or the
    database's own vector index, which ``add``/``remove`` leave to the store)."""

    def __len__(self) -> int: ...

    def add(self, ids: Sequence[int], vectors: Vectors) -> None: ...

    def remove(self, ids: Sequence[int]) -> None: ...

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        """(sentence id, cosine) of the ``k`` nearest, best first."""
        ...


class ReportStore(ABC):
    """Reports and their sentences in one database; the methods the library calls."""

    def __init__(self) -> None:
        self._sentence_count: tuple[int, int] | None = None
        self.neardup = NearDupIndex()

    # -- what a backend supplies --------------------------------------------------------

    @abstractmethod
    def _connected(self) -> AbstractContextManager[Connection]:
        """A connection for statements that commit one by one."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Connection]:
        """A write transaction (one writer at a time, across processes), committed on exit
        and rolled back on an exception."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def between_writes(self, now: Callable[[], str]) -> str:
        """``now()`` read while holding the database's write lock, i.e. when no writer, in
        this process or another, is midway through a transaction (ingestion stamps are taken
        inside theirs). Raises :class:`index.errors.StoreBusy` when the lock stays busy."""

    @abstractmethod
    def _insert_sentences(self, conn: Connection, report_id: str, sentences: Sequence[str],
                          vectors: Vectors) -> list[int]:
        """Insert a report's sentences (positions from 0) with their vectors; their ids."""

    @abstractmethod
    def replace_vectors(self, chunks: Iterable[tuple[Sequence[int], Vectors]], dim: int
                        ) -> None:
        """Store new ``dim``-d vectors for sentences, chunk by chunk (ids, vectors), in one
        transaction (a change of model)."""

    @abstractmethod
    def bm25(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(sentence id, score) for a lexical query, best first, higher is better. ``match``
        is ``"word" OR "word" ...`` (each word quoted)."""

    @abstractmethod
    def term_frequency(self, term: str, cap: int) -> int:
        """In how many sentences ``term`` occurs, counted up to ``cap``."""

    @abstractmethod
    def terms_starting(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` of the index's terms (stemmed words) that begin with ``prefix``."""

    def term_frequencies(self, words: Sequence[str], cap: int) -> dict[str, int]:
        """:meth:`term_frequency` of each word (a backend may count them all at once)."""
        return {w: self.term_frequency(w, cap) for w in words}

    # -- plumbing -----------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._connected() as db:
            return [tuple(row) for row in db.execute(sql, params).fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction that also bumps the generation the vector index is tagged with."""
        with self._write() as conn:
            yield conn
            conn.execute(BUMP_GENERATION)

    def _open(self) -> None:
        """Bring derived tables up to date when the store opens."""
        self._backfill_neardup()
        self.rebuild_ledger(force=False)

    def rebuild_ledger(self, force: bool = True) -> int | None:
        """The figure ledger (:mod:`index.ledger`), built when new or of another scheme (or
        always when ``force``); the number of figures, ``None`` when it was up to date."""
        if not force and self.get_meta("ledger_scheme") == ledger.SCHEME:
            return None
        with self._write() as conn:
            total = ledger.rebuild(conn)
        log.info("figure ledger (%s) built: %d figures", ledger.SCHEME, total)
        return total

    def _backfill_neardup(self) -> None:
        """Signatures for reports stored before near-duplicate detection existed, or under
        another signature scheme (no generation bump: the vectors do not change)."""
        stale = self.get_meta("neardup_scheme") != NEARDUP_SCHEME
        if not stale:
            with self._connected() as db:
                if not NearDupIndex.missing(db):
                    return
        with self._write() as conn:
            if stale:
                conn.execute("DELETE FROM neardup_bands")
                conn.execute("DELETE FROM neardup_sigs")
                conn.execute(SET_META, ("neardup_scheme", NEARDUP_SCHEME))
            missing = NearDupIndex.missing(conn)
            if missing:
                log.info("indexing %d report(s) for near-duplicate detection", len(missing))
            for rid, title, text in missing:
                NearDupIndex.put(conn, rid, title, text)

    def near_duplicates(self, title: str, text: str, exclude: str | None = None
                        ) -> list[Match]:
        """Stored reports that a report with this title and text nearly copies."""
        with self._connected() as db:
            return self.neardup.find(db, title, text, exclude)

    # -- meta ---------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._connected() as db:
            db.execute(SET_META, (key, value))

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

    def holders(self, content_hashes: Sequence[str]) -> dict[str, str]:
        """For each of these content hashes that a stored report holds (now, as an earlier
        version, or as another outlet's copy), that report's id."""
        out: dict[str, str] = {}
        hashes = list(dict.fromkeys(content_hashes))
        for start in range(0, len(hashes), 500):
            chunk = hashes[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for table, column in (("report_sources", "report_id"),
                                  ("report_versions", "report_id"), ("reports", "id")):
                out.update((str(h), str(r)) for h, r in self.query(
                    f"SELECT content_hash, {column} FROM {table} "
                    f"WHERE content_hash IN ({marks})", chunk))
        return out

    def add_source(self, conn: Connection, report_id: str, source: str | None,
                   url: str | None, canonical_url: str | None, content_hash: str | None,
                   added_at: str) -> bool:
        """Record another outlet for ``report_id``; False when it was already recorded."""
        cur = conn.execute(
            "INSERT INTO report_sources"
            "(report_id, source, url, canonical_url, content_hash, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (report_id, source, url or f"hash:{content_hash}", canonical_url, content_hash,
             added_at),
        )
        return cur.rowcount > 0

    def put_report(self, conn: Connection, *, report_id: str, title: str,
                   date: str | None, source: str | None, url: str | None,
                   canonical_url: str | None, content_hash: str, ingested_at: str, text: str,
                   sentences: Sequence[str], vectors: Vectors, published_at: str | None = None,
                   date_only: bool = False, figures: Sequence[list[ledger.Entry]] | None = None
                   ) -> list[int]:
        """Insert (or replace, as its newest version) a report with its sentences; returns
        the new sentence ids. ``published_at`` and ``ingested_at`` are UTC instants
        (:func:`index.dates.utc_iso`); ``date`` is how the date is shown; ``figures`` are
        the sentences' :func:`index.ledger.extract` when already read."""
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
        ids = self._insert_sentences(conn, report_id, sentences, vectors)
        NearDupIndex.put(conn, report_id, title, text)
        ledger.put(conn, report_id, ids, sentences, figures)
        return ids

    def add_version(self, conn: Connection, report_id: str, *, content_hash: str,
                    title: str, date: str | None, published_at: str | None, date_only: bool,
                    ingested_at: str) -> None:
        """Record a text of ``report_id`` (once per content hash)."""
        conn.execute(
            "INSERT INTO report_versions(report_id, version, content_hash, title, date, "
            "published_at, date_only, ingested_at) SELECT ?, n, ?, ?, ?, ?, ?, ? FROM ("
            "SELECT COALESCE(MAX(version), 0) + 1 AS n FROM report_versions "
            "WHERE report_id = ?) AS next_version WHERE NOT EXISTS ("
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

    def _reports(self, where: str, params: Sequence[object]) -> list[Report]:
        """The reports of ``SELECT ... FROM reports <where>``, in its order, with their
        sentence and version counts and the outlets that also ran them: two queries."""
        rows = self.query(
            f"SELECT {REPORT_COLUMNS}, (SELECT COUNT(*) FROM sentences s WHERE s.report_id = "
            "reports.id), (SELECT COUNT(*) FROM report_versions v WHERE v.report_id = "
            f"reports.id) FROM reports {where}", params)
        also: dict[str, list[AlsoReported]] = {str(r[0]): [] for r in rows}
        ids = list(also)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for rid, s, u in self.query(
                    "SELECT report_id, source, url FROM report_sources WHERE report_id IN "
                    f"({','.join('?' * len(chunk))}) ORDER BY report_id, added_at", chunk):
                also[str(rid)].append(AlsoReported(
                    source=_opt(s), url=None if str(u).startswith("hash:") else _opt(u)))
        return [Report(id=str(row[0]), title=str(row[1]), date=_opt(row[2]),
                       source=_opt(row[3]), url=_opt(row[4]), ingested_at=str(row[5]),
                       n_sentences=int(str(row[8])), also_reported_by=tuple(also[str(row[0])]),
                       published_at=_opt(row[6]), date_only=bool(row[7]),
                       versions=max(1, int(str(row[9]))))
                for row in rows]

    def get_report(self, report_id: str) -> Report | None:
        return self.get_reports([report_id]).get(report_id)

    def get_reports(self, report_ids: Iterable[str]) -> dict[str, Report]:
        ids = sorted(set(report_ids))
        found: dict[str, Report] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update((r.id, r) for r in self._reports(
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def report_text(self, report_id: str) -> str | None:
        rows = self.query("SELECT text FROM reports WHERE id = ?", (report_id,))
        return str(rows[0][0]) if rows else None

    def outlet_names(self) -> list[str]:
        """Every outlet a report is stored under, its own or a further one, sorted."""
        rows = self.query("SELECT source FROM reports WHERE source IS NOT NULL UNION "
                          "SELECT source FROM report_sources WHERE source IS NOT NULL")
        return sorted({str(r[0]) for r in rows if str(r[0]).strip()})

    def list_reports(self, *, limit: int | None = None, since: str | None = None,
                     until: str | None = None, ingested_since: str | None = None,
                     ingested_until: str | None = None,
                     outlets: Sequence[str] = ()) -> list[Report]:
        """Reports newest first (by publication date, else ingestion time), optionally in
        the half-open windows ``since <= sort_date < until`` and ``ingested_since <=
        ingested_at < ingested_until``, and published by one of ``outlets`` (first or as a
        copy). Bounds are instants in the stored form (:func:`index.dates.utc_iso`), so
        comparing them compares instants."""
        sql = "WHERE 1=1"
        params: list[object] = []
        for column, op, value in (("sort_date", ">=", since), ("sort_date", "<", until),
                                  ("ingested_at", ">=", ingested_since),
                                  ("ingested_at", "<", ingested_until)):
            if value is not None:
                sql += f" AND {column} {op} ?"
                params.append(value)
        if outlets:
            marks = ", ".join("?" * len(outlets))
            sql += (f" AND (source IN ({marks}) OR id IN (SELECT report_id FROM report_sources"
                    f" WHERE source IN ({marks})))")
            params += [*outlets, *outlets]
        sql += " ORDER BY sort_date DESC, ingested_at DESC, id"  # ties: the same on any engine
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._reports(sql, params)

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

    # -- entities and context (index.entities, index.context) ----------------------------

    def entities(self, texts: dict[int, str]) -> dict[int, list[Entity]]:
        """Stored entities of sentences (id -> text); unanalysed ones are absent."""
        with self._connected() as db:
            return entity_table.load(db, texts)

    @staticmethod
    def put_entities(conn: Connection, ids: Sequence[int],
                     entities: Sequence[list[Entity]]) -> None:
        entity_table.put(conn, ids, entities)

    def add_entities(self, ids: Sequence[int], entities: Sequence[list[Entity]]) -> None:
        """Store entities found after their sentences (a backfill); no generation bump:
        the vectors do not change."""
        with self._write() as conn:
            entity_table.put(conn, ids, entities)

    def sentences_after(self, after: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` sentences (id, text) with ids above ``after``, in id order."""
        with self._connected() as db:
            return entity_table.page(db, after, limit)

    def unanalysed(self, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` sentences (id, text) whose entities were never found."""
        with self._connected() as db:
            return entity_table.missing(db, limit)

    def neighbours(self, ids: Sequence[int], dim: int) -> Neighbours:
        """Each sentence's report title and previous sentence (with its vector)."""
        with self._connected() as db:
            return neighbours(db, ids, dim)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def quoted_terms(match: str) -> list[tuple[str, bool]]:
    """The (word, is prefix) pairs of a ``"word" OR "word"*`` lexical query."""
    return [(m.group(1), bool(m.group(2))) for m in re.finditer(r'"([^"]*)"(\*?)', match)
            if m.group(1).strip()]


class Backend(ABC):
    """Where a library keeps its reports and vectors: it opens a store and a vector search
    over it, and saves the vector search after an ingest when that is a file of its own."""

    name: str

    @abstractmethod
    def exists(self) -> bool:
        """Whether there is an index here already (opening a store creates one)."""

    @abstractmethod
    def open_store(self, zone: str, dim: int) -> ReportStore: ...

    @abstractmethod
    def open_vectors(self, store: ReportStore, dim: int) -> VectorSearch: ...

    @abstractmethod
    def save_vectors(self, vectors: VectorSearch, store: ReportStore) -> None:
        """After an ingest: keep the vector search in step with the store."""

    def describe(self) -> str:
        return self.name
