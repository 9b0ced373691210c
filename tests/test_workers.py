"""Three real ``briefbot run --no-updates`` workers on one PostgreSQL send 300 digests that
fall due in the same minute; one worker is killed with SIGKILL mid-run, its claims are taken
over once their lease runs out, and every chat gets its digest exactly once
(:mod:`tests.workers`). The reports are read by all three from the same PostgreSQL
(:func:`tests.workers.ingest_reports`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from tests.workers import ingest_reports, run_workers


def test_three_workers_one_killed_every_digest_sent_exactly_once(
        tmp_path: Path, pg_url: str, int8_embedder: Embedder) -> None:
    data = tmp_path / "data"
    ingest_reports(pg_url, data, int8_embedder)
    out = run_workers(pg_url, data, tmp_path, workers=3, chats=300, kill_after=30,
                      timeout=180)
    assert out.missing == 0 and out.duplicates == 0, (out.missing, out.duplicates)
    assert set(out.per_chat) == set(out.chats)  # no message to anyone else
    # The victim sent its share, then died waiting on a send the stand-in received: that
    # one is recorded interrupted and never resent; its other claims were taken over.
    assert out.by_worker[out.victim] == 30 + 1 and len(out.held) == 1
    assert out.interrupted == out.held
    assert out.taken_over >= 1
    assert out.statuses == {"sent": 299, "interrupted": 1}
    assert len([w for w, n in out.by_worker.items() if n and w != out.victim]) == 2
    assert out.exit_codes == [0, 0]  # the others stop cleanly on SIGTERM


def test_bot_api_timeout_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.run import _request

    monkeypatch.delenv("BRIEFBOT_BOT_API_TIMEOUT", raising=False)
    assert _request() is None  # PTB's own defaults
    monkeypatch.setenv("BRIEFBOT_BOT_API_TIMEOUT", "60")
    request = _request()
    assert request is not None and request.read_timeout == 60.0
