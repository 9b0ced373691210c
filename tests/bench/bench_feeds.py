"""Feed ingestion speed and near-duplicate accuracy, on the Reuters-21578 file.

Usage: ``python -m tests.bench.bench_feeds --reuters ../shared/data/reuters21578.jsonl.gz``

1. Reports/s polling one RSS feed of 200 entries served on 127.0.0.1, each entry's link an
   article page; feed and pages are built at run time from the first 200 Reuters records
   with text (nothing is copied into the repository). Real embedder, fresh data directory.
2. False merges and missed merges of the near-duplicate detector (:mod:`index.neardup`, LSH
   candidates then containment and Jaccard of word 3-shingles): positives are a record and
   a lightly edited copy (a sentence dropped, three words changed, a byline added, another
   headline; figures are never changed: a copy with other figures is news, and the detector
   keeps it as a report of its own on purpose); negatives are two different records sharing
   a ``topics`` value. The rule was chosen on records 1-2000 (seed 1); records 2001-4000
   (seed 2) are held out.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from index.feeds import FeedStore, poll_feed
from index.fetch import Fetcher
from index.library import Library
from index.neardup import RunIndex, jaccard, shingles
from index.sentences import split_sentences
from tests.webserver import Page, serve


def records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if isinstance(rec.get("text"), str) and len(rec["text"].split()) >= 30:
                yield rec


def article(rec: dict[str, Any]) -> bytes:
    paras = "".join(f"<p>{html.escape(p.strip())}</p>" for p in rec["text"].split("\n\n")
                    if p.strip())
    title = html.escape(rec.get("title") or "Untitled")
    return (f"<!doctype html><html><head><title>{title}</title>"
            '<meta property="og:site_name" content="Reuters"></head><body><article>'
            f"<h1>{title}</h1>{paras}</article></body></html>").encode()


def visible_blocks(raw: bytes) -> list[str]:
    """The visible text of every element of a page's body, white space collapsed: a stored
    sentence is verbatim when it is a substring of one of them."""
    import lxml.html

    root = lxml.html.fromstring(raw)
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    return [re.sub(r"\s+", " ", el.text_content()).strip() for el in root.iter()
            if isinstance(el.tag, str)]


def verbatim_share(library: Library, pages: dict[str, bytes]) -> tuple[int, int, int]:
    """(sentences, of them verbatim in their page, of them opening with the headline)."""
    total = verbatim = glued = 0
    for report in library.reports():
        raw = pages.get(report.url or "")
        if raw is None:
            continue
        blocks = visible_blocks(raw)
        heads = [re.sub(r"\s+", " ", b) for b in re.findall(r"<h1>(.*?)</h1>",
                                                            raw.decode("utf-8"))]
        for s in library.report_sentences(report.id):
            text = re.sub(r"\s+", " ", s.text).strip()
            total += 1
            verbatim += any(text in b for b in blocks)
            glued += any(h and text.startswith(html.unescape(h) + " ") for h in heads)
    return total, verbatim, glued


def rss(items: list[tuple[str, str, str]]) -> bytes:
    when = format_datetime(datetime(1987, 3, 1, tzinfo=UTC))
    body = "".join(f"<item><guid>{html.escape(g)}</guid><title>{html.escape(t)}</title>"
                   f"<link>{html.escape(link)}</link><pubDate>{when}</pubDate></item>"
                   for g, t, link in items)
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Reuters bench</title>'
            f"<link>http://bench.test/</link><description>d</description>{body}"
            "</channel></rss>").encode()


def bench_feed(recs: list[dict[str, Any]]) -> dict[str, float]:
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm up"])
    with serve() as site, tempfile.TemporaryDirectory() as tmp:
        items = []
        pages: dict[str, bytes] = {}
        for i, rec in enumerate(recs):
            pages[site.url(f"/a/{i}.html")] = article(rec)
            site.routes[f"/a/{i}.html"] = Page(pages[site.url(f"/a/{i}.html")])
            items.append((str(rec["id"]), rec.get("title") or "Untitled", site.url(f"/a/{i}.html")))
        site.routes["/feed.xml"] = Page(rss(items), "application/rss+xml",
                                        headers={"ETag": '"bench"'})
        store = FeedStore(Path(tmp))
        url = site.url("/feed.xml")
        store.add(url, 1800)
        with Library(Path(tmp) / "data", embedder) as library:
            start = time.perf_counter()
            result = poll_feed(url, Fetcher(allow_private=True), library, store)
            elapsed = time.perf_counter() - start
            start = time.perf_counter()
            again = poll_feed(url, Fetcher(allow_private=True), library, store)
            second = time.perf_counter() - start
            n_sent, n_verbatim, n_glued = verbatim_share(library, pages)
        store.close()
    ing = result.ingest
    assert ing is not None and again.not_modified
    return {"entries": result.new_entries, "added": len(ing.added), "merged": len(ing.merged),
            "unchanged": len(ing.unchanged), "problems": len(ing.problems),
            "seconds": elapsed, "rate": result.new_entries / elapsed, "repoll": second,
            "sentences": n_sent, "verbatim": n_verbatim, "glued": n_glued}


def edit(rec: dict[str, Any], rng: random.Random) -> str:
    sents = split_sentences(rec["text"])
    if len(sents) >= 3:
        sents.pop(rng.randrange(1, len(sents)))
    words = " ".join(sents).split()
    wordy = [i for i, w in enumerate(words) if not re.search(r"\d", w)]
    for _ in range(3):
        i = rng.choice(wordy)
        words[i] = rng.choice(["reportedly", "officials", "sharply", "about", "new", "said"])
    return "By Staff Writer. " + " ".join(words)


def bench_neardup(recs: list[dict[str, Any]], n_neg: int, seed: int = 1
                  ) -> dict[str, float]:
    rng = random.Random(seed)
    start = time.perf_counter()
    missed = missed_j = 0  # _j: the baseline, exact shingle Jaccard >= 0.5
    positives = [r for r in recs if len(r["text"].split()) >= 40]
    for rec in positives:
        idx = RunIndex()
        idx.add("a", rec.get("title") or "", rec["text"])
        copy = edit(rec, rng)
        if not idx.find("Another headline", copy):
            missed += 1
        missed_j += jaccard(shingles(rec["text"]), shingles(copy)) < 0.5
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for rec in recs:
        for topic in rec.get("topics") or []:
            by_topic.setdefault(topic, []).append(rec)
    topics = [t for t, rs in by_topic.items() if len(rs) >= 2]
    false, false_j, identical, near_identical, n = 0, 0, 0, 0, 0
    while n < n_neg and topics:
        group = by_topic[rng.choice(topics)]
        a, b = rng.sample(group, 2)
        if a["id"] == b["id"]:
            continue
        n += 1
        false_j += jaccard(shingles(a["text"]), shingles(b["text"])) >= 0.5
        idx = RunIndex()
        idx.add("a", a.get("title") or "", a["text"])
        if idx.find(b.get("title") or "", b["text"]):
            false += 1
            norm_a, norm_b = (re.sub(r"\W+", " ", x["text"]).lower().strip() for x in (a, b))
            identical += norm_a == norm_b
            near_identical += jaccard(shingles(a["text"]), shingles(b["text"])) >= 0.8
    return {"positives": len(positives), "missed": missed, "negatives": n, "false": false,
            "missed_j": missed_j, "false_j": false_j,
            "identical": identical, "near_identical": near_identical,
            "seconds": time.perf_counter() - start}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuters", type=Path, required=True)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=2000, help="records for positive pairs, "
                        "and negative pairs drawn")
    args = parser.parse_args(argv)
    it = records(args.reuters)
    tune = [next(it) for _ in range(max(args.pairs, args.entries))]
    held_out = [next(it) for _ in range(args.pairs)]
    feed = bench_feed(tune[:args.entries])
    splits = [(f"records 1-{len(tune)} (tuning)", bench_neardup(tune, args.pairs, 1)),
              (f"records {len(tune) + 1}-{len(tune) + len(held_out)} (held out)",
               bench_neardup(held_out, args.pairs, 2))]
    print(f"`python -m tests.bench.bench_feeds {' '.join(argv or sys.argv[1:])}`\n")
    print("| measure | value |\n|---|---|")
    print(f"| feed poll: entries ingested (pages fetched, extracted, embedded) | "
          f"{feed['entries']:.0f} (added {feed['added']:.0f}, merged {feed['merged']:.0f}, "
          f"unchanged {feed['unchanged']:.0f}, skipped {feed['problems']:.0f}) |")
    print(f"| feed poll: wall time | {feed['seconds']:.2f} s |")
    print(f"| feed poll: reports/s | {feed['rate']:.1f} |")
    print(f"| re-poll (304 Not Modified) | {feed['repoll'] * 1000:.1f} ms |")
    print(f"| stored sentences verbatim in their page's visible text | "
          f"{feed['verbatim']:.0f} / {feed['sentences']:.0f}; opening with the headline: "
          f"{feed['glued']:.0f} |")
    for name, nd in splits:
        print(f"| near-dup, {name}: missed merges (edited copies not recognised) | "
              f"{nd['missed']:.0f} / {nd['positives']:.0f} |")
        print(f"| near-dup, {name}: false merges (different records, same topic) | "
              f"{nd['false']:.0f} / {nd['negatives']:.0f} (textually identical records: "
              f"{nd['identical']:.0f}; near-identical, 3-shingle Jaccard >= 0.8: "
              f"{nd['near_identical']:.0f}) |")
        print(f"| baseline Jaccard >= 0.5, {name}: missed / false merges | "
              f"{nd['missed_j']:.0f} / {nd['positives']:.0f}, {nd['false_j']:.0f} / "
              f"{nd['negatives']:.0f} |")
        print(f"| near-dup, {name}: time for all pairs | {nd['seconds']:.1f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
