"""The hostile-input suite: every input generated here (nothing large is committed), each
ingested beside a good report by the real command line in a subprocess of its own that
measures peak memory. For each: one line naming the input and the reason, the good records
kept, and at most 300 MB over the baseline; then all of them on one command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.hostile import ALL, Case, make_inputs

REPO = Path(__file__).resolve().parent.parent
MEMORY_CAP_MB = 300


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Case], dict[str, dict]]:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("hostile")
    cases = make_inputs(folder)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for name in ("BRIEFBOT_CONFIG", "BRIEFBOT_ALLOW_PRIVATE_URLS", "BRIEFBOT_DATA_DIR"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "tests.bench.hostile", "--json", str(folder)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row["name"]: row for row in map(json.loads, done.stdout.splitlines())}
    return cases, rows


def test_every_input_is_refused_in_one_line_or_stored(
        measured: tuple[list[Case], dict[str, dict]]) -> None:  # type: ignore[type-arg]
    cases, rows = measured
    assert len(rows) == len(cases) + 1
    for case in cases:
        row = rows[case.name]
        assert row["exit"] == 0, row  # the good report went in
        assert row["stored"] == case.good, row
        name = case.file.lstrip("/")
        if case.reason is None:
            assert row["problems"] == [], row
        else:
            named = [p for p in row["problems"] if name in p and case.reason in p]
            assert named, row
            assert all(name in p for p in row["problems"]), row
        assert row["peak_mb"] < MEMORY_CAP_MB, row


def test_all_inputs_together_keep_every_good_record(
        measured: tuple[list[Case], dict[str, dict]]) -> None:  # type: ignore[type-arg]
    cases, rows = measured
    together = rows[ALL]
    assert together["exit"] == 0
    assert together["stored"] == sum(c.good for c in cases), together
    for case in cases:
        if case.reason is not None:
            name = case.file.lstrip("/")
            assert any(name in p and case.reason in p for p in together["problems"]), case
    assert together["peak_mb"] < MEMORY_CAP_MB
