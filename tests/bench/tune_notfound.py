"""Choosing the "not found" weights and threshold of :mod:`index.notfound`, on tuning splits only.

Usage::

    python -m tests.bench.tune_notfound --squad ../shared/data/squad_v1.1_dev.jsonl.gz \\
        --reuters ../shared/data/reuters21578.jsonl.gz [--limit 400]

Uses the pools of :mod:`tests.bench.eval_rerank` (built there once). For every question of
the tuning splits — SQuAD articles 1-24 (every k-th, all answerable), the tuning part of
``tests/bench/reuters_dev.jsonl`` and the tuning part of its unanswerable questions — it
takes the reranker's best candidate and the counts of :func:`index.notfound.missing_words`,
then grid-searches (unknown weight, rare weight, threshold) and lists the settings with the
fewest unanswerable questions answered, subject to at most 1.5% of answerable tuning
questions "not found" and at most one SQuAD tuning hit lost; the committed
:class:`index.notfound.Confidence` is the first of them (with the reranker of this
branch: unknown 2, rare 1, threshold 4.125, the middle of the tied thresholds 4.0 / 4.25).
Held-out questions are never read; ``eval_rerank`` reports them.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.answer import Thresholds, is_relevant
from index.embedder import SentenceTransformerEmbedder
from index.notfound import Confidence, missing_words
from tests.bench.eval_rerank import DEV, pools


@dataclass(frozen=True)
class Row:
    answerable: bool
    squad: bool
    relevant: bool  # the similarity thresholds alone would answer
    hit: bool
    rank: float
    unknown: int
    rare: int


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--squad", required=True)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--dev", default=str(DEV))
    ap.add_argument("--work", default=".bench/rerank")
    ap.add_argument("--limit", type=int, default=400, help="about N SQuAD tuning questions")
    args = ap.parse_args(argv)
    embedder = SentenceTransformerEmbedder()
    squad, reuters, sq, dev, unanswerable = pools(args, embedder)
    sq = [q for q in sq if q.split == "tuning"]
    sq = sq[::max(1, len(sq) // args.limit)]
    sets = ((squad, sq, True), (reuters, [q for q in dev if q.split == "tuning"], True),
            (reuters, [q for q in unanswerable if q.split == "tuning"], False))
    texts = list(dict.fromkeys(q.text for _, qs, _ in sets for q in qs))
    qvecs = dict(zip(texts, np.asarray(embedder.encode(texts), dtype=np.float32), strict=True))
    rows: list[Row] = []
    for lib, qs, answerable in sets:
        for q in qs:
            cands = lib.retriever.search(q.text, k=30, query=qvecs[q.text])
            top = cands[0]
            title = lib.store.get_reports([top.sentence.report_id])[top.sentence.report_id].title
            unknown, rare = missing_words(q.text, top, title, lib.store)
            rows.append(Row(answerable, lib is squad,
                            any(is_relevant(q.text, c, Thresholds()) for c in cands),
                            answerable and q.hit(top.sentence.text, top.sentence.report_id),
                            top.rank, unknown, rare))
    n_ans = sum(r.answerable for r in rows)
    n_un = len(rows) - n_ans

    def tally(wu: float, wr: float, th: float) -> tuple[int, int, int]:
        found = [r.relevant and r.rank - wu * r.unknown - wr * r.rare >= th for r in rows]
        pairs = list(zip(rows, found, strict=True))
        return (sum(not r.answerable and f for r, f in pairs),
                sum(r.answerable and not f for r, f in pairs),
                sum(r.squad and r.hit and not f for r, f in pairs))

    ok = []
    for wu, wr, th in itertools.product((0, 1, 2, 3, 4, 6), (0, 0.5, 1, 2, 3),
                                        np.arange(0, 14, 0.25)):
        answered, not_found, lost = tally(wu, wr, float(th))
        if not_found <= 0.015 * n_ans and lost <= 1:
            ok.append((answered, not_found, lost, wu, wr, float(th)))
    print(f"tuning: {n_ans} answerable, {n_un} unanswerable. Settings with <= 1.5% answerable "
          "not found and <= 1 SQuAD hit lost, fewest unanswerable answered first:")
    for answered, not_found, lost, wu, wr, th in sorted(ok)[:15]:
        print(f"  unknown={wu} rare={wr} threshold={th}: unanswerable answered {answered}/{n_un},"
              f" answerable not found {not_found}/{n_ans}, SQuAD hits lost {lost}")
    c = Confidence()
    answered, not_found, lost = tally(c.unknown, c.rare, c.threshold)
    print(f"committed {c}: unanswerable answered {answered}/{n_un}, answerable not found "
          f"{not_found}/{n_ans}, SQuAD hits lost {lost}")
    squad.close()
    reuters.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
