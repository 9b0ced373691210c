"""Ingest rate against the raw int8 encode rate of the same sentences, in one process.

Usage: ``python -m tests.bench.bench_ingest --reuters ../shared/data/reuters21578.jsonl.gz
--sentences 3000`` (issue 12: ingest at >= 90% of the embedder's raw encode rate).

Both sides get the same embedder object (same onnxruntime session, threads and batch size of
64), warmed up first, and the spaCy entity model is loaded before timing. The raw side encodes
the sentences in the chunks ``Library.ingest`` encodes them in (it flushes every >= 2048
sentences, and ``encode`` sorts by length within a chunk), so both pad alike; the rate of one
``encode`` over all sentences is printed too. Raw, ingest and raw again run one after the
other (the machine is shared): the ratio uses the mean of the two raw runs. ``--profile``
prints where the ingest's main thread spends its time (cProfile; the NER thread is not in it).
"""

from __future__ import annotations

import argparse
import cProfile
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
from index.library import Library
from index.models import ReportDraft
from index.sentences import split_sentences
from tests.bench.bench_core import until_sentences


def chunks(drafts: Sequence[ReportDraft], flush_at: int = 2048) -> list[list[str]]:
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


def raw_rate(embedder: Embedder, groups: list[list[str]]) -> float:
    n = sum(len(g) for g in groups)
    t0 = time.perf_counter()
    for g in groups:
        embedder.encode(g)
    return n / (time.perf_counter() - t0)


def ingest_rate(drafts: Sequence[ReportDraft], embedder: Embedder, target: Path,
                profile: bool) -> tuple[float, int]:
    shutil.rmtree(target, ignore_errors=True)
    with Library(target, embedder) as lib:
        prof = cProfile.Profile() if profile else None
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        result = lib.ingest(drafts)
        if prof:
            prof.disable()
        seconds = time.perf_counter() - t0
    if prof:
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    return result.sentences_added / seconds, result.sentences_added


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--embedder", default="onnx-int8")
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
    raw1 = raw_rate(embedder, groups)
    rate, n = ingest_rate(drafts, embedder, work / "data", args.profile)
    raw2 = raw_rate(embedder, groups)
    t0 = time.perf_counter()
    embedder.encode(flat)
    one = len(flat) / (time.perf_counter() - t0)
    raw = (raw1 + raw2) / 2
    print(f"{len(drafts)} reports, {len(flat):,} sentences ({n:,} stored), {args.embedder}\n"
          f"raw encode (ingest's chunks): {raw1:.0f} then {raw2:.0f} sentences/s; "
          f"one encode over all: {one:.0f}/s\n"
          f"ingest: {rate:.0f} sentences/s = {100 * rate / raw:.0f}% of raw")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
