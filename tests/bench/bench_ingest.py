"""Ingest rate against the raw int8 encode rate of the same sentences, in one process.

Usage: ``python -m tests.bench.bench_ingest --reuters ../shared/data/reuters21578.jsonl.gz
--sentences 3000`` (issue 12: ingest at >= 90% of the embedder's raw encode rate).

Both sides get the same embedder object (same onnxruntime sessions, threads and batching),
warmed up first, and the spaCy entity model is loaded before timing. The raw side encodes
the sentences in the chunks ``Library.ingest`` encodes them in (a group every >=
``GROUP_SENTENCES`` sentences; ``encode`` sorts each by length), so both pad alike; the rate
of one ``encode`` over all sentences is printed too. The machine is shared, so raw and ingest
alternate ``--repeat`` times (raw first) and the best run of each is compared; the process's
CPU seconds (user + system, all threads) of each best run are printed too, which other
processes' load inflates less. ``--profile`` prints where the last ingest's main thread
spends its time (cProfile; the NER thread is not in it).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from index.embedder import Embedder
from index.embedders import load_embedder
from index.entities import EntityTagger
from index.library import GROUP_SENTENCES, Library
from index.models import ReportDraft
from index.sentences import split_sentences
from tests.bench.bench_core import until_sentences


def chunks(drafts: Sequence[ReportDraft], flush_at: int = GROUP_SENTENCES
           ) -> list[list[str]]:
    """The sentences grouped as ``Library.ingest`` encodes them (a fresh store, no copies)."""
    out: list[list[str]] = []
    cur: list[str] = []
    for d in drafts:
        cur += split_sentences(d.text)
        if len(cur) >= flush_at:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def raw_rate(embedder: Embedder, groups: list[list[str]]) -> tuple[float, float]:
    """Sentences/s and CPU seconds of encoding ``groups`` one after the other."""
    n = sum(len(g) for g in groups)
    c0, t0 = cpu(), time.perf_counter()
    for g in groups:
        embedder.encode(g)
    return n / (time.perf_counter() - t0), cpu() - c0


def ingest_rate(drafts: Sequence[ReportDraft], embedder: Embedder, target: Path,
                profile: bool) -> tuple[float, float, int]:
    """Sentences/s and CPU seconds of ``Library.ingest`` into a new data directory."""
    shutil.rmtree(target, ignore_errors=True)
    with Library(target, embedder) as lib:
        prof = cProfile.Profile() if profile else None
        c0, t0 = cpu(), time.perf_counter()
        if prof:
            prof.enable()
        result = lib.ingest(drafts)
        if prof:
            prof.disable()
        seconds, used = time.perf_counter() - t0, cpu() - c0
    if prof:
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    return result.sentences_added / seconds, used, result.sentences_added


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--embedder", default="onnx-int8")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--work", default="")
    args = ap.parse_args(argv)
    drafts = until_sentences(args.reuters, args.sentences)
    groups = chunks(drafts)
    flat = [s for g in groups for s in g]
    embedder = load_embedder(args.embedder)
    embedder.encode(flat[:128])
    EntityTagger().tag(flat[:8])  # load spaCy before timing
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-ingest-"))
    raws, ingests = [], []
    n = 0
    for i in range(args.repeat):
        raws.append(raw_rate(embedder, groups))
        rate, used, n = ingest_rate(drafts, embedder, work / "data",
                                    args.profile and i == args.repeat - 1)
        ingests.append((rate, used))
        print(f"run {i + 1}: raw {raws[-1][0]:.0f}/s, ingest {rate:.0f}/s", file=sys.stderr,
              flush=True)
    t0 = time.perf_counter()
    embedder.encode(flat)
    one = len(flat) / (time.perf_counter() - t0)
    raw, raw_cpu = max(raws)
    best, best_cpu = max(ingests)
    print(f"{len(drafts)} reports, {len(flat):,} sentences ({n:,} stored), {args.embedder}, "
          f"best of {args.repeat}\n"
          f"raw encode (ingest's chunks): {raw:.0f} sentences/s, {raw_cpu:.1f} CPU s "
          f"(runs: {', '.join(f'{r:.0f}' for r, _ in raws)}); one encode over all: {one:.0f}/s\n"
          f"ingest: {best:.0f} sentences/s, {best_cpu:.1f} CPU s "
          f"(runs: {', '.join(f'{r:.0f}' for r, _ in ingests)})\n"
          f"ingest / raw: {100 * best / raw:.0f}% (wall), "
          f"{100 * (raw_cpu / len(flat)) / (best_cpu / n):.0f}% (CPU per sentence)")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
