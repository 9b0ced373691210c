"""Two bot workers (real PTB applications, offline requests) on one PostgreSQL, as behind a
load balancer with a webhook: any worker answers any update. A *More evidence* button sent
by one worker is answered by the other (once); a subscription made through one worker is
seen, and its digest sent once, by either."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, StoreConfig, TelegramConfig
from bot.services import Services
from bot.telegram.app import build_application
from index.loaders import load_inputs
from index.models import Answer, Citation, Quote
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder
from tests.test_bot import Bot
from tests.tg import BOT_USER, Clock, OfflineRequest, Pauses, callback_update

NOW = datetime(2026, 3, 8, 12, tzinfo=UTC)


async def make_worker(config: Config) -> Bot:
    services = Services(config, lambda m: FakeEmbedder())
    request, pauses = OfflineRequest(), Pauses()
    app = build_application(config, services, request=request, updates_request=OfflineRequest(),
                            rate_limit=False, pause=pauses, clock=Clock(NOW))
    await app.initialize()
    await app.post_init(app)
    return Bot(app, request, services, pauses)


@pytest.fixture
async def workers(tmp_path: Path, pg_url: str) -> AsyncIterator[tuple[Bot, Bot]]:
    config = Config(data_dir=tmp_path / "data", telegram=TelegramConfig(token="123:ABC"),
                    store=StoreConfig(url=pg_url))
    Services(config, lambda m: FakeEmbedder()).open().ingest(load_inputs([str(SAMPLES)]))
    a, b = await make_worker(config), await make_worker(config)
    yield a, b
    for w in (a, b):
        await w.app.shutdown()
        await w.app.post_shutdown(w.app)


async def test_a_button_sent_by_one_worker_is_answered_by_another(workers: tuple[Bot, Bot]
                                                                  ) -> None:
    a, b = workers
    more = Citation(n=2, sentence="Kessby hospital is shut.", report_id="r2", title="Second",
                    date="2026-03-06", source="Courier", url=None, score=0.5)
    answer = Answer(question="q", found=True, quotes=(Quote("320 patients left.", (1,), "320"),),
                    citations=(dataclasses.replace(more, n=1, sentence="320 patients left.",
                                                   title="First"),),
                    highlight="320", more=(more,))
    a.services.library.ask = lambda question, k=3: answer  # type: ignore[method-assign]
    [reply] = await a.send("anything")
    data = reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    message = {"message_id": 5, "date": 0, "chat": {"id": 42, "type": "private"},
               "text": "x", "from": BOT_USER}
    await b.process(callback_update(b.app.bot, data, message))
    [edit] = b.request.sent("editMessageText")
    assert "“Kessby hospital is shut.” [2]" in edit["text"]
    await a.process(callback_update(a.app.bot, data, message))  # pressed again, elsewhere
    assert "ask again" in a.request.sent("answerCallbackQuery")[-1]["text"]
    assert a.request.sent("editMessageText") == []


async def test_a_subscription_made_through_one_worker_is_seen_by_the_other(
        workers: tuple[Bot, Bot]) -> None:
    a, b = workers
    [reply] = await a.send("/subscribe 08:00 Europe/Berlin floods")
    assert reply["text"].startswith("Subscribed: a daily digest about “floods” at 08:00")
    [reply] = await b.send("/subscriptions")
    assert "at 08:00 (Europe/Berlin)" in reply["text"] and "floods" in reply["text"]
    digests: Any = b.app.bot_data["digests"]
    assert digests.scheduler is not None
    assert await digests.scheduler.sync() == 0  # made now: nothing due before tomorrow
    assert any(j.name == "digest:42" for j in b.app.job_queue.jobs())  # picked up by b
    [reply] = await b.send("/unsubscribe")
    assert reply["text"].startswith("Unsubscribed")
    [reply] = await a.send("/unsubscribe")
    assert reply["text"] == "This chat has no digest subscription."


async def test_one_worker_polls_a_feed_and_a_killed_ones_lease_runs_out(
        tmp_path: Path, pg_url: str) -> None:
    from telegram.ext import ApplicationBuilder

    from bot.state import open_state
    from bot.telegram import feeds as bot_feeds
    from index.feeds_pg import PgFeedStore
    from tests.test_feeds import FETCHER, items, rss
    from tests.webserver import Page, serve

    config = Config(data_dir=tmp_path / "data", telegram=TelegramConfig(token="123:ABC"),
                    store=StoreConfig(url=pg_url))
    services = Services(config, lambda m: FakeEmbedder())
    services.open()
    states = [open_state(config), open_state(config)]
    try:
        with serve() as site:
            url = site.url("/feed.xml")
            site.routes["/feed.xml"] = Page(rss("Herald", items(site, ["ferry"])),
                                            "application/rss+xml")
            a, b = (bot_feeds.register(
                ApplicationBuilder().token("123:ABC").request(OfflineRequest()).build(),
                services, config, fetcher=FETCHER, store=s.feeds) for s in states)
            assert a.store.add(url, 900)  # as /feed_add through worker a
            assert b.sync_jobs() == 1 and b.sync_jobs() == 0  # b polls it too from now on
            assert b.application is not None and b.application.job_queue is not None
            assert [j.name for j in b.application.job_queue.jobs()] == [f"feed:{url}"]
            polled = await a.poll(url)
            assert polled is not None and polled.ingest is not None
            assert await b.poll(url) is None  # a polled it this interval: b does not
            assert site.paths().count("/feed.xml") == 1
            busy = PgFeedStore(states[0].pool, owner="busy")  # polling it right now
            third = site.url("/third.xml")
            busy.add(third, 900)
            assert busy.lease(third) and b.store.busy(third) and not busy.busy(third)
            assert await b.poll(third) is None  # not now, but again after busy's lease:
            assert [j.name for j in b.application.job_queue.jobs()
                    if j.name.startswith("feed-retry:")] == [f"feed-retry:{third}"]
            killed = PgFeedStore(states[0].pool, lease=0.0, owner="killed")
            second = site.url("/second.xml")
            site.routes["/second.xml"] = Page(rss("Courier", items(site, ["strike"])),
                                              "application/rss+xml")
            killed.add(second, 900)
            assert killed.lease(second)  # it dies mid-poll; its lease runs out
            assert await b.poll(second) is not None
            assert site.paths().count("/second.xml") == 1
            a.store.remove(url)  # as /feed_remove through worker a
            b.sync_jobs()
            assert f"feed:{url}" not in {j.name for j in b.application.job_queue.jobs()}
    finally:
        for s in states:
            s.close()
        services.close()
