"""PostgreSQL plumbing: the pool, versioned migrations applied once, URL redaction."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.errors import StoreError
from index.pgdb import is_postgres_url, migrate, open_pool, redact_url

STEPS = ["CREATE TABLE things(id SERIAL PRIMARY KEY, v vector(3))",
         "ALTER TABLE things ADD COLUMN name TEXT"]


def test_migrations_apply_once_even_from_concurrent_workers(pg_url: str) -> None:
    pools = [open_pool(pg_url, max_size=2) for _ in range(3)]
    try:
        with ThreadPoolExecutor(3) as pool:
            applied = list(pool.map(lambda p: migrate(p, "demo", STEPS), pools))
        assert sorted(applied) == [0, 0, 2]
        assert migrate(pools[0], "demo", [*STEPS, "CREATE INDEX ON things(name)"]) == 1
        with pools[0].connection() as conn:
            conn.execute("INSERT INTO things(v, name) VALUES (%s, 'a')",
                         (np.array([1, 0, 0], dtype=np.float32),))
            row = conn.execute("SELECT v, name FROM things").fetchone()
        assert row is not None and row[0].to_list() == [1.0, 0.0, 0.0] and row[1] == "a"
    finally:
        for p in pools:
            p.close()


def test_an_unreachable_database_is_a_store_error_without_the_password() -> None:
    url = "postgresql://u:s3cret@127.0.0.1:1/db?connect_timeout=1"
    with pytest.raises(StoreError) as err:
        open_pool(url, timeout=2)
    assert "s3cret" not in str(err.value) and "127.0.0.1" in str(err.value)


def test_urls() -> None:
    assert is_postgres_url("postgresql://h/db") and is_postgres_url("postgres://h/db")
    assert not is_postgres_url("sqlite:///x") and not is_postgres_url(None)
    assert redact_url("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redact_url("postgresql://h/db") == "postgresql://h/db"
