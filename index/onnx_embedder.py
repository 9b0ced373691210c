"""The ONNX Runtime embedder: the packaged model's transformer as a cached ONNX graph.

:class:`OnnxEmbedder` tokenises with the model's own ``tokenizer.json`` (the ``tokenizers``
library, truncated at the model's ``max_seq_length`` as sentence-transformers does), runs the
graph with onnxruntime, then mean-pools over the attention mask and L2-normalises, the same
steps as sentence-transformers' ``Pooling`` and ``Normalize`` modules. torch is never
imported here. Texts are sorted by length and batched by tokens (at most
:data:`TOKENS_PER_BATCH` of padded width a batch, not a fixed number of texts): small
batches stay in the CPU's caches, and one long sentence no longer pads 63 short ones to its
width (1.4x the rate of fixed batches of 64 on Reuters and SQuAD sentences, BENCHMARKS.md).
One batch (a question) runs on a session whose operators use every core; more batches
(ingest) run side by side on a second, single-threaded session, one batch per core: that is
faster still on two cores, and work running beside it (entity tagging) takes a core without
stalling the operators' threads, which wait for one another.

The graph comes from :func:`cached_graph`: a file in the cache folder named after the model's
hash and the variant (``onnx`` or ``onnx-int8``). When it is missing or does not load, it is
exported in a child process (:mod:`index.onnx_export`) to a temporary file, checked by
loading and running it, and only then moved into place, so a failed or partial export never
leaves a broken cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from index.atomic import atomic_write, replacing
from index.embedder import DEFAULT_MODEL, Vectors, resolve_model_path
from index.errors import ModelError

log = logging.getLogger(__name__)

VARIANTS = ("onnx", "onnx-int8")
TOKENS_PER_BATCH = 512  # rows x padded width of one batch; 256-1024 measured alike
EXPORT_VERSION = "3"  # bump when the exported graph changes (shape, naming, quantisation)
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "config.json")


def cache_dir() -> Path:
    """``$BRIEFBOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefbot``, else ``~/.cache/briefbot``."""
    explicit = os.environ.get("BRIEFBOT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "briefbot"


def model_hash(model_dir: Path, cache: Path) -> str:
    """SHA-256 over the model's weights and config. Hashing 90 MB costs about 0.2 s, so the
    digest is remembered in ``cache/hashes.json`` against each file's size and mtime."""
    memo_path = cache / "hashes.json"
    try:
        memo: dict[str, str] = json.loads(memo_path.read_text())
    except (OSError, ValueError):
        memo = {}
    files = [model_dir / name for name in WEIGHT_FILES if (model_dir / name).is_file()]
    if not files:
        raise ModelError(f"No model weights in {model_dir}.")
    key = "|".join(f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)
    if key in memo:
        return memo[key]
    digest = hashlib.sha256()
    for f in files:
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    value = digest.hexdigest()
    memo[key] = value
    try:
        atomic_write(memo_path, json.dumps(memo).encode())
    except OSError as exc:  # a read-only cache still works, it just hashes again next time
        log.debug("could not remember the model hash: %s", exc)
    return value


def cached_graph(model_dir: Path, variant: str, cache: Path | None = None) -> tuple[Path, Any]:
    """The cached ONNX file for ``model_dir`` and its loaded session, exported when needed."""
    if variant not in VARIANTS:
        raise ModelError(f"Unknown ONNX variant {variant!r}; use one of {', '.join(VARIANTS)}.")
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    digest = model_hash(model_dir, cache)
    path = cache / f"{model_dir.name}-{digest[:16]}-v{EXPORT_VERSION}-{variant}.onnx"
    if path.exists():
        try:
            session = _session(path)
            _probe(session)
            return path, session
        except Exception as exc:  # onnxruntime raises its own kinds for a torn/foreign file
            log.warning("cached ONNX model %s does not load (%s); exporting again", path, exc)
            path.unlink(missing_ok=True)
    log.info("exporting %s to ONNX (%s) into %s, once", model_dir, variant, cache)
    with replacing(path) as tmp:  # moved into place only once it loads and runs
        done = subprocess.run(
            [sys.executable, "-m", "index.onnx_export", str(model_dir), str(tmp), variant],
            capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ModelError(f"Exporting {model_dir} to ONNX failed: "
                             f"{done.stderr.strip().splitlines()[-1:] or done.returncode}")
        session = _session(tmp)
        _probe(session)
    return path, session


def _session(path: Path, threads: int = 0) -> Any:
    """A session on ``path``; ``threads`` per operator (0: onnxruntime's default, all cores)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=options,
                                providers=["CPUExecutionProvider"])


def _probe(session: Any) -> None:
    """Run the graph on a tiny batch; raises if it does not give finite hidden states."""
    ids = np.array([[101, 7592, 102]], dtype=np.int64)
    out = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                             "token_type_ids": np.zeros_like(ids)})[0]
    if out.ndim != 3 or not np.isfinite(out).all():
        raise ModelError("The exported ONNX model gives no usable output.")


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (or any BERT-style sentence-transformers folder) on onnxruntime."""

    def __init__(self, model: str = DEFAULT_MODEL, *, variant: str = "onnx-int8",
                 cache: Path | None = None, tokens_per_batch: int = TOKENS_PER_BATCH
                 ) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from tokenizers import Tokenizer

        folder = resolve_model_path(model)
        try:
            st_config = json.loads((folder / "sentence_bert_config.json").read_text())
        except (OSError, ValueError):
            st_config = {}
        hidden = json.loads((folder / "config.json").read_text())
        max_length = int(st_config.get("max_seq_length")
                         or hidden.get("max_position_embeddings", 512))
        try:
            self._tokenizer: Any = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:
            raise ModelError(f"No usable tokenizer.json in {folder}: {exc}") from exc
        self._tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer.no_padding()
        self.path, self._session = cached_graph(folder, variant, cache)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._name = model
        self._variant = variant
        self._dim = int(hidden["hidden_size"])
        self._tokens_per_batch = tokens_per_batch
        self._lock = threading.Lock()
        self._batch_session: Any = None  # made by the first encode of several batches
        log.info("loaded ONNX embedding model %s (%s, %d-d) from %s", model, variant,
                 self._dim, self.path)

    @property
    def name(self) -> str:
        return self._name

    @property
    def backend(self) -> str:
        return self._variant

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        chunks = []
        start = 0
        while start < len(order):  # the longest text left sets the batch's width
            rows = max(1, self._tokens_per_batch // len(encodings[order[start]].ids))
            chunks.append(order[start:start + rows])
            start += rows
        if len(chunks) == 1:
            return self._embed(self._session, encodings)
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        with self._lock:
            if self._batch_session is None:
                self._batch_session = _session(self.path, threads=1)
        session = self._batch_session

        def embed(chunk: Any) -> Vectors:
            return self._embed(session, [encodings[i] for i in chunk])

        with ThreadPoolExecutor(_cores()) as pool:  # onnxruntime releases the GIL
            for chunk, vectors in zip(chunks, pool.map(embed, chunks), strict=True):
                out[chunk] = vectors
        return out

    def _embed(self, session: Any, encodings: Sequence[Any]) -> Vectors:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            n = len(e.ids)
            ids[row, :n] = e.ids
            mask[row, :n] = e.attention_mask
            types[row, :n] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return np.ascontiguousarray(pooled / norms, dtype=np.float32)
