"""The Telegram bot with real PTB objects and an offline request class: the conversation,
the button, uploads, groups, the allow-list and the error mapping (429, 403, 400)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.config import Config, TelegramConfig
from bot.services import Services
from bot.telegram.app import build_application
from bot.telegram.errors import APOLOGY
from index.errors import StoreError
from index.loaders import load_inputs
from index.models import Answer, Citation, Quote
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder
from tests.tg import (
    BOT_USER,
    Clock,
    OfflineRequest,
    Pauses,
    callback_update,
    error,
    message_update,
)

ADMIN = 7


@dataclasses.dataclass
class Bot:
    app: Any
    request: OfflineRequest
    services: Services
    pauses: Pauses

    async def send(self, text: str | None = None, **kw: Any) -> list[dict[str, Any]]:
        """Process one incoming message; the messages the bot sent in reply."""
        before = len(self.request.sent())
        await self.app.process_update(message_update(self.app.bot, text, **kw))
        return self.request.sent()[before:]

    async def process(self, update: Update) -> None:
        await self.app.process_update(update)


async def make_bot(tmp_path: Path, **telegram: Any) -> Bot:
    tg = TelegramConfig(token="123:ABC", admins=(ADMIN,), **telegram)
    config = Config(data_dir=tmp_path / "data", telegram=tg)
    services = Services(config, lambda m: FakeEmbedder())
    services.open().ingest(load_inputs([str(SAMPLES)]))
    request, pauses = OfflineRequest(), Pauses()
    app = build_application(config, services, request=request, updates_request=OfflineRequest(),
                            rate_limit=False, pause=pauses,
                            clock=Clock(datetime(2026, 3, 8, 12, tzinfo=UTC)))
    await app.initialize()
    await app.post_init(app)
    return Bot(app, request, services, pauses)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    b = await make_bot(tmp_path)
    yield b
    await b.app.shutdown()
    await b.app.post_shutdown(b.app)


async def test_start_says_what_the_bot_knows(bot: Bot) -> None:
    [reply] = await bot.send("/start")
    assert "I know 7 reports from 2026-03-02 to 2026-03-06" in reply["text"]
    assert "/ask" in reply["text"] and reply["parse_mode"] == "HTML"
    commands = bot.request.sent("setMyCommands")[0]["commands"]
    assert {c["command"] for c in commands} >= {"ask", "sources", "subscribe", "help"}


async def test_plain_text_is_a_question_with_bold_figure_and_citations(bot: Bot) -> None:
    [reply] = await bot.send("how many patients were evacuated from Kessby hospital?")
    text = reply["text"]
    assert "<b>320 patients</b>" in text
    assert "[1]" in text and "Northern Herald" in text and "2026-03-05" in text
    assert '<a href="https://' in text  # the title links to the report
    typing = bot.request.sent("sendChatAction")
    assert typing and typing[0]["action"] == "typing"


async def test_answer_button_edits_the_message_with_more_evidence(bot: Bot) -> None:
    more = Citation(n=2, sentence="Kessby <hospital> is shut.", report_id="r2",
                    title="Second", date="2026-03-06", source="Courier", url=None, score=0.5)
    answer = Answer(question="q", found=True,
                    quotes=(Quote("320 patients left.", (1,), "320"),),
                    citations=(dataclasses.replace(more, n=1, sentence="320 patients left.",
                                                   title="First"),),
                    highlight="320", more=(more,))
    bot.services.library.ask = lambda question, k=3: answer  # type: ignore[method-assign]
    [reply] = await bot.send("anything")
    button = reply["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "More evidence (1)"
    message = {"message_id": 5, "date": 0, "chat": {"id": 42, "type": "private"},
               "text": "x", "from": BOT_USER}
    await bot.process(callback_update(bot.app.bot, button["callback_data"], message))
    [edit] = bot.request.sent("editMessageText")
    assert edit["message_id"] == 5
    assert "“Kessby &lt;hospital&gt; is shut.” [2]" in edit["text"]
    assert "[2] Second — 2026-03-06, Courier" in edit["text"]
    assert "<b>320</b> patients left." in edit["text"]  # what was shown stays
    assert bot.request.sent("answerCallbackQuery")
    # A second press (or a press after a restart) is told to ask again, not ignored.
    await bot.process(callback_update(bot.app.bot, button["callback_data"], message))
    assert "ask again" in bot.request.sent("answerCallbackQuery")[-1]["text"]


async def test_nothing_relevant_says_so(bot: Bot) -> None:
    [reply] = await bot.send("/ask what colour is the volcano on Jupiter's third moon?")
    assert reply["text"].startswith("Nothing in the reports")
    assert "[1]" not in reply["text"]


async def test_empty_ask_and_unknown_command_get_usage(bot: Bot) -> None:
    [reply] = await bot.send("/ask")
    assert reply["text"].startswith("Usage: /ask QUESTION")
    [reply] = await bot.send("/frobnicate now")
    assert "I don't know /frobnicate" in reply["text"] and "/help" in reply["text"]
    [reply] = await bot.send("/help")
    assert "/subscribe" in reply["text"] and "I don't know" not in reply["text"]


async def test_a_command_for_another_bot_gets_no_reply(bot: Bot) -> None:
    """Tried in a group through a Bot API emulator: "/start@otherbot" was answered "I don't
    know /start@otherbot"; a command addressed to another bot is none of ours."""
    group = {"chat_id": -100, "chat_type": "supergroup"}
    for text in ("/start@otherbot", "/subscribe@otherbot 9am", "/unsubscribe@otherbot",
                 "/frob@otherbot", "/ask@OtherBot how many ships are waiting?"):
        assert await bot.send(text, **group) == [], text
        assert await bot.send(text) == [], text  # nor in a private chat
    assert bot.app.bot_data["digests"].subscriptions.get(-100) is None
    [reply] = await bot.send("/frob@briefbot", **group)
    assert reply["text"].startswith("I don't know /frob. ") and "@" not in reply["text"]
    [reply] = await bot.send("/frob@BriefBot now", **group)  # usernames ignore case
    assert reply["text"].startswith("I don't know /frob. ")
    [reply] = await bot.send("/help@briefbot", **group)  # still ours
    assert "/subscribe" in reply["text"]


