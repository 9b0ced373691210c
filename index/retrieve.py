"""Hybrid retrieval: BM25 (the store's full-text search) fused with dense search (the
backend's vector index), then reranked.

Each candidate sentence gets a dense cosine and a BM25 score (normalised by the query's best);
the fused score adds a report-context term (how well the sentence's report as a whole
matches) and a small bonus when the sentence holds the kind of span the question asks for (a
number for "how many", a date for "when"). Weights live in :class:`Weights`; they were tuned
on SQuAD articles 1-24 only (see BENCHMARKS.md). The candidates are then ordered by the
learned reranker of :mod:`index.rerank` (the fused score is one of its features) when its
trained model is present.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.abbreviations import also_meant
from index.backends.base import ReportStore, VectorSearch
from index.context import leans_on_previous, said_by_pronoun
from index.embedder import Embedder, Vectors
from index.entities import Entity
from index.figures import key_span, question_kind
from index.models import Sentence
from index.postings import affordable
from index.rerank import Candidates, Reranker, fallback_entities, features

log = logging.getLogger(__name__)

STOPWORDS = frozenset("""
a an the of in on at to and or is are was were be been being for by with from as that this
these those it its into than then there their they them he she his her we our you your i me
my what which who whom whose when where why how many much did do does done has have had not
no yes if so but about over under after before during between up down out can could would
should will shall may might must also any some all each per very more most such only own same
other there's what's who's let tell name give say said according
""".split())


@dataclass(frozen=True)
class Weights:
    """How the signals combine into one score."""

    dense: float = 1.0
    lexical: float = 0.35
    report: float = 0.3
    kind_bonus: float = 0.15
    pool: int = 100
    expand: int = 5       # every sentence of this many best-matching reports joins the pool
    expand_cap: int = 40  # ... up to this many sentences of each


@dataclass(frozen=True)
class Signals:
    """Per-candidate signals for one question, aligned arrays."""

    sentences: list[Sentence]
    dense: npt.NDArray[np.float32]     # cosine with the question
    lexical: npt.NDArray[np.float32]   # BM25 / the query's best BM25 (0 if not matched)
    report: npt.NDArray[np.int64]      # index of the sentence's report among candidates
    kind: npt.NDArray[np.float32]      # 1 if the sentence holds the asked kind of span


def report_best(sig: Signals, w: Weights) -> npt.NDArray[np.float32]:
    """For each candidate, the best dense + lexical score in its report."""
    base = w.dense * sig.dense + w.lexical * sig.lexical
    best_in_report = np.full(int(sig.report.max(initial=-1)) + 1, -np.inf, dtype=np.float32)
    np.maximum.at(best_in_report, sig.report, base)
    out: npt.NDArray[np.float32] = best_in_report[sig.report].astype(np.float32)
    return out


def fuse(sig: Signals, w: Weights) -> npt.NDArray[np.float32]:
    """The fused score: dense + lexical, plus the best such score in the same report (its
    context), plus a bonus for holding the kind of span asked for."""
    base = w.dense * sig.dense + w.lexical * sig.lexical
    out: npt.NDArray[np.float32] = (base + w.report * report_best(sig, w)
                                    + w.kind_bonus * sig.kind).astype(np.float32)
    return out


@dataclass(frozen=True)
class Candidate:
    """A sentence found for a question, with each signal and the fused score."""

    sentence: Sentence
    dense: float
    lexical: float
    score: float
    rank: float = 0.0                   # the reranker's score (orders the candidates)
    entities: tuple[Entity, ...] = ()   # stored at ingest
    previous: str = ""                  # the sentence before, when this one leans on it


def query_terms(question: str) -> list[str]:
    """The question's content words, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in re.findall(r"[^\W_]+", question.lower()):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def fts_query(question: str, store: ReportStore | None = None) -> str:
    """An FTS5 MATCH expression: any of the content words (each quoted); with ``store``,
    only those BM25 can afford to score there (:mod:`index.postings`)."""
    terms = query_terms(question)
    terms += sorted(also_meant(terms))  # "ceo": "chief", "executive" too
    if store is not None:
        terms = affordable(store, terms)
    return " OR ".join(f'"{w}"' for w in terms)


