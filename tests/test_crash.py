"""Crash safety where it matters: the ingest process is killed (SIGKILL, landing exactly at
the named point through :mod:`index.faults`) right after a batch commit and right after the
vector index is saved, ten times each; after every kill nothing is lost, nothing doubled,
the vectors match the store, and a rerun completes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RUNS = 10


@pytest.mark.parametrize("point", ["after_commit", "after_vectors_save"])
def test_kill_right_after_the_point_loses_and_doubles_nothing(tmp_path: Path,
                                                              point: str) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("BRIEFBOT_KILL_AT", None)
    done = subprocess.run([sys.executable, "-m", "tests.crashloop", str(tmp_path), point,
                           str(RUNS)], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == RUNS + 1
    for i, row in enumerate(rows[:RUNS]):
        assert row["killed"], row  # the kill landed
        expected = [f"Crane {n} repaired" for n in range(i + 1)]
        assert row["titles"] == sorted(expected), row  # run i's batch is committed, once
        assert row["distinct"] == row["reports"] == i + 1
        assert row["sentences"] == 3 * (i + 1) and row["vectors_match"], row
    rerun = rows[-1]
    assert rerun["exit"] == 0 and rerun["reports"] == RUNS and rerun["vectors_match"]
