"""End to end: the real ``briefbot run`` process against a Bot API emulator on 127.0.0.1.

The tests install the npm package ``telegram-test-api`` (pinned in ``tests/e2e/package.json``,
into ``tests/e2e/node_modules``, which git ignores), start it through ``emulator.js`` (which
fills the gaps PTB trips over) at a free port, start the bot with the packaged model against
it, and talk to the bot as a user through the emulator's client API.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

E2E = Path(__file__).resolve().parent
REPO = E2E.parent.parent
TOKEN = "4242:e2e-SECRET-token-do-not-log"
ADMIN, USER = 7001, 7002
REPLY_TIMEOUT = 120.0  # seconds: the first answer waits for the model to load
POLL_EVERY = 0.05
T = TypeVar("T")

pytestmark = pytest.mark.e2e


def _need_node() -> None:
    if shutil.which("node") and shutil.which("npm"):
        return
    if os.environ.get("CI"):
        pytest.fail("Node.js and npm are required for the end-to-end tests in CI")
    pytest.skip("Node.js/npm not found: the Bot API emulator cannot run here")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], T | None], what: str, bot: BotProcess | None = None,
             timeout: float = REPLY_TIMEOUT) -> T:
    """Poll ``condition`` until it returns something (the emulator's client API has no long
    polling), failing with ``what`` and the bot's log at the deadline or if the bot exits."""
    deadline = time.monotonic() + timeout
    while (result := condition()) is None:
        log = f"; bot log:\n{bot.log_text()[-3000:]}" if bot else ""
        if bot is not None and bot.proc.poll() is not None:
            raise AssertionError(f"the bot exited while waiting for {what}{log}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}{log}")
        time.sleep(POLL_EVERY)
    return result


