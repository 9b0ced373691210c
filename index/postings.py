"""Keeping BM25 cheap on large stores: a question's words within a budget of postings.

SQLite's FTS5 scores every sentence that holds any word of an ``OR`` query before it keeps
the best ones, at a few microseconds a sentence: at a million sentences a common word
("year", "mln") holds 50,000-150,000 of them and one question's BM25 took 0.2-0.6 s
(BENCHMARKS.md, issue 12). :func:`affordable` counts each word's sentences (cheaply, up to
the budget, with the store's ``term_frequencies``) and, when the words together hold more
than :data:`BUDGET` sentences, leaves out the most common ones: the rarest word is always
kept, then the next rarest while the total stays within the budget. Below the budget (every
small store) the words are unchanged, so BM25 is exactly as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from index.backends.base import LEXICAL_BUDGET, ReportStore

log = logging.getLogger(__name__)

BUDGET = LEXICAL_BUDGET  # sentences BM25 may score for one question


def affordable(store: ReportStore, words: Sequence[str], budget: int | None = None) -> list[str]:
    """``words`` (in their order) without the most common ones when together they occur in
    more than ``budget`` (default :data:`BUDGET`) sentences; the rarest is always kept."""
    budget = BUDGET if budget is None else budget
    counts = store.term_frequencies(words, budget + 1)
    if sum(counts.values()) <= budget:
        return list(words)
    kept: set[str] = set()
    used = 0
    for word in sorted(words, key=lambda w: counts[w]):
        if kept and used + counts[word] > budget:
            break
        kept.add(word)
        used += counts[word]
    log.debug("BM25 over %s of %s (sentences: %s)", sorted(kept), list(words), counts)
    return [w for w in words if w in kept]
