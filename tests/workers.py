"""Several real ``briefbot run --no-updates`` workers on one PostgreSQL, a recording Bot API
stand-in on 127.0.0.1, and one worker killed with SIGKILL mid-run: the harness shared by
``tests/test_workers.py`` and ``tests/bench/bench_workers.py``.

Each worker talks to the stand-in under its own path prefix (``/w1``, ``/w2``, ...), so the
stand-in knows who sent what. It records every ``sendMessage`` when it arrives (a request
Telegram received is a message the chat gets); once one worker has had ``kill_after`` of its
sends answered, that worker is the victim: its next send is recorded and never answered, and
the harness kills the worker while it waits for the answer, with more digests claimed.
Nothing here sleeps to synchronise: each step waits for a condition it can observe (the
stand-in's records, the delivery log), with a deadline.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

from bot.config import Config, StoreConfig
from bot.services import Services
from bot.telegram.subscriptions_pg import PgSubscriptions
from index.embedder import Embedder
from index.loaders import load_inputs
from index.pgdb import open_pool
from tests.conftest import SAMPLES
from tests.tg import BOT_USER
from tests.webserver import Site, serve

REPO = Path(__file__).resolve().parent.parent
TOKEN = "777:workers-SECRET-token"
FINAL = ("sent", "empty", "interrupted", "failed", "timed_out", "blocked")
T = TypeVar("T")


@dataclass
class BotApi:
    """The stand-in's records and its one rule: hold the victim's sends."""

    kill_after: int
    site: Site | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    sends: list[tuple[str, int, str]] = field(default_factory=list)  # worker, chat, text
    answered: Counter[str] = field(default_factory=Counter)
    commands: set[str] = field(default_factory=set)  # workers that finished post_init
    victim: str | None = None
    held: list[int] = field(default_factory=list)  # chats whose send was never answered

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0)).decode()
        parts = h.path.split("/")
        worker, method = parts[1], parts[-1]
        params = {k: v[0] for k, v in parse_qs(body).items()}
        hold = False
        with self.lock:
            if method == "setMyCommands":
                self.commands.add(worker)
            if method == "sendMessage":
                chat = int(params["chat_id"])
                self.sends.append((worker, chat, params.get("text", "")))
                if worker == self.victim:
                    hold = True
                    self.held.append(chat)
                else:
                    self.answered[worker] += 1
                    if self.victim is None and self.answered[worker] >= self.kill_after:
                        self.victim = worker
        if hold and self.site is not None:
            self.site.release.wait()  # until the server shuts down: never answered
            return
        result: object = True
        if method == "getMe":
            result = BOT_USER
        elif method == "sendMessage":
            result = {"message_id": len(self.sends), "date": 0,
                      "chat": {"id": int(params["chat_id"]), "type": "private"},
                      "text": params.get("text", "")}
        data = json.dumps({"ok": True, "result": result}).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


@dataclass
class Outcome:
    chats: list[int]
    per_chat: Counter[int]  # sendMessage requests the stand-in received, per chat
    by_worker: Counter[str]
    victim: str
    held: list[int]
    statuses: Counter[str]
    taken_over: int  # delivery rows finished by another worker than the first claimer
    interrupted: list[int]
    timed_out: list[int]  # the victim's send that timed out before the kill (a slow run)
    held_to_kill: float  # from the victim's unanswered send seen to its SIGKILL
    seconds_to_all: float  # from the subscriptions' insert to every chat's row final
    exit_codes: list[int]  # of the workers left running, stopped with SIGTERM at the end
    worker_cpu: float  # CPU seconds of the worker processes (start-up included)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.per_chat.values() if n > 1)

    @property
    def missing(self) -> int:
        return sum(1 for c in self.chats if self.per_chat[c] == 0)


def wait_for(condition: Callable[[], T | None], what: str, deadline: float,
             procs: list[subprocess.Popen[bytes]] | None = None,
             logs: list[Path] | None = None) -> T:
    """Poll ``condition`` until it returns something; fail at the deadline or when a
    worker exits (with the workers' logs)."""
    while (result := condition()) is None:
        dead = [p for p in procs or [] if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            tail = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in logs or []
                             if p.exists())
            why = "a worker exited" if dead else "timed out"
            raise AssertionError(f"{why} waiting for {what}\n{tail}")
        time.sleep(0.05)
    return result


@contextmanager
def bot_api(kill_after: int) -> Iterator[tuple[BotApi, Site]]:
    api = BotApi(kill_after)
    with serve() as site:
        api.site = site
        site.routes["*"] = api.handle
        yield api, site


def ingest_reports(pg_url: str, data_dir: Path, embedder: Embedder) -> None:
    """Two sample reports (a one-message digest), into the report store the workers open
    with this store URL (PostgreSQL)."""
    services = Services(Config(data_dir=data_dir, store=StoreConfig(url=pg_url)),
                        lambda model: embedder)
    try:
        services.open().ingest(load_inputs([str(SAMPLES / "06-port-calder-strike.md"),
                                            str(SAMPLES / "07-port-calder-talks.md")]))
    finally:
        services.close()


def run_workers(pg_url: str, data_dir: Path, folder: Path, *, workers: int = 3,
                chats: int = 300, kill_after: int = 30, lease: int = 4, sync_every: int = 1,
                timeout: float = 90.0) -> Outcome:
    """Start ``workers`` workers, make ``chats`` subscriptions due now through the database,
    kill the victim mid-run, and wait until every chat's delivery row is final."""
    deadline = time.monotonic() + timeout
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    config = folder / "config.toml"
    config.write_text(f'[store]\nurl = "{pg_url}"\npool_size = 4\n'
                      f'[workers]\nlease = "{lease}s"\nsync_every = "{sync_every}s"\n')
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BRIEFBOT_CONFIG": str(config),
           "BRIEFBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           # a loaded machine may starve the stand-in for seconds: no send times out here
           # (a timed-out send is recorded, not resent: that is not what is tested)
           "BRIEFBOT_BOT_API_TIMEOUT": "60"}
    env.pop("BRIEFBOT_DATABASE_URL", None)
    logs = [folder / f"w{i}.log" for i in range(1, workers + 1)]
    procs: list[subprocess.Popen[bytes]] = []
    pool = open_pool(pg_url, max_size=2)
    with bot_api(kill_after) as (api, site):
        try:
            for i, log in enumerate(logs, 1):
                with log.open("wb") as out:
                    procs.append(subprocess.Popen(
                        [sys.executable, "-m", "bot", "run", "--no-updates",
                         "--base-url", site.url(f"/w{i}")],
                        cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT))
            names = {f"w{i}" for i in range(1, workers + 1)}
            wait_for(lambda: True if api.commands >= names else None, "every worker up",
                     deadline, procs, logs)
            ids = _subscribe_due_now(pool, chats)
            started = time.monotonic()
            victim = wait_for(lambda: api.victim if api.held else None,
                              "the victim's unanswered send", deadline, procs, logs)
            held_at = time.monotonic()
            proc = procs[int(victim[1:]) - 1]
            wait_for(lambda: True if _open_claims(pool, proc.pid) >= 2
                     or _unclaimed(pool, ids) == 0 else None,
                     "the victim holding more claims", deadline, procs, logs)
            proc.send_signal(signal.SIGKILL)
            held_to_kill = time.monotonic() - held_at
            proc.wait(timeout=30)
            live = [p for p in procs if p is not proc]
            wait_for(lambda: True if _final(pool, ids) == len(ids) else None,
                     "every chat's delivery final", deadline, live, logs)
            seconds = time.monotonic() - started
        finally:
            running = [p for p in procs if p.poll() is None]
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        with pool.connection() as conn:
            rows = conn.execute("SELECT chat_id, status, attempts FROM deliveries "
                                "WHERE chat_id = ANY(%s)", (ids,)).fetchall()
        pool.close()
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        with api.lock:
            return Outcome(
                chats=ids, per_chat=Counter(c for _w, c, _t in api.sends),
                by_worker=Counter(w for w, _c, _t in api.sends), victim=victim,
                held=list(api.held), statuses=Counter(str(r[1]) for r in rows),
                taken_over=sum(1 for r in rows if int(r[2]) > 1),
                interrupted=sorted(int(r[0]) for r in rows if r[1] == "interrupted"),
                timed_out=sorted(int(r[0]) for r in rows if r[1] == "timed_out"),
                held_to_kill=held_to_kill, seconds_to_all=seconds,
                exit_codes=[p.returncode for p in running],
                worker_cpu=cpu.ru_utime + cpu.ru_stime - before.ru_utime - before.ru_stime)


def _subscribe_due_now(pool: Any, chats: int) -> list[int]:
    """``chats`` subscriptions made yesterday, due at the current UTC minute: due now."""
    now = datetime.now(UTC)
    made = PgSubscriptions(pool, lambda: now - timedelta(days=1), owner="test")
    ids = list(range(10_001, 10_001 + chats))
    for chat in ids:
        made.subscribe(chat, now.strftime("%H:%M"), "UTC")
    return ids


def _count(pool: Any, sql: str, params: tuple[object, ...]) -> int:
    with pool.connection() as conn:
        row = conn.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def _open_claims(pool: Any, pid: int) -> int:
    return _count(pool, "SELECT count(*) FROM deliveries WHERE owner LIKE %s "
                  "AND status IN ('claimed', 'sending')", (f"%:{pid}:%",))


def _unclaimed(pool: Any, ids: list[int]) -> int:
    return len(ids) - _count(pool, "SELECT count(*) FROM deliveries WHERE chat_id = ANY(%s)",
                             (ids,))


def _final(pool: Any, ids: list[int]) -> int:
    return _count(pool, "SELECT count(*) FROM deliveries WHERE chat_id = ANY(%s) "
                  "AND status = ANY(%s)", (ids, list(FINAL)))
