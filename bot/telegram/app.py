"""``build_application(config, services)``: the PTB application, fully wired, not started.

The model and the index are opened in ``post_init`` (off the event loop) and closed in
``post_shutdown``; the bot's commands are published to Telegram at start-up when the server
supports it. Sends are paced by PTB's ``AIORateLimiter`` (about 30 messages/s overall, one a
second per chat, 20 a minute per group).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.config import Config
from bot.services import Services
from bot.state import open_state
from bot.telegram import digests, feeds, timeline_chat, watches
from bot.telegram.delivery import Pause
from bot.telegram.errors import ErrorHandler
from bot.telegram.handlers import Conversation, add_fallbacks, add_handlers, commands_for
from bot.telegram.startup import api_urls
from bot.telegram.subscriptions import Clock, utc_now

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]


def build_application(config: Config, services: Services, *,
                      request: BaseRequest | None = None,
                      updates_request: BaseRequest | None = None,
                      rate_limit: bool = True, clock: Clock = utc_now,
                      pause: Pause = asyncio.sleep) -> App:
    """The bot, ready for ``run_polling``/``run_webhook`` or for tests to drive.

    ``request``/``updates_request`` replace PTB's HTTP client (tests pass offline ones);
    ``clock`` and ``pause`` let tests move time instead of waiting."""
    token = config.telegram.token
    if not token:
        raise ValueError("no Telegram bot token configured")
    state = open_state(config, clock)

    async def post_init(application: App) -> None:
        await asyncio.to_thread(services.open)
        # load the embedding model now (it loads on first use), not on the first question
        await asyncio.to_thread(services.library.embedder.encode, ["warm up"])
        stats = services.library.stats()
        log.info("bot @%s up: %d reports, %d sentences", application.bot.username,
                 stats.reports, stats.sentences)
        # The command menu: admin commands appear only in the admins' own chats.
        for scope, admin in [(None, False), *((BotCommandScopeChat(a), True)
                                              for a in config.telegram.admins)]:
            try:
                await application.bot.set_my_commands(
                    [BotCommand(name, text[:256]) for name, text in commands_for(admin)],
                    scope=scope)
            except TelegramError as exc:  # a nicety: the bot works without the menu
                log.warning("could not publish the command list%s: %s",
                            " for an admin's chat" if admin else "", exc)

    async def post_shutdown(application: App) -> None:
        await asyncio.to_thread(services.close)
        state.close()

    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(token).post_init(post_init).post_shutdown(post_shutdown)
        .concurrent_updates(8))
    if config.telegram.api_base_url:
        base_url, base_file_url = api_urls(config.telegram.api_base_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    if request is not None:
        builder = builder.request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application: App = builder.build()
    if application.job_queue is not None:
        # APScheduler drops a job that runs over a second late (a busy loop, a slow
        # start-up); a digest or a feed poll runs late instead.
        jq = application.job_queue
        jq.scheduler.configure(job_defaults={"misfire_grace_time": None},
                               **jq.scheduler_configuration)

    conversation = Conversation(config, services, state.subscriptions, pause, state.answers)
    sync_every = float(config.workers.sync_every) if state.shared else None
    feeds.register(application, services, config, store=state.feeds,  # before questions
                   sync_every=sync_every)
    add_handlers(application, conversation)
    service = digests.register(application, services, state.subscriptions, clock=clock,
                               pause=pause, sync_every=sync_every)
    timeline_chat.register(application, services, pause)
    watches.register(application, services, config.data_dir, clock=clock, pause=pause,
                     store=state.watches)
    add_fallbacks(application, conversation)
    application.add_error_handler(ErrorHandler(service, config.telegram.admin_chat))
    return application
