"""The library's front door: :class:`Library` opens a data directory and ingests, answers,
lists and describes reports. Front ends (the command line, the Telegram bot) hold one.

A data directory holds ``briefbot.sqlite3`` (the truth) and ``vectors.faiss`` (derived); with
a ``postgresql://`` URL the reports and vectors live in that database instead
(:mod:`index.backends`): the library does not know which.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

from index import ledger
from index.backends import open_backend
from index.backends.base import VectorSearch
from index.backends.sqlite import DB_NAME, VECTORS_NAME
from index.dates import NO_YEAR, bound_instant, utc_iso, year_given
from index.embedder import Embedder, Vectors
from index.embedders import backend_of
from index.entities import SCHEME as ENTITY_SCHEME
from index.entities import Entity, EntityTagger
from index.errors import EmptyQuestion, StoreBusy, VagueQuestion
from index.faults import kill_point
from index.migrate import stored_date
from index.models import (
    Answer,
    IndexStats,
    IngestResult,
    LoadProblem,
    Report,
    ReportDraft,
    ReportVersion,
    Sentence,
)
from index.neardup import RunIndex
from index.retrieve import Retriever, query_terms
from index.sentences import split_sentences
from index.textcheck import check_draft, scrub, unmarked
from index.urls import canonical_url

if TYPE_CHECKING:
    from index.timeq import TimeWindow

log = logging.getLogger(__name__)

__all__ = ["DB_NAME", "VECTORS_NAME", "Library", "has_index"]

Progress = Callable[[int], None]
#: a report to store: its draft, id, content hash and sentences
Pending = tuple[ReportDraft, str, str, list[str]]
#: sentences a group of reports holds before it is prepared: groups this large encode about
#: as fast as groups of 2,048 (encode sorts each by length), and the next group's encoding
#: and entity tagging then run while this one is stored (BENCHMARKS.md, issue 13)
GROUP_SENTENCES = 512
#: sentences embedded between two progress reports (pieces this large encode as fast as one)
ENCODE_PIECE = 4096
Clock = Callable[[], datetime]


class Prepared(NamedTuple):
    """What a group's distinct sentences need before they are stored, by ``row``."""

    row: dict[str, int]
    vectors: Vectors
    entities: list[list[Entity]]
    figures: list[list[ledger.Entry]]


def content_hash(title: str, text: str) -> str:
    """A hash of a report's words, blind to white space and case."""
    norm = " ".join(f"{title}\n{text}".split()).lower()  # = re.sub(r"\s+", " ").strip()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


OUTLET_WORD_HITS = 50  # sentences read to tell an outlet's name from a word of the news


def same_outlet(a: str | None, b: str | None) -> bool:
    """Whether two source names are known and name the same outlet."""
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def utc_now() -> datetime:
    return datetime.now(UTC)


def safe_canonical_url(url: str | None) -> str | None:
    """The canonical form of ``url``; ``None`` for no URL or one that cannot be parsed (a
    bad port, brackets): a bad link is ignored, never fatal."""
    if not url:
        return None
    try:
        return canonical_url(url)
    except ValueError:
        log.debug("ignoring the malformed URL %r", url)
        return None


def has_index(data_dir: Path, url: str | None = None) -> bool:
    """Whether ``data_dir`` (or the database at ``url``) holds an index (opening a
    :class:`Library` creates one)."""
    return open_backend(Path(data_dir), url).exists()


_PRONOUN = re.compile(r"\b(he|she|they|him|her|them|it|his|their|its)\b", re.I)


def _vague(question: str) -> str:
    """What to tell someone whose question names nothing to look for ("what did she say?":
    a question is searched alone, so "she" names no one)."""
    m = _PRONOUN.search(question)
    if m:
        return (f"That question names nothing to look for: “{m.group(1).lower()}” names no "
                f"one I can look for. Say whom or what you mean, e.g. what did the minister "
                f"say?")
    return ("That question names nothing to look for: ask about someone or something, e.g. "
            "who leads the talks? or how many people were hurt?")


