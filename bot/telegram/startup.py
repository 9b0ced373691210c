"""What ``briefbot run`` checks before it starts the bot, each failure one line for a person.

* the data directory can be created and written;
* the Bot API answers and accepts the token: a rejected token (HTTP 401/404) is fatal at
  once; a Bot API that cannot be reached (connection refused, timeouts, 5xx) is tried again
  with a doubling pause (1, 2, 4 ... s) before it is fatal.

Both raise :class:`StartupFailed`, whose message says what to do; the caller prints it and
exits with code 2. :func:`api_urls` accepts ``--base-url`` with or without PTB's ``/bot``.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger(__name__)

RETRIES = 5        # tries after the first: pauses 1+2+4+8+16 s, about half a minute
FIRST_PAUSE = 1.0
MAX_PAUSE = 60.0

Sleep = Callable[[float], Awaitable[None]]


class StartupFailed(Exception):
    """The bot cannot start; the message is one line saying what to do."""


def api_urls(base_url: str) -> tuple[str, str]:
    """PTB's ``base_url`` and ``base_file_url`` for a Bot API server given as
    ``http://host:port``, ``http://host:port/`` or in PTB's own form ``http://host:port/bot``."""
    base = base_url.strip().rstrip("/")
    if base.endswith("/bot"):
        base = base[: -len("/bot")]
    return f"{base}/bot", f"{base}/file/bot"


def check_data_dir(path: Path) -> None:
    """:class:`StartupFailed` unless ``path`` is (or can be made) a writable folder."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path, prefix=".briefbot-write-check-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StartupFailed(
            f"the data directory {path} cannot be written ({reason}): fix its permissions "
            "or choose another with --data-dir or BRIEFBOT_DATA_DIR") from exc


async def wait_for_bot_api(token: str, base_url: str | None, *, retries: int = RETRIES,
                           first_pause: float = FIRST_PAUSE,
                           sleep: Sleep = asyncio.sleep) -> str:
    """The bot's username once the Bot API accepts ``token`` (``getMe``)."""
    where = base_url or "https://api.telegram.org"
    urls = api_urls(base_url or "https://api.telegram.org")
    ptb_log = logging.getLogger("telegram")
    quiet = not logging.getLogger().isEnabledFor(logging.DEBUG)
    level = ptb_log.level
    if quiet:  # PTB logs each failed request with a traceback; we say it in one line
        ptb_log.setLevel(logging.CRITICAL)
    try:
        return await _get_me(token, urls, where, retries, first_pause, sleep)
    finally:
        ptb_log.setLevel(level)


async def _get_me(token: str, urls: tuple[str, str], where: str, retries: int,
                  pause: float, sleep: Sleep) -> str:
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError
    from telegram.request import HTTPXRequest

    for attempt in range(retries + 1):
        bot = Bot(token, base_url=urls[0], base_file_url=urls[1],
                  request=HTTPXRequest(connect_timeout=10, read_timeout=10))
        try:
            me = await bot.get_me()
            return me.username or str(me.id)
        except InvalidToken as exc:
            raise StartupFailed(
                f"the Bot API at {where} rejected the bot token: set the token BotFather "
                "gave you in TELEGRAM_BOT_TOKEN or [telegram] token") from exc
        except NetworkError as exc:  # also TimedOut, and 5xx answers
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if attempt == retries:
                raise StartupFailed(
                    f"the Bot API at {where} cannot be reached ({reason}) after {attempt + 1} "
                    "tries: check the network, or --base-url / [telegram] api_base_url"
                ) from exc
            log.warning("the Bot API at %s cannot be reached (%s); trying again in %g s",
                        where, reason, pause)
            await sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
        except TelegramError as exc:
            raise StartupFailed(f"the Bot API at {where} refused getMe ({exc}): check "
                                "--base-url / [telegram] api_base_url") from exc
        finally:
            await bot.shutdown()
    raise AssertionError("unreachable")  # pragma: no cover