async def test_sources_lists_newest_reports(bot: Bot) -> None:
    [reply] = await bot.send("/sources")
    lines = reply["text"].splitlines()
    assert lines[0] == "<b>Newest reports</b> (7 of 7):"
    assert "2026-03-06" in lines[1] and "2026-03-02" in lines[-1]


async def test_hostile_markup_is_escaped(bot: Bot) -> None:
    draft = "<b>Dam</b> & <script>x</script> report\n\nSunday, 8 Mar, 2026\n\n" \
            "The <i>dam</i> at Orrin held 42 & more <tags> after the storm."
    bot.services.library.ingest(load_inputs(["-"], stdin=draft.encode()))
    [reply] = await bot.send("did the dam at Orrin hold after the storm?")
    assert "&lt;i&gt;dam&lt;/i&gt;" in reply["text"] and "&lt;tags&gt;" in reply["text"]
    assert "<script>" not in reply["text"] and "&lt;script&gt;" in reply["text"]


async def test_groups_answer_mentions_and_replies_only(bot: Bot) -> None:
    group = {"chat_id": -100, "chat_type": "supergroup"}
    assert await bot.send("how many ships are waiting at Port Calder?", **group) == []
    [reply] = await bot.send("@briefbot how many ships are waiting at Port Calder?", **group)
    assert "<b>47</b>" in reply["text"]
    to_bot = {"message_id": 3, "date": 0, "chat": {"id": -100, "type": "supergroup"},
              "from": BOT_USER, "text": "earlier answer"}
    [reply] = await bot.send("and how many dock workers?", reply_to_message=to_bot, **group)
    assert "1,200" in reply["text"]


async def test_non_admin_upload_is_refused_politely(bot: Bot) -> None:
    doc = {"file_id": "f1", "file_unique_id": "u1", "file_name": "new.md"}
    [reply] = await bot.send(document=doc, from_id=42)
    assert "only the bot's admins can add reports" in reply["text"]
    assert bot.services.library.stats().reports == 7


