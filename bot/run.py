"""``briefbot run``: start the Telegram bot (long polling, or a webhook when configured).

The token comes from ``TELEGRAM_BOT_TOKEN`` or the config file, never from the command line;
``--base-url`` (or ``[telegram] api_base_url``) points the bot at another Bot API server.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot.cli import EXTRA_COMMANDS, Context

log = logging.getLogger(__name__)


class RedactToken(logging.Filter):
    """Replaces the bot token in every log line (a library may put a URL in a message)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def cmd_run(ctx: Context) -> int:
    # Imported here: every other subcommand would pay for the Telegram stack (0.12 s).
    from telegram import Update

    from bot.app import build_application

    config = ctx.config.with_overrides(base_url=getattr(ctx.args, "base_url", None))
    tg = config.telegram
    if not tg.token:
        ctx.warn("briefbot: no Telegram bot token: set TELEGRAM_BOT_TOKEN or [telegram] token "
                 "in the config file (see config.example.toml)")
        return 2
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(tg.token))
    application = build_application(config, ctx.services)
    if tg.webhook_url:
        path = urlsplit(tg.webhook_url).path.strip("/")
        log.info("starting the bot with a webhook on %s:%d", tg.webhook_listen, tg.webhook_port)
        application.run_webhook(listen=tg.webhook_listen, port=tg.webhook_port, url_path=path,
                                webhook_url=tg.webhook_url, secret_token=tg.webhook_secret,
                                allowed_updates=Update.ALL_TYPES)
    else:
        log.info("starting the bot with long polling%s",
                 f" against {tg.api_base_url}" if tg.api_base_url else "")
        application.run_polling(poll_interval=tg.poll_interval,
                                allowed_updates=Update.ALL_TYPES)
    return 0


def register(sub: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("run", help="start the Telegram bot (token from TELEGRAM_BOT_TOKEN "
                                   "or the config)")
    add_common(p)
    p.add_argument("--base-url", help="Bot API server, e.g. http://127.0.0.1:9000 "
                                      "(default: Telegram's)")
    p.set_defaults(func=cmd_run)


if register not in EXTRA_COMMANDS:
    EXTRA_COMMANDS.append(register)
