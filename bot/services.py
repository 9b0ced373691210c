"""The long-lived services a front end holds: the embedding model and the library.

They are opened once (in the bot's ``post_init``, or at the start of a command) and closed
once. Tests pass an ``embedder_factory`` that returns a small fake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.config import Config
from index.embedder import Embedder
from index.embedders import LazyEmbedder
from index.library import Library

log = logging.getLogger(__name__)

EmbedderFactory = Callable[[str], Embedder]


def default_embedder(model: str, kind: str = "onnx-int8") -> Embedder:
    """The configured backend, loaded on its first use (commands that never embed never
    load a model)."""
    return LazyEmbedder(kind, model)


class Services:
    """Opens the model and the library on demand; :meth:`close` releases them."""

    def __init__(self, config: Config, embedder_factory: EmbedderFactory | None = None) -> None:
        self.config = config
        self._factory: EmbedderFactory = embedder_factory or (
            lambda model: default_embedder(model, config.embedder))
        self._library: Library | None = None

    def open(self) -> Library:
        if self._library is None:
            embedder = self._factory(self.config.model)
            self._library = Library(self.config.data_dir, embedder)
            log.info("opened data directory %s", self.config.data_dir)
        return self._library

    @property
    def library(self) -> Library:
        if self._library is None:
            raise RuntimeError("Services.open() has not been called")
        return self._library

    def close(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None
