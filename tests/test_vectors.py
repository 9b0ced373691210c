"""The FAISS index turns approximate above a size and stays in step with the store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index import vectors
from index.library import Library
from index.models import ReportDraft
from tests.fakes import FakeEmbedder

WORDS = ("river flood bridge harbour strike port dock crane levee rain storm wind school "
         "hospital mayor council ferry road rail freight grain ship pump siren shelter").split()


def drafts(n: int, seed: int, tag: str = "") -> list[ReportDraft]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        sentences = [" ".join(rng.choice(WORDS, size=6)).capitalize()
                     + f" number {seed}x{i}y{j}{tag}." for j in range(5)]
        out.append(ReportDraft(title=f"Report {seed}-{i}", text=" ".join(sentences),
                               source=f"Outlet {i}", report_id=f"r{seed}-{i}"))
    return out


def in_step(lib: Library) -> None:
    stored = {i for ids, _ in lib.store.iter_vectors() for i in ids}
    assert len(lib.vectors) == len(stored)
    for sid in list(stored)[:20]:  # each stored vector finds itself first, scored exactly
        vec = lib.store.vectors([sid], lib.embedder.dim)[0]
        (found, score), = lib.vectors.search(vec, 1)
        assert found == sid and score == pytest.approx(float(vec @ vec), abs=1e-5)


def test_exact_below_the_threshold_approximate_above(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "APPROX_FROM", 600)
    monkeypatch.setattr(vectors, "EXACT_BELOW", 300)
    data = tmp_path / "data"
    with Library(data, FakeEmbedder()) as lib:
        lib.ingest(drafts(80, seed=1))  # 400 sentences
        assert not lib.vectors.approximate
        in_step(lib)
        lib.ingest(drafts(80, seed=2))  # 800: crosses the threshold
        assert lib.vectors.approximate
        in_step(lib)
        # replacing reports (same ids, new text) removes and adds inside the IVF index
        lib.ingest(drafts(10, seed=2, tag="v2"))
        assert lib.vectors.approximate and lib.stats().sentences == 800
        in_step(lib)
    with Library(data, FakeEmbedder()) as lib:  # read back from the file, not rebuilt
        assert lib.vectors.approximate
        in_step(lib)
    monkeypatch.setattr(vectors, "APPROX_FROM", 10_000)
    monkeypatch.setattr(vectors, "EXACT_BELOW", 5_000)
    with Library(data, FakeEmbedder()) as lib:  # too small for IVF now: exact again
        assert not lib.vectors.approximate
        in_step(lib)


def test_a_torn_index_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "APPROX_FROM", 300)
    monkeypatch.setattr(vectors, "EXACT_BELOW", 150)
    data = tmp_path / "data"
    with Library(data, FakeEmbedder()) as lib:
        lib.ingest(drafts(80, seed=3))
    path = data / "vectors.faiss"
    path.write_bytes(path.read_bytes()[:5000])
    with Library(data, FakeEmbedder()) as lib:
        assert lib.vectors.approximate
        in_step(lib)


def test_ivf_sizes() -> None:
    assert vectors.ivf_lists(1_000_000) == 2048
    assert vectors.ivf_lists(1000) == 25  # never fewer than 39 training points a list
    assert vectors.ivf_probes(2048) == 1024


def test_approximate_search_reranks_exactly_and_skips_ids_no_longer_stored() -> None:
    rng = np.random.default_rng(5)
    vecs = rng.normal(size=(3000, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ivf = vectors.build_ivf(np.arange(3000, dtype=np.int64), vecs, nlist=16)
    ivf.nprobe = 16
    stored = set(range(0, 3000, 2))  # odd ids: removed from the store, still in the codes

    def exact(ids: Sequence[int]) -> tuple[list[int], np.ndarray]:
        kept = [i for i in ids if i in stored]
        return kept, vecs[kept]

    index = vectors.VectorIndex(32, ivf, exact=exact)
    for q in (vecs[11], vecs[40]):
        hits = index.search(q, 5)
        assert len(hits) == 5 and all(i in stored for i, _ in hits)
        assert [s for _, s in hits] == pytest.approx([float(vecs[i] @ q) for i, _ in hits])
        best = max(stored, key=lambda i: float(vecs[i] @ q))
        assert hits[0][0] == best


def test_one_query_searches_on_one_openmp_thread_and_the_setting_is_restored() -> None:
    """A question is one query: an OpenMP team only fights the encoder's threads for the
    cores (BENCHMARKS.md: warm ask at 100k). The thread's own setting comes back after."""
    import faiss

    flat = faiss.IndexIDMap(faiss.IndexFlatIP(8))
    rng = np.random.default_rng(1)
    flat.add_with_ids(rng.normal(size=(50, 8)).astype(np.float32), np.arange(50, dtype=np.int64))
    seen: list[int] = []

    class Recording:
        ntotal = 50

        def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
            seen.append(faiss.omp_get_max_threads())
            return flat.search(q, k)  # type: ignore[no-any-return]

    index = vectors.VectorIndex(8, Recording())
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(2)
    try:
        assert len(index.search(rng.normal(size=8).astype(np.float32), 3)) == 3
        assert seen == [1]
        assert faiss.omp_get_max_threads() == 2
    finally:
        faiss.omp_set_num_threads(before)