async def test_admin_upload_is_ingested(bot: Bot) -> None:
    bot.request.files["f1"] = (b"# Ferry sinks off Orrin\n\nSunday, 8 Mar, 2026\n\n"
                               b"Sixty passengers were rescued from the Orrin ferry.")
    doc = {"file_id": "f1", "file_unique_id": "u1", "file_name": "ferry.md"}
    [reply] = await bot.send(document=doc, from_id=ADMIN, chat_id=ADMIN)
    assert reply["text"].startswith("Done: added 1 report(s)")
    assert "No date found" not in reply["text"]  # it gives "Sunday, 8 Mar, 2026"
    assert bot.services.library.stats().reports == 8
    bot.request.files["f2"] = b"\x00\x01\x02binary\x00" * 50
    doc = {"file_id": "f2", "file_unique_id": "u2", "file_name": "junk.txt"}
    [reply] = await bot.send(document=doc, from_id=ADMIN, chat_id=ADMIN)
    assert "Skipped: junk.txt" in reply["text"] and "binary" in reply["text"]
    doc = {"file_id": "f3", "file_unique_id": "u3", "file_name": "photo.png"}
    [reply] = await bot.send(document=doc, from_id=ADMIN, chat_id=ADMIN)
    assert "I can't read photo.png" in reply["text"]
    assert bot.services.library.stats().reports == 8
    bot.request.files["f4"] = b"# Ferry raised\n\nThe Orrin ferry was raised by two cranes."
    doc = {"file_id": "f4", "file_unique_id": "u4", "file_name": "raised.md"}
    [reply] = await bot.send(document=doc, from_id=ADMIN, chat_id=ADMIN)
    assert reply["text"].startswith("Done: added 1 report(s)")
    assert "No date found in 1 report(s): dated by when they arrived." in reply["text"]


async def test_an_upload_that_cannot_be_downloaded_says_so(bot: Bot) -> None:
    """Tried through a Bot API emulator: an admin's document that could not be fetched got
    "Sorry, something went wrong while handling that"."""
    admin = {"from_id": ADMIN, "chat_id": ADMIN}
    doc = {"file_id": "gone", "file_unique_id": "u1", "file_name": "notes.md"}
    bot.request.script["getFile"] = [
        error(400, "Bad Request: wrong file_id or the file is temporarily unavailable")]
    [reply] = await bot.send(document=doc, **admin)
    assert reply["text"] == ("I could not download notes.md from Telegram (Wrong file_id or "
                             "the file is temporarily unavailable). Please send it again.")
    bot.request.script["getFile"] = [error(400, "Bad Request: file is too big")]
    [reply] = await bot.send(document=doc, **admin)  # no size given, yet over the limit
    assert reply["text"] == "notes.md is too large (over 20 MB)."
    [reply] = await bot.send(document=doc, **admin)  # getFile works, the download fails
    assert reply["text"].startswith("I could not download notes.md from Telegram")
    bot.request.files["ok"] = b"# Orrin\n\nSunday, 8 Mar, 2026\n\nSixty were rescued."
    doc = {"file_id": "ok", "file_unique_id": "u2", "file_name": "orrin.md"}

    def full(items: object) -> None:
        raise StoreError("the data directory is full")

    bot.services.library.ingest = full  # type: ignore[assignment,method-assign]
    [reply] = await bot.send(document=doc, **admin)
    assert reply["text"] == "Could not add orrin.md: the data directory is full"
    assert APOLOGY not in [m["text"] for m in bot.request.sent()]
    assert bot.services.library.stats().reports == 7


async def test_allow_list_restricts_the_bot(tmp_path: Path) -> None:
    b = await make_bot(tmp_path, allowed_chats=(1,))
    try:
        [reply] = await b.send("how many ships are waiting at Port Calder?", chat_id=42)
        assert reply["text"] == "Sorry, this bot is private."
        [reply] = await b.send("how many ships are waiting at Port Calder?", chat_id=1,
                               from_id=1)
        assert "<b>47</b>" in reply["text"]
    finally:
        await b.app.shutdown()
        await b.app.post_shutdown(b.app)


# -- the error mapping, through PTB's own request machinery ----------------------------------


