"""Sending Telegram HTML robustly: flood waits, rejected markup and timeouts.

:func:`send_html` sends one message: ``RetryAfter`` waits as long as Telegram asks and tries
the same chat again (a few times); a ``BadRequest`` about the markup (entities, tags) is sent
again as plain text; ``Forbidden`` and ``TimedOut`` reach the caller, who knows whether the
chat should be marked inactive or the send recorded. A request that surely never left
(:func:`never_sent`: no connection could be made, or none was free in the pool) is tried
again after a short pause, a few times: resending it cannot make a message arrive twice.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.render import plain

log = logging.getLogger(__name__)

MAX_RETRIES = 3
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

Pause = Callable[[float], Awaitable[None]]


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked us to wait (an int today, a timedelta in PTB 23)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait: Any = exc.retry_after
    return float(wait.total_seconds() if isinstance(wait, timedelta) else wait)


def never_sent(exc: BaseException) -> bool:
    """Whether a failed request surely never reached the Bot API: the connection could not
    be made (refused, or timed out), or no pooled connection was free. A read timeout may
    have been answered after the request arrived, so it is not one of these."""
    import httpx

    return isinstance(exc, NetworkError) and isinstance(
        exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def markup_rejected(exc: BadRequest) -> bool:
    text = exc.message.lower()
    return "entit" in text or "parse" in text or "tag" in text


async def with_flood_retry(call: Callable[[], Awaitable[Any]], pause: Pause = asyncio.sleep,
                           what: str = "request") -> Any:
    """``await call()``, waiting out ``RetryAfter`` up to ``MAX_RETRIES`` times, and trying
    again a request that never left (:func:`never_sent`) after 1, 2, 4 s."""
    for attempt in range(MAX_RETRIES + 1):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == MAX_RETRIES:
                raise
            seconds = retry_seconds(exc)
            log.warning("flood limit on %s: waiting %.0f s", what, seconds)
            await pause(seconds)
        except NetworkError as exc:
            if attempt == MAX_RETRIES or not never_sent(exc):
                raise
            log.warning("%s did not reach the Bot API (%s): trying again", what, exc)
            await pause(float(2 ** attempt))
    raise AssertionError("unreachable")


async def send_html(bot: Any, chat_id: int, text: str, *,
                    reply_markup: InlineKeyboardMarkup | None = None,
                    reply_to: int | None = None, pause: Pause = asyncio.sleep) -> Message:
    """Send ``text`` as HTML; plain text if Telegram rejects the markup."""

    async def html_send() -> Message:
        message: Message = await bot.send_message(
            chat_id=chat_id, text=text, parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW, reply_markup=reply_markup,
            reply_to_message_id=reply_to)
        return message

    async def plain_send() -> Message:
        message: Message = await bot.send_message(
            chat_id=chat_id, text=plain(text), reply_markup=reply_markup,
            reply_to_message_id=reply_to)
        return message

    try:
        result: Message = await with_flood_retry(html_send, pause, f"chat {chat_id}")
    except BadRequest as exc:
        if not markup_rejected(exc):
            raise
        log.warning("Telegram rejected the HTML (%s): sending plain text", exc.message)
        result = await with_flood_retry(plain_send, pause, f"chat {chat_id}")
    return result


async def edit_html(message: Message, text: str, *,
                    reply_markup: InlineKeyboardMarkup | None = None,
                    pause: Pause = asyncio.sleep) -> None:
    """Edit ``message`` to ``text`` as HTML; plain text if Telegram rejects the markup."""

    async def html_edit() -> Any:
        return await message.edit_text(text, parse_mode=ParseMode.HTML,
                                       link_preview_options=NO_PREVIEW,
                                       reply_markup=reply_markup)

    async def plain_edit() -> Any:
        return await message.edit_text(plain(text), reply_markup=reply_markup)

    try:
        await with_flood_retry(html_edit, pause, "an edit")
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return
        if not markup_rejected(exc):
            raise
        await with_flood_retry(plain_edit, pause, "an edit")
