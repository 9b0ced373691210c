"""``briefbot run`` against a fake Bot API on 127.0.0.1: a failed start is one line and exit
code 2, a briefly unreachable Bot API is retried with backoff, and the token never appears in
anything the process writes, in any case or encoding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.config import Config, TelegramConfig
from bot.redact import Redactor, install
from bot.services import Services
from bot.telegram.startup import StartupFailed, api_urls, wait_for_bot_api
from tests.fakes import FakeEmbedder
from tests.webserver import Page, Site, bot_api_error, serve

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:AbCdEf-SECRET_token_XyZ"


def leaks(text: str) -> list[str]:
    """Every form of the token found in ``text``."""
    forms = {TOKEN, TOKEN.lower(), TOKEN.upper(), quote(TOKEN, safe=""),
             quote(TOKEN, safe="").lower(), TOKEN.split(":")[1], TOKEN.split(":")[1].lower()}
    return sorted(f for f in forms if f in text)


def run_bot(site: Site, data_dir: Path, *extra: str,
            base: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "HF_HUB_OFFLINE": "1",
           "BRIEFBOT_BOT_API_RETRIES": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("BRIEFBOT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *extra, "run", "--data-dir", str(data_dir),
         "--base-url", site.url(base)], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=120)


@pytest.mark.parametrize(("status", "words"), [(401, "Unauthorized"), (404, "Not Found")])
def test_rejected_token_is_one_line_exit_2_and_never_shown(tmp_path: Path, status: int,
                                                           words: str) -> None:
    with serve() as site:
        site.routes["*"] = bot_api_error(status, words)
        done = run_bot(site, tmp_path / "d")
        assert len(site.requests) == 1  # fatal at once, no retries
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert leaks(output) == []
    [line] = done.stderr.strip().splitlines()
    assert "rejected the bot token" in line and "TELEGRAM_BOT_TOKEN" in line
    assert "Traceback" not in output


def test_with_v_the_traceback_shows_but_not_the_token(tmp_path: Path) -> None:
    with serve() as site:
        site.routes["*"] = bot_api_error(401, "Unauthorized")
        done = run_bot(site, tmp_path / "d", "-v")
    output = done.stdout + done.stderr
    assert done.returncode == 2 and "Traceback" in output
    assert "<token>" in output  # the echoed path was there, redacted
    assert leaks(output) == []


def test_unreachable_bot_api_is_retried_then_one_line(tmp_path: Path) -> None:
    with serve() as site:
        site.routes["*"] = Page(b"oops " + TOKEN.lower().encode(), "text/plain", 500)
        done = run_bot(site, tmp_path / "d")
        tries = len(site.requests)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert tries == 2  # the first try and one retry (BRIEFBOT_BOT_API_RETRIES=1)
    assert leaks(output) == [] and "Traceback" not in output
    assert done.stderr.strip().splitlines()[-1].startswith("briefbot: the Bot API at")
    assert "cannot be reached" in done.stderr.strip().splitlines()[-1]


def test_data_dir_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with serve() as site:
        site.routes["*"] = bot_api_error(401, "Unauthorized")
        done = run_bot(site, blocker / "data")
        assert site.requests == []
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "data directory" in line and "cannot be written" in line
    assert "Traceback" not in done.stdout + done.stderr


async def test_briefly_down_bot_api_is_retried_with_backoff() -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    calls: list[str] = []

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls.append(h.path)
        h.rfile.read(int(h.headers.get("Content-Length") or 0))
        ok = len(calls) > 2
        body = json.dumps({"ok": True, "result": {"id": 42, "is_bot": True, "first_name": "B",
                                                  "username": "hostile_bot"}} if ok else
                          {"ok": False, "error_code": 502, "description": "Bad Gateway"})
        h.send_response(200 if ok else 502)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body.encode())

    with serve() as site:
        site.routes["*"] = flaky
        name = await wait_for_bot_api(TOKEN, site.url("/bot"), retries=5, sleep=sleep)
    assert name == "hostile_bot" and pauses == [1.0, 2.0]
    assert calls == [f"/bot{TOKEN}/getMe"] * 3  # PTB's /bot form is not doubled


async def test_gives_up_after_the_retries() -> None:
    async def sleep(seconds: float) -> None:
        return None

    with serve() as site:
        site.routes["*"] = Page(b"down", "text/plain", 503)
        with pytest.raises(StartupFailed, match="after 4 tries"):
            await wait_for_bot_api(TOKEN, site.url(""), retries=3, sleep=sleep)
        assert len(site.requests) == 4


def test_base_url_in_ptb_form_is_not_doubled(tmp_path: Path) -> None:
    from bot.telegram.app import build_application

    assert api_urls("http://h:1/bot") == api_urls("http://h:1/") == (
        "http://h:1/bot", "http://h:1/file/bot")
    config = Config(data_dir=tmp_path, telegram=TelegramConfig(
        token=TOKEN, api_base_url="http://127.0.0.1:9/bot"))
    app = build_application(config, Services(config, lambda m: FakeEmbedder()))
    assert app.bot.base_url == f"http://127.0.0.1:9/bot{TOKEN}"


def test_redaction_covers_streams_tracebacks_and_any_case(
        capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    state = install([TOKEN])
    try:
        handler = logging.StreamHandler(sys.stderr)
        logging.getLogger("hostile-test").addHandler(handler)
        try:
            raise ValueError(f"boom {TOKEN.lower()}")
        except ValueError:
            logging.getLogger("hostile-test").exception("failed for %s", quote(TOKEN))
        logging.getLogger("hostile-test").removeHandler(handler)
        print("split", TOKEN[:5], end="")
        print(TOKEN[5:])
        sys.stderr.write(f"upper {TOKEN.upper()}\n")
        try:
            raise RuntimeError(f"uncaught {TOKEN}")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)  # what an uncaught one calls
    finally:
        state.undo()
    out, err = capsys.readouterr()
    assert leaks(out + err) == [] and "boom <token>" in err and "upper <token>" in err
    assert "RuntimeError: uncaught <token>" in err
    assert Redactor([TOKEN])(f"x{TOKEN.lower()}y") == "x<token>y"
