"""Digest quality: sentence selection on CNN/DailyMail, events on Reuters-21578 days.

Usage::

    python -m tests.bench.eval_digest --summeval ../shared/data/cnndm_summeval_100.jsonl.gz \\
        --realsumm ../shared/data/cnndm_realsumm_100.jsonl.gz \\
        --reuters ../shared/data/reuters21578.jsonl.gz [--tune] [--tune-days 10] [--days 20]

(a) Each CNN/DM article alone is the window: the first 3 sentences :func:`select_sentences`
picks (shown in article order) against the reference, ROUGE-1/2/Lsum F1 (``rouge-score``,
stemmer on), next to Lead-3 computed in the same run from the same sentence split.

(b) Reuters weekdays: every report of a sampled day is ingested (real model), and the digest
of that day composed. For each day: how many of the day's five most-reported ``topics`` are
the main topic of one of the digest's first five events (a baseline: the five newest
reports), the largest cosine between any two chosen sentences, and the time to compose.
Days before 1987-04-01 are the tuning split; ``--tune`` grid-searches the clustering and the
selection's position prior there only (for selection, ROUGE against each report's title).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from index.digest import (
    ClusterParams,
    Digest,
    DigestParams,
    SelectParams,
    compose_digest,
    select_sentences,
)
from index.embedder import Embedder, SentenceTransformerEmbedder
from index.library import Library
from index.models import ReportDraft
from index.sentences import split_sentences

SPLIT_DATE = "1987-04-01"


def load(path: str) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def detok(s: str) -> str:
    s = re.sub(r" (?=[.,!?;:%)\]])|(?<=[(\[$]) ", "", s)
    return re.sub(r" (?='s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)", "", s)


def scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)


def rouge(sc: Any, ref_sents: Sequence[str], sys_sents: Sequence[str]) -> tuple[float, ...]:
    s = sc.score("\n".join(ref_sents), "\n".join(sys_sents))
    return tuple(100 * s[k].fmeasure for k in ("rouge1", "rouge2", "rougeLsum"))


def mean_rows(rows: Sequence[tuple[float, ...]]) -> str:
    cols = list(zip(*rows, strict=True))
    return " / ".join(f"{statistics.fmean(c):.2f}" for c in cols)


# -- (a) sentence selection --------------------------------------------------------------------


def prepare_articles(path: str, embedder: Embedder) -> list[tuple[list[str], Any, list[str]]]:
    out = []
    for row in load(path):
        sents = split_sentences(detok(row["documents"][0]))
        ref = [s for s in re.split(r"(?<=[.!?]) (?=\S)", detok(row["summary"])) if s.strip()]
        out.append((sents, embedder.encode(sents), ref))
    return out


def eval_selection(name: str, articles: Sequence[tuple[list[str], Any, list[str]]],
                   systems: Sequence[tuple[str, SelectParams]]) -> list[str]:
    sc = scorer()
    lead = [rouge(sc, ref, sents[:3]) for sents, _, ref in articles]
    out = [f"| {name} | Lead-3 | {mean_rows(lead)} |"]
    for label, params in systems:
        ours = []
        for sents, vecs, ref in articles:
            picked = sorted(select_sentences(sents, vecs, 3, params=params))
            ours.append(rouge(sc, ref, [sents[i] for i in picked]))
        out.append(f"| {name} | {label} | {mean_rows(ours)} |")
    return out


def tune_selection(reports: Sequence[dict[str, Any]], embedder: Embedder) -> SelectParams:
    """Grid-search the position prior on tuning-split Reuters reports, the title as
    reference (the only reference Reuters has)."""
    sc = scorer()
    docs = []
    for r in reports:
        sents = split_sentences(r["text"])
        if len(sents) >= 5:
            docs.append((sents, embedder.encode(sents), [r["title"].lower()]))
    best, best_score = SelectParams(), -1.0
    print("\n| position_weight | position_decay | R1 vs title (Reuters tune) |\n|---|---|---|")
    for pw, pd in itertools.product((0.0, 0.1, 0.2, 0.35, 0.5, 1.0), (0.2, 0.5, 1.0)):
        params = replace(SelectParams(), position_weight=pw, position_decay=pd)
        scores = []
        for sents, vecs, ref in docs:
            picked = sorted(select_sentences(sents, vecs, 3, params=params))
            scores.append(rouge(sc, ref, [sents[i] for i in picked])[0])
        mean = statistics.fmean(scores)
        print(f"| {pw} | {pd} | {mean:.2f} |")
        if mean > best_score:
            best, best_score = params, mean
    print(f"\nchosen: position_weight={best.position_weight} "
          f"position_decay={best.position_decay}\n")
    return best


# -- (b) Reuters days ----------------------------------------------------------------------------


def weekdays(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    days: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        day = r["date"][:10]
        if np.datetime64(day).astype("datetime64[D]").item().weekday() < 5:
            days.setdefault(day, []).append(r)
    return {d: rs for d, rs in days.items() if len(rs) >= 100}


def main_topic(ids: Sequence[str], topics: dict[str, list[str]]) -> str | None:
    counts = Counter(t for rid in ids for t in topics.get(rid, []))
    return counts.most_common(1)[0][0] if counts else None


def topic_mixed(ids: Sequence[str], topics: dict[str, list[str]]) -> bool:
    """Two members with Reuters topics and none in common: surely two stories (a lower bound:
    two unrelated takeovers share ``acq``)."""
    sets = [set(topics.get(rid, [])) for rid in ids]
    sets = [t for t in sets if t]
    return any(not a & b for a, b in itertools.combinations(sets, 2))


def day_figures(library: Library, day: str, rows: Sequence[dict[str, Any]],
                params: DigestParams) -> tuple[int, int, float, float, Digest, int]:
    topics = {r["id"]: r["topics"] for r in rows}
    top5 = [t for t, _ in Counter(t for r in rows for t in r["topics"]).most_common(5)]
    until = (np.datetime64(day) + np.timedelta64(1, "D")).astype(str)
    start = time.perf_counter()
    digest = compose_digest(library, day, until, params=params)
    elapsed = time.perf_counter() - start
    found = {main_topic(e.report_ids, topics) for e in digest.events[:5]}
    newest = sorted(rows, key=lambda r: r["date"], reverse=True)[:5]
    base = {main_topic([r["id"]], topics) for r in newest}
    chosen = [s for e in digest.events for s in (e.headline, *e.sentences)]
    max_cos = 0.0
    if len(chosen) > 1:
        v = library.store.vectors([s.sentence_id for s in chosen], library.embedder.dim)
        sims = v @ v.T
        np.fill_diagonal(sims, -1)
        max_cos = float(sims.max())
    mixed = sum(topic_mixed(e.report_ids, topics) for e in digest.events[:5])
    return (len(set(top5) & found), len(set(top5) & base), max_cos, elapsed, digest, mixed)


def eval_days(library: Library, days: dict[str, list[dict[str, Any]]],
              params: DigestParams, label: str, verbose: bool = False) -> list[float]:
    hits, base_hits, coss, times, n_events, mixed = [], [], [], [], [], []
    for day, rows in sorted(days.items()):
        h, b, c, t, digest, m = day_figures(library, day, rows, params)
        mixed.append(m)
        hits.append(h)
        base_hits.append(b)
        coss.append(c)
        times.append(t)
        n_events.append(len(digest.events))
        if verbose:
            print(f"| {label} | {day} | {len(rows)} | {h}/5 | {b}/5 | {c:.3f} | {t:.2f} s "
                  f"| {m} |", flush=True)
    shown = sum(min(5, n) for n in n_events)
    return [statistics.fmean(hits), statistics.fmean(base_hits), max(coss),
            statistics.fmean(coss), statistics.fmean(times), float(len(days)),
            sum(mixed) / max(shown, 1)]


def ingest_days(library: Library, days: dict[str, list[dict[str, Any]]]) -> None:
    drafts = [ReportDraft(title=r["title"], text=r["text"], date=r["date"], source="Reuters",
                          report_id=r["id"])
              for rows in days.values() for r in rows if r["text"].strip()]
    start = time.perf_counter()
    library.ingest(drafts)
    print(f"ingested {len(drafts)} reports in {time.perf_counter() - start:.0f} s", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--summeval", required=True)
    ap.add_argument("--realsumm", required=True)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--tune", action="store_true", help="grid-search on the tuning split")
    ap.add_argument("--tune-days", type=int, default=10)
    ap.add_argument("--days", type=int, default=20, help="held-out days sampled")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work-dir", help="keep the ingested Reuters days here (reruns are fast)")
    ap.add_argument("--events-only", action="store_true",
                    help="skip (a) and the selection grid: only the Reuters days")
    ap.add_argument("--day", action="append", default=[],
                    help="evaluate these days (repeatable) instead of the sampled ones")
    ap.add_argument("--old-clustering", action="store_true",
                    help="the clustering before issue 8 (average linkage at 0.35, no key-name "
                         "rule, no sections), for before/after figures")
    args = ap.parse_args(argv)

    embedder = SentenceTransformerEmbedder()
    reuters = load(args.reuters)
    tune_rows = [r for r in reuters if r["date"] < SPLIT_DATE]
    select = SelectParams()
    systems = [("select_sentences (defaults)", select)]
    if args.tune and not args.events_only:
        rng = random.Random(args.seed)
        tuned = tune_selection(rng.sample(tune_rows, 300), embedder)
        systems.append((f"select_sentences (Reuters-tuned: position_weight="
                        f"{tuned.position_weight}, decay={tuned.position_decay})", tuned))

    if not args.events_only:
        print("## (a) Sentence selection, each article alone (first 3 sentences)\n")
        print("| set | system | R1 / R2 / RLsum |\n|---|---|---|")
        for name, path in (("SummEval-100", args.summeval), ("REALSumm-100", args.realsumm)):
            for line in eval_selection(name, prepare_articles(path, embedder), systems):
                print(line, flush=True)

    days = weekdays(reuters)
    rng = random.Random(args.seed)
    tune_days = sorted(d for d in days if d < SPLIT_DATE)
    held_days = sorted(d for d in days if d >= SPLIT_DATE)
    tune_pick = {d: days[d] for d in sorted(rng.sample(tune_days,
                                                       min(args.tune_days, len(tune_days))))}
    held_pick = {d: days[d] for d in sorted(rng.sample(held_days, min(args.days,
                                                                        len(held_days))))}
    if args.day:
        tune_pick = {d: days[d] for d in sorted(args.day) if d < SPLIT_DATE}
        held_pick = {d: days[d] for d in sorted(args.day) if d >= SPLIT_DATE}
    params = DigestParams(select=select)  # the Reuters days use the defaults
    if args.old_clustering:
        params = replace(params, cluster=ClusterParams(threshold=0.35, unshared_penalty=0.0,
                                                       section_threshold=9.0))
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(args.work_dir or tmp), embedder)
        ingest_days(library, {**tune_pick, **held_pick})
        if args.tune:
            print("\n## Clustering grid on the tuning days\n")
            print("| linkage | threshold | unshared penalty | top-5 topics hit | topic-mixed "
                  "events | mean max cos |\n|---|---|---|---|---|---|")
            best, best_hit = params.cluster, -1.0
            for link, th, pen in itertools.product(("average", "complete"),
                                                   (0.35, 0.45, 0.55, 0.65), (0.0, 0.5, 1.0)):
                cp = ClusterParams(threshold=th, unshared_penalty=pen, linkage=link)
                res = eval_days(library, tune_pick, replace(params, cluster=cp), "tune")
                print(f"| {link} | {th} | {pen} | {res[0]:.2f} | {100 * res[6]:.1f}% "
                      f"| {res[3]:.3f} |", flush=True)
                # One story per event first (at most 2% topic-mixed), then coverage.
                if res[6] <= 0.02 and res[0] > best_hit:
                    best, best_hit = cp, res[0]
            params = replace(params, cluster=best)
            print(f"\nchosen: linkage={best.linkage} threshold={best.threshold} "
                  f"unshared_penalty={best.unshared_penalty}\n")
        print("\n## (b) Reuters weekdays: digest of each day's reports\n")
        print("| split | day | reports | top-5 topics in first 5 events | baseline: 5 newest "
              "| max cos | compose time | topic-mixed events |\n|---|---|---|---|---|---|---|---|")
        summary = []
        for label, pick in (("tune", tune_pick), ("held-out", held_pick)):
            summary.append((label, eval_days(library, pick, params, label, verbose=True)))
        print("\n| split | days | top-5 topics hit (of 5) | baseline 5 newest | max cos (max / "
              "mean) | compose s/day | topic-mixed of first 5 events |\n"
              "|---|---|---|---|---|---|---|")
        for label, r in summary:
            print(f"| {label} | {int(r[5])} | {r[0]:.2f} | {r[1]:.2f} | {r[2]:.3f} / {r[3]:.3f} "
                  f"| {r[4]:.2f} | {100 * r[6]:.1f}% |")
        library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
