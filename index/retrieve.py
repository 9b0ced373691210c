"""Hybrid retrieval: BM25 (SQLite FTS5) fused with dense search (FAISS), then reranked.

Each candidate sentence gets a dense cosine and a BM25 score (normalised by the query's best);
the fused score adds a report-context term (how well the sentence's report as a whole
matches) and a small bonus when the sentence holds the kind of span the question asks for (a
number for "how many", a date for "when"). Weights live in :class:`Weights`; they were tuned
on SQuAD articles 1-24 only (see BENCHMARKS.md).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from index.embedder import Embedder, Vectors
from index.figures import key_span, question_kind
from index.models import Sentence
from index.store import Store
from index.vectors import VectorIndex

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
    lexical: float = 0.5
    report: float = 0.3
    kind_bonus: float = 0.08
    pool: int = 100


@dataclass(frozen=True)
class Candidate:
    """A sentence found for a question, with each signal and the fused score."""

    sentence: Sentence
    dense: float
    lexical: float
    score: float


def query_terms(question: str) -> list[str]:
    """The question's content words, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in re.findall(r"[^\W_]+", question.lower()):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def fts_query(question: str) -> str:
    """An FTS5 MATCH expression: any of the content words (each quoted)."""
    return " OR ".join(f'"{w}"' for w in query_terms(question))


class Retriever:
    """Finds the sentences that best answer a question."""

    def __init__(self, store: Store, vectors: VectorIndex, embedder: Embedder,
                 weights: Weights | None = None) -> None:
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.weights = weights or Weights()

    def embed(self, question: str) -> Vectors:
        vectors: Vectors = self.embedder.encode([question])
        return np.asarray(vectors[0], dtype=np.float32)

    def dense(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        return self.vectors.search(query, k)

    def lexical(self, question: str, k: int) -> list[tuple[int, float]]:
        return self.store.bm25(fts_query(question), k)

    def search(self, question: str, k: int = 20, weights: Weights | None = None,
               query: Vectors | None = None) -> list[Candidate]:
        """The ``k`` best candidates, best first."""
        w = weights or self.weights
        if query is None:
            query = self.embed(question)
        dense_hits = dict(self.dense(query, w.pool))
        lexical_hits = dict(self.lexical(question, w.pool))
        ids = list(dict.fromkeys([*dense_hits, *lexical_hits]))
        if not ids:
            return []
        missing = [i for i in ids if i not in dense_hits]
        if missing:
            vecs = self.store.vectors(missing, self.embedder.dim)
            for sid, cos in zip(missing, vecs @ query, strict=True):
                dense_hits[sid] = float(cos)
        best_bm25 = max(lexical_hits.values(), default=0.0)
        sentences = self.store.sentences(ids)
        kind = question_kind(question)
        base: dict[int, float] = {}
        for sid in ids:
            lex = lexical_hits.get(sid, 0.0) / best_bm25 if best_bm25 > 0 else 0.0
            base[sid] = w.dense * dense_hits[sid] + w.lexical * lex
        by_report: dict[str, list[float]] = defaultdict(list)
        for sid in ids:
            if sid in sentences:
                by_report[sentences[sid].report_id].append(base[sid])
        report_score = {rid: float(np.mean(sorted(v, reverse=True)[:3]))
                        for rid, v in by_report.items()}
        out: list[Candidate] = []
        for sid in ids:
            sentence = sentences.get(sid)
            if sentence is None:
                continue
            lex = lexical_hits.get(sid, 0.0) / best_bm25 if best_bm25 > 0 else 0.0
            score = base[sid] + w.report * report_score[sentence.report_id]
            if kind is not None and w.kind_bonus and key_span(question, sentence.text, kind):
                score += w.kind_bonus
            out.append(Candidate(sentence, dense_hits[sid], lex, score))
        out.sort(key=lambda c: c.score, reverse=True)
        return out[:k]

    def with_weights(self, **changes: float) -> Retriever:
        return Retriever(self.store, self.vectors, self.embedder,
                         replace(self.weights, **changes))  # type: ignore[arg-type]
