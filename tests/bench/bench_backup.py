"""How long ``briefbot backup`` takes on a large data directory, with a writer running.

Usage: ``python -m tests.bench.bench_backup [--reports 5000]``

Builds a data directory of invented reports (20 sentences of random words each, so none is
a near copy of another) with the test suite's hashed bag-of-words embedder at 384
dimensions (the real model's size; its vectors are what the backup copies, not what they
mean), then times :func:`index.backup.backup_data_dir` twice: idle, and while another
thread keeps ingesting reports in the same directory.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from pathlib import Path

from index.backup import backup_data_dir
from index.library import Library
from index.models import ReportDraft
from tests.fakes import FakeEmbedder


def drafts(n: int, start: int, rng: random.Random) -> list[ReportDraft]:
    vocab = [f"w{i}" for i in range(20000)]
    return [ReportDraft(title=f"Report {k}", source=f"Outlet {k % 50}",
                        text=" ".join(" ".join(rng.choices(vocab, k=12)).capitalize() + "."
                                      for _ in range(20)))
            for k in range(start, start + n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=5000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    data, rng = root / "data", random.Random(1)
    lib = Library(data, FakeEmbedder(dim=384))
    lib.ingest(drafts(args.reports, 0, rng))
    stats = lib.stats()
    size = sum(p.stat().st_size for p in data.iterdir()) / 1e6
    print(f"data directory: {stats.reports} reports, {stats.sentences} sentences, "
          f"{size:.0f} MB")
    t = time.perf_counter()
    result = backup_data_dir(data, root / "idle")
    print(f"backup, idle: {time.perf_counter() - t:.2f} s ({result.reports} reports)")

    stop, n = threading.Event(), [args.reports]

    def write() -> None:
        while not stop.is_set():
            lib.ingest(drafts(5, n[0], rng))
            n[0] += 5

    writer = threading.Thread(target=write)
    writer.start()
    t = time.perf_counter()
    result = backup_data_dir(data, root / "busy")
    elapsed = time.perf_counter() - t
    stop.set()
    writer.join()
    print(f"backup, while ingesting: {elapsed:.2f} s ({result.reports} reports; "
          f"{n[0] - args.reports} written meanwhile; vectors in step: "
          f"{result.vectors_in_step})")
    lib.close()


if __name__ == "__main__":
    main()
