"""Test doubles shared by the suites: a tiny deterministic embedder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from index.embedder import Vectors

STOP = frozenset("the a an of in on at to and or is are was were for by with from as that".split())


class FakeEmbedder:
    """Hashed bag of word stems: texts sharing words get close vectors. 256-d, unit length."""

    def __init__(self, dim: int = 256, name: str = "fake-bow") -> None:
        self._dim = dim
        self._name = name
        self.calls = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                if word in STOP:
                    continue
                stem = word[:5]
                h = int.from_bytes(hashlib.blake2b(stem.encode(), digest_size=4).digest(), "big")
                out[row, h % self._dim] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out
