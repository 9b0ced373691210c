"""Compose time of a day's digest, before/after clustering, measured back to back.

Usage::

    python -m tests.bench.time_events --work-dir .bench/digest 1987-03-02 [--repeats 5]

The days must already be ingested in ``--work-dir`` (``tests.bench.show_events`` does it).
Old and new parameters alternate, and the best of ``--repeats`` runs is kept for each, so a
busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.digest import ClusterParams, DigestParams, compose_digest
from index.embedder import SentenceTransformerEmbedder
from index.library import Library

OLD = ClusterParams(threshold=0.35, unshared_penalty=0.0, section_threshold=9.0)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("days", nargs="+")
    args = ap.parse_args(argv)
    print("| day | reports | before (s) | after (s) |\n|---|---|---|---|")
    with Library(Path(args.work_dir), SentenceTransformerEmbedder()) as library:
        for day in args.days:
            until = (np.datetime64(day) + np.timedelta64(1, "D")).astype(str)
            best = {"old": float("inf"), "new": float("inf")}
            n = 0
            for _ in range(args.repeats):
                for label, params in (("old", replace(DigestParams(), cluster=OLD)),
                                      ("new", DigestParams())):
                    start = time.perf_counter()
                    digest = compose_digest(library, day, until, params=params)
                    best[label] = min(best[label], time.perf_counter() - start)
                    n = digest.n_reports
            print(f"| {day} | {n} | {best['old']:.2f} | {best['new']:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
