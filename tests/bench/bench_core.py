"""Speed and memory of the core, next to the raw model measured in the same run.

Usage: ``python -m tests.bench.bench_core --reuters ../shared/data/reuters21578.jsonl.gz``

1. Ingest rate (sentences/s) of a fresh data directory over N Reuters reports, next to the
   raw ``SentenceTransformer.encode`` rate over the very same sentences (same batch size).
2. ``ask`` latency p50/p95, warm, at about 10k and 100k sentences (the 100k directory is
   built once and kept under ``--work``, default ``.bench/``, so re-runs skip it).
3. Cold start to the first answer (a fresh ``briefbot ask`` process) and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from index.embedder import SentenceTransformerEmbedder
from index.library import Library
from index.models import ReportDraft
from index.sentences import split_sentences


def reports(path: str) -> Iterator[ReportDraft]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("text", "").strip():
                yield ReportDraft(title=r.get("title") or "", text=r["text"], date=r.get("date"),
                                  source="Reuters", report_id=f"reuters-{r['id']}")


def until_sentences(path: str, target: int) -> list[ReportDraft]:
    return first_sentences(reports(path), target)


def first_sentences(drafts: Iterable[ReportDraft], target: int) -> list[ReportDraft]:
    """The first drafts that hold at least ``target`` sentences between them."""
    out, n = [], 0
    for d in drafts:
        out.append(d)
        n += len(split_sentences(d.text))
        if n >= target:
            break
    return out


def questions(drafts: Sequence[ReportDraft], n: int) -> list[str]:
    step = max(1, len(drafts) // n)
    return [f"what happened to {d.title.lower()}?" for d in drafts[::step][:n]]


def latency(lib: Library, qs: Sequence[str]) -> tuple[float, float]:
    for q in qs[:5]:
        lib.ask(q)  # warm up
    times = []
    for q in qs:
        t0 = time.perf_counter()
        lib.ask(q)
        times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times), float(np.percentile(times, 95))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--ingest-sentences", type=int, default=5000)
    ap.add_argument("--work", default=".bench")
    ap.add_argument("--big", type=int, default=100_000, help="sentences in the large index")
    ap.add_argument("--questions", type=int, default=200)
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(exist_ok=True)

    t0 = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    load_s = time.perf_counter() - t0
    rows = ["| measure | value |", "|---|---|", f"| model load (warm disk) | {load_s:.1f} s |"]

    # 1. ingest vs raw encode, same sentences
    drafts = until_sentences(args.reuters, args.ingest_sentences)
    sentences = [s for d in drafts for s in split_sentences(d.text)]
    raw_model = embedder._model  # the very same SentenceTransformer
    t0 = time.perf_counter()
    raw_model.encode(sentences, batch_size=64, normalize_embeddings=True,
                     convert_to_numpy=True, show_progress_bar=False)
    raw_rate = len(sentences) / (time.perf_counter() - t0)
    fresh = work / f"ingest-{int(time.time())}"
    with Library(fresh, embedder) as lib:
        t0 = time.perf_counter()
        result = lib.ingest(drafts)
        ingest_rate = result.sentences_added / (time.perf_counter() - t0)
    subprocess.run(["rm", "-rf", str(fresh)], check=True)
    rows += [
        f"| raw `SentenceTransformer.encode` ({len(sentences)} Reuters sentences, batch 64) | "
        f"{raw_rate:.0f} sentences/s |",
        f"| `Library.ingest` of the same {len(drafts)} reports (split + embed + SQLite + FAISS)"
        f" | {ingest_rate:.0f} sentences/s ({100 * ingest_rate / raw_rate:.0f}% of raw) |",
    ]

    # 2. warm ask latency at ~10k and ~100k sentences
    for target in (10_000, args.big):
        d = work / f"reuters-{target // 1000}k"
        drafts = until_sentences(args.reuters, target)
        with Library(d, embedder) as lib:
            if lib.stats().sentences < target * 0.95:
                t0 = time.perf_counter()
                lib.ingest(drafts)
                print(f"built {d} in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
            n = lib.stats().sentences
            p50, p95 = latency(lib, questions(drafts, args.questions))
        rows.append(f"| `ask` latency, warm, {n:,} sentences ({args.questions} questions) | "
                    f"p50 {p50:.1f} ms, p95 {p95:.1f} ms |")

    # 3. cold start to first answer, in a fresh process that reports its own peak RSS
    big = work / f"reuters-{args.big // 1000}k"
    probe = ("import resource, sys\nfrom bot.cli import main\ncode = main(sys.argv[1:])\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
             "sys.exit(code)")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, "ask", "--data-dir", str(big),
                           "--json", "what did the oil ministers agree?"],
                          check=True, capture_output=True, text=True)
    cold = time.perf_counter() - t0
    child_rss = int(done.stderr.strip().splitlines()[-1]) / 1024
    own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows += [f"| cold start to first answer (new process, {args.big // 1000}k index) | "
             f"{cold:.1f} s |",
             f"| peak memory, that `briefbot ask` process | {child_rss:.0f} MiB |",
             f"| peak memory, this benchmark (model + 100k index in process) | "
             f"{own_rss:.0f} MiB |"]
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
