"""``briefbot run``: start the Telegram bot (long polling, or a webhook when configured).

The token comes from ``TELEGRAM_BOT_TOKEN`` or the config file, never from the command line;
``--base-url`` (or ``[telegram] api_base_url``) points the bot at another Bot API server.
Before starting, the data directory and the Bot API are checked (:mod:`bot.telegram.startup`); a
failed start is one line and exit code 2 (the traceback only with ``-v``). From the moment
the token is known, everything the process writes is redacted (:mod:`bot.redact`).
``BRIEFBOT_BOT_API_RETRIES`` sets how often an unreachable Bot API is tried again;
``BRIEFBOT_BOT_API_TIMEOUT`` (seconds) replaces PTB's 5 s timeouts of Bot API requests (a
slow link, or a loaded test machine).

``--no-updates`` runs the jobs only (digests, feeds, watches) and takes no updates: with
long polling, Telegram allows one ``getUpdates`` consumer per token, so several workers on
one PostgreSQL are one poller plus any number of ``--no-updates`` workers. It stops on
SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Any
from urllib.parse import urlsplit

from bot import redact
from bot.cli.context import Context, add_common
from bot.config import Config
from bot.telegram.startup import RETRIES, StartupFailed, check_data_dir, wait_for_bot_api
from index.errors import BriefbotError

log = logging.getLogger(__name__)


def cmd_run(ctx: Context) -> int:
    config = ctx.config.with_overrides(base_url=getattr(ctx.args, "base_url", None))
    tg = config.telegram
    if not tg.token:
        ctx.warn("briefbot: no Telegram bot token: set TELEGRAM_BOT_TOKEN or [telegram] token "
                 "in the config file (see config.example.toml)")
        return 2
    redaction = redact.install([tg.token])
    ctx.stdout, ctx.stderr = redaction.wrap(ctx.stdout), redaction.wrap(ctx.stderr)
    try:
        return _run(ctx, config)
    except (StartupFailed, BriefbotError) as exc:
        log.debug("start-up failed", exc_info=True)  # the traceback only with -v
        ctx.warn(f"briefbot: {exc}")
        return 2
    finally:
        ctx.stderr.flush()
        ctx.stdout.flush()
        redaction.undo()


def _run(ctx: Context, config: Config) -> int:
    # Imported here: every other subcommand would pay for the Telegram stack (0.12 s).
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram.app import build_application

    tg = config.telegram
    assert tg.token is not None
    check_data_dir(config.data_dir)
    retries = int(os.environ.get("BRIEFBOT_BOT_API_RETRIES", RETRIES))
    username = asyncio.run(wait_for_bot_api(tg.token, tg.api_base_url, retries=retries))
    log.info("the Bot API accepts the token of @%s", username)
    application = build_application(config, ctx.services, request=_request())
    try:
        if getattr(ctx.args, "no_updates", False):
            log.info("starting a worker without updates: digests, feeds and watches only")
            asyncio.run(run_jobs_only(application))
        elif tg.webhook_url:
            path = urlsplit(tg.webhook_url).path.strip("/")
            log.info("starting the bot with a webhook on %s:%d", tg.webhook_listen,
                     tg.webhook_port)
            application.run_webhook(listen=tg.webhook_listen, port=tg.webhook_port,
                                    url_path=path, webhook_url=tg.webhook_url,
                                    secret_token=tg.webhook_secret,
                                    allowed_updates=Update.ALL_TYPES)
        else:
            log.info("starting the bot with long polling%s",
                     f" against {tg.api_base_url}" if tg.api_base_url else "")
            application.run_polling(poll_interval=tg.poll_interval,
                                    allowed_updates=Update.ALL_TYPES)
    except InvalidToken as exc:
        raise StartupFailed("the Bot API rejected the bot token: set the token BotFather "
                            "gave you in TELEGRAM_BOT_TOKEN or [telegram] token") from exc
    except NetworkError as exc:
        raise StartupFailed(f"the Bot API cannot be reached ({exc}): check the network, or "
                            "--base-url / [telegram] api_base_url") from exc
    return 0


def _request() -> Any:
    """PTB's HTTP client with ``BRIEFBOT_BOT_API_TIMEOUT`` seconds of timeouts; None (PTB's
    defaults) when it is not set."""
    timeout = os.environ.get("BRIEFBOT_BOT_API_TIMEOUT")
    if not timeout:
        return None
    from telegram.request import HTTPXRequest

    seconds = float(timeout)
    return HTTPXRequest(read_timeout=seconds, write_timeout=seconds, connect_timeout=seconds,
                        pool_timeout=seconds)


async def run_jobs_only(application: Any) -> None:
    """Run ``application``'s jobs (and its ``post_init``/``post_shutdown``) without taking
    updates, until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        await stop.wait()
        await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="start the Telegram bot (token from TELEGRAM_BOT_TOKEN "
                                   "or the config)")
    add_common(p)
    p.add_argument("--base-url", help="Bot API server, e.g. http://127.0.0.1:9000 (or PTB's "
                                      "form http://127.0.0.1:9000/bot; default: Telegram's)")
    p.add_argument("--no-updates", action="store_true",
                   help="run digests, feeds and watches only, take no updates (extra workers "
                        "beside one long-polling process, all on one PostgreSQL)")
    p.set_defaults(func=cmd_run)
