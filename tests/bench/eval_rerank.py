"""Answer selection, side by side: BM25, dense, the old fusion and the learned reranker.

Usage (``make train`` fits the reranker, ``make eval-rerank`` measures)::

    python -m tests.bench.eval_rerank --squad ../shared/data/squad_v1.1_dev.jsonl.gz \\
        --reuters ../shared/data/reuters21578.jsonl.gz [--train index/rerank_model.json]

Two pools are ingested once and kept under ``--work`` (default ``.bench/rerank``): every
SQuAD v1.1 dev paragraph as a report, and every Reuters-21578 report dated 1987-03-02 ..
1987-03-04 (the days our development set ``tests/bench/reuters_dev.jsonl`` asks about).
``--train`` fits the reranker on SQuAD articles 1-24 and the dev set's tuning part only and
writes its parameters; without it the committed model is measured. Figures are reported for
SQuAD articles 25-48 and the dev set's held-out part (and, for reference, the tuning parts).
The dev set's "tuning-2" part (333 questions other writers added in the fourteenth session,
on reports no earlier question names) is measured and used to find defects, not trained on:
training on it too changed no measured figure for the better (BENCHMARKS.md).

A SQuAD hit is a sentence holding a gold answer; a Reuters hit is a sentence of a gold report
holding an answer string. A question's gold reports are those it names, their near-verbatim
copies (:func:`copies_of`) and its ``reviewed`` reports: other reports whose sentence holding
an answer string (and at least half the question's content words) was read by hand and found
to answer it (``--strict`` leaves those out). The bold key span counts as right when it holds
the answer (or the answer holds it, and it is at least half as long).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.answer import compose_answer
from index.embedder import Embedder, SentenceTransformerEmbedder
from index.figures import key_span, question_kind
from index.library import Library
from index.models import Answer, ReportDraft
from index.rerank import Reranker
from index.retrieve import Retriever, Weights, fts_query, fuse

DEV = Path(__file__).with_name("reuters_dev.jsonl")
DAYS = ("1987-03-02", "1987-03-04")
#: In training, our Reuters questions together weigh this share of the SQuAD questions.
REUTERS_SHARE = 0.3


def load(path: str | Path) -> list[dict[str, object]]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        return [json.loads(line) for line in f if line.strip()]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


@dataclass
class Question:
    text: str
    answers: list[str]
    reports: list[str]
    split: str
    typed: bool = True
    #: other reports carrying a gold report's answer sentence near-verbatim (see copies_of)
    copies: frozenset[str] = frozenset()
    #: other reports whose sentence with an answer string was read and found to answer
    reviewed: frozenset[str] = frozenset()

    def hit(self, sentence: str, report_id: str) -> bool:
        if self.reports and report_id not in {*self.reports, *self.copies, *self.reviewed}:
            return False
        t = norm(sentence)
        return any(a and norm(a) in t for a in self.answers)

    def span_ok(self, span: str | None) -> bool:
        if not span:
            return False
        s = norm(span)
        return any(norm(a) in s or (s in norm(a) and 2 * len(s) >= len(norm(a)))
                   for a in self.answers)


class QuestionVectors(dict[str, npt.NDArray[np.float32]]):
    """The questions' vectors, encoded up front in one batch; any other text searched for
    (what "when did the floods begin?" asks the start of) is encoded when first asked for."""

    def __init__(self, embedder: Embedder, texts: Sequence[str]) -> None:
        super().__init__(zip(texts, np.asarray(embedder.encode(texts), dtype=np.float32),
                             strict=True))
        self.embedder = embedder

    def __missing__(self, text: str) -> npt.NDArray[np.float32]:
        self[text] = np.asarray(self.embedder.encode([text]), dtype=np.float32)[0]
        return self[text]


@dataclass
class Tally:
    """Ranking quality of one system over one set of questions."""

    n: int = 0
    p1: int = 0
    r3: int = 0
    r5: int = 0
    rr: float = 0.0

    def add(self, hits: Sequence[bool]) -> None:
        self.n += 1
        self.p1 += bool(hits[:1] and hits[0])
        self.r3 += any(hits[:3])
        self.r5 += any(hits[:5])
        self.rr += next((1.0 / (i + 1) for i, h in enumerate(hits[:100]) if h), 0.0)

    def pct(self, x: float) -> str:
        return f"{100 * x / max(self.n, 1):.1f}%"


@dataclass
class AskTally(Tally):
    """The full system: the citations of ``ask``, "not found" and the bold span."""

    not_found: int = 0
    spans: int = 0
    spans_ok: int = 0
    old_spans_ok: int = 0
    latencies: list[float] = field(default_factory=list)


def pools(args: argparse.Namespace, embedder: SentenceTransformerEmbedder
          ) -> tuple[Library, Library, list[Question], list[Question], list[Question]]:
    work = Path(args.work)
    rows = load(args.squad)
    titles = list(dict.fromkeys(str(r["title"]) for r in rows))
    article = {t: i + 1 for i, t in enumerate(titles)}
    squad = Library(work / "squad", embedder)
    if squad.stats().reports == 0:
        paragraphs: dict[tuple[str, int], str] = {}
        for r in rows:
            paragraphs.setdefault((str(r["title"]), int(str(r["paragraph_index"]))),
                                  str(r["context"]))
        t0 = time.perf_counter()
        squad.ingest([ReportDraft(title=f"{t} #{i}", text=c, report_id=f"{article[t]}-{i}")
                      for (t, i), c in paragraphs.items()])
        print(f"squad pool built in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    reuters = Library(work / "reuters", embedder)
    if reuters.stats().reports == 0:
        t0 = time.perf_counter()
        reuters.ingest([ReportDraft(title=str(r["title"]), text=str(r["text"]),
                                    date=str(r["date"]), source="Reuters",
                                    report_id=str(r["id"]))
                        for r in load(args.reuters)
                        if DAYS[0] <= str(r["date"])[:10] <= DAYS[1] and str(r["text"]).strip()])
        print(f"reuters pool built in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    for lib in (squad, reuters):  # entities found by older rules are found again
        lib.ingest([])
    sq = [Question(str(r["question"]).strip(), [str(a) for a in r["answers"]], [],  # type: ignore[attr-defined]
                   "tuning" if article[str(r["title"])] <= 24 else "heldout") for r in rows]
    dev = [Question(str(d["question"]).strip(), list(d["answers"]), list(d["reports"]),  # type: ignore[call-overload]
                    str(d["split"]), str(d["type"]) not in ("what", "why"),
                    reviewed=frozenset() if args.strict else frozenset(d.get("reviewed", ())))  # type: ignore[call-overload]
           for d in load(args.dev)]
    answerable = [replace(q, copies=copies_of(reuters, q)) for q in dev if q.answers]
    return squad, reuters, sq, answerable, [q for q in dev if not q.answers]


#: word overlap (Jaccard) above which another report's sentence is a copy of a gold one
COPY_OVERLAP = 0.8


def copies_of(lib: Library, q: Question) -> frozenset[str]:
    """The reports, besides ``q``'s gold ones, that carry a sentence holding an answer
    string which is a near-verbatim copy of a gold report's answer sentence (the same wire
    story sent twice, under another headline: quoting either serves the reader alike). The
    dev set names the report its questions were written from; this counts its copies too."""
    answers = [norm(a) for a in q.answers if a]

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z0-9]+", text.lower()))

    gold = [words(text) for (text,) in lib.store.query(
        f"SELECT text FROM sentences WHERE report_id IN ({','.join('?' * len(q.reports))})",
        tuple(q.reports))
        if any(a in norm(str(text)) for a in answers)] if q.reports else []
    out = set()
    for a in answers:
        for rid, text in lib.store.query(
                "SELECT report_id, text FROM sentences WHERE instr(lower(text), ?) > 0",
                (a.split(" ")[0],)):
            if rid in q.reports or rid in out or a not in norm(str(text)):
                continue
            w = words(str(text))
            if any(len(w & g) >= COPY_OVERLAP * len(w | g) for g in gold):
                out.add(str(rid))
    return frozenset(out)


Features = tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_], npt.NDArray[np.float32],
                 list[tuple[int, str]]]


def featurise(lib: Library, qs: Sequence[Question], qvecs: dict[str, npt.NDArray[np.float32]]
              ) -> list[Features]:
    """Per question: feature rows, hit labels, fused scores, (sentence id, report id)."""
    r = lib.retriever
    out = []
    for q in qs:
        sig = r.signals(q.text, qvecs[q.text])
        rows = r.features(q.text, sig, qvecs[q.text], r.extras(sig))
        hits = np.array([q.hit(s.text, s.report_id) for s in sig.sentences], dtype=bool)
        out.append((rows, hits, fuse(sig, r.weights),
                    [(s.id, s.report_id) for s in sig.sentences]))
    return out


def rank_tallies(lib: Library, qs: Sequence[Question], feats: Sequence[Features],
                 qvecs: dict[str, npt.NDArray[np.float32]], model: Reranker
                 ) -> dict[str, Tally]:
    out = {name: Tally() for name in ("bm25", "dense", "fusion", "rerank", "pool")}
    for q, (rows, hits, fused, _) in zip(qs, feats, strict=True):
        out["pool"].add([bool(hits.any())])
        ids = [sid for sid, _ in lib.store.bm25(fts_query(q.text), 100)]
        sents = lib.store.sentences(ids)
        out["bm25"].add([q.hit(sents[i].text, sents[i].report_id) for i in ids if i in sents])
        ids = [sid for sid, _ in lib.vectors.search(qvecs[q.text], 100)]
        sents = lib.store.sentences(ids)
        out["dense"].add([q.hit(sents[i].text, sents[i].report_id) for i in ids if i in sents])
        out["fusion"].add(list(hits[np.argsort(-fused, kind="stable")]))
        out["rerank"].add(list(hits[np.argsort(-model.score(rows), kind="stable")]))
    return out


def ask_tally(lib: Library, retriever: Retriever, qs: Sequence[Question],
              span_of: Callable[[Question, Answer], str | None] | None = None) -> AskTally:
    t = AskTally()
    for q in qs:
        t0 = time.perf_counter()
        answer = compose_answer(q.text, retriever, lib.store)
        t.latencies.append(time.perf_counter() - t0)
        t.add([q.hit(c.sentence, c.report_id) for c in answer.citations] or [False])
        t.not_found += not answer.found
        if answer.found and q.typed and q.hit(answer.citations[0].sentence,
                                              answer.citations[0].report_id):
            t.spans += 1
            t.spans_ok += q.span_ok(answer.highlight)
            kind = question_kind(q.text)
            old = key_span(q.text, answer.citations[0].sentence, kind) if kind else None
            t.old_spans_ok += q.span_ok(old)
    return t


def train(groups: Sequence[tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]],
          l2: float = 1e-3, weights: Sequence[float] | None = None) -> Reranker:
    """Fit the weights listwise: for each question, the softmax over its candidates should
    put its mass on the sentences that hold an answer; ``weights`` (one per question,
    default 1) say how much each question counts. Deterministic (L-BFGS from zero)."""
    from scipy.optimize import minimize

    weighted = [(x, y, 1.0 if weights is None else float(weights[i]))
                for i, (x, y) in enumerate(groups)]
    weighted = [(x, y, g) for x, y, g in weighted if y.any() and len(y) > 1]
    allx = np.concatenate([x for x, _, _ in weighted]).astype(np.float64)
    mean = allx.mean(axis=0)
    scale = allx.std(axis=0)
    scale[scale < 1e-9] = 1.0
    zs = [((x.astype(np.float64) - mean) / scale, y, g) for x, y, g in weighted]
    n = sum(g for _, _, g in zs)

    def loss(w: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        total = 0.5 * l2 * float(w @ w) * n
        grad = l2 * w * n
        for z, y, g in zs:
            s = z @ w
            s = s - s.max()
            e = np.exp(s)
            p = e / e.sum()
            pos = p[y].sum()
            total -= g * math.log(max(pos, 1e-300))
            q = np.where(y, p / max(pos, 1e-300), 0.0)
            grad += g * (z.T @ (p - q))
        return total / n, grad / n

    result = minimize(loss, np.zeros(allx.shape[1]), jac=True, method="L-BFGS-B",
                      options={"maxiter": 500})
    print(f"reranker trained: loss {result.fun:.4f} after {result.nit} iterations",
          file=sys.stderr)
    return Reranker(np.asarray(result.x, dtype=np.float64), mean, scale)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--squad", required=True)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--dev", default=str(DEV))
    ap.add_argument("--work", default=".bench/rerank")
    ap.add_argument("--train", default="", help="fit the reranker and write it to this path")
    ap.add_argument("--train-only", action="store_true",
                    help="with --train: read only the tuning splits, fit, write, measure nothing")
    ap.add_argument("--strict", action="store_true",
                    help="count only the reports each question names (and their copies), not "
                         "the reviewed other reports that answer it")
    ap.add_argument("--limit", type=int, default=0,
                    help="about N SQuAD questions per split (every k-th)")
    args = ap.parse_args(argv)

    embedder = SentenceTransformerEmbedder()
    squad, reuters, sq, dev, unanswerable = pools(args, embedder)
    if args.train_only:
        if not args.train:
            raise SystemExit("--train-only needs --train PATH")
        sq, dev, unanswerable = ([q for q in qs if q.split == "tuning"]
                                 for qs in (sq, dev, unanswerable))
    elif args.limit:  # an even spread over each split's articles
        parts = [[q for q in sq if q.split == s] for s in ("tuning", "heldout")]
        sq = [q for part in parts for q in part[::max(1, len(part) // args.limit)]]
    texts = list(dict.fromkeys(q.text for q in [*sq, *dev, *unanswerable]))
    t0 = time.perf_counter()
    qvecs = QuestionVectors(embedder, texts)
    print(f"encoded {len(texts)} questions in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    sq_feats = featurise(squad, sq, qvecs)
    dev_feats = featurise(reuters, dev, qvecs)

    if args.train:
        groups = [(x, y) for q, (x, y, _, _) in zip(sq, sq_feats, strict=True)
                  if q.split == "tuning"]
        n_squad = len(groups)
        groups += [(x, y) for q, (x, y, _, _) in zip(dev, dev_feats, strict=True)
                   if q.split == "tuning"]
        # news questions weigh as much as REUTERS_SHARE of the (many more) SQuAD ones
        n_dev = len(groups) - n_squad
        per_dev = REUTERS_SHARE * n_squad / max(n_dev, 1)
        model = train(groups, weights=[1.0] * n_squad + [per_dev] * n_dev)
        model.save(Path(args.train), command="make train",
                   note="SQuAD v1.1 dev articles 1-24 + tests/bench/reuters_dev.jsonl tuning "
                        f"part ({n_squad} + {n_dev} questions, the latter weighted "
                        f"{per_dev:.2f} each)")
        print(f"wrote {args.train}", file=sys.stderr)
        if args.train_only:
            return 0
    loaded = Reranker.load(Path(args.train)) if args.train else Reranker.load()
    if loaded is None:
        raise SystemExit("no reranker model: run make train")
    model = loaded

    def split(qs: Sequence[Question], feats: Sequence[Features], name: str
              ) -> tuple[list[Question], list[Features]]:
        pairs = [(q, f) for q, f in zip(qs, feats, strict=True) if q.split == name]
        return [q for q, _ in pairs], [f for _, f in pairs]

    lines = []
    for label, lib, qs_all, feats_all in (("SQuAD", squad, sq, sq_feats),
                                          ("Reuters dev", reuters, dev, dev_feats)):
        for part in ("heldout", "tuning", "tuning-2") if label != "SQuAD" else ("heldout",
                                                                                 "tuning"):
            qs, feats = split(qs_all, feats_all, part)
            ranks = rank_tallies(lib, qs, feats, qvecs, model)
            old = Retriever(lib.store, lib.vectors, embedder, Weights(expand=0), rerank=False)
            new = Retriever(lib.store, lib.vectors, embedder)
            new._reranker, new._reranker_loaded = model, True
            for r in (old, new):
                r.embed = lambda q: qvecs[q]  # type: ignore[method-assign]
            full = not (label == "SQuAD" and part == "tuning")  # that one: rankings only
            asked_old = ask_tally(lib, old, qs if full else [])
            asked_new = ask_tally(lib, new, qs if full else [])
            lines.append(f"\n### {label}, {part} part: {len(qs)} questions\n")
            lines.append("| system | P@1 | top-3 | R@5 | MRR | not found | bold span right |")
            lines.append("|---|---|---|---|---|---|---|")
            for name, title in (("bm25", "BM25 alone (FTS5)"), ("dense", "dense alone"),
                                ("fusion", "today's fusion (ranking)"),
                                ("rerank", "learned reranker (ranking)")):
                t = ranks[name]
                lines.append(f"| {title} | {t.pct(t.p1)} | {t.pct(t.r3)} | {t.pct(t.r5)} | "
                             f"{t.rr / max(t.n, 1):.3f} | | |")
            for title, a, ok in (("`ask` before (fusion, pattern spans)", asked_old,
                                  asked_old.old_spans_ok),
                                 ("`ask` now (reranker, entity spans)", asked_new,
                                  asked_new.spans_ok)) if full else ():
                lines.append(f"| {title} | {a.pct(a.p1)} | {a.pct(a.r3)} | {a.pct(a.r5)} | "
                             f"{a.rr / max(a.n, 1):.3f} | {a.pct(a.not_found)} | "
                             f"{ok}/{a.spans} ({100 * ok / max(a.spans, 1):.0f}%) |")
            lines.append(f"\nA hit among the reranker's candidates (recall of the pool): "
                         f"{ranks['pool'].pct(ranks['pool'].p1)}")
            lat = np.array(asked_new.latencies or [0.0]) * 1000
            lines.append(f"\n`ask` now, question embedded: p50 {np.median(lat):.1f} ms, "
                         f"p95 {np.percentile(lat, 95):.1f} ms")
            print("\n".join(lines[-14:]), file=sys.stderr)
    for label, r in (("before", Retriever(reuters.store, reuters.vectors, embedder,
                                          Weights(expand=0), rerank=False)),
                     ("now", reuters.retriever)):
        r.embed = lambda q: qvecs[q]  # type: ignore[method-assign]
        for part in ("heldout", "tuning", "tuning-2"):
            asked = [q for q in unanswerable if q.split == part]
            answered = [q.text for q in asked if compose_answer(q.text, r, reuters.store).found]
            lines.append(f"\nUnanswerable, {part} part ({len(asked)} questions), answered "
                         f"anyway, {label}: {len(answered)} "
                         f"({100 * len(answered) / max(len(asked), 1):.0f}%)"
                         + (": " + "; ".join(answered) if answered else ""))
    print("\n".join(lines))
    squad.close()
    reuters.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