def _ready_url(proc: subprocess.Popen[str]) -> str:
    """The URL the launcher prints once it listens, read without blocking past a deadline."""
    assert proc.stdout is not None
    stdout = proc.stdout

    def line() -> str | None:
        if select.select([stdout], [], [], 0)[0]:
            text = stdout.readline()
            if text.startswith("READY "):
                return text[len("READY "):].strip()
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"the emulator did not start: {err}")
        return None

    return wait_for(line, "the emulator to listen", timeout=30)


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    _need_node()
    if not (E2E / "node_modules" / "telegram-test-api").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=E2E,
                       check=True, timeout=300)
    proc = subprocess.Popen(["node", str(E2E / "emulator.js"), str(_free_port())], cwd=E2E,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield _ready_url(proc)
    finally:
        proc.terminate()
        proc.wait(10)


@dataclass
class BotProcess:
    proc: subprocess.Popen[bytes]
    log: Path
    data: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def bot_process(emulator: str, real_sample_dir: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[BotProcess]:
    work = tmp_path_factory.mktemp("e2e")
    data = work / "data"
    shutil.copytree(real_sample_dir, data)
    config = work / "config.toml"
    config.write_text(f"[telegram]\nadmins = [{ADMIN}]\npoll_interval = 0.05\n",
                      encoding="utf-8")
    log = work / "bot.log"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "HF_HUB_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(config), "--data-dir",
             str(data), "--base-url", emulator], cwd=REPO, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    bot = BotProcess(proc, log, data)
    yield bot
    proc.terminate()
    proc.wait(30)


@dataclass
class User:
    """A Telegram user talking to the bot through the emulator's client API."""

    url: str
    user_id: int
    seen: set[int] = field(default_factory=set)

    def _common(self) -> dict[str, Any]:
        return {"botToken": TOKEN, "date": int(time.time()),
                "from": {"id": self.user_id, "is_bot": False, "first_name": "Ana"},
                "chat": {"id": self.user_id, "type": "private", "first_name": "Ana"}}

    def say(self, text: str) -> None:
        body = {**self._common(), "text": text}
        endpoint = "sendMessage"
        if text.startswith("/"):
            endpoint = "sendCommand"
            body["entities"] = [{"type": "bot_command", "offset": 0,
                                 "length": len(text.split()[0])}]
        httpx.post(f"{self.url}/{endpoint}", json=body).raise_for_status()

    def upload(self, file_name: str) -> None:
        body = {**self._common(), "document": {"file_id": "doc1", "file_unique_id": "u1",
                                               "file_name": file_name, "file_size": 120}}
        httpx.post(f"{self.url}/sendMessage", json=body).raise_for_status()

    def press(self, reply: dict[str, Any], data: str) -> None:
        message = {"message_id": reply["messageId"], "date": int(time.time()),
                   "chat": {"id": self.user_id, "type": "private"}, "text": reply["text"],
                   "from": {"id": 666, "is_bot": True, "first_name": "briefbot"}}
        body = {"botToken": TOKEN, "from": self._common()["from"], "message": message,
                "data": data, "chat_instance": str(self.user_id)}
        httpx.post(f"{self.url}/sendCallback", json=body).raise_for_status()

    def replies(self, bot: BotProcess, n: int = 1) -> list[dict[str, Any]]:
        """Wait (polling the emulator) for ``n`` new messages from the bot to this chat."""
        got: list[dict[str, Any]] = []

        def enough() -> list[dict[str, Any]] | None:
            res = httpx.post(f"{self.url}/getUpdates",
                             json={"token": TOKEN, "chatId": self.user_id})
            got.extend({**item["message"], "messageId": item["messageId"]}
                       for item in res.json()["result"])
            return got if len(got) >= n else None

        return wait_for(enough, f"{n} message(s) from the bot", bot)

    def message(self, message_id: int) -> dict[str, Any]:
        """The bot's message as it is now (after any edits)."""
        res = httpx.post(f"{self.url}/getUpdatesHistory", json={"token": TOKEN})
        for item in res.json()["result"]:
            if item.get("messageId") == message_id and "chat_id" in item["message"]:
                return dict(item["message"])
        raise AssertionError(f"message {message_id} not found")


def test_conversation_end_to_end(emulator: str, bot_process: BotProcess) -> None:
    ana = User(emulator, USER)

    ana.say("/start")
    [hello] = ana.replies(bot_process)
    assert "I know 7 reports from 2026-03-02 to 2026-03-06" in hello["text"]
    assert hello["parse_mode"] == "HTML"

    ana.say("how many people were displaced by the floods?")
    [answer] = ana.replies(bot_process)
    text = answer["text"]
    assert "<b>18,500</b>" in text, text
    assert "[1]" in text and "Marenthal Courier" in text and "2026-03-06" in text
    assert "Reports differ on the same date, newest first" in text  # 6 Mar: 23,000 / 18,500
    assert "How it developed:" in text and "→" in text
    markup = answer["reply_markup"]
    markup = markup if isinstance(markup, dict) else json.loads(markup)
    button = markup["inline_keyboard"][0][0]
    assert button["text"].startswith("More evidence")

    ana.press(answer, button["callback_data"])

    def edited_text() -> str | None:
        now = str(ana.message(answer["messageId"])["text"])
        return now if "More evidence" in now else None

    edited = wait_for(edited_text, "the button to edit the message", bot_process)
    assert edited.startswith(text.split("\n")[0])  # the answer stays, evidence is added

    ana.say("/subscribe 08:00 Europe/Berlin floods")
    [subscribed] = ana.replies(bot_process)
    assert "a daily digest about “floods” at 08:00 (Europe/Berlin)" in subscribed["text"]
    ana.say("/digest")
    # What was *ingested* in the last day (the samples, just now), labelled by report date.
    [digest] = ana.replies(bot_process)
    assert digest["text"].startswith("<b>Digest on “floods”</b>"), digest["text"]
    assert "Marenthal" in digest["text"] and "2026-03-0" in digest["text"]

    ana.say("/frobnicate")
    [usage] = ana.replies(bot_process)
    assert "I don't know /frobnicate" in usage["text"]

    ana.upload("new-report.md")
    [refusal] = ana.replies(bot_process)
    assert "only the bot's admins can add reports" in refusal["text"]

    log = bot_process.log_text()
    assert "starting the bot with long polling" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


NEW_REPORT = """# Varn floods: 25,000 now displaced, emergency office says

Saturday, 7 Mar, 2026
Source: Northern Herald

The provincial emergency office said on Saturday that 25,000 people have now been displaced
by the Varn floods in Marenthal province.

Water levels at Kessby kept falling, and the railway between Halden and Kessby stayed closed.
"""


def test_timeline_and_watch_end_to_end(emulator: str, bot_process: BotProcess,
                                       tmp_path: Path) -> None:
    ana = User(emulator, 7003)

    ana.say("/timeline how many people died?")
    [chart] = ana.replies(bot_process)
    assert chart["photo"]["png"] is True and chart["photo"]["bytes"] > 10_000
    caption = chart["caption"]
    assert "Four (2 Mar, Marenthal Courier)" in caption
    assert "→ 11 (5 Mar, Northern Herald)" in caption
    assert "Kessby dam holds" in caption  # the reports are cited

    ana.say("/watch how many people were displaced by the floods?")
    [watching] = ana.replies(bot_process)
    assert "Watching “how many people were displaced by the floods?”" in watching["text"]
    assert "Now: 18,500 (6 Mar" in watching["text"]
    ana.say("/watches")
    [listed] = ana.replies(bot_process)
    assert "1. how many people were displaced by the floods?" in listed["text"]

    # A CLI ingest into the data directory the bot uses: the watch fires once.
    report = tmp_path / "08-displaced.md"
    report.write_text(NEW_REPORT, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-m", "bot", "ingest", "--data-dir", str(bot_process.data),
                    "--no-progress", str(report)], cwd=REPO, env=env, check=True,
                   capture_output=True, timeout=300)
    [told] = ana.replies(bot_process)
    assert "Displaced: 18,500 → 25,000</b> (7 Mar, Northern Herald)" in told["text"]

    ana.say("/unwatch 1")
    [stopped] = ana.replies(bot_process)
    assert "Stopped watching" in stopped["text"]
    ana.say("/watches")
    [none] = ana.replies(bot_process)
    assert none["text"].startswith("No watches.")
    assert told["messageId"] < stopped["messageId"]  # told once, before the stop
