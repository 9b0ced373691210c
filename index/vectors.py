"""The FAISS vector index, derived from the store and saved crash-safely.

Up to :data:`APPROX_FROM` sentences it is exact: an ``IndexIDMap2`` over an inner-product flat
index (vectors are unit length, so inner product is cosine). From there on it is an inverted
file of 4-bit product-quantised codes (``IndexIVFPQFastScan``, inner product, ``nlist`` about
2·sqrt(n), ``nprobe`` = nlist/2, one 4-bit code per :data:`PQ_DIMS` dimensions), trained on
the store's own vectors: search scans the codes of about half of the vectors with SIMD
lookups (a few ms at 1M), then re-ranks the best :func:`rerank_pool` candidates by their
exact cosine, read from the store's float vectors (:attr:`VectorIndex.exact`), so the scores
it returns are exact and the file holds codes, not floats (about 1/25 of the size). Recall@10
against exact search is measured on real vectors in BENCHMARKS.md (``make bench-scale``).
Both kinds take adds and removes, so the index stays in step with SQLite; when the size moves
far from what the structure was built for (:meth:`VectorIndex.fits`), it is rebuilt from the
store. Ids are the sentences' SQLite row ids.

The file is written with ``faiss.write_index`` to a temporary file then moved into place with
``os.replace``, and read back with one ``faiss.read_index`` (no second copy in memory); a
small JSON tag beside it records the store generation it matches. When the file is missing,
unreadable, or its tag does not match the store, :func:`open_vectors` rebuilds it from the
vectors in SQLite.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from index.atomic import atomic_write, replacing
from index.embedder import Vectors
from index.store import Store

log = logging.getLogger(__name__)


APPROX_FROM = 200_000  # below: exact search; chosen by measurement (BENCHMARKS.md)
EXACT_BELOW = APPROX_FROM // 2  # an approximate index shrunk under this goes back to exact
RETRAIN_GROWTH = 8  # an IVF index grown to this many times its training size is retrained
PQ_DIMS = 4  # dimensions per 4-bit product-quantiser code (384-d: 96 codes, 48 bytes)
RERANK_MIN = 512  # candidates re-ranked by exact cosine, at least (measured: BENCHMARKS.md)

#: Exact vectors of sentence ids for re-ranking: the rows of ids it knows, in order, and
#: those rows' vectors (ids no longer stored are left out).
ExactVectors = Callable[[Sequence[int]], tuple[list[int], Vectors]]


def ivf_lists(n: int) -> int:
    """Inverted lists for ``n`` vectors: about 2·sqrt(n), a power of two, 256 to 16384, and
    at most n/39 (k-means wants 39 training points a list)."""
    lists = min(16384, max(256, 2 ** round(np.log2(2 * np.sqrt(max(n, 1))))))
    return int(max(1, min(lists, n // 39)))


def ivf_probes(nlist: int) -> int:
    """Lists searched per query: half of them. Questions are far from the sentences that
    answer them, so their neighbours spread over many lists: on real Reuters vectors a
    quarter of the lists gave recall@10 0.96-0.975, half 0.99 (BENCHMARKS.md)."""
    return max(1, nlist // 2)


def rerank_pool(k: int) -> int:
    """Candidates an approximate search re-ranks by exact cosine to return ``k``."""
    return max(RERANK_MIN, 3 * k)


def pq_codes(dim: int) -> int:
    """Product-quantiser codes per vector: one per :data:`PQ_DIMS` dimensions (fewer dims
    each when ``dim`` does not divide)."""
    for per in (PQ_DIMS, 2, 1):
        if dim % per == 0:
            return dim // per
    return dim  # unreachable: 1 divides everything


@contextmanager
def _one_thread() -> Iterator[None]:
    """FAISS on one OpenMP thread (this thread's setting) for the duration: one query has
    nothing to split, and on a small machine an OpenMP team only fights the encoder's
    threads for the cores (a warm ``ask`` at 100k sentences: p95 89 -> 43 ms, BENCHMARKS.md)."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class VectorIndex:
    """Cosine search over sentence vectors by sentence id.

    ``exact`` gives the float vectors of ids (the store's); an approximate index re-ranks
    its candidates with them. Without it, approximate scores are returned as they are."""

    def __init__(self, dim: int, index: Any | None = None,
                 exact: ExactVectors | None = None) -> None:
        self.dim = dim
        self._index: Any = index if index is not None else _exact(dim)
        self._lock = threading.Lock()
        self.exact = exact

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def approximate(self) -> bool:
        return isinstance(self._index, faiss.IndexIVF)

    def fits(self, n: int | None = None) -> bool:
        """Whether the structure suits ``n`` vectors (default: as many as it holds)."""
        n = len(self) if n is None else n
        if not self.approximate:
            return n < APPROX_FROM
        lists = int(self._index.nlist)  # built for about (lists / 2)² vectors
        return EXACT_BELOW <= n <= RETRAIN_GROWTH * (lists / 2) ** 2

    def add(self, ids: Sequence[int], vectors: Vectors) -> None:
        if len(ids) == 0:
            return
        with self._lock:
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                     np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids) == 0:
            return
        with self._lock:
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        """(sentence id, cosine) of the ``k`` nearest, best first."""
        if len(self) == 0 or k <= 0:
            return []
        refine = self.exact if self.approximate else None
        wanted = rerank_pool(k) if refine is not None else k
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        with self._lock, _one_thread():
            scores, ids = self._index.search(q, min(wanted, len(self)))
        found = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if refine is None:
            return found
        known, vectors = refine(list(dict.fromkeys(i for i, _ in found)))
        exact = vectors @ q[0] if known else np.zeros(0, dtype=np.float32)
        order = np.argsort(-exact, kind="stable")[:k]
        return [(known[j], float(exact[j])) for j in order]

    def rebuild_from(self, store: Store) -> None:
        """Replace the structure with one suited to the store's size, from its vectors."""
        fresh = rebuild(store, self.dim)
        with self._lock:
            self._index = fresh._index
            self.exact = fresh.exact

    def save(self, path: Path, generation: int) -> None:
        """Write atomically: a temp file in the same folder, then ``os.replace``."""
        with replacing(path) as tmp, self._lock:
            faiss.write_index(self._index, str(tmp))
            count = int(self._index.ntotal)
        atomic_write(_tag_path(path), json.dumps(
            {"generation": generation, "ntotal": count, "dim": self.dim}).encode())

    @classmethod
    def load(cls, path: Path) -> tuple[VectorIndex, dict[str, int]]:
        tag = json.loads(_tag_path(path).read_text())
        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = ivf_probes(int(index.nlist))
        return cls(int(index.d), index), {k: int(v) for k, v in tag.items()}


