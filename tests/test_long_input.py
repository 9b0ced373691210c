"""Over-long user text in Telegram: a watch question or a digest topic over its limit is
refused with a reason, and nothing the bot sends back (confirmations, listings, alerts,
errors) passes Telegram's 4096 UTF-16 units, however long what it echoes."""

from __future__ import annotations

from typing import Any

from bot.telegram.render import MAX_UTF16, utf16_len
from bot.telegram.subscribe_args import MAX_TOPIC
from bot.telegram.watches import MAX_QUESTION, MAX_WATCHES, WatchService
from tests.test_bot import Bot, bot

__all__ = ["bot"]  # the fixture, shared with tests.test_bot

LONG = "how many ships are waiting " + "& very long words " * 230  # ~4,000 characters


def fits(replies: list[dict[str, Any]]) -> bool:
    return bool(replies) and all(utf16_len(r["text"]) <= MAX_UTF16 for r in replies)


async def test_an_over_long_watch_question_is_refused(bot: Bot) -> None:
    """Tried through a Bot API emulator: a /watch of ~4,000 characters was confirmed in a
    message longer than Telegram takes, and /watches failed from then on."""
    assert len(LONG) > 4000
    [reply] = await bot.send(f"/watch {LONG}")
    assert reply["text"].startswith("That question is too long to watch")
    assert f"at most {MAX_QUESTION}" in reply["text"] and fits([reply])
    assert bot.app.bot_data["watches"].watches.of_chat(42) == []
    [reply] = await bot.send("/watch " + "how many ships " * 20)  # 300 characters: fine
    assert reply["text"].startswith("Watching")


async def test_an_over_long_digest_topic_is_refused(bot: Bot) -> None:
    [reply] = await bot.send(f"/subscribe 7pm {LONG}")
    assert "topic is too long" in reply["text"] and f"at most {MAX_TOPIC}" in reply["text"]
    assert fits([reply])
    assert bot.app.bot_data["digests"].subscriptions.get(42) is None
    [reply] = await bot.send(f"/digest {LONG}")
    assert "topic is too long" in reply["text"] and fits([reply])
    [reply] = await bot.send("/subscribe 7pm " + "x" * MAX_TOPIC)
    assert reply["text"].startswith("Subscribed")


async def test_listings_and_alerts_stay_within_the_limit(bot: Bot) -> None:
    """Watches and topics stored before there were limits still list, and alerts still go."""
    service: WatchService = bot.app.bot_data["watches"]
    for n in range(MAX_WATCHES):
        service.watches.add(42, f"{n} {LONG}", None)
    bot.app.bot_data["digests"].subscriptions.subscribe(42, "19:00", "UTC", LONG)
    for command in ("/watches", "/subscriptions", "/unwatch 1", "/subscribe 8am",
                    "/subscribe 9am"):
        replies = await bot.send(command)
        assert fits(replies), command
        assert all(LONG not in r["text"] for r in replies), command
    [listed, *_] = await bot.send("/watches")
    assert "1. 1 how many ships are waiting &amp; very long" in listed["text"]
    assert "…" in listed["text"]

    library = bot.services.library
    ask = library.ask
    library.ask = lambda q, k=3: ask("how many ships are waiting?", k)  # type: ignore[method-assign]
    before = len(bot.request.sent())
    assert await service.check(bot.app.bot) == MAX_WATCHES - 1  # each watch gets its figure
    alerts = bot.request.sent()[before:]
    assert fits(alerts) and "<b>Waiting: 47</b>" in alerts[0]["text"]


async def test_echoed_commands_and_zones_stay_within_the_limit(bot: Bot) -> None:
    replies = await bot.send("/frob" + "b" * 4090)
    assert fits(replies) and replies[0]["text"].startswith("I don't know /frobbbb")
    replies = await bot.send("/subscribe 7pm Europe/" + "x" * 4080)
    assert fits(replies) and "is not an IANA time zone" in replies[0]["text"]
    replies = await bot.send("/subscribe Europe/Berlin Europe/" + "x" * 4080)
    assert fits(replies) and "two time zones" in replies[0]["text"]
