"""The long-lived services a front end holds: the embedding model and the library.

They are opened once (in the bot's ``post_init``, or at the start of a command) and closed
once. Tests pass an ``embedder_factory`` that returns a small fake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.config import Config
from index.embedder import Embedder
from index.embedders import LazyEmbedder
from index.errors import NoIndex
from index.library import Library, has_index

log = logging.getLogger(__name__)

EmbedderFactory = Callable[[str], Embedder]


def default_embedder(model: str, kind: str = "onnx-int8") -> Embedder:
    """The configured backend, loaded on its first use (commands that never embed never
    load a model)."""
    return LazyEmbedder(kind, model)


class Services:
    """Opens the model and the library on demand; :meth:`close` releases them."""

    def __init__(self, config: Config, embedder_factory: EmbedderFactory | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        """``clock`` stamps ingestion (default: the system clock); tests move it."""
        self.config = config
        self._factory: EmbedderFactory = embedder_factory or (
            lambda model: default_embedder(model, config.embedder))
        self._clock = clock
        self._library: Library | None = None

    def open(self) -> Library:
        if self._library is None:
            embedder = self._factory(self.config.model)
            zone = self.config.digest.default_timezone
            store = self.config.store
            self._library = (Library(self.config.data_dir, embedder, zone=zone,
                                     url=store.url, pool_size=store.pool_size)
                             if self._clock is None else
                             Library(self.config.data_dir, embedder, zone=zone,
                                     clock=self._clock, url=store.url,
                                     pool_size=store.pool_size))
            log.info("opened %s", self._library.backend.describe())
        return self._library

    def open_existing(self) -> Library:
        """Like :meth:`open`, but an error (:class:`NoIndex`) instead of creating an index
        where there is none: a mistyped data directory is not silently an empty one."""
        if self._library is None and self.config.store.url is None \
                and not has_index(self.config.data_dir):
            where = self.config.data_dir
            state = "there is no such directory" if not where.exists() else "nothing ingested"
            raise NoIndex(f"no index in {where} ({state}): check --data-dir, or create one "
                          f"with `briefbot ingest --data-dir {where} INPUT...`")
        return self.open()

    @property
    def library(self) -> Library:
        if self._library is None:
            raise RuntimeError("Services.open() has not been called")
        return self._library

    def close(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None
