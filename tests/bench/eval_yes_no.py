"""Yes/no questions over the Reuters pool of ``eval_rerank``: answered, and from which report.

Usage: ``python -m tests.bench.eval_yes_no --squad ../shared/data/squad_v1.1_dev.jsonl.gz
--reuters ../shared/data/reuters21578.jsonl.gz`` (the pools are ``eval_rerank``'s, built
under ``--work`` on first use).

``tests/bench/reuters_yes_no.jsonl`` holds our own questions: 20 over reports dated
1987-03-02 .. 03-04 with the report(s) that settle them, and 20 about companies, places and
events that no report of those days covers (``reports`` empty). An answerable question
counts when it is answered and its first citation (or one of its first three) comes from a
named report; an unanswerable one counts against us when it is answered at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from index.answer import compose_answer
from index.embedder import SentenceTransformerEmbedder
from tests.bench.eval_rerank import DEV, QuestionVectors, load, pools

QUESTIONS = DEV.with_name("reuters_yes_no.jsonl")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--squad", required=True)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--work", default=".bench/rerank")
    args = ap.parse_args(argv)
    args.dev, args.strict, args.limit = str(DEV), False, 0
    embedder = SentenceTransformerEmbedder()
    _, reuters, _, _, _ = pools(args, embedder)
    rows = load(QUESTIONS)
    texts = [str(r["question"]) for r in rows]
    vectors = QuestionVectors(embedder, texts)
    retriever = reuters.retriever
    retriever.embed = lambda q: vectors[q]  # type: ignore[method-assign]
    n = found = first = three = asked = answered = 0
    for row, text in zip(rows, texts, strict=True):
        answer = compose_answer(text, retriever, reuters.store)
        gold = set(row["reports"])  # type: ignore[call-overload]
        ids = [c.report_id for c in answer.citations]
        if not gold:
            asked += 1
            answered += answer.found
            if answer.found:
                print(f"answered anyway: {text}", file=sys.stderr)
            continue
        n += 1
        found += answer.found
        first += bool(ids[:1] and ids[0] in gold)
        three += any(i in gold for i in ids[:3])
    print(f"| answerable yes/no questions ({n}) | found {found} | a named report first "
          f"{first} | one in the first 3 citations {three} |")
    print(f"| unanswerable yes/no questions ({asked}) | answered anyway {answered} "
          f"({100 * answered / max(asked, 1):.0f}%) | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
