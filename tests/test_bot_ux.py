"""Telegram commands that used to guess: ``/help`` for admins and others, ``/subscribe``
with times like 7pm and city names in any order, ``/digest`` after ``/unsubscribe``."""

from __future__ import annotations

from typing import Any

import pytest

from bot.chatter import small_talk
from bot.config import ConfigError
from bot.telegram.digests import parse_subscribe
from bot.telegram.scheduling import job_name
from tests.test_bot import ADMIN, Bot, bot
from tests.test_digest_bot import bot_app, clock, command, services

__all__ = ["bot", "bot_app", "clock", "services"]

ADMIN_ONLY = ("/ingest", "/feeds", "/feed_add", "/feed_remove")


async def test_help_shows_admin_commands_only_to_admins(bot: Bot) -> None:
    for text in ("/help", "/start"):
        [reply] = await bot.send(text)
        assert "/subscribe" in reply["text"] and "/ask" in reply["text"]
        assert not [c for c in ADMIN_ONLY if f"{c} " in reply["text"]], text
        [reply] = await bot.send(text, from_id=ADMIN, chat_id=ADMIN)
        assert all(f"{c} " in reply["text"] for c in ADMIN_ONLY), text


async def test_command_menu_shows_admin_commands_only_in_admin_chats(bot: Bot) -> None:
    published = bot.request.sent("setMyCommands")
    everyone = [p for p in published if "scope" not in p]
    admin = [p for p in published if p.get("scope", {}).get("chat_id") == ADMIN]
    assert len(everyone) == 1 and len(admin) == 1
    assert {c["command"] for c in everyone[0]["commands"]} >= {"ask", "subscribe", "help"}
    assert not {c["command"] for c in everyone[0]["commands"]} & {"ingest", "feed_add"}
    assert {c["command"] for c in admin[0]["commands"]} >= {"ask", "ingest", "feed_add"}


@pytest.mark.parametrize(("args", "expected"), [
    ("7pm London", ("19:00", "Europe/London", None)),
    ("London 7pm", ("19:00", "Europe/London", None)),
    ("7pm, London", ("19:00", "Europe/London", None)),
    ("19:00 Europe/London", ("19:00", "Europe/London", None)),
    ("7:30am london dock strike", ("07:30", "Europe/London", "dock strike")),
    ("dock strike 7:30 am Tokyo", ("07:30", "Asia/Tokyo", "dock strike")),
    ("floods 12am new york", ("00:00", "America/New_York", "floods")),
    ("12pm floods", ("12:00", "UTC", "floods")),
    ("Berlin", ("08:00", "Europe/Berlin", None)),
    ("europe/berlin 6.05 floods in Kessby", ("06:05", "Europe/Berlin", "floods in Kessby")),
    ("UTC Gaza ceasefire 9h", ("09:00", "UTC", "Gaza ceasefire")),
    ("dock strike", ("08:00", "UTC", "dock strike")),
    ("8am London Paris attacks", ("08:00", "Europe/London", "Paris attacks")),
    ("Turkey earthquake 6 p.m.", ("18:00", "UTC", "Turkey earthquake")),
    ("noon Christmas markets", ("12:00", "UTC", "Christmas markets")),
    ("floods and/or storms", ("08:00", "UTC", "floods and/or storms")),
])
def test_parse_subscribe_any_order(args: str, expected: tuple[str, str, str | None]) -> None:
    p = parse_subscribe(args.split(), "08:00", "UTC")
    assert (p.time, p.zone, p.topic) == expected


@pytest.mark.parametrize("args", ["13pm London", "25:00", "7pm 8pm",
                                  "Europe/London Mars/Olympus", "Mars/Olympus floods",
                                  "7 London", "0am"])
def test_parse_subscribe_rejects_what_it_cannot_read(args: str) -> None:
    with pytest.raises(ConfigError):
        parse_subscribe(args.split(), "08:00", "UTC")


async def test_subscribe_7pm_london_is_a_time_and_zone_not_a_topic(bot_app: Any) -> None:
    app, request, service, _clock, _ = bot_app
    await app.process_update(command(app, "/subscribe 7pm London"))
    sub = service.subscriptions.get(42)
    assert (sub.time, sub.zone, sub.topic) == ("19:00", "Europe/London", None)
    assert "19:00 (Europe/London)" in request.sent()[-1]["text"]
    await app.process_update(command(app, "/subscribe 7pm 8pm floods"))
    assert "Usage: /subscribe" in request.sent()[-1]["text"]
    assert service.subscriptions.get(42).time == "19:00"


async def test_changing_the_digest_says_what_it_was_and_is_now(bot_app: Any) -> None:
    """Tried through a Bot API emulator: "/subscribe 7pm London floods" then "/subscribe
    7:30am europe/berlin" said only "Subscribed: a daily digest at 07:30 (Europe/Berlin)":
    the "floods" topic was gone without a word."""
    app, request, service, _clock, _ = bot_app
    await app.process_update(command(app, "/subscribe 7pm London floods"))
    assert request.sent()[-1]["text"].startswith(
        "Subscribed: a daily digest about “floods” at 19:00 (Europe/London).")
    await app.process_update(command(app, "/subscribe 7:30am europe/berlin"))
    assert request.sent()[-1]["text"].startswith(
        "Updated your digest: was 19:00 (Europe/London) on “floods”, now 07:30 "
        "(Europe/Berlin), all news. The next one is due ")
    sub = service.subscriptions.get(42)
    assert (sub.time, sub.zone, sub.topic) == ("07:30", "Europe/Berlin", None)
    await app.process_update(command(app, "/subscribe 7:30am Berlin dock strike"))
    assert request.sent()[-1]["text"].startswith(
        "Updated your digest: was 07:30 (Europe/Berlin), all news, now 07:30 "
        "(Europe/Berlin) on “dock strike”.")
    await app.process_update(command(app, "/subscribe 7:30am Berlin dock strike"))  # the same
    assert request.sent()[-1]["text"].startswith("Subscribed: a daily digest about “dock")
    await app.process_update(command(app, "/unsubscribe"))
    await app.process_update(command(app, "/subscribe 9am"))  # after /unsubscribe: a new one
    assert request.sent()[-1]["text"].startswith("Subscribed: a daily digest at 09:00 (UTC).")


