"""The Telegram side of digests with real PTB objects and an offline request class: the
commands, rendering and splitting, and delivery (Forbidden, RetryAfter, TimedOut)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application, ApplicationBuilder

from bot.config import Config, ConfigError
from bot.services import Services
from bot.telegram.digests import (
    parse_subscribe,
    register,
    render_digest,
    split_messages,
)
from bot.telegram.render import entity_count, utf16_len
from bot.telegram.scheduling import job_name
from bot.telegram.subscriptions import Subscriptions
from index.digest import Digest, DigestEvent, DigestSentence
from index.loaders import load_inputs
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder
from tests.tg import Clock, OfflineRequest, Pauses, error, message_update


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    svc = Services(Config(data_dir=tmp_path / "data"), lambda m: FakeEmbedder(), clock=clock)
    svc.open().ingest(load_inputs([str(SAMPLES)]))  # ingested on 4 March, 12:00 UTC
    yield svc
    svc.close()


@pytest.fixture
async def bot_app(services: Services, clock: Clock) -> Any:
    request = OfflineRequest()
    app = ApplicationBuilder().token("123:ABC").request(request).get_updates_request(
        OfflineRequest()).build()
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    pauses = Pauses()
    service = register(app, services, Subscriptions(services.config.data_dir, clock),
                       clock=clock, pause=pauses)
    await app.initialize()
    yield app, request, service, clock, pauses
    await app.shutdown()
    service.subscriptions.close()


def command(app: Application[Any, Any, Any, Any, Any, Any], text: str, chat_id: int = 42
            ) -> Update:
    return message_update(app.bot, text, chat_id=chat_id, from_id=chat_id)


async def test_subscribe_updates_never_duplicates(bot_app: Any) -> None:
    app, request, service, _clock, _ = bot_app
    await app.process_update(command(app, "/subscribe 08:00 Europe/Berlin floods"))
    sub = service.subscriptions.get(42)
    assert (sub.time, sub.zone, sub.topic, sub.active) == ("08:00", "Europe/Berlin",
                                                           "floods", True)
    assert "08:00" in request.sent()[-1]["text"] and "Sat 07 Mar 2026 08:00 CET" in \
        request.sent()[-1]["text"]
    await app.process_update(command(app, "/subscribe 07:30"))
    sub = service.subscriptions.get(42)
    assert (sub.time, sub.zone, sub.topic) == ("07:30", "UTC", None)
    assert len(service.subscriptions.active()) == 1
    assert len(app.job_queue.get_jobs_by_name(job_name(42))) == 1
    await app.process_update(command(app, "/subscriptions"))
    assert "07:30 (UTC)" in request.sent()[-1]["text"]
    assert "Sat 07 Mar 2026 07:30 UTC" in request.sent()[-1]["text"]
    await app.process_update(command(app, "/unsubscribe"))
    assert not service.subscriptions.get(42).active
    assert app.job_queue.get_jobs_by_name(job_name(42)) == ()
    await app.process_update(command(app, "/subscriptions"))
    assert "No digest subscription" in request.sent()[-1]["text"]


@pytest.mark.parametrize("text", ["/subscribe 25:00", "/subscribe 08:00 Mars/Olympus",
                                  "/subscribe 8:75 UTC"])
async def test_bad_subscribe_gets_usage(bot_app: Any, text: str) -> None:
    app, request, service, _, _ = bot_app
    await app.process_update(command(app, text))
    assert "Usage: /subscribe" in request.sent()[-1]["text"]
    assert service.subscriptions.get(42) is None


def test_parse_subscribe_defaults_and_topic() -> None:
    p = parse_subscribe(["dock", "strike"], "08:00", "Europe/Berlin")
    assert (p.time, p.zone, p.topic) == ("08:00", "Europe/Berlin", "dock strike")
    p = parse_subscribe(["6:05", "America/New_York"], "08:00", "UTC")
    assert (p.time, p.zone, p.topic) == ("06:05", "America/New_York", None)
    with pytest.raises(ConfigError):
        parse_subscribe(["24:00"], "08:00", "UTC")


async def test_digest_command_sends_now_without_moving_watermark(bot_app: Any) -> None:
    app, request, service, _clock, _ = bot_app
    service.subscriptions.subscribe(42, "08:00", "UTC")
    service.subscriptions.set_watermark(42, "2026-03-04T00:00:00+00:00")
    await app.process_update(command(app, "/digest"))
    text = request.sent()[-1]["text"]
    assert request.sent()[-1]["parse_mode"] == "HTML"
    assert "Calder" in text and "Varn" in text and "<b>1." in text
    assert service.subscriptions.get(42).watermark == "2026-03-04T00:00:00+00:00"
    await app.process_update(command(app, "/digest volcano"))
    assert request.sent()[-1]["text"].startswith("Nothing new on “volcano” since")


async def test_blocked_user_deactivates_subscription(bot_app: Any) -> None:
    app, request, service, clock, _ = bot_app
    sub = service.subscriptions.subscribe(42, "08:00", "UTC")
    service.scheduler.schedule(sub)
    request.script["sendMessage"] = [error(403, "Forbidden: bot was blocked by the user")]
    clock.now = datetime(2026, 3, 7, 8, 0, tzinfo=UTC)
    status = await service.scheduler.run_due(42)
    assert status == "blocked"
    assert service.subscriptions.get(42).active is False
    assert service.subscriptions.delivery(42, "2026-03-07").status == "blocked"
    assert app.job_queue.get_jobs_by_name(job_name(42)) == ()


async def test_retry_after_waits_and_retries_same_chat(bot_app: Any) -> None:
    app, request, service, _clock, pauses = bot_app
    request.script["sendMessage"] = [error(429, "Too Many Requests", retry_after=7)]
    status = await service.send(app.bot, 42, ["<b>hello</b>"])
    assert status == "sent"
    assert [p["chat_id"] for p in request.sent()] == [42, 42]
    assert pauses.waits[0] == 7


async def test_timed_out_is_recorded_not_resent(bot_app: Any) -> None:
    _app, request, service, clock, _ = bot_app
    sub = service.subscriptions.subscribe(42, "08:00", "UTC")
    request.script["sendMessage"] = [TimedOut("slow")]
    clock.now = datetime(2026, 3, 7, 8, 0, tzinfo=UTC)
    assert await service.scheduler.run_due(42) == "timed_out"
    assert len(request.sent()) == 1
    assert service.subscriptions.delivery(42, "2026-03-07").status == "timed_out"
    assert await service.scheduler.run_due(42) == "duplicate"
    assert len(request.sent()) == 1 and service.subscriptions.get(sub.chat_id).active


async def test_scheduled_delivery_sends_digest_and_moves_watermark(bot_app: Any) -> None:
    _app, request, service, clock, _ = bot_app
    service.subscriptions.subscribe(42, "08:00", "Europe/Berlin", "dock strike")
    clock.now = datetime(2026, 3, 5, 7, 0, tzinfo=UTC)  # 08:00 CET
    assert await service.scheduler.run_due(42) == "sent"
    text = request.sent()[-1]["text"]
    assert "Port Calder" in text and "Varn" not in text
    assert service.subscriptions.get(42).watermark == "2026-03-05T07:00:00+00:00"
    clock.now = datetime(2026, 3, 6, 7, 0, tzinfo=UTC)
    assert await service.scheduler.run_due(42) == "empty"
    assert request.sent()[-1]["text"].startswith("Nothing new on “dock strike” since Thu 05")


def sentence(text: str) -> DigestSentence:
    return DigestSentence(text, "r1", "Title", "2026-03-05", "Herald & Co",
                          "https://x.example/a?b=1&c=2")


def test_render_escapes_and_splits_at_items() -> None:
    long = "Floods <b>hit</b> & more " * 30
    events = tuple(DigestEvent(sentence(f"{i}: {long}"), (sentence("x < y"),), ("r1",))
                   for i in range(12))
    digest = Digest("2026-03-05T00:00:00+00:00", "2026-03-06T00:00:00+00:00", events)
    messages = render_digest(digest, "Europe/Berlin")
    assert 1 <= len(messages) <= 2
    assert all(utf16_len(m) <= 4096 for m in messages)
    joined = "\n".join(messages)
    assert "<b>hit</b>" not in joined and "&lt;b&gt;hit&lt;/b&gt;" in joined
    assert "x &lt; y" in joined and "Herald &amp; Co" in joined
    assert 'href="https://x.example/a?b=1&amp;c=2"' in joined
    assert "more event(s) not shown" in messages[-1]
    # Items are never cut: every message holds whole events.
    assert all(m.count("<b>") == m.count("</b>") for m in messages)


def test_split_counts_utf16_units() -> None:
    item = "😀" * 1500  # 3000 UTF-16 units, 1500 code points
    messages = split_messages([item, item, item], limit=4096)
    assert len(messages) == 2 and all(utf16_len(m) <= 4096 for m in messages)


def test_digest_messages_stay_under_the_entity_limit() -> None:
    events = tuple(DigestEvent(sentence(f"Event {i}."), tuple(sentence(f"Line {i}.{j}.")
                                                               for j in range(4)), ("r1",))
                   for i in range(40))  # 40 events x 6 entities: over 100 in one message
    digest = Digest("2026-03-05T00:00:00+00:00", "2026-03-06T00:00:00+00:00", events)
    messages = render_digest(digest, "UTC")
    assert len(messages) == 2
    assert all(entity_count(m) <= 100 and utf16_len(m) <= 4096 for m in messages)
    assert "more event(s) not shown" in messages[-1]


def test_the_header_says_the_window_is_when_reports_arrived() -> None:
    """Tried as a new user would: "what is new since Sun 06 Dec" stood above items dated 3
    March (reports ingested that day), which read as a contradiction."""
    digest = Digest("2026-12-06T08:00:00+00:00", "2026-12-07T08:00:00+00:00",
                    (DigestEvent(sentence("Floods hit."), (), ("r1",)),))
    head = render_digest(digest, "UTC")[0].split("\n")[0]
    assert head == "<b>Digest</b>: reports that arrived since Sun 06 Dec 08:00 UTC"


def test_empty_digest_renders_nothing_new() -> None:
    digest = Digest("2026-03-05T07:00:00+00:00", "2026-03-06T07:00:00+00:00", ())
    assert render_digest(digest, "Europe/Berlin") == ["Nothing new since Thu 05 Mar 08:00 CET."]



async def test_register_schedules_startup_catch_up(bot_app: Any) -> None:
    app, request, service, clock, _ = bot_app
    assert len(app.job_queue.get_jobs_by_name("digest-startup")) == 1
    clock.now = datetime(2026, 3, 5, 6, 0, tzinfo=UTC)
    service.subscriptions.subscribe(42, "08:00", "Europe/Berlin")
    clock.now = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # 10:00 CET: 08:00 was missed
    assert await service.scheduler.start() == [(42, "sent")]
    assert len(request.sent()) == 1 and "Port Calder" in request.sent()[0]["text"]
    assert await service.scheduler.start() == []  # a second start-up sends nothing
    assert len(app.job_queue.get_jobs_by_name(job_name(42))) == 1
