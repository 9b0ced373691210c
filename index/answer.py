"""Composing a cited answer from retrieved sentences.

1. Retrieve candidates (:mod:`index.retrieve`); if even the best is not relevant enough,
   the answer is "not found" — an unrelated citation is worse than none.
2. Quote the best sentence and up to ``k - 1`` more that score close to it; a sentence that
   says the same as one already quoted (from another report) adds its citation to that
   quote instead of repeating it. Every outlet that carried a quoted report is cited.
3. Mark the key span (the number, date or name asked for) in the top quote, from the
   entities stored at ingest (:mod:`index.highlight`). A quote that leans on the sentence
   before it ("He said …") carries that sentence as its context.
4. For a quantity question, collect the figure each relevant report gives; when they differ,
   list the ``k`` newest figures with their reports and dates, and quote each that fits.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np

from index.figures import Kind, find_quantities, key_span, parse_number, question_kind
from index.highlight import highlight
from index.models import Answer, Citation, Figure, Quote, Report
from index.retrieve import Candidate, Retriever, query_terms
from index.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thresholds:
    """When a candidate counts as relevant, and how close others must be to be quoted."""

    min_dense: float = 0.35          # cosine of question and best sentence
    min_dense_with_words: float = 0.22  # ... when most question words are in the sentence
    word_coverage: float = 0.6
    relative: float = 0.8            # another quote needs this share of the best score
    same_sentence: float = 0.92      # cosine above which two sentences say the same
    more: int = 5


def _coverage(question: str, sentence: str) -> float:
    terms = [t[:5] for t in query_terms(question)]
    if not terms:
        return 0.0
    words = {w[:5] for w in re.findall(r"[^\W_]+", sentence.lower())}
    return sum(1 for t in terms if t in words) / len(terms)


def is_relevant(question: str, c: Candidate, t: Thresholds) -> bool:
    if c.dense >= t.min_dense:
        return True
    return c.dense >= t.min_dense_with_words and _coverage(question, c.sentence.text) \
        >= t.word_coverage


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def compose_answer(question: str, retriever: Retriever, store: Store, k: int = 3,
                   thresholds: Thresholds | None = None) -> Answer:
    t = thresholds or Thresholds()
    question = question.strip()
    candidates = retriever.search(question, k=max(30, k * 5))
    relevant = [c for c in candidates if is_relevant(question, c, t)]
    if not relevant:
        return Answer(question=question, found=False)
    top = relevant[0]
    kind = question_kind(question)
    close = [c for c in relevant if c.score >= t.relative * top.score
             and (kind is None or key_span(question, c.sentence.text, kind) is not None)]

    figures, figure_cands = _disagreement(question, kind, relevant, top, store)
    # ``k`` bounds every list: the quotes, and the differing figures (newest first); the
    # older figures' sentences lead the further evidence.
    figures, figure_cands, older = figures[:k], figure_cands[:k], figure_cands[k:]
    chosen: list[Candidate] = []
    for c in [top, *figure_cands, *close]:
        if c not in chosen and len(chosen) < k:
            chosen.append(c)

    # Group sentences that say the same thing (near-identical text from several reports).
    groups: list[list[Candidate]] = []
    vecs = store.vectors([c.sentence.id for c in relevant], retriever.embedder.dim)
    vec_of = {c.sentence.id: vecs[i] for i, c in enumerate(relevant)}
    for c in chosen:
        for group in groups:
            head = group[0]
            if _norm(head.sentence.text) == _norm(c.sentence.text) or float(
                    np.dot(vec_of[head.sentence.id], vec_of[c.sentence.id])) >= t.same_sentence:
                group.append(c)
                break
        else:
            groups.append([c])
    # Fold in the other reports that carry a quoted sentence verbatim.
    for group in groups:
        for c in relevant:
            if c not in group and c.sentence.report_id not in {g.sentence.report_id
                                                                for g in group} \
                    and _norm(c.sentence.text) == _norm(group[0].sentence.text):
                group.append(c)

    reports = store.get_reports(c.sentence.report_id for g in groups for c in g)
    more_cands = [c for c in dict.fromkeys([*older, *relevant])
                  if all(c not in g for g in groups)][:t.more]
    reports.update(store.get_reports(c.sentence.report_id for c in more_cands))

    citations: list[Citation] = []
    quotes: list[Quote] = []
    for group in groups:
        numbers: list[int] = []
        for c in group:
            for cite in _citations(c, reports[c.sentence.report_id], len(citations) + 1):
                citations.append(cite)
                numbers.append(cite.n)
        head = group[0]
        quotes.append(Quote(text=head.sentence.text, citations=tuple(numbers),
                            highlight=highlight(question, head.sentence.text, head.entities),
                            context=head.previous or None))
    more: list[Citation] = []
    for c in more_cands:
        more.extend(_citations(c, reports[c.sentence.report_id], len(citations) + len(more) + 1))
    return Answer(question=question, found=True, quotes=tuple(quotes),
                  citations=tuple(citations), highlight=quotes[0].highlight,
                  figures=tuple(figures), more=tuple(more))


def _citations(c: Candidate, report: Report, first_n: int) -> list[Citation]:
    """One citation per outlet that published the sentence's report."""
    context = c.previous or None
    out = [Citation(n=first_n, sentence=c.sentence.text, report_id=report.id,
                    title=report.title, date=report.date, source=report.source, url=report.url,
                    score=float(c.score), sentence_id=c.sentence.id, context=context)]
    for other in report.also_reported_by:
        out.append(Citation(n=first_n + len(out), sentence=c.sentence.text, report_id=report.id,
                            title=report.title, date=report.date, source=other.source,
                            url=other.url, score=float(c.score), sentence_id=c.sentence.id,
                            context=context))
    return out


def _disagreement(question: str, kind: Kind | None, relevant: list[Candidate],
                  top: Candidate, store: Store) -> tuple[list[Figure], list[Candidate]]:
    """Figures for the asked quantity from different reports, newest first, when they differ."""
    if kind != "quantity":
        return [], []
    span = key_span(question, top.sentence.text, kind)
    if span is None:
        return [], []
    unit = next((q.unit for q in find_quantities(top.sentence.text) if q.text == span), "")
    per_report: dict[str, tuple[Candidate, str, float]] = {}
    for c in relevant[:12]:
        if c.score < 0.6 * top.score or c.sentence.report_id in per_report:
            continue
        s = key_span(question, c.sentence.text, kind)
        if s is None:
            continue
        q_unit = next((q.unit for q in find_quantities(c.sentence.text) if q.text == s), "")
        value = parse_number(s)
        if value is None or (unit and q_unit and q_unit != unit):
            continue
        per_report[c.sentence.report_id] = (c, s, value)
    if len({v for _, _, v in per_report.values()}) < 2:
        return [], []
    reports = store.get_reports(per_report)
    ordered = sorted(per_report.items(), key=lambda kv: reports[kv[0]].instant, reverse=True)
    figures = [Figure(value=s, report_id=rid, title=reports[rid].title, date=reports[rid].date,
                      source=reports[rid].source) for rid, (_, s, _) in ordered]
    return figures, [c for _, (c, _, _) in ordered]