async def test_retry_after_waits_and_retries(bot: Bot) -> None:
    bot.request.script["sendMessage"] = [error(429, "Too Many Requests", retry_after=3)]
    replies = await bot.send("how many ships are waiting at Port Calder?")
    assert len(replies) == 2 and replies[0]["text"] == replies[1]["text"]
    assert bot.pauses.waits == [3.0]


async def test_forbidden_marks_the_chat_inactive(bot: Bot) -> None:
    digests = bot.app.bot_data["digests"]
    digests.subscriptions.subscribe(42, "08:00", "UTC")
    bot.request.script["sendMessage"] = [error(403, "Forbidden: bot was blocked by the user")]
    await bot.send("how many ships are waiting at Port Calder?")
    assert digests.subscriptions.chat_active(42) is False
    assert digests.subscriptions.get(42).active is False
    assert APOLOGY not in [m["text"] for m in bot.request.sent()]
    await bot.send("/help")  # writing again makes the chat reachable again
    assert digests.subscriptions.chat_active(42) is True


async def test_rejected_markup_falls_back_to_plain_text(bot: Bot) -> None:
    bot.request.script["sendMessage"] = [
        error(400, "Bad Request: can't parse entities: unexpected end tag")]
    first, second = await bot.send("how many ships are waiting at Port Calder?")
    assert first["parse_mode"] == "HTML" and "<b>47</b>" in first["text"]
    assert "parse_mode" not in second and "<b>" not in second["text"]
    assert "47" in second["text"]


async def test_failure_in_a_handler_apologises_and_tells_the_admin_chat(tmp_path: Path
                                                                       ) -> None:
    b = await make_bot(tmp_path, admin_chat=-500)

    def broken(question: str, k: int = 3) -> Answer:
        raise RuntimeError("index on fire <at> 3 & 4")

    b.services.library.ask = broken  # type: ignore[method-assign]
    try:
        replies = await b.send("how many ships?")
        by_chat = {m["chat_id"]: m["text"] for m in replies}
        assert by_chat[42] == APOLOGY
        assert "RuntimeError: index on fire" in by_chat[-500]
        assert "<at> 3 & 4" in by_chat[-500]  # plain text, not escaped for nothing
    finally:
        await b.app.shutdown()
        await b.app.post_shutdown(b.app)


def test_run_without_token_exits_2_and_log_lines_never_carry_the_token(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging

    from bot.cli import main
    from bot.redact import RedactFilter, Redactor

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    err = io.StringIO()
    code = main(["run", "--data-dir", str(tmp_path)], stdout=io.StringIO(), stderr=err,
                embedder_factory=lambda m: FakeEmbedder())
    assert code == 2 and "TELEGRAM_BOT_TOKEN" in err.getvalue()

    record = logging.LogRecord("x", logging.ERROR, "f", 1, "GET %s failed",
                               ("https://api.telegram.org/bot123:SECRET/getMe",), None)
    RedactFilter(Redactor(["123:SECRET"])).filter(record)
    assert record.getMessage() == "GET https://api.telegram.org/bot<token>/getMe failed"


async def test_admin_forward_from_a_channel_becomes_a_cited_report(bot: Bot) -> None:
    origin = {"type": "channel", "date": 1772960400, "message_id": 88,
              "chat": {"id": -1009, "type": "channel", "title": "Orrin Live",
                       "username": "orrinlive"}}
    text = "Orrin ferry update\n\nForty-two passengers were rescued from the Orrin ferry."
    [reply] = await bot.send(text, from_id=ADMIN, chat_id=ADMIN, forward_origin=origin)
    assert reply["text"].startswith("Done: added 1 report(s)")
    [report] = bot.services.library.reports(limit=1)
    assert (report.source, report.url) == ("Orrin Live", "https://t.me/orrinlive/88")
    assert report.date is not None and report.date.startswith("2026-03-08")
    # From anyone else a forward is refused, not searched for ("Nothing in the reports I
    # have answers that", as a tester found); in a group it is chatter not meant for the bot.
    typing = len(bot.request.sent("sendChatAction"))
    [reply] = await bot.send(text, forward_origin=origin)
    assert reply["text"] == "Only admins can add reports. Ask me a question instead."
    assert await bot.send(text, forward_origin=origin, chat_id=-100,
                          chat_type="supergroup") == []
    assert bot.services.library.stats().reports == 8
    assert len(bot.request.sent("sendChatAction")) == typing  # nothing was searched


def no_bot_api_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """``briefbot run`` asks the Bot API for getMe before starting; here there is none."""

    async def accepted(*args: object, **kwargs: object) -> str:
        return "briefbot"

    monkeypatch.setattr("bot.cli.run.wait_for_bot_api", accepted)


def test_run_uses_a_webhook_with_its_secret_when_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from telegram.ext import Application

    from bot.cli import main

    calls: dict[str, Any] = {}
    monkeypatch.setattr(Application, "run_webhook", lambda self, **kw: calls.update(kw))
    monkeypatch.setattr(Application, "run_polling",
                        lambda self, **kw: pytest.fail("polled instead of the webhook"))
    no_bot_api_check(monkeypatch)
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\nwebhook_url = "https://bot.example.org/hook/tg"\n'
                      'webhook_secret = "s3cr3t_value"\nwebhook_port = 8444\n')
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:ABC")
    code = main(["run", "--config", str(config), "--data-dir", str(tmp_path / "d")],
                stdout=io.StringIO(), stderr=io.StringIO(),
                embedder_factory=lambda m: FakeEmbedder())
    assert code == 0
    assert calls["secret_token"] == "s3cr3t_value" and calls["port"] == 8444
    assert calls["url_path"] == "hook/tg"
    assert calls["webhook_url"] == "https://bot.example.org/hook/tg"