async def test_digest_after_unsubscribe_uses_the_defaults(bot_app: Any) -> None:
    app, request, service, _clock, _ = bot_app
    await app.process_update(command(app, "/subscribe 08:00 Europe/Berlin volcano"))
    service.subscriptions.set_watermark(42, "2026-03-06T11:00:00+00:00")
    await app.process_update(command(app, "/digest"))
    assert request.sent()[-1]["text"].startswith("Nothing new on “volcano”")
    await app.process_update(command(app, "/unsubscribe"))
    assert app.job_queue.get_jobs_by_name(job_name(42)) == ()
    await app.process_update(command(app, "/digest"))
    text = request.sent()[-1]["text"]
    assert "volcano" not in text and "since Thu 05 Mar 12:00 UTC" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("hi", "Hello"), ("Hello!", "Hello"), ("good morning", "Hello"),
    ("thanks!", "welcome"), ("Thank you.", "welcome"), ("thx", "welcome"),
    ("Hi there!", "Hello"),
    # tried as a new user would: "ok" and, in a group, "hey @bot, thanks!" were searched for
    ("ok", "anything else"), ("Got it.", "anything else"),
    ("hey @briefbot_test_bot, thanks!", "welcome"), ("okay thanks", "welcome"),
])
async def test_greetings_and_thanks_get_a_reply_not_a_search(bot: Bot, text: str,
                                                              expected: str) -> None:
    """Tried as a new user would: "hi" and "thanks!" were searched for and answered
    "Nothing in the reports I have answers that"."""
    [reply] = await bot.send(text)
    assert expected in reply["text"] and "Nothing in the reports" not in reply["text"]
    assert not bot.request.sent("sendChatAction")  # no search was started


@pytest.mark.parametrize("text", ["what happened?", "What's new?", "any news?", "news",
                                  "latest", "any updates?", "what's going on?",
                                  "anything new today?", "give me a summary",
                                  "brief me", "catch me up"])
async def test_a_question_for_all_the_news_points_to_the_digest(bot: Bot, text: str) -> None:
    """Tried as a new user would: "what's new?" was answered "Nothing in the reports I have
    answers that" by a bot holding seven reports."""
    [reply] = await bot.send(text)
    assert "/digest" in reply["text"] and "Nothing in the reports" not in reply["text"]
    for question in ("what happened in Kessby?", "news from Port Calder",
                     "latest death toll"):
        assert small_talk(question) is None, question  # a subject: searched and answered


async def test_a_question_naming_nothing_asks_for_a_subject(bot: Bot) -> None:
    """Tried as a new user would: "how many?" was answered "Nothing in the reports I have
    answers that", as if something had been looked for."""
    [reply] = await bot.send("how many?")
    assert "names nothing to look for" in reply["text"]
    assert "Nothing in the reports" not in reply["text"]


async def test_a_question_after_a_greeting_is_still_answered(bot: Bot) -> None:
    [reply] = await bot.send("hi, how many patients were evacuated from Kessby hospital?")
    assert "<b>320 patients</b>" in reply["text"]
    for text in ("history of Kessby", "thanksgiving floods", "hello kitty exports",
                 "ok how many died?", "okra exports", "@bot"):
        assert small_talk(text) is None, text  # words that start like a greeting are not one


async def test_sources_takes_a_count_and_says_what_it_cannot_read(bot: Bot) -> None:
    """Tried as a new user would: "/sources 2" and "/sources floods" both listed all seven
    reports, the words silently ignored."""
    [reply] = await bot.send("/sources 2")
    assert "(2 of 7)" in reply["text"] and reply["text"].count("•") == 2
    [reply] = await bot.send("/sources floods")
    assert reply["text"].startswith("Usage: /sources [N]") and "•" not in reply["text"]
    [reply] = await bot.send("/sources")
    assert "(7 of 7)" in reply["text"]
    for bad in ("/sources 0", "/sources 51", "/sources -1", "/sources 2 3"):
        [reply] = await bot.send(bad)
        assert reply["text"].startswith("Usage: /sources [N]"), bad


async def test_a_follow_up_is_read_with_the_question_before(bot: Bot) -> None:
    """Tried as a new user would: "and deaths?" after "how many cases in vellmoor?" was
    answered as if asked alone. It is read as "how many deaths in ...?", and says so."""
    await bot.send("how many people died in Dorvik?")
    [reply] = await bot.send("and in Kessby?")
    assert "Read as: how many people died in Kessby?" in reply["text"]
    [alone] = await bot.send("who is the mayor of Dorvik?")
    assert "Read as" not in alone["text"]
