"""``briefbot backup DEST`` while the data directory is being written: the copy is one
committed state of every database, opens as a data directory and answers questions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.telegram.subscriptions import Subscriptions
from index.backup import backup_data_dir
from index.library import Library
from index.loaders import load_inputs
from index.models import ReportDraft
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder
from tests.test_cli import run

BATCH = 3  # reports per ingest call: one transaction each


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    with Library(d, FakeEmbedder()) as lib:
        assert len(lib.ingest(load_inputs([str(SAMPLES)])).added) == 7
    return d


def in_background(work: Callable[[int], None]) -> tuple[threading.Event, threading.Thread,
                                                         threading.Event]:
    """Runs ``work(n)`` for n = 0, 1, ... in a thread until stopped; ``started`` is set
    after the first round."""
    started, stop = threading.Event(), threading.Event()

    def loop() -> None:
        n = 0
        while not stop.is_set():
            work(n)
            n += 1
            started.set()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return started, thread, stop


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_backup_while_reports_are_ingested(data: Path, tmp_path: Path) -> None:
    writer = Library(data, FakeEmbedder())

    def ingest(n: int) -> None:
        writer.ingest([ReportDraft(title=f"Harbour log {n}-{i}", source="Log",
                                   text=f"Entry {n} {i}: the tug Marit {n * 7 + i} moved "
                                        f"{n + i + 2} barges past berth {i + 1}.")
                       for i in range(BATCH)])

    started, thread, stop = in_background(ingest)
    try:
        assert started.wait(60)
        code, out, err = run(["backup", "--data-dir", str(data), str(tmp_path / "bk")])
    finally:
        stop.set()
        thread.join(60)
        writer.close()
    assert code == 0, err
    backup = tmp_path / "bk"
    reports = count(backup / "briefbot.sqlite3", "SELECT COUNT(*) FROM reports")
    assert f"{reports} report(s)" in out and "--data-dir" in out
    assert reports > 7 and (reports - 7) % BATCH == 0  # whole transactions only
    assert reports <= count(data / "briefbot.sqlite3", "SELECT COUNT(*) FROM reports")
    assert not list(tmp_path.glob(".bk.*"))  # no partial folder left behind
    # Restored by pointing --data-dir at it: it answers, from its own vectors.
    with Library(backup, FakeEmbedder()) as restored:
        assert restored.stats().reports == reports
        assert len(restored.vectors) == restored.stats().sentences
        answer = restored.ask("who is the mayor of Dorvik?")
        assert answer.found and "Ilse Brandt" in answer.quotes[0].text


def test_backup_has_the_same_reports_while_subscriptions_change(data: Path, tmp_path: Path
                                                                ) -> None:
    subs = Subscriptions(data)

    def subscribe(n: int) -> None:
        subs.subscribe(n % 50, "08:00", "UTC", f"topic {n}")
        subs.set_watermark(n % 50, f"2026-03-0{n % 9 + 1}T00:00:00+00:00")

    started, thread, stop = in_background(subscribe)
    try:
        assert started.wait(60)
        result = backup_data_dir(data, tmp_path / "bk")
    finally:
        stop.set()
        thread.join(60)
        subs.close()
    assert set(result.databases) == {"briefbot.sqlite3", "subscriptions.sqlite3"}
    assert result.reports == 7 and result.vectors_in_step
    copied = Subscriptions(tmp_path / "bk")
    try:
        assert 1 <= len(copied.active()) <= 50
    finally:
        copied.close()
    code, out, _ = run(["ask", "--data-dir", str(tmp_path / "bk"), "--json",
                        "how many container ships waiting outside Port Calder?"])
    assert code == 0 and '"found": true' in out


def test_backup_refuses_a_used_destination_and_a_missing_index(data: Path, tmp_path: Path
                                                               ) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine")
    code, _, err = run(["backup", "--data-dir", str(data), str(used)])
    assert code == 2 and "not an empty folder" in err
    assert [p.name for p in used.iterdir()] == ["keep.txt"]
    code, _, err = run(["backup", "--data-dir", str(tmp_path / "nope"), str(tmp_path / "b")])
    assert code == 2 and "no index" in err and not (tmp_path / "b").exists()


def test_backup_with_a_postgresql_store_points_to_pg_dump(data: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """With the reports in PostgreSQL, the data directory holds no (or only stale) reports:
    copying it would pass for a backup of the database. The command says what to use
    instead, copies nothing and never shows the password."""
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL",
                       "postgresql://briefbot:s3cret@db.example.net:5432/briefbot")
    code, out, err = run(["backup", "--data-dir", str(data), str(tmp_path / "bk")])
    assert code == 2 and not (tmp_path / "bk").exists()
    assert "pg_dump" in err and "db.example.net" in err and "s3cret" not in err + out
