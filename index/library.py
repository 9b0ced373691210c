"""The library's front door: :class:`Library` opens a data directory and ingests, answers,
lists and describes reports. Front ends (the command line, the Telegram bot) hold one.

A data directory holds ``briefbot.sqlite3`` (the truth) and ``vectors.faiss`` (derived).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from index.embedder import Embedder
from index.entities import EntityTagger
from index.errors import EmptyQuestion
from index.models import (
    Answer,
    IndexStats,
    IngestResult,
    LoadProblem,
    Report,
    ReportDraft,
    Sentence,
)
from index.neardup import RunIndex
from index.retrieve import Retriever
from index.sentences import split_sentences
from index.store import Store
from index.urls import canonical_url
from index.vectors import VectorIndex, open_vectors

log = logging.getLogger(__name__)

DB_NAME = "briefbot.sqlite3"
VECTORS_NAME = "vectors.faiss"

Progress = Callable[[int], None]


def content_hash(title: str, text: str) -> str:
    """A hash of a report's words, blind to white space and case."""
    norm = re.sub(r"\s+", " ", f"{title}\n{text}").strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def same_outlet(a: str | None, b: str | None) -> bool:
    """Whether two source names are known and name the same outlet."""
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Library:
    """Reports, sentences and their vectors in one data directory, and questions over them."""

    def __init__(self, data_dir: Path, embedder: Embedder,
                 tagger: EntityTagger | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self.tagger = tagger or EntityTagger()
        self.store = Store(self.data_dir / DB_NAME)
        self._vectors_path = self.data_dir / VECTORS_NAME
        self._write_lock = threading.Lock()
        self._check_model()
        self.vectors: VectorIndex = open_vectors(self.store, self._vectors_path, embedder.dim)
        self.retriever = Retriever(self.store, self.vectors, embedder)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_model(self) -> None:
        stored = self.store.get_meta("model")
        dim = self.store.get_meta("dim")
        if stored is None:
            self.store.set_meta("model", self.embedder.name)
            self.store.set_meta("dim", str(self.embedder.dim))
            return
        if stored != self.embedder.name or dim != str(self.embedder.dim):
            log.warning("data was embedded with %s; re-embedding with %s", stored,
                        self.embedder.name)
            self._reembed()
            self.store.set_meta("model", self.embedder.name)
            self.store.set_meta("dim", str(self.embedder.dim))

    def _reembed(self) -> None:
        import numpy as np

        rows = self.store.query("SELECT id, text FROM sentences ORDER BY id")
        with self.store.transaction() as conn:
            for start in range(0, len(rows), 256):
                chunk = rows[start:start + 256]
                vecs = self.embedder.encode([str(r[1]) for r in chunk])
                conn.executemany("UPDATE sentences SET vector = ? WHERE id = ?", [
                    (np.asarray(v, dtype=np.float32).tobytes(), r[0])
                    for r, v in zip(chunk, vecs, strict=True)])

    # -- ingest -------------------------------------------------------------------------

    def ingest(self, items: Iterable[ReportDraft | LoadProblem],
               progress: Progress | None = None, batch_size: int = 64) -> IngestResult:
        """Store every draft (skipping and reporting problems); embeds in batches.

        A draft whose content is already stored (same hash, or same canonical URL) changes
        nothing; a draft with a known ``report_id`` and new content replaces that report. A
        near copy of a report from another outlet (:mod:`index.neardup`), stored or earlier in
        the same run, is recorded as a further source of that report (``merged``).
        """
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        merged: list[str] = []
        problems: list[LoadProblem] = []
        n_sentences = 0
        pending: list[tuple[ReportDraft, str, str, list[str]]] = []
        in_run = RunIndex()
        in_run_urls: dict[str, str] = {}
        deferred: list[tuple[str, ReportDraft, str | None, str]] = []

        def flush() -> None:
            nonlocal n_sentences
            if pending:
                n_sentences += self._store_batch(pending, added, updated)
                if progress:
                    progress(len(pending))
                pending.clear()

        with self._write_lock:
            self._backfill_entities()
            seen_in_run: set[str] = set()
            buffered = 0
            for item in items:
                if isinstance(item, LoadProblem):
                    problems.append(item)
                    if progress:
                        progress(1)
                    continue
                digest = content_hash(item.title, item.text)
                canon = canonical_url(item.url) if item.url else None
                rid = item.report_id or digest[:16]
                if digest in seen_in_run or self._known(item, rid, digest, canon):
                    unchanged.append(rid)
                    if progress:
                        progress(1)
                    continue
                dup_of = self._duplicate_of(item, digest, canon)
                if dup_of is None and (item.report_id is None
                                       or self.store.report_hash(item.report_id) is None):
                    dup_of = self._twin_in_run(item, canon, in_run, in_run_urls)
                    if dup_of is not None:
                        deferred.append((dup_of, item, canon, digest))
                if dup_of is not None:
                    merged.append(dup_of)
                    if progress:
                        progress(1)
                    continue
                sentences = split_sentences(item.text)
                if not sentences:
                    problems.append(LoadProblem(item.origin or rid, "no sentences in the text"))
                    if progress:
                        progress(1)
                    continue
                seen_in_run.add(digest)
                pending.append((item, rid, digest, sentences))
                in_run.add(rid, item.title, item.text, item.source)
                if canon:
                    in_run_urls.setdefault(canon, rid)
                buffered += len(sentences)
                if buffered >= 2048:  # big batches: encode sorts them by length
                    flush()
                    buffered = 0
            flush()
            if deferred:
                with self.store.transaction() as conn:
                    for target, draft, canon, digest in deferred:
                        self.store.add_source(conn, target, draft.source, draft.url, canon,
                                              digest, now_iso())
            if added or updated:
                self.vectors.save(self._vectors_path, self.store.generation())
        return IngestResult(tuple(added), tuple(updated), tuple(unchanged), tuple(merged),
                            tuple(problems), n_sentences)

    def _known(self, draft: ReportDraft, rid: str, digest: str, canon: str | None) -> bool:
        if draft.report_id is not None:
            return self.store.report_hash(rid) == digest
        return self.store.find_report(content_hash=digest) is not None

    def _duplicate_of(self, draft: ReportDraft, digest: str, canon: str | None) -> str | None:
        """The report this draft is another copy of (same canonical URL, or a near copy from
        another outlet), after recording the draft as another source of it."""
        if draft.report_id is not None and self.store.report_hash(draft.report_id):
            return None  # an explicit id with new content is an update, not a copy
        target = self.store.find_report(canonical_url=canon) if canon else None
        if target is None:
            target = self._near_copy_of(draft)
        if target is None:
            return None
        with self.store.transaction() as conn:
            self.store.add_source(conn, target, draft.source, draft.url, canon, digest,
                                  now_iso())
        return target

    def _near_copy_of(self, draft: ReportDraft) -> str | None:
        """A stored report this draft nearly copies, from another outlet (a near copy from
        the same outlet is a rewrite or an update, kept as a report of its own)."""
        for match in self.store.near_duplicates(draft.title, draft.text):
            report = self.store.get_report(match.report_id)
            if report is not None and not same_outlet(draft.source, report.source):
                log.debug("%s nearly copies report %s (%.2f)", draft.origin or draft.title,
                          match.report_id, match.similarity)
                return match.report_id
        return None

    @staticmethod
    def _twin_in_run(draft: ReportDraft, canon: str | None, in_run: RunIndex,
                     in_run_urls: dict[str, str]) -> str | None:
        """A report pending in this run that ``draft`` is another copy of."""
        if canon and canon in in_run_urls:
            return in_run_urls[canon]
        for rid, source, _ in in_run.find(draft.title, draft.text):
            if not same_outlet(draft.source, source):
                return rid
        return None

    def _backfill_entities(self, batch: int = 2048) -> None:
        """Find the entities of sentences stored before entities were (older data dirs)."""
        while rows := self.store.unanalysed(batch):
            log.info("finding entities of %d stored sentence(s)", len(rows))
            self.store.add_entities([sid for sid, _ in rows],
                                    self.tagger.tag([text for _, text in rows]))

    def _store_batch(self, batch: list[tuple[ReportDraft, str, str, list[str]]],
                     added: list[str], updated: list[str]) -> int:
        texts = [s for _, _, _, sents in batch for s in sents]
        with ThreadPoolExecutor(1) as pool:  # both release the GIL: NER runs beside encode
            tagging = pool.submit(self.tagger.tag, texts)
            vectors = self.embedder.encode(texts)
            entities = tagging.result()
        stamp = now_iso()
        offset = 0
        with self.store.transaction() as conn:
            for draft, rid, digest, sents in batch:
                old_ids = self.store.removed_sentence_ids(rid)
                ids = self.store.put_report(
                    conn, report_id=rid, title=draft.title, date=draft.date,
                    source=draft.source, url=draft.url,
                    canonical_url=canonical_url(draft.url) if draft.url else None,
                    content_hash=digest, ingested_at=stamp, text=draft.text, sentences=sents,
                    vectors=vectors[offset:offset + len(sents)])
                self.store.put_entities(conn, ids, entities[offset:offset + len(sents)])
                self.vectors.remove(old_ids)
                self.vectors.add(ids, vectors[offset:offset + len(sents)])
                offset += len(sents)
                (updated if old_ids else added).append(rid)
        return len(texts)

    # -- questions ----------------------------------------------------------------------

    def ask(self, question: str, k: int = 3) -> Answer:
        """A cited answer of at most ``k`` quotes; raises :class:`EmptyQuestion`."""
        if not re.search(r"\w", question):
            raise EmptyQuestion("Ask a question with some words in it.")
        from index.answer import compose_answer

        return compose_answer(question, self.retriever, self.store, k=k)

    # -- listings -----------------------------------------------------------------------

    def reports(self, *, limit: int | None = None, since: str | None = None,
                until: str | None = None) -> list[Report]:
        """Reports newest first; ``since``/``until`` bound the publication (else ingestion)
        time as ISO strings, half-open."""
        return self.store.list_reports(limit=limit, since=since, until=until)

    def report_sentences(self, report_id: str) -> list[Sentence]:
        return self.store.report_sentences(report_id)

    def stats(self) -> IndexStats:
        n_reports, n_sentences, first, last = self.store.counts()
        return IndexStats(n_reports, n_sentences, first, last, model=self.embedder.name)
