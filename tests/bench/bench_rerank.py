"""Speed of the entity-aware pipeline: ingest next to the raw model, and `ask` at 100k.

Usage: ``python -m tests.bench.bench_rerank --reuters ../shared/data/reuters21578.jsonl.gz``

1. Ingest rate (split + embed + NER + SQLite + FAISS) of a fresh data directory over the
   first N Reuters sentences, next to the raw ``SentenceTransformer.encode`` rate over the
   very same sentences (batch 64), and next to ingest without NER, all in this run.
2. ``ask`` latency p50/p95, warm, over about 100k Reuters sentences, with the reranker and
   with the old fusion, same questions, same run. The 100k directory (kept under
   ``--work``) is built with real sentences and real entities, but with stand-in vectors
   (a hashed bag of words of the same size, stored under the real model's name) because
   embedding 100k sentences takes longer than this machine can give; the questions are
   embedded by the real model. Every step of ``ask`` is the real one; only which
   sentences the dense search returns differs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from index.embedder import SentenceTransformerEmbedder
from index.entities import Entity, EntityTagger
from index.library import Library
from index.models import ReportDraft
from index.retrieve import Retriever
from index.sentences import split_sentences
from tests.bench.bench_core import first_sentences
from tests.fakes import FakeEmbedder

DEV = Path(__file__).with_name("reuters_dev.jsonl")


class NoTagger(EntityTagger):
    """Ingest without NER, for comparison."""

    def tag(self, sentences: Sequence[str]) -> list[list[Entity]]:
        return [[] for _ in sentences]


def reports(path: str) -> Iterator[ReportDraft]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("text", "").strip():
                yield ReportDraft(title=r.get("title") or "", text=r["text"], date=r.get("date"),
                                  source="Reuters", report_id=str(r["id"]))


def until(path: str, target: int) -> list[ReportDraft]:
    return first_sentences(reports(path), target)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--ingest-sentences", type=int, default=3000)
    ap.add_argument("--work", default=".bench")
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="only build the 100k directory")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(exist_ok=True)
    embedder = SentenceTransformerEmbedder()
    rows = ["| measure | value |", "|---|---|"]

    if not args.skip_ingest:
        drafts = until(args.reuters, args.ingest_sentences)
        sentences = [s for d in drafts for s in split_sentences(d.text)]
        EntityTagger().tag(sentences[:8])  # load spaCy before timing, as the model is
        raw = embedder._model
        raw.encode(sentences[:64], batch_size=64)
        t0 = time.perf_counter()
        raw.encode(sentences, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                   show_progress_bar=False)
        raw_rate = len(sentences) / (time.perf_counter() - t0)
        rates = {}
        for name, tagger in (("with NER", EntityTagger()), ("without NER", NoTagger())):
            fresh = work / f"ingest-{name.replace(' ', '-')}"
            shutil.rmtree(fresh, ignore_errors=True)
            with Library(fresh, embedder, tagger) as lib:
                t0 = time.perf_counter()
                result = lib.ingest(drafts)
                rates[name] = result.sentences_added / (time.perf_counter() - t0)
            shutil.rmtree(fresh, ignore_errors=True)
        rows += [f"| raw `SentenceTransformer.encode`, {len(sentences):,} Reuters sentences, "
                 f"batch 64 | {raw_rate:.0f} sentences/s |"]
        rows += [f"| `Library.ingest` of the same {len(drafts)} reports, {name} | "
                 f"{rate:.0f} sentences/s ({100 * rate / raw_rate:.0f}% of raw) |"
                 for name, rate in rates.items()]
        print("\n".join(rows), file=sys.stderr)

    big = work / f"latency-{args.big // 1000}k"
    stand_in = FakeEmbedder(dim=embedder.dim, name=embedder.name)
    with Library(big, stand_in) as lib:  # type: ignore[arg-type]
        if lib.stats().sentences < args.big * 0.95:
            t0 = time.perf_counter()
            lib.ingest(until(args.reuters, args.big))
            print(f"built {big} in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    if args.build_only:
        return 0
    questions = [json.loads(line)["question"] for line in DEV.open(encoding="utf-8")][:200]
    with Library(big, embedder) as lib:
        n = lib.stats().sentences
        old = Retriever(lib.store, lib.vectors, embedder, rerank=False)
        for name, retriever in (("learned reranker", lib.retriever), ("old fusion", old)):
            lib.retriever = retriever
            for q in questions[:5]:
                lib.ask(q)
            times = []
            for q in questions:
                t0 = time.perf_counter()
                lib.ask(q)
                times.append(1000 * (time.perf_counter() - t0))
            rows.append(f"| `ask` latency, warm, {n:,} sentences, {len(questions)} questions, "
                        f"{name} | p50 {statistics.median(times):.1f} ms, "
                        f"p95 {float(np.percentile(times, 95)):.1f} ms |")
            print(rows[-1], file=sys.stderr)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
