"""Answer quality on SQuAD v1.1 dev: every paragraph a report, every question asked.

Usage: ``python -m tests.bench.eval_squad --squad ../shared/data/squad_v1.1_dev.jsonl.gz``

A hit is a cited sentence that contains a gold answer. For the questions of articles 1-24
(tuning split) and 25-48 (held out) separately, it reports P@1, R@5 and MRR@100 of, in the
same run and over the same pool: BM25 alone (rank-bm25 over regex-split sentences, the
reference baseline), BM25 alone over our sentences (SQLite FTS5), dense alone (FAISS), the
fused ranking, and the full system (the first citation of ``Library.ask``). ``--tune`` grid-
searches the fusion weights on articles 1-24 only.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.answer import compose_answer
from index.embedders import EMBEDDERS, load_embedder
from index.library import Library
from index.models import ReportDraft
from index.retrieve import Retriever, Signals, Weights, fts_query, fuse


def load(path: str) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


@dataclass
class Scores:
    p1: int = 0
    r5: int = 0
    rr: float = 0.0
    n: int = 0

    def add(self, hits: Sequence[bool]) -> None:
        self.n += 1
        self.p1 += bool(hits[:1] and hits[0])
        self.r5 += any(hits[:5])
        self.rr += next((1.0 / (i + 1) for i, h in enumerate(hits[:100]) if h), 0.0)

    def row(self, name: str) -> str:
        return (f"| {name} | {100 * self.p1 / self.n:.2f}% | {100 * self.r5 / self.n:.2f}% | "
                f"{self.rr / self.n:.3f} |")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--squad", required=True)
    ap.add_argument("--tune", action="store_true", help="grid-search weights on articles 1-24")
    ap.add_argument("--limit", type=int, default=0, help="at most N questions per split")
    ap.add_argument("--held-out-only", action="store_true",
                    help="pool and questions of articles 25-48 only (a quicker embedder check)")
    ap.add_argument("--embedder", choices=EMBEDDERS, default="torch",
                    help="the embedding backend (default: torch, as the tables were made)")
    args = ap.parse_args(argv)

    rows = load(args.squad)
    titles = list(dict.fromkeys(str(r["title"]) for r in rows))
    article_no = {t: i + 1 for i, t in enumerate(titles)}
    if args.held_out_only:
        rows = [r for r in rows if article_no[str(r["title"])] > 24]
    paragraphs: dict[tuple[str, int], str] = {}
    for r in rows:
        paragraphs.setdefault((str(r["title"]), int(str(r["paragraph_index"]))),
                              str(r["context"]))
    print(f"{len(rows)} questions, {len(paragraphs)} paragraphs, {len(titles)} articles",
          file=sys.stderr)

    embedder = load_embedder(args.embedder)
    print(f"embedder: {args.embedder}", file=sys.stderr)
    tmp = tempfile.mkdtemp(prefix="squad-eval-")
    lib = Library(Path(tmp), embedder)
    t0 = time.perf_counter()
    drafts = [ReportDraft(title=f"{t} #{i}", text=ctx, report_id=f"{article_no[t]}-{i}")
              for (t, i), ctx in paragraphs.items()]
    result = lib.ingest(drafts)
    print(f"ingested {len(result.added)} reports, {result.sentences_added} sentences in "
          f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)

    # Reference baseline: rank-bm25 over regex-split sentences of all paragraphs.
    from rank_bm25 import BM25Okapi

    regex_sents = [s for ctx in paragraphs.values()
                   for s in re.split(r"(?<=[.!?])\s+", ctx.strip()) if s]
    tokenize = re.compile(r"\w+").findall
    bm25 = BM25Okapi([tokenize(s.lower()) for s in regex_sents])
    print(f"rank-bm25 pool: {len(regex_sents)} regex sentences", file=sys.stderr)

    splits = {"articles 1-24 (tuning)": [r for r in rows if article_no[str(r["title"])] <= 24],
              "articles 25-48 (held out)": [r for r in rows
                                            if article_no[str(r["title"])] > 24]}
    if args.limit:
        splits = {k: v[:args.limit] for k, v in splits.items()}
    splits = {k: v for k, v in splits.items() if v}
    retriever = lib.retriever
    all_q = [str(r["question"]) for v in splits.values() for r in v]
    t0 = time.perf_counter()
    qvecs = dict(zip(all_q, embedder.encode(all_q), strict=True))
    print(f"encoded {len(all_q)} questions in {time.perf_counter() - t0:.1f}s", file=sys.stderr)

    def golds(r: dict[str, object]) -> list[str]:
        return [norm(str(a)) for a in r["answers"]]  # type: ignore[attr-defined]

    def hit(text: str, gold: list[str]) -> bool:
        t = norm(text)
        return any(g and g in t for g in gold)

    signals: dict[str, list[tuple[Signals, np.ndarray]]] = {}
    for split, qs in splits.items():
        out = []
        for r in qs:
            q = str(r["question"])
            sig = retriever.signals(q, qvecs[q])
            gold = golds(r)
            out.append((sig, np.array([hit(s.text, gold) for s in sig.sentences], dtype=bool)))
        signals[split] = out

    def fused_scores(items: list[tuple[Signals, np.ndarray]], w: Weights) -> Scores:
        sc = Scores()
        for sig, hits in items:
            order = np.argsort(-fuse(sig, w), kind="stable")
            sc.add(list(hits[order[:100]]))
        return sc

    weights = retriever.weights
    if args.tune:
        tune = signals["articles 1-24 (tuning)"]
        best: tuple[float, Weights] | None = None
        for wl, wr, wk in itertools.product((0.2, 0.35, 0.5, 0.7, 1.0), (0.0, 0.15, 0.3, 0.5),
                                            (0.0, 0.04, 0.08, 0.15)):
            w = replace(weights, lexical=wl, report=wr, kind_bonus=wk)
            sc = fused_scores(tune, w)
            key = sc.p1 + sc.rr
            print(f"  tune lexical={wl} report={wr} kind={wk}: P@1 "
                  f"{100 * sc.p1 / sc.n:.2f}% MRR {sc.rr / sc.n:.3f}", file=sys.stderr)
            if best is None or key > best[0]:
                best = (key, w)
        assert best is not None
        weights = best[1]
        print(f"best on articles 1-24: {weights}", file=sys.stderr)
        retriever = Retriever(lib.store, lib.vectors, embedder, weights)

    print(f"\nSQuAD v1.1 dev, {len(paragraphs)} paragraphs ingested as reports "
          f"({result.sentences_added} sentences in one pool). Hit = the cited sentence "
          "contains a gold answer.\n")
    for split, qs in splits.items():
        ref, fts, dense, fused, full = Scores(), Scores(), Scores(), Scores(), Scores()
        lat: list[float] = []
        for r, (sig, hits) in zip(qs, signals[split], strict=True):
            q = str(r["question"])
            gold = golds(r)
            scores = bm25.get_scores(tokenize(q.lower()))
            top = np.argsort(-scores)[:100]
            ref.add([hit(regex_sents[i], gold) for i in top])
            fts_ids = [sid for sid, _ in lib.store.bm25(fts_query(q), 100)]
            sents = lib.store.sentences(fts_ids)
            fts.add([hit(sents[i].text, gold) for i in fts_ids if i in sents])
            dense_ids = [sid for sid, _ in lib.vectors.search(qvecs[q], 100)]
            sents = lib.store.sentences(dense_ids)
            dense.add([hit(sents[i].text, gold) for i in dense_ids])
            order = np.argsort(-fuse(sig, weights), kind="stable")
            fused.add(list(hits[order[:100]]))
            t0 = time.perf_counter()
            answer = compose_answer(q, retriever, lib.store)
            lat.append(time.perf_counter() - t0)
            full.add([hit(c.sentence, gold) for c in answer.citations] or [False])
        print(f"### {split}: {len(qs)} questions\n")
        print("| system | P@1 | R@5 | MRR@100 |\n|---|---|---|---|")
        print(ref.row("BM25 alone (rank-bm25, regex sentences)"))
        print(fts.row("BM25 alone (SQLite FTS5, our sentences)"))
        print(dense.row("dense alone (all-MiniLM-L6-v2, FAISS)"))
        print(fused.row("hybrid fused ranking"))
        print(full.row("full system: first citation of `ask` (R@5/MRR over its citations)"))
        print(f"\nmedian `ask` time (question already embedded): "
              f"{1000 * float(np.median(lat)):.1f} ms\n")
    lib.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
