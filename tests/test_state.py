"""The bot's state on both backends (SQLite files, a real PostgreSQL): subscriptions and the
delivery log, watches, feed state and the *More evidence* answers behave alike; on
PostgreSQL, claims and feed polls are leased, a stopped worker's claims are taken over once,
a cut-off send is never resent, and a data directory's state copies across idempotently."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, StoreConfig, from_dict
from bot.state import BotState, copy_state, open_state, state_counts
from bot.telegram.answers import PgAnswers
from bot.telegram.scheduling import DigestScheduler, job_name
from bot.telegram.subscriptions import Subscription, Subscriptions
from bot.telegram.subscriptions_pg import PgSubscriptions
from bot.telegram.watches import Watches
from index.feeds import FeedStore
from index.feeds_pg import PgFeedStore
from index.models import TimelinePoint
from index.pgdb import open_pool
from tests.test_scheduling import Clock, FakeJobQueue, Recorder


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture(params=["sqlite", "postgres"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BotState]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    config = Config(data_dir=tmp_path / "data", store=StoreConfig(url=url))
    opened = open_state(config, lambda: at(2026, 3, 6, 12, 0))
    assert opened.shared == (url is not None)
    yield opened
    opened.close()


def figure(value: str, number: float) -> TimelinePoint:
    return TimelinePoint(date="2026-03-05", value=value, number=number, measure="displaced",
                         sentence=f"{value} people were displaced.", source="Herald",
                         report_id="r1")


# -- both backends ------------------------------------------------------------------------------


def test_subscriptions_and_delivery_log(state: BotState) -> None:
    subs = state.subscriptions
    subs.subscribe(7, "8:05", "Europe/Berlin", "floods")
    subs.set_watermark(7, "2026-03-06T07:05:00+00:00")
    sub = subs.subscribe(7, "09:00", "UTC")
    assert (sub.time, sub.zone, sub.topic, sub.watermark, sub.active) == (
        "09:00", "UTC", None, "2026-03-06T07:05:00+00:00", True)
    assert subs.get(7) == sub and [s.chat_id for s in subs.active()] == [7]
    with pytest.raises(ConfigError):
        subs.subscribe(8, "25:00", "UTC")
    assert subs.unsubscribe(7) and not subs.unsubscribe(7) and subs.active() == []
    assert subs.chat_active(5)
    subs.set_chat_active(5, False)
    assert not subs.chat_active(5)
    assert subs.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert not subs.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert subs.claim(2, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert subs.begin_send(1, "2026-03-06")
    subs.finish(1, "2026-03-06", "sent", since="a", until="b")
    got = subs.delivery(1, "2026-03-06")
    assert got is not None and (got.status, got.since, got.until) == ("sent", "a", "b")
    assert subs.claimed_days("2026-03-06") == {(1, "2026-03-06"), (2, "2026-03-06")}
    assert subs.claimed_days("2026-03-07") == set()
    assert subs.take_over().claimed == []  # nobody stopped


def test_watches_claim_a_change_once(state: BotState) -> None:
    watches = state.watches
    first, new = watches.add(3, "how many displaced?", figure("12,000", 12000))
    empty, _ = watches.add(3, "how many dead?", None)
    assert new
    assert [w.id for w in watches.of_chat(3)] == [first.id, empty.id]
    assert watches.claim(first, figure("18,500", 18500))
    assert not watches.claim(first, figure("18,500", 18500))  # read with the old figure
    assert watches.claim(empty, figure("4", 4))  # no figure yet: NULL matches NULL
    assert [w.number for w in watches.active()] == [18500, 4]
    watches.remove_chat(3)
    assert watches.of_chat(3) == [] and watches.active() == []


def test_a_chat_watches_a_question_once(state: BotState) -> None:
    """The same question (in any case and spacing) is one watch of a chat: adding it again
    gives the watch there is, so a change is never told twice."""
    watches = state.watches
    first, new = watches.add(3, "How many ships are waiting?", figure("12", 12))
    assert new
    again, new = watches.add(3, "  how many SHIPS are\twaiting? ", figure("14", 14))
    assert not new and again == first
    other, new = watches.add(4, "how many ships are waiting?", None)  # another chat: its own
    assert new and other.id != first.id
    assert [w.question for w in watches.of_chat(3)] == ["How many ships are waiting?"]
    watches.remove(first.id)  # once stopped, it can be watched again
    _, new = watches.add(3, "how many ships are waiting?", None)
    assert new and len(watches.of_chat(3)) == 1


def test_feed_state(state: BotState) -> None:
    feeds = state.feeds
    assert feeds.add("https://a.example/rss", 1800)
    assert not feeds.add("https://a.example/rss", 600)
    feeds.sync_config([("https://c.example/rss", 3600)])
    assert [(f.url, f.every, f.origin) for f in feeds.feeds()] == [
        ("https://c.example/rss", 3600, "config"), ("https://a.example/rss", 600, "admin")]
    failed = feeds.record_failure("https://a.example/rss", "HTTP 500")
    assert failed is not None and failed.failures == 1 and failed.last_error == "HTTP 500"
    assert not feeds.due("https://a.example/rss")  # backing off
    feeds.record_ok("https://a.example/rss", etag='"e1"', last_modified=None, title="A")
    ok = feeds.get("https://a.example/rss")
    assert ok is not None and (ok.failures, ok.etag, ok.title) == (0, '"e1"', "A")
    assert feeds.due("https://a.example/rss")
    feeds.mark_seen("https://a.example/rss", ["x", "y"])
    assert feeds.unseen("https://a.example/rss", ["x", "z", "y", "z"]) == {"z"}
    assert feeds.lease("https://a.example/rss")
    feeds.renew("https://a.example/rss")
    feeds.release("https://a.example/rss")
    assert feeds.remove("https://a.example/rss") and feeds.get("https://a.example/rss") is None
    feeds.add("https://a.example/rss", 600)
    assert feeds.unseen("https://a.example/rss", ["x"]) == {"x"}  # seen ids went with it


def test_more_evidence_answer_is_taken_once(state: BotState) -> None:
    key = state.answers.put(["<b>shown</b>", "", "<i>More evidence:</i>"])
    assert len(f"more:{key}".encode()) <= 64  # Telegram's callback_data limit
    assert state.answers.take("nope") is None
    assert state.answers.take(key) == ["<b>shown</b>", "", "<i>More evidence:</i>"]
    assert state.answers.take(key) is None


# -- PostgreSQL: several workers ----------------------------------------------------------------


@pytest.fixture
def pool(pg_url: str) -> Iterator[object]:
    from bot.state import migrate_state

    opened = open_pool(pg_url, max_size=4)
    migrate_state(opened)
    yield opened
    opened.close()


def test_migrations_apply_once(pool: object) -> None:
    from bot.state import migrate_state

    assert migrate_state(pool) == 0


def test_a_stopped_workers_claim_is_taken_over_once(pool: object) -> None:
    dead = PgSubscriptions(pool, lease=0.0, owner="dead")  # its leases expire at once
    live = PgSubscriptions(pool, owner="live")
    other = PgSubscriptions(pool, owner="other")
    assert dead.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert dead.claim(2, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert not live.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert dead.begin_send(2, "2026-03-06")  # chat 2 was mid-send when it stopped
    taken = live.take_over()
    assert [d.chat_id for d in taken.claimed] == [1]
    assert [(d.chat_id, d.status) for d in taken.interrupted] == [(2, "interrupted")]
    assert other.take_over().claimed == []  # each expired claim goes to one worker
    assert not dead.begin_send(1, "2026-03-06")  # it is not the dead one's any more
    assert live.begin_send(1, "2026-03-06")
    live.finish(1, "2026-03-06", "sent")
    dead.finish(1, "2026-03-06", "failed")  # a late write of the old owner changes nothing
    got1, got2 = live.delivery(1, "2026-03-06"), live.delivery(2, "2026-03-06")
    assert got1 is not None and got1.status == "sent"
    assert got2 is not None and got2.status == "interrupted"  # never resent


def test_heartbeat_keeps_a_live_workers_claims(pool: object) -> None:
    slow = PgSubscriptions(pool, lease=30.0, owner="slow")
    assert slow.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00")
    assert slow.heartbeat() == 1
    assert PgSubscriptions(pool, owner="other").take_over().claimed == []
    assert slow.begin_send(1, "2026-03-06")


def test_one_worker_polls_a_feed_at_a_time(pool: object) -> None:
    a = PgFeedStore(pool, owner="a")
    b = PgFeedStore(pool, owner="b")
    a.add("https://a.example/rss", 600)
    assert a.lease("https://a.example/rss")
    assert not b.lease("https://a.example/rss")  # a polls it
    a.release("https://a.example/rss")
    assert not b.lease("https://a.example/rss")  # a just polled it: not again this interval
    killed = PgFeedStore(pool, lease=0.0, owner="killed")
    killed.add("https://k.example/rss", 600)
    assert killed.lease("https://k.example/rss")
    assert b.lease("https://k.example/rss")  # the killed worker's lease ran out


def test_any_worker_answers_a_button_another_sent(pool: object) -> None:
    key = PgAnswers(pool).put(["shown", "more"])
    assert PgAnswers(pool).take(key) == ["shown", "more"]
    kept = PgAnswers(pool, kept=2)
    old = kept.put(["old"])
    kept.put(["b"])
    kept.put(["c"])
    assert kept.take(old) is None  # older than the newest two


async def test_sync_picks_up_another_workers_subscriptions_and_sends_once(pool: object
                                                                          ) -> None:
    clock = Clock(at(2026, 3, 6, 7, 0, 30))
    made_yesterday = PgSubscriptions(pool, lambda: at(2026, 3, 5, 12, 0), owner="web")
    workers = []
    for name in ("w1", "w2", "w3"):
        subs = PgSubscriptions(pool, clock, owner=name)
        queue, rec = FakeJobQueue(), Recorder()
        workers.append((queue, rec, DigestScheduler(subs, queue, rec, clock)))
    for chat in range(1, 31):  # due at 07:00 UTC today, made through another worker
        made_yesterday.subscribe(chat, "07:00", "UTC")
    made_yesterday.subscribe(99, "09:00", "UTC")  # not due yet
    started = [await w[2].sync() for w in workers]
    for _queue, _rec, sched in workers:
        await sched.settle()
    sent = sorted(c for _q, rec, _s in workers for c, _since, _until in rec.calls)
    assert sent == list(range(1, 31)) and sum(started) >= 30
    for queue, _rec, _sched in workers:  # every worker holds every chat's next job
        assert {j.name for j in queue.jobs} == {job_name(c) for c in [*range(1, 31), 99]}
    assert all(made_yesterday.delivery(c, "2026-03-06").status == "sent"  # type: ignore[union-attr]
               for c in range(1, 31))
    assert [await w[2].sync() for w in workers] == [0, 0, 0]  # nothing twice
    made_yesterday.unsubscribe(99)
    await workers[0][2].sync()
    assert job_name(99) not in {j.name for j in workers[0][0].jobs}


# -- copying a data directory's state -----------------------------------------------------------


def test_copy_state_is_idempotent_and_keeps_the_rows(tmp_path: Path, pg_url: str) -> None:
    data = tmp_path / "data"
    subs = Subscriptions(data, lambda: at(2026, 3, 6, 12, 0))
    for chat in (1, 2, 3):
        subs.subscribe(chat, "08:00", "Europe/Berlin", "floods" if chat == 2 else None)
    subs.unsubscribe(3)
    subs.set_watermark(1, "2026-03-06T07:00:00+00:00")
    assert subs.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00")
    subs.finish(1, "2026-03-06", "sent", since="s", until="u")
    subs.set_chat_active(9, False)
    watches = Watches(data)
    watches.add(1, "how many displaced?", figure("12,000", 12000))
    feeds = FeedStore(data)
    feeds.add("https://a.example/rss", 600)
    feeds.mark_seen("https://a.example/rss", ["e1", "e2"])
    expected = {"subscriptions": 3, "deliveries": 1, "chats": 1, "watches": 1, "feeds": 1,
                "feed_seen": 2}
    assert state_counts(data) == expected
    assert copy_state(data, pg_url) == expected
    assert copy_state(data, pg_url) == expected  # twice changes nothing
    config = Config(data_dir=tmp_path / "elsewhere", store=StoreConfig(url=pg_url))
    copied = open_state(config)
    try:
        for chat in (1, 2, 3):
            assert copied.subscriptions.get(chat) == subs.get(chat)
        assert copied.subscriptions.delivery(1, "2026-03-06") == subs.delivery(1, "2026-03-06")
        assert not copied.subscriptions.chat_active(9)
        assert copied.watches.active() == watches.active()
        assert copied.feeds.feeds() == feeds.feeds()
        assert copied.feeds.unseen("https://a.example/rss", ["e1", "e3"]) == {"e3"}
        new, _ = copied.watches.add(2, "q", None)  # ids go on past the copied ones
        assert new.id > watches.active()[0].id
    finally:
        copied.close()
        subs.close()
        watches.close()
        feeds.close()


def test_workers_settings() -> None:
    cfg = from_dict({"workers": {"lease": "20s", "sync_every": "5s"}}, env={})
    assert (cfg.workers.lease, cfg.workers.sync_every) == (20, 5)
    with pytest.raises(ConfigError, match="sync_every"):
        from_dict({"workers": {"lease": "5s", "sync_every": "10s"}}, env={})
    assert replace(cfg, workers=cfg.workers).workers.lease == 20


async def turns_until(condition: Callable[[], object], turns: int = 1000) -> None:
    """Give the event loop turns (no wall-clock wait) until ``condition`` holds: the tasks
    the scheduler spawned run meanwhile."""
    import asyncio

    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"not reached after {turns} turns of the loop")


async def test_a_claim_taken_over_while_the_same_chat_waits_here_is_still_sent(
        pool: object) -> None:
    """A worker whose due digest for a chat waits for a free slot takes over another, dead
    worker's claim on that chat: the claim must still be sent (once), not left claimed."""
    import asyncio

    clock = Clock(at(2026, 3, 6, 7, 0, 30))
    made = PgSubscriptions(pool, lambda: at(2026, 3, 5, 12, 0), owner="web")
    for chat in range(1, 6):  # chat 5 waits: four slots are busy with chats 1-4
        made.subscribe(chat, "07:00", "UTC")
    gate = asyncio.Event()
    sent: list[int] = []

    async def deliver(sub: Subscription, since: str, until: str) -> str:
        if sub.chat_id != 5:
            await gate.wait()
        sent.append(sub.chat_id)
        return "sent"

    subs = PgSubscriptions(pool, clock, owner="here")
    sched = DigestScheduler(subs, FakeJobQueue(), deliver, clock)
    assert await sched.sync() == 5
    # the spawned digests claim chats 1-4 (chat 5 waits for a free slot)
    await turns_until(lambda: all(subs.delivery(c, "2026-03-06") for c in range(1, 5)))
    assert subs.delivery(5, "2026-03-06") is None
    dead = PgSubscriptions(pool, clock, lease=0.0, owner="dead")
    assert dead.claim(5, "2026-03-06", "2026-03-06T07:00:00+00:00")  # then it dies
    await sched.sync()  # takes chat 5 over
    gate.set()
    await sched.settle()
    assert sorted(sent) == [1, 2, 3, 4, 5]
    got = subs.delivery(5, "2026-03-06")
    assert got is not None and got.status == "sent"