def open_vectors(store: Store, path: Path, dim: int) -> VectorIndex:
    """The vector index for ``store``: loaded from ``path`` when in step, else rebuilt."""
    generation = store.generation()
    _, n_sentences, _, _ = store.counts()
    try:
        index, tag = VectorIndex.load(path)
        if (tag.get("generation") == generation and tag.get("ntotal") == n_sentences
                and index.dim == dim and len(index) == n_sentences):
            if index.fits():
                index.exact = stored_vectors(store, dim)
                return index
            log.info("vector index %s holds %d vectors: changing its kind", path, n_sentences)
        else:
            log.info("vector index %s is out of step with the store; rebuilding", path)
    except FileNotFoundError:
        if n_sentences:
            log.info("vector index %s is missing; rebuilding from the store", path)
    except Exception as exc:  # a torn or foreign file: any failure means rebuild
        log.warning("vector index %s is unreadable (%s); rebuilding", path, exc)
    index = rebuild(store, dim)
    index.save(path, generation)
    return index


def rebuild(store: Store, dim: int) -> VectorIndex:
    """An index over every vector in ``store``: exact, or approximate from APPROX_FROM."""
    _, n, _, _ = store.counts()
    if n < APPROX_FROM:
        index = VectorIndex(dim, exact=stored_vectors(store, dim))
        for ids, vectors in _stored(store, dim):
            index.add(ids, vectors)
        return index
    all_ids = np.empty(n, dtype=np.int64)
    all_vectors = np.empty((n, dim), dtype=np.float32)
    filled = 0
    for ids, vectors in _stored(store, dim):
        all_ids[filled:filled + len(ids)] = ids
        all_vectors[filled:filled + len(ids)] = vectors
        filled += len(ids)
    return VectorIndex(dim, build_ivf(all_ids[:filled], all_vectors[:filled]),
                       exact=stored_vectors(store, dim))


def stored_vectors(store: Store, dim: int) -> ExactVectors:
    """The store's float vectors of ids, for re-ranking (ids no longer stored left out)."""
    def exact(ids: Sequence[int]) -> tuple[list[int], Vectors]:
        vectors = store.vectors(ids, dim)
        kept = np.flatnonzero(np.any(vectors != 0, axis=1))  # a stored vector is unit length
        return [ids[int(j)] for j in kept], vectors[kept]
    return exact


def build_ivf(ids: npt.NDArray[np.int64], vectors: Vectors, nlist: int | None = None) -> Any:
    """An inner-product IVF index of 4-bit PQ codes over ``vectors``, trained on a sample of
    them."""
    dim = vectors.shape[1]
    nlist = nlist or ivf_lists(len(vectors))
    index = faiss.IndexIVFPQFastScan(faiss.IndexFlatIP(dim), dim, nlist, pq_codes(dim), 4,
                                     faiss.METRIC_INNER_PRODUCT)
    sample = min(len(vectors), 40 * nlist)
    rng = np.random.default_rng(0)
    chosen = rng.choice(len(vectors), size=sample, replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(chosen)]))
    index.add_with_ids(np.ascontiguousarray(vectors), np.ascontiguousarray(ids))
    index.nprobe = ivf_probes(nlist)
    log.info("built an IVF-PQ index: %d vectors, %d lists, %d probed", len(vectors), nlist,
             index.nprobe)
    return index


def _exact(dim: int) -> Any:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def _stored(store: Store, dim: int) -> Iterator[tuple[list[int], Vectors]]:
    for ids, blobs in store.iter_vectors():
        vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)
        if vectors.shape[1] != dim:
            raise ValueError(f"stored vectors are {vectors.shape[1]}-d, the model is {dim}-d")
        yield list(ids), vectors


def _tag_path(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".json")