async def test_late_jobs_still_run(tmp_path: Path) -> None:
    """APScheduler drops a job that runs over a second late by default; a digest or a feed
    poll delayed by a busy loop or a slow start-up must run late instead."""
    b = await make_bot(tmp_path)
    feeds = b.app.bot_data["feeds"]
    feeds.store.add("https://a.example/rss", 1800)
    feeds.schedule(feeds.store.get("https://a.example/rss"))
    try:
        await b.app.job_queue.start()
        jobs = b.app.job_queue.jobs()
        assert {j.name for j in jobs} == {"digest-startup", "feed:https://a.example/rss", "watches"}
        assert all(j.job.misfire_grace_time is None for j in jobs)
    finally:
        await b.app.job_queue.stop(wait=False)
        await b.app.shutdown()
        await b.app.post_shutdown(b.app)


def test_start_with_a_token_runs_the_bot_and_loads_the_model_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from telegram.ext import Application

    from bot.cli import main

    loads: list[str] = []
    seen: dict[str, Any] = {}

    def factory(model: str) -> FakeEmbedder:
        loads.append(model)
        return FakeEmbedder()

    def fake_polling(self: Any, **kw: Any) -> None:
        # Still open from ingesting the samples: post_init's open() finds it loaded.
        services = self.bot_data["feeds"].services
        seen["reports"] = services.library.stats().reports
        seen["same"] = services.open() is services.library

    monkeypatch.setattr(Application, "run_polling", fake_polling)
    no_bot_api_check(monkeypatch)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:ABC")
    out = io.StringIO()
    code = main(["start", "--data-dir", str(tmp_path / "d")], stdout=out,
                stderr=io.StringIO(), embedder_factory=factory)
    assert code == 0 and "starting the Telegram bot" in out.getvalue()
    assert seen == {"reports": 7, "same": True} and len(loads) == 1


async def test_oversized_and_empty_uploads_get_a_reason_and_change_nothing(bot: Bot) -> None:
    admin = {"from_id": ADMIN, "chat_id": ADMIN}
    doc = {"file_id": "big", "file_unique_id": "u9", "file_name": "huge.jsonl",
           "file_size": 50 * 1024 * 1024}
    [reply] = await bot.send(document=doc, **admin)
    assert "huge.jsonl is too large" in reply["text"]
    assert not bot.request.sent("getFile")  # never downloaded
    bot.request.files["empty"] = b""
    doc = {"file_id": "empty", "file_unique_id": "u8", "file_name": "empty.md"}
    [reply] = await bot.send(document=doc, **admin)
    assert "Skipped: empty.md is empty" in reply["text"]
    assert bot.services.library.stats().reports == 7