class Library:
    """Reports, sentences and their vectors in one data directory, and questions over them."""

    def __init__(self, data_dir: Path, embedder: Embedder, *, zone: str = "UTC",
                 clock: Clock = utc_now, tagger: EntityTagger | None = None,
                 url: str | None = None, pool_size: int = 8) -> None:
        """``zone`` (IANA) places day-only report dates (noon there) and naive date-times;
        ``clock`` stamps ingestion (tests move it); ``tagger`` finds entities at ingest;
        ``url`` (``postgresql://``) keeps everything in that database, ``pool_size``
        connections at most, instead of in ``data_dir``."""
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self.zone = zone
        self.clock = clock
        self.tagger = tagger or EntityTagger()
        self.backend = open_backend(self.data_dir, url, pool_size)
        self.store = self.backend.open_store(zone, embedder.dim)
        self._write_lock = threading.Lock()
        self._check_model()
        self.vectors: VectorSearch = self.backend.open_vectors(self.store, embedder.dim)
        self.retriever = Retriever(self.store, self.vectors, embedder)
        self.loaded_generation = self.store.generation()
        self._outlets: tuple[int, list[str]] | None = None
        self._last_day: date | None = None  # of the report dated last: gives a year to a day

    def refresh(self) -> bool:
        """Reload the vector index when another process (a CLI ``ingest`` into the same
        data directory) changed the store; True when it did."""
        generation = self.store.generation()
        if generation == self.loaded_generation:
            return False
        with self._write_lock:
            self.vectors = self.backend.open_vectors(self.store, self.embedder.dim)
            self.retriever = Retriever(self.store, self.vectors, self.embedder)
            self.loaded_generation = generation
        return True

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_model(self) -> None:
        """Re-embed every sentence when the model, its dimension or the backend that ran it
        (``torch``, ``onnx``, ``onnx-int8``: their vectors differ slightly) has changed."""
        stored = self.store.get_meta("model")
        dim = self.store.get_meta("dim")
        backend = backend_of(self.embedder)
        # data made before backends were recorded was embedded with torch
        stored_backend = self.store.get_meta("embedder") or "torch"
        changed = stored is not None and (stored != self.embedder.name or stored_backend != backend
                                          or dim != str(self.embedder.dim))
        if changed:
            log.warning("data was embedded with %s (%s); re-embedding with %s (%s)", stored,
                        stored_backend, self.embedder.name, backend)
            self._reembed()
        if changed or stored is None or self.store.get_meta("embedder") != backend:
            self.store.set_meta("model", self.embedder.name)
            self.store.set_meta("dim", str(self.embedder.dim))
            self.store.set_meta("embedder", backend)

    def _reembed(self) -> None:
        rows = self.store.query("SELECT id, text FROM sentences ORDER BY id")
        self.store.replace_vectors(
            (([int(str(r[0])) for r in chunk], self.embedder.encode([str(r[1]) for r in chunk]))
             for chunk in (rows[start:start + 256] for start in range(0, len(rows), 256))),
            self.embedder.dim)

    # -- ingest -------------------------------------------------------------------------

    def ingest(self, items: Iterable[ReportDraft | LoadProblem],
               progress: Progress | None = None, batch_size: int = 64,
               embedded: Progress | None = None) -> IngestResult:
        """Store every draft (skipping and reporting problems); embeds in batches.
        ``progress`` is told of each report done, ``embedded`` of the sentences embedded so
        far (a single huge report takes minutes: its sentences are the only news meanwhile).

        Ingesting the same inputs again changes nothing. A draft whose content is already
        stored (under any id, as an earlier version, or as another outlet's copy) is
        ``unchanged`` (a copy from another named outlet is recorded as a further source of
        it). A draft with a known ``report_id`` or canonical URL and new content is a new
        version of that report: it replaces the report's text when it is at least as new
        (publication, else ingestion instant), else only its date is kept as an earlier
        version. A near copy of a report from another outlet (:mod:`index.neardup`), stored
        or earlier in the same run, is recorded as a further source of that report
        (``merged``).
        """
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        merged: list[str] = []
        problems: list[LoadProblem] = []
        undated: list[str] = []
        n_sentences = 0
        pending: list[Pending] = []
        # groups being prepared (encoded, tagged, read) in ``preparing``, oldest first
        queued: deque[tuple[list[Pending], Future[Prepared]]] = deque()
        in_run = RunIndex()
        in_run_urls: dict[str, str] = {}
        in_run_hashes: dict[str, tuple[str, str | None]] = {}
        deferred: list[tuple[str, ReportDraft, str | None, str]] = []

        def submit() -> None:
            if pending:
                group = list(pending)
                queued.append((group, preparing.submit(self._prepare, group, embedded)))
                pending.clear()

        def store_oldest() -> None:
            nonlocal n_sentences
            group, prepared = queued.popleft()
            n_sentences += self._store_group(group, prepared.result(), added, updated,
                                             unchanged, undated)
            if progress:
                progress(len(group))

        def flush() -> None:
            submit()
            while queued:
                store_oldest()

        def tick() -> None:
            if progress:
                progress(1)

        # one group is prepared while the one before it is stored and the next is read
        with self._write_lock, ThreadPoolExecutor(1, "prepare") as preparing:
            self._backfill_entities()
            buffered = 0
            for item in items:
                if not isinstance(item, LoadProblem):
                    item = check_draft(item)
                if isinstance(item, LoadProblem):
                    problems.append(item)
                    tick()
                    continue
                digest = content_hash(item.title, item.text)
                canon = safe_canonical_url(item.url)
                rid = item.report_id or digest[:16]
                if digest in in_run_hashes:  # the same text again in this run
                    holder, source = in_run_hashes[digest]
                    if item.source and not same_outlet(item.source, source):
                        deferred.append((holder, item, canon, digest))
                        merged.append(holder)
                    else:
                        unchanged.append(holder)
                    tick()
                    continue
                known = self._holder_of(item, digest)
                if known is not None:
                    if self._record_copy(known, item, canon, digest):
                        merged.append(known)
                    else:
                        unchanged.append(known)
                    tick()
                    continue
                target = self._version_of(item, canon)
                pending_ids = {p[1] for p in pending} | {
                    p[1] for group, _ in queued for p in group}
                if target is None and (item.report_id in pending_ids
                                       or (canon is not None and canon in in_run_urls)):
                    flush()  # an update of a report pending in this run: store that first
                    buffered = 0
                    target = self._version_of(item, canon)
                if target is not None and not self._is_current(target, item):
                    self._keep_earlier_version(target, item, digest)
                    in_run_hashes[digest] = (target, item.source)
                    unchanged.append(target)
                    tick()
                    continue
                if target is None:
                    dup_of = self._near_copy_of(item)
                    if dup_of is not None:
                        with self.store.transaction() as conn:
                            self.store.add_source(conn, dup_of, item.source, item.url, canon,
                                                  digest, self.now())
                    else:
                        dup_of = self._twin_in_run(item, in_run)
                        if dup_of is not None:
                            deferred.append((dup_of, item, canon, digest))
                    if dup_of is not None:
                        merged.append(dup_of)
                        tick()
                        continue
                sentences = split_sentences(item.text)
                if not sentences:
                    problems.append(LoadProblem(item.origin or rid, "no sentences in the text"))
                    tick()
                    continue
                rid = target or rid
                in_run_hashes[digest] = (rid, item.source)
                pending.append((item, rid, digest, sentences))
                in_run.add(rid, item.title, item.text, item.source)
                if canon:
                    in_run_urls.setdefault(canon, rid)
                buffered += len(sentences)
                if buffered >= GROUP_SENTENCES:
                    submit()
                    buffered = 0
                    while len(queued) > 1:
                        store_oldest()
            flush()
            if deferred:
                with self.store.transaction() as conn:
                    for target_id, draft, canon, digest in deferred:
                        self.store.add_source(conn, target_id, draft.source, draft.url, canon,
                                              digest, self.now())
            if added or updated:
                self.backend.save_vectors(self.vectors, self.store)
                kill_point("after_vectors_save")
            self.loaded_generation = self.store.generation()
        return IngestResult(tuple(added), tuple(updated), tuple(unchanged), tuple(merged),
                            tuple(problems), n_sentences, tuple(undated))

    def now(self) -> str:
        """The library clock's instant in the stored form."""
        return utc_iso(self.clock())

    def ingest_mark(self) -> str:
        """The ingestion instant now, taken when no ingest is midway (in this process or
        another: see :meth:`Store.between_writes`): every report stamped before it is
        stored, every later one is stamped at or after it. It ends a window of ingestion
        times that nothing can slip into later. If the database stays locked, a minute
        before now (a report stamped in that minute goes to the next window)."""
        with self._write_lock:
            try:
                return self.store.between_writes(self.now)
            except StoreBusy as exc:
                log.warning("database busy (%s): the window ends a minute ago", exc)
                return utc_iso(self.clock() - timedelta(minutes=1))

    def _holder_of(self, draft: ReportDraft, digest: str) -> str | None:
        """The report that already holds exactly this content: the same id with this text
        now or as an earlier version, else any report (another id, an earlier version, a
        recorded copy from another outlet)."""
        if draft.report_id is not None and self.store.report_hash(draft.report_id):
            if any(v.content_hash == digest for v in self.store.versions(draft.report_id)):
                return draft.report_id
            return None  # an explicit id with new content is a new version
        return self.store.find_report(content_hash=digest)

    def _record_copy(self, target: str, draft: ReportDraft, canon: str | None,
                     digest: str) -> bool:
        """Record an exact copy from another named outlet as a further source of
        ``target``; False when it is the same outlet or was recorded before."""
        report = self.store.get_report(target)
        if report is None or not draft.source or same_outlet(draft.source, report.source):
            return False
        if any(same_outlet(draft.source, a.source) for a in report.also_reported_by):
            return False
        with self.store.transaction() as conn:
            return self.store.add_source(conn, target, draft.source, draft.url, canon, digest,
                                         self.now())

    def _version_of(self, draft: ReportDraft, canon: str | None) -> str | None:
        """The stored report that ``draft`` (with new content) is a new version of: the same
        ``id``, else the same canonical URL."""
        if draft.report_id is not None and self.store.report_hash(draft.report_id):
            return draft.report_id
        if canon:
            rows = self.store.query("SELECT id FROM reports WHERE canonical_url = ? LIMIT 1",
                                    (canon,))
            if rows:
                return str(rows[0][0])
        return None

    def _instant(self, draft: ReportDraft) -> tuple[str | None, str | None, bool]:
        """``(date shown, instant, day_only)`` of a draft; a day its dateline gives without
        the year ("Esk Marrow, 12 March (The Marrow Courier) —") is in the year nearest the
        report dated before it in this process, else its last day up to today."""
        text = draft.date
        if text is not None and NO_YEAR.match(text):
            text = year_given(text, self._last_day) if self._last_day \
                else year_given(text, self.clock().date(), past=True)
        dated = stored_date(text, self.zone)
        if dated[1] is not None:
            self._last_day = date.fromisoformat(dated[1][:10])
        return dated

    def _is_current(self, target: str, draft: ReportDraft) -> bool:
        """Whether a new text of ``target`` is at least as new as its current one."""
        _shown, instant, _ = self._instant(draft)
        current = self.store.current_instant(target)
        return current is None or (instant or self.now()) >= current

    def _keep_earlier_version(self, target: str, draft: ReportDraft, digest: str) -> None:
        shown, instant, day_only = self._instant(draft)
        with self.store.transaction() as conn:
            self.store.add_version(conn, target, content_hash=digest, title=draft.title,
                                   date=shown, published_at=instant, date_only=day_only,
                                   ingested_at=self.now())

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
    def _twin_in_run(draft: ReportDraft, in_run: RunIndex) -> str | None:
        """A report pending in this run that ``draft`` nearly copies, from another outlet."""
        for rid, source, _ in in_run.find(draft.title, draft.text):
            if not same_outlet(draft.source, source):
                return rid
        return None

    def _backfill_entities(self, batch: int = 2048) -> None:
        """Find the entities of sentences stored before entities were (older data dirs),
        and again of every sentence when they were found by older rules
        (:data:`index.entities.SCHEME`)."""
        def tag(rows: list[tuple[int, str]]) -> None:
            self.store.add_entities([sid for sid, _ in rows],
                                    self.tagger.tag([text for _, text in rows]))

        if self.store.get_meta("entities_scheme") != ENTITY_SCHEME:
            after = -1
            while rows := self.store.sentences_after(after, batch):
                log.info("finding entities again (rules %s) from sentence %d",
                         ENTITY_SCHEME, rows[0][0])
                tag(rows)
                after = rows[-1][0]
            self.store.set_meta("entities_scheme", ENTITY_SCHEME)
        while rows := self.store.unanalysed(batch):
            log.info("finding entities of %d stored sentence(s)", len(rows))
            tag(rows)

    def _prepare(self, group: list[Pending], embedded: Progress | None) -> Prepared:
        """The vectors, entities and figures of ``group``'s sentences (each distinct one
        once: wire boilerplate repeats), found while the group before is stored."""
        unique = list(dict.fromkeys(s for _, _, _, sents in group for s in sents))
        with ThreadPoolExecutor(1) as pool:  # both release the GIL: NER runs beside encode
            tagging = pool.submit(self.tagger.tag, unique)
            # ... then, still beside the encoder, the figures (else read after it, alone)
            reading = pool.submit(lambda: [ledger.extract(text) for text in unique])
            encoded = self._encode(unique, embedded)
            return Prepared({text: i for i, text in enumerate(unique)}, encoded,
                            tagging.result(), reading.result())

    def _store_group(self, group: list[Pending], prepared: Prepared, added: list[str],
                     updated: list[str], unchanged: list[str], undated: list[str]) -> int:
        """Store a prepared group in one transaction; the number of its sentences."""
        row = prepared.row
        with self.store.transaction() as conn:
            stamp = self.now()  # inside the write transaction: see ingest_mark
            stored = self.store.holders([digest for _, _, digest, _ in group])
            for draft, rid, digest, sents in group:
                holder = stored.get(digest)
                if holder is not None:  # another process stored it meanwhile
                    unchanged.append(holder)
                    continue
                old_ids = self.store.removed_sentence_ids(rid)
                shown, instant, day_only = self._instant(draft)
                rows = [row[text] for text in sents]
                vectors = prepared.vectors[rows]
                ids = self.store.put_report(
                    conn, report_id=rid, title=draft.title, date=shown,
                    source=draft.source, url=draft.url,
                    canonical_url=safe_canonical_url(draft.url),
                    content_hash=digest, ingested_at=stamp, text=draft.text, sentences=sents,
                    vectors=vectors, published_at=instant, date_only=day_only,
                    figures=[prepared.figures[i] for i in rows])
                self.store.put_entities(conn, ids, [prepared.entities[i] for i in rows])
                self.vectors.remove(old_ids)
                self.vectors.add(ids, vectors)
                (updated if old_ids else added).append(rid)
                if instant is None:
                    undated.append(draft.origin or draft.title)
        kill_point("after_commit")
        return sum(len(sents) for _, _, _, sents in group)

    def _encode(self, texts: list[str], embedded: Progress | None) -> Vectors:
        """``texts``' vectors; with ``embedded``, in pieces of :data:`ENCODE_PIECE`, each
        told when done."""
        if embedded is None:
            return self.embedder.encode(texts)
        parts = []
        for start in range(0, len(texts), ENCODE_PIECE):
            piece = texts[start:start + ENCODE_PIECE]
            parts.append(self.embedder.encode(piece))
            embedded(len(piece))
        return np.concatenate(parts)

    # -- questions ----------------------------------------------------------------------

    def ask(self, question: str, k: int = 3, now: datetime | None = None,
            figure: bool = False) -> Answer:
        """A cited answer of at most ``k`` quotes; raises :class:`EmptyQuestion`. Time words
        in the question ("on Tuesday", "since 3 March") are resolved against ``now``
        (default: the current time) and restrict the evidence (:mod:`index.timeq`). With
        ``figure``, words that do not read as a figure question ("surgeries cancelled",
        "storm surge") are asked for a figure and its development all the same."""
        # a lone surrogate breaks the tokenizer; "<script>…</script>" is not asked about
        asked = question = unmarked(scrub(question))
        if not re.search(r"\w", question):
            raise EmptyQuestion("Ask a question with some words in it.")
        from index.answer import as_of_answer, compose_answer
        from index.outlets import named_outlets
        from index.recent import is_open, recent_answer
        from index.timeline import event_day
        from index.timeq import TimeWindow, parse_time, until_now

        # "what did the Herald report?": looked for in what the outlet reported
        outlets, question = named_outlets(question, self._outlet_names(), self._in_text)
        rest, window = parse_time(question, now or datetime.now(UTC))
        if window.event is not None:
            window = window.resolve_event(event_day(window.event, self.retriever))
        if not re.search(r"\w", rest):
            rest, window = question, TimeWindow()
        if now is not None:  # a question asked in the past sees only what was known then
            window = until_now(window, now if now.tzinfo else
                               now.replace(tzinfo=ZoneInfo(self.zone)))
        if not outlets and not query_terms(rest):  # "what?", "how many", "the the the"
            raise VagueQuestion(_vague(question))
        if (is_open(rest) and not window.empty) or (outlets and not query_terms(rest)):
            recent = recent_answer(asked.strip(), self.store, window, k=k, outlets=outlets)
            return recent if recent.found or window.empty or outlets else \
                self._no_report_then(recent, window, known_empty=True)
        if window.empty:
            answer = compose_answer(question, self.retriever, self.store, k=k, outlets=outlets,
                                    figure=figure)
        else:
            answer = compose_answer(rest, self.retriever, self.store, k=k, window=window,
                                    outlets=outlets, figure=figure)
            if not answer.found:  # "death toll on Wednesday": the figure standing then
                answer = as_of_answer(asked.strip(), compose_answer(
                    rest, self.retriever, self.store, k=k, outlets=outlets, figure=figure),
                    window, self.store) or answer
        if not answer.found and not window.empty:
            answer = self._no_report_then(answer, window)
        return replace(answer, question=asked.strip())

    def _no_report_then(self, answer: Answer, window: TimeWindow,
                        known_empty: bool = False) -> Answer:
        """``answer`` (not found) saying, when no report at all is dated in the question's
        days ("what happened on Wednesday?" of a library that ends on Monday), which days
        those were and which the reports cover: the reader learns why, and what to ask.
        ``known_empty``: the caller has looked for reports of those days already."""
        from index.recent import recent_answer

        if not known_empty and recent_answer(answer.question, self.store, window, k=1).found:
            return answer  # reports of those days exist: they do not answer it
        _, _, first, last = self.store.counts()
        return replace(answer, empty_window=(
            window.since.isoformat() if window.since else None,
            window.until.isoformat() if window.until else None),
            held=(first[:10], last[:10]) if first and last else None)

    def _in_text(self, word: str) -> bool:
        """Whether a report's text uses ``word`` other than to name its own outlet ("told
        the Tribune" in the Tribune's own report names the outlet)."""
        if self.store.term_frequency(word, 1) == 0:
            return False
        hits = self.store.bm25(f'"{word}"', OUTLET_WORD_HITS)
        reports = self.store.get_reports({s.report_id for s in
                                          self.store.sentences([i for i, _ in hits]).values()})
        own = re.compile(rf"\b{re.escape(word)}\b", re.I)
        return len(hits) == OUTLET_WORD_HITS or any(
            not (r.source and own.search(r.source)) for r in reports.values())

    def _outlet_names(self) -> list[str]:
        """The outlets the store holds reports of, read again after every write."""
        generation = self.store.generation()
        if self._outlets is None or self._outlets[0] != generation:
            self._outlets = (generation, self.store.outlet_names())
        return self._outlets[1]

    # -- listings -----------------------------------------------------------------------

    def reports(self, *, limit: int | None = None, since: str | None = None,
                until: str | None = None, ingested_since: str | None = None,
                ingested_until: str | None = None) -> list[Report]:
        """Reports newest first. ``since``/``until`` bound the publication (else ingestion)
        instant, ``ingested_*`` the ingestion instant, half-open; each is an ISO date (its
        midnight in the library's zone) or date-time (UTC when it has no offset), compared
        as an instant. Raises ``ValueError`` on a bound that is neither."""
        def bound(text: str | None) -> str | None:
            return None if text is None else bound_instant(text, self.zone)

        return self.store.list_reports(limit=limit, since=bound(since), until=bound(until),
                                       ingested_since=bound(ingested_since),
                                       ingested_until=bound(ingested_until))

    def versions(self, report_id: str) -> list[ReportVersion]:
        """The texts (dates, titles) a report has had, oldest first."""
        return self.store.versions(report_id)

    def report_sentences(self, report_id: str) -> list[Sentence]:
        return self.store.report_sentences(report_id)

    def stats(self) -> IndexStats:
        n_reports, n_sentences, first, last = self.store.counts()
        return IndexStats(n_reports, n_sentences, first, last, model=self.embedder.name)
