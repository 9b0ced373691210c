"""Print the digest events of given Reuters days, for checking event purity by hand.

Usage::

    python -m tests.bench.show_events --reuters ../shared/data/reuters21578.jsonl.gz \\
        --work-dir .bench/digest 1987-03-02 1987-03-16 [--events 10] [--members 8]

Each day's reports are ingested into ``--work-dir`` (kept, so reruns only compose), the day's
digest is composed with the default parameters but ``--events`` events, and each event is
printed with its headline, the member report ids with their titles and Reuters topics. The
verdicts of the hand check live in ``tests/bench/event_purity.md``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.digest import DigestParams, compose_digest
from index.embedder import SentenceTransformerEmbedder
from index.library import Library
from tests.bench.eval_digest import ingest_days, load, main_topic


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--events", type=int, default=10)
    ap.add_argument("--members", type=int, default=8, help="member titles shown per event")
    ap.add_argument("days", nargs="+")
    args = ap.parse_args(argv)

    rows = load(args.reuters)
    by_day = {d: [r for r in rows if r["date"][:10] == d] for d in args.days}
    topics = {r["id"]: r["topics"] for rs in by_day.values() for r in rs}
    titles = {r["id"]: r["title"] for rs in by_day.values() for r in rs}
    with Library(Path(args.work_dir), SentenceTransformerEmbedder()) as library:
        known = {r.id for r in library.reports()}
        todo = {d: [r for r in rs if r["id"] not in known] for d, rs in by_day.items()}
        if any(todo.values()):
            ingest_days(library, todo)
        params = replace(DigestParams(), max_events=args.events)
        for day in args.days:
            until = (np.datetime64(day) + np.timedelta64(1, "D")).astype(str)
            digest = compose_digest(library, day, until, params=params)
            print(f"\n=== {day}: {digest.n_reports} reports, {len(digest.events)} events")
            for n, event in enumerate(digest.events, 1):
                ids = event.report_ids
                print(f"\n{day} #{n} [{main_topic(ids, topics)}] {len(ids)} report(s): "
                      f"{event.headline.text}")
                for rid in ids[:args.members]:
                    print(f"    {rid:>6} {','.join(topics.get(rid, [])):<18} "
                          f"{titles.get(rid, '?')}")
                if len(ids) > args.members:
                    print(f"    ... {len(ids) - args.members} more: "
                          + " ".join(ids[args.members:]))
                for moved in event.moved_figures:  # to check: same measure, same story
                    print(f"    moved: {moved} (report {moved.report_id})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
