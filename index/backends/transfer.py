"""Copying a data directory's report store (SQLite) into PostgreSQL, without re-embedding.

:func:`copy_store` copies every table of the store (reports, versions, sources, sentences
with their vectors, entities, the figure ledger, near-duplicate signatures and bands, the
model's meta) in one transaction under the store's write lock: each table goes through a
temporary table by binary ``COPY``, then ``INSERT ... ON CONFLICT DO NOTHING`` on its key,
so a second run copies nothing (and leaves the generation as it was). Sentence and figure
ids are kept (entities and figures point at sentences by id); the id sequences continue
after them. The counts of both sides are
returned per table, for the caller to show and check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.backends.base import BUMP_GENERATION, ReportStore
from index.backends.postgres import (
    HNSW_INDEX,
    PostgresBackend,
    PostgresStore,
    n_tokens,
    raw_connection,
)
from index.errors import NoIndex

log = logging.getLogger(__name__)

# (table, columns, conflict key); parents before children.
TABLES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("reports", ("id", "title", "date", "source", "url", "canonical_url", "content_hash",
                 "ingested_at", "sort_date", "text", "published_at", "date_only"), "id"),
    ("report_versions", ("report_id", "version", "content_hash", "title", "date",
                         "published_at", "date_only", "ingested_at"), "report_id, version"),
    ("report_sources", ("report_id", "source", "url", "canonical_url", "content_hash",
                        "added_at"), "report_id, url"),
    ("sentences", ("id", "report_id", "position", "text", "vector"), "id"),  # + n_tokens
    ("sentence_entities", ("sentence_id", "entities"), "sentence_id"),
    ("figures", ("id", "sentence_id", "report_id", "measure", "unit", "value", "number", "low",
                 "high", "role", "correction"), "id"),
    ("neardup_sigs", ("report_id", "n_shingles", "sig"), "report_id"),
    ("neardup_bands", ("key", "report_id"), ""),
)
META_KEYS = ("model", "dim", "embedder", "ledger_scheme", "neardup_scheme", "dates",
             "entities_scheme")
BATCH = 20_000
REBUILD_FROM = 10_000  # new sentences from which the HNSW index is built afresh


@dataclass(frozen=True)
class TableCount:
    """Rows of one table in the data directory and in PostgreSQL after the copy."""

    table: str
    source: int
    target: int
    copied: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


def _rows(source: ReportStore, table: str, columns: Sequence[str]) -> Iterator[list[Any]]:
    """The rows of a SQLite table in batches (by rowid), vectors as float32 arrays."""
    last = -1
    while True:
        rows = source.query(f"SELECT rowid, {', '.join(columns)} FROM {table} "
                            "WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, BATCH))
        if not rows:
            return
        for row in rows:
            values: list[Any] = list(row[1:])
            if table == "sentences":
                values[-1] = np.frombuffer(values[-1], dtype=np.float32)
                values.append(n_tokens(str(values[3])))
            yield values
        last = int(str(rows[-1][0]))


def _copy_table(conn: Any, source: ReportStore, table: str, columns: Sequence[str],
                key: str) -> int:
    """Copy one table into PostgreSQL; the number of rows that were not there yet."""
    cols = ", ".join([*columns, "n_tokens"] if table == "sentences" else columns)
    temp = f"incoming_{table}"
    conn.execute(f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS "
                 f"SELECT {cols} FROM {table} WITH NO DATA")
    types = [str(r[0]) for r in conn.execute(
        "SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum", (temp,)).fetchall()]
    with conn.cursor().copy(f"COPY {temp} ({cols}) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for values in _rows(source, table, columns):
            copy.write_row(values)
    if key:
        cur = conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {temp} "
                           f"ON CONFLICT ({key}) DO NOTHING")
    else:  # band keys: the bands of reports that have none yet
        cur = conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {temp} i "
                           f"WHERE NOT EXISTS (SELECT 1 FROM {table} b "
                           f"WHERE b.report_id = i.report_id)")
    return int(cur.rowcount)


def copy_store(source: ReportStore, target: PostgresStore) -> list[TableCount]:
    """Copy ``source`` into ``target`` (idempotent); the counts of each table."""
    with target._write() as adapter:  # the store's write transaction (and lock)
        conn = raw_connection(adapter)
        (n_before,), = conn.execute("SELECT count(*) FROM sentences").fetchall()
        (n_source,), = source.query("SELECT count(*) FROM sentences")
        rebuild = int(str(n_source)) - int(n_before) >= max(REBUILD_FROM, int(n_before) // 10)
        if rebuild:  # one build after the rows are in is much faster than row by row
            conn.execute("DROP INDEX IF EXISTS sentences_vector")
        copied = {}
        for table, columns, key in TABLES:
            copied[table] = _copy_table(conn, source, table, columns, key)
            log.info("%s: %d new row(s)", table, copied[table])
        if rebuild:
            conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
            conn.execute(HNSW_INDEX)
        for table in ("sentences", "figures"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table})) WHERE EXISTS (SELECT 1 FROM {table})")
        for k in META_KEYS:
            value = source.get_meta(k)
            if value is not None:
                conn.execute("INSERT INTO meta(key, value) VALUES (%s, %s) "
                             "ON CONFLICT (key) DO NOTHING", (k, value))
        if any(copied.values()):
            adapter.execute(BUMP_GENERATION)
    if any(copied.values()):
        target.analyse()
    return [TableCount(table, _count(source, table), _count(target, table), copied[table])
            for table, _, _ in TABLES]


def _count(store: ReportStore, table: str) -> int:
    (n,), = store.query(f"SELECT COUNT(*) FROM {table}")
    return int(str(n))


def migrate_data_dir(data_dir: Path, url: str, pool_size: int = 4) -> list[TableCount]:
    """Copy the report store of ``data_dir`` into the database at ``url`` (created or
    brought up to date first); raises :class:`NoIndex` when ``data_dir`` holds none."""
    from index.backends.sqlite import SqliteBackend

    backend = SqliteBackend(data_dir)
    if not backend.exists():
        raise NoIndex(f"no index in {data_dir}: nothing to migrate")
    source = backend.open_store("UTC", 0)
    try:
        stored = source.get_meta("dim")
        blobs = source.query("SELECT vector FROM sentences LIMIT 1")
        dim = int(stored) if stored else len(blobs[0][0]) // 4 if blobs else 384  # type: ignore[arg-type]
        target = PostgresBackend(url, pool_size=pool_size).open_store("UTC", dim)
        try:
            return copy_store(source, target)
        finally:
            target.close()
    finally:
        source.close()