class Retriever:
    """Finds the sentences that best answer a question."""

    def __init__(self, store: ReportStore, vectors: VectorSearch, embedder: Embedder,
                 weights: Weights | None = None, rerank: bool = True) -> None:
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.weights = weights or Weights()
        self._rerank = rerank
        self._reranker: Reranker | None = None
        self._reranker_loaded = False
        self._last_query: tuple[str, Vectors] | None = None

    @property
    def reranker(self) -> Reranker | None:
        """The trained reranker (read once), or ``None`` to order by the fused score."""
        if self._rerank and not self._reranker_loaded:
            self._reranker = Reranker.load()
            self._reranker_loaded = True
        return self._reranker

    def embed(self, question: str) -> Vectors:
        """The question's vector; the last one is kept, since an answer may search the same
        words twice (a figure asked on a day, then without the day)."""
        last = self._last_query
        if last is not None and last[0] == question:
            return last[1]
        vectors: Vectors = self.embedder.encode([question])
        query = np.asarray(vectors[0], dtype=np.float32)
        self._last_query = (question, query)
        return query

    def dense(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        return self.vectors.search(query, k)

    def lexical(self, question: str, k: int) -> list[tuple[int, float]]:
        return self.store.bm25(fts_query(question, self.store), k)

    def signals(self, question: str, query: Vectors | None = None) -> Signals:
        """Every signal for the union of the dense and lexical candidate pools."""
        if query is None:
            query = self.embed(question)
        pool = self.weights.pool
        dense_hits = dict(self.dense(query, pool))
        lexical_hits = dict(self.lexical(question, pool))
        ids = list(dict.fromkeys([*dense_hits, *lexical_hits]))
        sentences = self.store.sentences(ids)
        ids = [i for i in ids if i in sentences]
        if self.weights.expand:
            # A sentence that leans on its report ("The redemption is on May 8") may share no
            # word with the question: the best reports' other sentences are candidates too.
            best = max(lexical_hits.values(), default=0.0)
            base: dict[str, float] = {}
            for i in ids:
                b = dense_hits.get(i, 0.0) + self.weights.lexical * (
                    lexical_hits.get(i, 0.0) / best if best > 0 else 0.0)
                rid = sentences[i].report_id
                base[rid] = max(base.get(rid, -1.0), b)
            for rid in sorted(base, key=lambda r: -base[r])[:self.weights.expand]:
                for s in self.store.report_sentences(rid)[:self.weights.expand_cap]:
                    if s.id not in sentences:
                        sentences[s.id] = s
                        ids.append(s.id)
        missing = [i for i in ids if i not in dense_hits]
        if missing:
            vecs = self.store.vectors(missing, self.embedder.dim)
            for sid, cos in zip(missing, vecs @ query, strict=True):
                dense_hits[sid] = float(cos)
        best = max(lexical_hits.values(), default=0.0)
        kind = question_kind(question)
        report_index: dict[str, int] = {}
        return Signals(
            sentences=[sentences[i] for i in ids],
            dense=np.array([dense_hits[i] for i in ids], dtype=np.float32),
            lexical=np.array([lexical_hits.get(i, 0.0) / best if best > 0 else 0.0
                              for i in ids], dtype=np.float32),
            report=np.array([report_index.setdefault(sentences[i].report_id,
                                                     len(report_index)) for i in ids],
                            dtype=np.int64),
            kind=np.array([kind is not None and key_span(question, sentences[i].text, kind)
                           is not None for i in ids], dtype=np.float32),
        )

    def extras(self, sig: Signals) -> Candidates:
        """Stored entities, previous sentences and titles of the candidates."""
        texts = {s.id: s.text for s in sig.sentences}
        stored = self.store.entities(texts)
        return Candidates(
            entities=[stored[s.id] if s.id in stored else fallback_entities(s.text)
                      for s in sig.sentences],
            neighbours=self.store.neighbours([s.id for s in sig.sentences],
                                             self.embedder.dim))

    def features(self, question: str, sig: Signals, query: Vectors, extra: Candidates
                 ) -> npt.NDArray[np.float32]:
        """The reranker's feature rows for the candidates of ``sig``."""
        return features(question, query_terms(question), [s.text for s in sig.sentences],
                        [s.position for s in sig.sentences], sig.dense, sig.lexical,
                        fuse(sig, self.weights), report_best(sig, self.weights),
                        np.asarray(query, dtype=np.float32), extra)

    def search(self, question: str, k: int = 20, query: Vectors | None = None
               ) -> list[Candidate]:
        """The ``k`` best candidates, best first."""
        if query is None:
            query = self.embed(question)
        sig = self.signals(question, query)
        if not sig.sentences:
            return []
        scores = fuse(sig, self.weights)
        extra = self.extras(sig)
        ranks = scores
        if self.reranker is not None:
            ranks = self.reranker.score(self.features(question, sig, query, extra))
        order = np.argsort(-ranks, kind="stable")[:k]
        return [Candidate(sig.sentences[i], float(sig.dense[i]), float(sig.lexical[i]),
                          float(scores[i]), float(ranks[i]), tuple(extra.entities[i]),
                          extra.neighbours.previous[i]
                          if leans_on_previous(sig.sentences[i].text)
                          or said_by_pronoun(sig.sentences[i].text) else "")
                for i in order]
