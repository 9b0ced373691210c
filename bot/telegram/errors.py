"""The bot's one error handler: log with the traceback, tell an admin chat, apologise.

``Forbidden`` (the user blocked the bot, or it was removed from a group) marks the chat
inactive and stops its digests; every other failure inside a handler gives the user a short
apology, never silence. ``RetryAfter`` never gets here from our own sends:
:mod:`bot.telegram.delivery` waits it out and retries.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.telegram.digests import DigestService

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong while handling that. Please try again in a moment."


class ErrorHandler:
    """Callable registered with ``application.add_error_handler``."""

    def __init__(self, digests: DigestService, admin_chat: int | None) -> None:
        self.digests = digests
        self.admin_chat = admin_chat

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(error, Forbidden):
            if chat is not None:
                log.info("chat %s is out of reach (%s): marked inactive", chat.id, error)
                self.digests.chat_blocked(chat.id)
            return
        log.error("error while handling an update", exc_info=error)
        if self.admin_chat is not None:
            where = f" in chat {chat.id}" if chat is not None else ""
            try:
                await context.bot.send_message(
                    self.admin_chat,
                    f"briefbot error{where}: {type(error).__name__}: {str(error)[:300]}")
            except TelegramError:
                log.warning("could not tell the admin chat about the error")
        if chat is not None:
            try:
                await context.bot.send_message(chat.id, APOLOGY)
            except TelegramError:
                log.warning("could not apologise to chat %s", chat.id)
