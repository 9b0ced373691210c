"""Shared fixtures: a fake embedder, the real packaged model (torch and int8 ONNX, each
loaded once), sample reports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library
from index.loaders import load_inputs
from index.models import ReportDraft
from tests.fakes import FakeEmbedder
from tests.pg import PostgresServer
from tests.pg import start as start_postgres

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SAMPLES = Path(__file__).resolve().parent.parent / "bot" / "samples"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session", autouse=True)
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ONNX cache for the whole session: a temporary folder, never the user's cache
    (child processes such as the e2e bot inherit it)."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    old = os.environ.get("BRIEFBOT_CACHE_DIR")
    os.environ["BRIEFBOT_CACHE_DIR"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("BRIEFBOT_CACHE_DIR", None)
    else:
        os.environ["BRIEFBOT_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A real PostgreSQL with pgvector, started once per session (``tests/pg.py``)."""
    yield from start_postgres(tmp_path_factory.mktemp("postgres"))


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """The URL of an empty database (``vector`` enabled) of its own for one test."""
    return postgres.new_database()


BACKENDS = ("sqlite", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``backends`` run once per storage backend (so the two cannot drift)."""
    if metafunc.definition.get_closest_marker("backends") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str | None:
    """The storage backend of a test: ``None`` (SQLite + FAISS in the data directory, the
    default) or, in a test marked ``backends``, in turn the URL of an empty PostgreSQL
    database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture(scope="session")
def int8_embedder(onnx_cache: Path) -> Embedder:
    """The default int8 ONNX embedder, exported and quantised once per session."""
    from index.onnx_embedder import OnnxEmbedder

    return OnnxEmbedder(variant="onnx-int8", cache=onnx_cache)


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The packaged all-MiniLM-L6-v2, loaded once for the whole session."""
    from index.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def library(tmp_path: Path, fake_embedder: FakeEmbedder, backend: str | None
            ) -> Iterator[Library]:
    lib = Library(tmp_path / "data", fake_embedder, url=backend)
    yield lib
    lib.close()


@pytest.fixture
def sample_library(library: Library) -> Library:
    library.ingest(load_inputs([str(SAMPLES)]))
    return library


def samples_and(directory: Path, embedder: Embedder, *drafts: ReportDraft) -> Library:
    """A library of the sample reports and ``drafts`` (a story that arrives later, another
    story) in ``directory``."""
    lib = Library(directory, embedder)
    lib.ingest([*load_inputs([str(SAMPLES)]), *drafts])
    return lib


@pytest.fixture(scope="session")
def real_sample_dir(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Path:
    """A data directory holding the sample reports embedded with the real model."""
    data = tmp_path_factory.mktemp("real-data")
    with Library(data, real_embedder) as lib:
        lib.ingest(load_inputs([str(SAMPLES)]))
    return data
