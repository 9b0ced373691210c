"""A consistent copy of a data directory while the bot keeps running: :func:`backup_data_dir`.

Every SQLite file in the directory (found by its header, so databases added later are
included) is copied with SQLite's online backup API in one step: a snapshot of one committed
state, taken under a read transaction that never blocks the writer (WAL mode). The FAISS
index is derived data: its tag is copied before the file and both before the databases, so
a copy that does not match the copied database is detected by its tag and rebuilt from
SQLite when the backup is first opened. Other plain files (the chat history) are copied as
they are. Everything goes to a temporary folder beside the destination that is renamed into
place at the end, so a failed backup never looks like a complete one. A backup is restored
by pointing ``--data-dir`` at it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from index.errors import NoIndex, StoreError
from index.library import DB_NAME, VECTORS_NAME, has_index

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal", ".tmp")
BUSY_TIMEOUT = 30.0  # seconds a locked database is waited for


@dataclass(frozen=True)
class BackupResult:
    """What went into a backup: the databases, the other files, the report count."""

    dest: Path
    databases: tuple[str, ...]
    files: tuple[str, ...]
    reports: int
    vectors_in_step: bool  # False: the vector index is rebuilt when the backup is opened


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def backup_data_dir(data_dir: Path, dest: Path) -> BackupResult:
    """Copy ``data_dir`` to ``dest`` (new, or an empty folder), consistently while in use."""
    data_dir, dest = Path(data_dir), Path(dest)
    if not has_index(data_dir):
        raise NoIndex(f"no index in {data_dir} to back up")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise StoreError(f"{dest} already exists and is not an empty folder: choose a new one")
    if dest.resolve() == data_dir.resolve():
        raise StoreError("the backup must go somewhere other than the data directory")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent))
    try:
        entries = sorted(p for p in data_dir.iterdir() if p.is_file()
                         and not p.name.endswith(SKIPPED_SUFFIXES))
        databases = [p for p in entries if is_sqlite(p)]
        # Derived files first: a vector index newer than the copied database cannot pass
        # as in step with it (its tag names a later generation).
        vectors = data_dir / VECTORS_NAME
        tag = vectors.with_suffix(vectors.suffix + ".json")
        others = [p for p in (tag, vectors) if p in entries]
        others += [p for p in entries if p not in databases and p not in others]
        for path in others:
            shutil.copy2(path, work / path.name)
        for path in databases:
            _backup_sqlite(path, work / path.name)
        reports, in_step = _check(work)
        if dest.exists():
            dest.rmdir()
        os.replace(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log.info("backed up %s to %s: %d database(s), %d report(s)", data_dir, dest,
             len(databases), reports)
    return BackupResult(dest, tuple(p.name for p in databases), tuple(p.name for p in others),
                        reports, in_step)


def _backup_sqlite(source: Path, target: Path) -> None:
    """One step of the online backup API: all pages under one read transaction."""
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot back up {source.name}: {exc}") from exc


def _check(work: Path) -> tuple[int, bool]:
    """The backed-up index's report count (after an integrity check), and whether its
    vector index is in step with it."""
    db = sqlite3.connect(work / DB_NAME)
    try:
        ok = db.execute("PRAGMA quick_check").fetchone()
        if ok is None or ok[0] != "ok":
            raise StoreError(f"the backed-up database failed its check: {ok}")
        reports = int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
        row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        generation = int(row[0]) if row else 0
    finally:
        db.close()
    tag = work / (VECTORS_NAME + ".json")
    try:
        in_step = json.loads(tag.read_text()).get("generation") == generation
    except (OSError, ValueError):
        in_step = False
    return reports, in_step