async def test_a_worker_that_takes_over_its_own_expired_claim_sends_it_once(
        pool: object) -> None:
    """A worker whose lease ran out (a stalled loop) takes its own claim over while the first
    run still composes: of the two runs only one begins the send."""
    import asyncio

    clock = Clock(at(2026, 3, 6, 7, 0, 30))
    PgSubscriptions(pool, lambda: at(2026, 3, 5, 12, 0), owner="web").subscribe(
        7, "07:00", "UTC")
    subs = PgSubscriptions(pool, clock, lease=0.0, owner="stalled")
    gate = asyncio.Event()
    sent: list[int] = []

    async def deliver(sub: Subscription, since: str, until: str) -> str:
        await gate.wait()  # composing
        if not sched.begin(sub.chat_id):
            return "taken_over"
        sent.append(sub.chat_id)
        return "sent"

    sched = DigestScheduler(subs, FakeJobQueue(), deliver, clock)
    assert await sched.sync() == 1
    await turns_until(lambda: subs.delivery(7, "2026-03-06") is not None)  # the run claims
    assert await sched.sync() == 1  # its lease ran out: taken over, by itself
    gate.set()
    assert sorted(await sched.settle()) == ["sent", "taken_over"]
    assert sent == [7]
    got = subs.delivery(7, "2026-03-06")
    assert got is not None and got.status == "sent"


