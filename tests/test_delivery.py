"""Sending when the Bot API cannot be reached: a request that surely never left (no
connection, no free pooled connection) is tried again; one that may have arrived (a read
timeout) is not."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.telegram.delivery import never_sent, send_html
from tests.tg import OfflineRequest, Pauses


def caused(exc: NetworkError, cause: BaseException) -> NetworkError:
    exc.__cause__ = cause
    return exc


async def offline_bot() -> tuple[Bot, OfflineRequest]:
    request = OfflineRequest()
    bot = Bot("123:ABC", request=request, get_updates_request=OfflineRequest())
    await bot.initialize()
    return bot, request


async def test_a_request_that_never_left_is_sent_again() -> None:
    bot, request = await offline_bot()
    pauses = Pauses()
    request.script["sendMessage"] = [
        caused(TimedOut(), httpx.ConnectTimeout("connect")),
        caused(NetworkError("refused"), httpx.ConnectError("refused"))]
    message = await send_html(bot, 42, "<b>hi</b>", pause=pauses)
    assert message.text == "<b>hi</b>" and len(request.sent()) == 3
    assert pauses.waits == [1.0, 2.0]


async def test_a_request_that_may_have_arrived_is_not() -> None:
    bot, request = await offline_bot()
    pauses = Pauses()
    request.script["sendMessage"] = [caused(TimedOut(), httpx.ReadTimeout("read"))]
    with pytest.raises(TimedOut):
        await send_html(bot, 42, "hi", pause=pauses)
    assert len(request.sent()) == 1 and pauses.waits == []
    assert not never_sent(TimedOut()) and not never_sent(ValueError())
    assert never_sent(caused(TimedOut(), httpx.PoolTimeout("pool")))
