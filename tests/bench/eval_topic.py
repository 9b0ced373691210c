"""The digest's topic filter against Reuters' own topic labels, for one-word topics.

Usage: ``python -m tests.bench.eval_topic --squad ../shared/data/squad_v1.1_dev.jsonl.gz
--reuters ../shared/data/reuters21578.jsonl.gz`` (the pools are ``eval_rerank``'s, built
under ``--work`` on first use: all reports dated 1987-03-02 .. 03-04, the tuning split).

A report is on a topic when the digest's rule keeps it: half the topic's words start a word
of its title or text, or one of its sentences is within the similarity threshold of the
topic (:func:`index.digest._matches_topic`). Each of 13 one-word topics is compared with the
reports whose Reuters label is its own (``takeover``: ``acq``); precision, recall and F1 per
threshold, and the mean F1 over the topics.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Sequence

import numpy as np

from index.digest import DigestParams, _words
from index.embedder import SentenceTransformerEmbedder
from tests.bench.eval_rerank import pools

TOPICS = (("wheat", "wheat"), ("coffee", "coffee"), ("gold", "gold"), ("oil", "crude"),
          ("takeover", "acq"), ("acquisition", "acq"), ("earnings", "earn"),
          ("profits", "earn"), ("currency", "money-fx"), ("trade", "trade"),
          ("sugar", "sugar"), ("shipping", "ship"), ("grain", "grain"))


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--squad", required=True)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--dev", default=None)
    ap.add_argument("--work", default=".bench/rerank")
    ap.add_argument("--thresholds", default=f"{DigestParams().topic_similarity},"
                                            f"{DigestParams().topic_word_similarity}")
    args = ap.parse_args(argv)
    if args.dev is None:
        from tests.bench.eval_rerank import DEV
        args.dev = str(DEV)
    args.strict = False
    embedder = SentenceTransformerEmbedder()
    _, lib, _, _, _ = pools(args, embedder)
    labels: dict[str, set[str]] = {}
    with gzip.open(args.reuters, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            labels[str(row["id"])] = set(row.get("topics") or [])
    rows = lib.store.query("SELECT id, report_id FROM sentences", ())
    vectors = lib.store.vectors([int(str(r[0])) for r in rows], embedder.dim)
    by_report: dict[str, list[int]] = {}
    for i, (_, rid) in enumerate(rows):
        by_report.setdefault(str(rid), []).append(i)
    words_of = {r.id: set(re.findall(r"[a-z0-9]+", f"{r.title} {lib.store.report_text(r.id)}"
                                                 .lower())) for r in lib.reports()}
    thresholds = [float(t) for t in args.thresholds.split(",")]
    print("| topic (label, reports) | " + " | ".join(f"P / R / F1 at {t}" for t in thresholds)
          + " |")
    print("|---|" + "---|" * len(thresholds))
    means = [0.0] * len(thresholds)
    for topic, label in TOPICS:
        starts = _words(topic)
        vec = embedder.encode([topic])[0]
        vec = vec / np.linalg.norm(vec)
        sims = vectors @ vec
        relevant = {rid for rid in by_report if label in labels.get(rid, set())}
        cells = []
        for i, t in enumerate(thresholds):
            kept = {rid for rid, idx in by_report.items()
                    if 2 * sum(any(w.startswith(s) for w in words_of.get(rid, ()))
                               for s in starts) >= len(starts)
                    or float(sims[idx].max()) >= t}
            p = len(kept & relevant) / max(len(kept), 1)
            r = len(kept & relevant) / max(len(relevant), 1)
            means[i] += f1(p, r) / len(TOPICS)
            cells.append(f"{p:.2f} / {r:.2f} / {f1(p, r):.2f}")
        print(f"| {topic} ({label}, {len(relevant)}) | " + " | ".join(cells) + " |")
    print("| **mean F1** | " + " | ".join(f"**{m:.3f}**" for m in means) + " |")
    print(f"{len(lib.reports())} reports", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
