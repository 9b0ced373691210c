"""The PostgreSQL the tests start: a real server with pgvector, one database per test."""

from __future__ import annotations

import psycopg


def test_each_test_gets_an_empty_database_with_pgvector(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        ext = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        distance = conn.execute("SELECT '[1,0]'::vector <=> '[0,1]'::vector").fetchone()
    assert version is not None and int(version[0].split(".")[0]) >= 16
    assert ext is not None and ext[0].startswith("0.")
    assert tables == (0,)
    assert distance == (1.0,)
