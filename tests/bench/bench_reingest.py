"""Re-ingest idempotency on three days of Reuters: the same JSONL ingested three times must
leave the same number of reports (exact copies under other ids included).

Counts only, so the small fake embedder stands in for the model (which changes no count):
``python -m tests.bench.bench_reingest --reuters ../shared/data/reuters21578.jsonl.gz``.
The days are from the tuning split (before 1987-04-01).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

from index.library import Library, content_hash
from index.loaders import load_inputs
from tests.fakes import FakeEmbedder

DAYS = ("1987-03-02", "1987-03-03", "1987-03-04")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuters", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with gzip.open(args.reuters, "rt", encoding="utf-8") as fh:
        lines = [line for line in fh if (json.loads(line).get("date") or "")[:10] in DAYS]
    records = [json.loads(line) for line in lines]
    distinct = len({content_hash(r.get("title") or "", r.get("text") or "") for r in records})
    print(f"`python -m tests.bench.bench_reingest {' '.join(argv or sys.argv[1:])}`\n")
    print(f"{len(records)} records of {', '.join(DAYS)}; {distinct} distinct contents\n")
    print("| run | added | updated | unchanged | merged | reports stored | seconds |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "days.jsonl"
        path.write_text("".join(lines), encoding="utf-8")
        with Library(Path(tmp) / "data", FakeEmbedder()) as library:
            for run in range(1, args.runs + 1):
                start = time.perf_counter()
                r = library.ingest(load_inputs([str(path)]))
                print(f"| {run} | {len(r.added)} | {len(r.updated)} | {len(r.unchanged)} | "
                      f"{len(r.merged)} | {library.stats().reports} | "
                      f"{time.perf_counter() - start:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