async def test_scheduler_on_postgres_sends_once_and_catches_up_once(pool: object) -> None:
    """The single-worker behaviour of tests/test_scheduling.py, on PostgreSQL: a due job
    sends once and schedules the next day; a restart after downtime catches up once."""
    clock = Clock(at(2026, 1, 14, 12, 0))
    subs = PgSubscriptions(pool, clock, owner="one")
    queue, rec = FakeJobQueue(), Recorder()
    sched = DigestScheduler(subs, queue, rec, clock)
    sched.schedule(subs.subscribe(1, "08:00", "Europe/Berlin"))
    subs.subscribe(2, "09:30", "America/New_York", "floods")
    (job,) = queue.jobs
    assert job.when == at(2026, 1, 15, 7, 0)
    clock.now = job.when
    assert await sched.run_due(1) == "sent"
    assert await sched.run_due(1) == "duplicate"
    assert [j.when for j in queue.jobs] == [at(2026, 1, 16, 7, 0)]
    assert subs.get(1).watermark == "2026-01-15T07:00:00+00:00"  # type: ignore[union-attr]
    clock.now = at(2026, 1, 15, 16, 0)  # down over chat 2's 09:30 New York time
    for owner in ("two", "three"):  # two restarts: caught up once
        again = DigestScheduler(PgSubscriptions(pool, clock, owner=owner), FakeJobQueue(),
                                rec, clock)
        await again.start()
    assert [c[0] for c in rec.calls] == [1, 2]
    assert subs.delivery(2, "2026-01-15").status == "sent"  # type: ignore[union-attr]


