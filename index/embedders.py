"""Choosing the embedding backend by name, and opening it only when it is first needed.

``onnx-int8`` (the default), ``onnx`` and ``torch`` name the three backends; the setting comes
from the config's ``embedder`` key or ``BRIEFBOT_EMBEDDER``. :class:`LazyEmbedder` knows the
model's name, backend and dimension from the model folder's small JSON files, and loads the
model itself on the first :meth:`encode`, so commands that never embed (listing sources, a
digest without a topic) never load one.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence

from index.embedder import DEFAULT_MODEL, Embedder, Vectors, resolve_model_path
from index.errors import ModelError

log = logging.getLogger(__name__)

EMBEDDERS = ("onnx-int8", "onnx", "torch")
DEFAULT_EMBEDDER = "onnx-int8"


def load_embedder(kind: str, model: str = DEFAULT_MODEL) -> Embedder:
    """The ``kind`` backend for ``model``, loaded now."""
    if kind == "torch":
        from index.embedder import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(model)
    if kind in ("onnx", "onnx-int8"):
        from index.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(model, variant=kind)
    raise ModelError(f"Unknown embedder {kind!r}; use one of {', '.join(EMBEDDERS)}.")


def backend_of(embedder: Embedder) -> str:
    """Which backend made an embedder's vectors (``torch`` for embedders that do not say)."""
    return str(getattr(embedder, "backend", "torch"))


class LazyEmbedder:
    """An :class:`Embedder` that loads the real one on first use."""

    def __init__(self, kind: str = DEFAULT_EMBEDDER, model: str = DEFAULT_MODEL) -> None:
        if kind not in EMBEDDERS:
            raise ModelError(f"Unknown embedder {kind!r}; use one of {', '.join(EMBEDDERS)}.")
        self._kind = kind
        self._model = model
        self._loaded: Embedder | None = None
        self._lock = threading.Lock()
        self._dim = _declared_dim(model)

    @property
    def name(self) -> str:
        return self._model

    @property
    def backend(self) -> str:
        return self._kind

    @property
    def dim(self) -> int:
        return self._dim if self._dim is not None else self.loaded().dim

    def loaded(self) -> Embedder:
        with self._lock:
            if self._loaded is None:
                self._loaded = load_embedder(self._kind, self._model)
            return self._loaded

    def encode(self, texts: Sequence[str]) -> Vectors:
        return self.loaded().encode(texts)


def _declared_dim(model: str) -> int | None:
    """The output dimension a sentence-transformers folder declares, if it is plain (a
    transformer, pooling and normalising, no dense layer); else None (load to find out)."""
    try:
        folder = resolve_model_path(model)
        modules = json.loads((folder / "modules.json").read_text())
        if any("Dense" in str(m.get("type", "")) for m in modules):
            return None
        pooling = next((m for m in modules if "Pooling" in str(m.get("type", ""))), None)
        if pooling is None:
            return None
        config = json.loads((folder / str(pooling["path"]) / "config.json").read_text())
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError, ModelError):
        return None
