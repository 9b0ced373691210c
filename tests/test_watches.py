"""Watches and /timeline through real PTB objects with the offline request class: a watch
is told once per change, at most once an hour, and never again after a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.telegram.watches import Watches, WatchService
from index.models import Answer, ReportDraft
from tests.test_bot import Bot, make_bot

QUESTION = "how many people were displaced by the floods?"


def displaced(n: str, date: str, rid: str) -> ReportDraft:
    return ReportDraft(
        title=f"Varn floods: {n} displaced", source="Northern Herald", date=date,
        report_id=rid,
        text=f"The provincial emergency office said that {n} people have now been displaced "
             "by the Varn floods in Marenthal province. Water levels at Kessby kept falling "
             "near Halden.")


async def test_watch_tells_each_change_once_and_at_most_hourly(tmp_path: Path) -> None:
    b: Bot = await make_bot(tmp_path)
    try:
        service: WatchService = b.app.bot_data["watches"]
        [reply] = await b.send(f"/watch {QUESTION}")
        assert f"Watching “{QUESTION}”. Now: 18,500 (6 Mar, Valley Radio)" in reply["text"]
        assert await service.check(b.app.bot) == 0  # nothing changed

        b.services.library.ingest([displaced("25,000", "2026-03-07", "n1")])
        before = len(b.request.sent())
        assert await service.check(b.app.bot) == 1
        [told] = b.request.sent()[before:]
        assert told["text"].startswith(
            "<b>Displaced: 18,500 → 25,000</b> (7 Mar, Northern Herald)")
        assert await service.check(b.app.bot) == 0  # no new ingest, nothing to tell

        b.services.library.ingest([displaced("27,000", "2026-03-08", "n2")])
        assert await service.check(b.app.bot) == 0  # within the hour: it waits
        service.clock.now += timedelta(minutes=61)  # type: ignore[attr-defined]
        assert await service.check(b.app.bot) == 1
        assert "25,000 → 27,000" in b.request.sent()[-1]["text"]

        # A restart: the same change is never told again.
        again = WatchService(b.services, Watches(tmp_path / "data", service.clock),
                             service.clock)
        assert await again.check(b.app.bot) == 0
        again.watches.close()

        [listed] = await b.send("/watches")
        assert f"1. {QUESTION} — now 27,000 (8 Mar)" in listed["text"]
        [stopped] = await b.send("/unwatch 1")
        assert "Stopped watching" in stopped["text"]
        [usage] = await b.send("/unwatch 3")
        assert "No watches to stop." in usage["text"]
    finally:
        await b.app.shutdown()
        await b.app.post_shutdown(b.app)


async def test_the_same_watch_is_not_added_twice(tmp_path: Path) -> None:
    """Tried through a Bot API emulator: "/watch how many ships are waiting?" sent twice
    gave two confirmations, /watches listed it twice and each change was told twice."""
    b = await make_bot(tmp_path)
    try:
        [reply] = await b.send("/watch how many people died?")
        assert reply["text"].startswith("Watching")
        [reply] = await b.send("/watch how many ships are waiting?")
        assert reply["text"].startswith("Watching")
        library, asked = b.services.library, []
        ask = library.ask
        library.ask = lambda q, k=3: asked.append(q) or ask(q, k)  # type: ignore[method-assign]
        for again in ("/watch how many ships are waiting?",
                      "/watch  How many SHIPS are   waiting?"):
            [reply] = await b.send(again)
            assert reply["text"] == "Already watching that (watch 2)."
        assert asked == []  # known at once: not asked again
        [listed] = await b.send("/watches")
        assert listed["text"].count("ships") == 1 and "3." not in listed["text"]

        def racing(q: str, k: int = 3) -> Answer:  # the same /watch, sent twice at once
            b.app.bot_data["watches"].watches.add(42, q.upper(), None)
            return ask(q, k)

        library.ask = racing  # type: ignore[method-assign]
        [reply] = await b.send("/watch how many dock workers are on strike?")
        assert reply["text"] == "Already watching that (watch 3)."
    finally:
        await b.app.shutdown()
        await b.app.post_shutdown(b.app)


async def test_timeline_command_sends_the_chart_with_a_citing_caption(tmp_path: Path) -> None:
    b: Bot = await make_bot(tmp_path)
    try:
        await b.send("/timeline how many people died?")
        [photo] = b.request.sent("sendPhoto")
        assert photo["parse_mode"] == "HTML"
        caption = photo["caption"]
        assert "Four (2 Mar, Marenthal Courier) → Nine" in caption and "→ 11 (5 Mar" in caption
        assert "Kessby dam holds" in caption  # the reports are cited
        [usage] = await b.send("/timeline who is the mayor of Dorvik?")
        assert "no figure over time" in usage["text"]
    finally:
        await b.app.shutdown()
        await b.app.post_shutdown(b.app)


async def test_a_question_that_asks_for_no_figure_is_not_watched(tmp_path: Path) -> None:
    """Tried as a new user would: "/watch who is the mayor of Dorvik" was accepted ("I will
    tell you when one comes in") although a name is no figure: the watch could never fire."""
    b = await make_bot(tmp_path)
    try:
        for question in ("who is the mayor of Dorvik", "when did the strike start?"):
            [reply] = await b.send(f"/watch {question}")
            assert "follows a figure" in reply["text"] and "/watch how many" in reply["text"]
        [reply] = await b.send("/watches")
        assert "no watches" in reply["text"].lower()
        [reply] = await b.send("/watch how many tanks were destroyed?")  # no figure yet: kept
        assert reply["text"].startswith("Watching")
    finally:
        await b.app.shutdown()