def test_briefbot_migrate_copies_the_bot_state_too(tmp_path: Path, pg_url: str) -> None:
    import io

    from bot.cli import main
    from index.library import Library
    from index.loaders import load_inputs
    from tests.conftest import SAMPLES
    from tests.fakes import FakeEmbedder

    data = tmp_path / "data"
    with Library(data, FakeEmbedder()) as lib:
        lib.ingest(load_inputs([str(SAMPLES / "06-port-calder-strike.md")]))
    subs = Subscriptions(data, lambda: at(2026, 3, 6, 12, 0))
    subs.subscribe(5, "07:30", "Europe/Berlin", "port")
    assert subs.claim(5, "2026-03-06", "2026-03-06T06:30:00+00:00")
    subs.finish(5, "2026-03-06", "sent")
    Watches(data).add(5, "how many ships?", figure("14", 14))
    FeedStore(data).add("https://a.example/rss", 600)

    def migrate() -> tuple[int, str]:
        out = io.StringIO()
        code = main(["migrate", "--from", str(data), "--to", pg_url], stdout=out,
                     stderr=io.StringIO())
        return code, out.getvalue()

    code, out = migrate()
    assert code == 0 and "All counts match." in out
    for table in ("subscriptions", "deliveries", "watches", "feeds"):
        line = next(x for x in out.splitlines() if x.split()[:1] == [table])
        assert "1 in the data directory" in " ".join(line.split()) and "(1 copied now)" in line
    code, again = migrate()
    line = next(x for x in again.splitlines() if x.split()[:1] == ["subscriptions"])
    assert code == 0 and "(0 copied now)" in line
    state = open_state(Config(data_dir=tmp_path / "other", store=StoreConfig(url=pg_url)))
    try:
        assert state.subscriptions.get(5) == subs.get(5)
        assert [w.question for w in state.watches.active()] == ["how many ships?"]
        assert [f.url for f in state.feeds.feeds()] == ["https://a.example/rss"]
    finally:
        state.close()
        subs.close()
