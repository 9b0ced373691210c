"""Feeds and links in Telegram: ``/feeds``, ``/feed_add URL [30m]``, ``/feed_remove N``,
``/ingest URL`` and links sent by admins in a private chat; one repeating job per feed.

Feeds come from the config (``[[feeds]]``) and from admins; their state lives in
``feeds.sqlite3`` of the data directory (:class:`index.feeds.FeedStore`), or in PostgreSQL
(:class:`index.feeds_pg.PgFeedStore`). Each feed has a job named ``feed:URL`` on the
application's job queue, repeating at the feed's interval; a feed that keeps failing is
skipped until its backoff ends, and its last error shows in ``/feeds``. A poll runs only
under the store's lease on the feed (renewed while it runs), so of several workers one polls
a feed at a time (a worker that finds another one polling looks again once that one's lease
would have run out, so a feed of a worker killed mid-poll is polled by another within a
minute); with several workers, each brings its jobs in line with the store now and
then (:meth:`FeedService.sync_jobs`), so feeds added or removed through another worker are
polled (or not) here too.
Fetching and ingesting run in a thread (``asyncio.to_thread``). Replies are plain text,
split into as many messages as they need.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.config import Config, ConfigError, FeedConfig, parse_duration
from bot.inputs import fetch_url, make_fetcher
from bot.services import Services
from bot.telegram.handlers import ingest_summary, is_admin, reply, typing
from bot.telegram.render import split_plain
from index.errors import BriefbotError
from index.feeds import FeedState, FeedStateStore, FeedStore, PollResult, poll_feed, utc_now
from index.fetch import Fetcher

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]
JOB_PREFIX = "feed:"
RETRY_PREFIX = "feed-retry:"  # one more look at a feed another worker was polling
FIRST_POLL = 5.0  # seconds after start-up (or after /feed_add) of a feed's first poll
ADMINS_ONLY = "Sorry, only the bot's admins can do that."
_LINK = re.compile(r"^\s*(https?://\S+)\s*$", re.IGNORECASE)


def _every_text(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def describe(n: int, state: FeedState) -> str:
    line = f"{n}. {state.url} (every {_every_text(state.every)}"
    line += ", from the config)" if state.origin == "config" else ")"
    if state.title:
        line += f" — {state.title}"
    if state.last_error:
        line += (f"\n   failing ({state.failures}x), next try {state.next_try or 'soon'}: "
                 f"{state.last_error}")
    elif state.last_ok:
        line += f"\n   last checked {state.last_ok}"
    return line


class FeedService:
    """The feed commands, the per-feed jobs, and link ingestion for admins."""

    def __init__(self, config: Config, services: Services, store: FeedStateStore,
                 fetcher: Fetcher) -> None:
        self.config = config
        self.services = services
        self.store = store
        self.fetcher = fetcher
        self.application: App | None = None
        self._scheduled: dict[str, int] = {}  # url -> interval of its job here

    # -- jobs ---------------------------------------------------------------------------

    def schedule(self, state: FeedState, first: float = FIRST_POLL) -> None:
        app = self.application
        if app is None or app.job_queue is None:
            return
        self.unschedule(state.url)
        app.job_queue.run_repeating(self.job, interval=timedelta(seconds=state.every),
                                    first=first, name=JOB_PREFIX + state.url, data=state.url)
        self._scheduled[state.url] = state.every

    def unschedule(self, url: str) -> None:
        app = self.application
        if app is None or app.job_queue is None:
            return
        self._scheduled.pop(url, None)
        for job in app.job_queue.get_jobs_by_name(JOB_PREFIX + url):
            job.schedule_removal()

    def sync_jobs(self) -> int:
        """One job per feed in the store, at its interval (feeds added, changed or removed
        through other workers); the number of jobs (re)placed or removed."""
        states = {s.url: s for s in self.store.feeds()}
        changed = 0
        for url in set(self._scheduled) - set(states):
            self.unschedule(url)
            changed += 1
        for url, state in states.items():
            if self._scheduled.get(url) != state.every:
                self.schedule(state)
                changed += 1
        return changed

    async def sync_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.to_thread(self.sync_jobs)

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        url = str(context.job.data) if context.job is not None else ""
        await self.poll(url)

    async def poll(self, url: str, force: bool = False) -> PollResult | None:
        """Poll ``url`` now (in a thread) unless it is backing off; None when skipped."""
        if not force and not self.store.due(url):
            log.debug("feed %s is backing off", url)
            return None
        if not self.store.lease(url):
            if self.store.busy(url):  # if that worker dies, its lease runs out: look again
                self._look_again(url)
            log.debug("feed %s is being polled (or was just polled) by another worker", url)
            return None
        library = self.services.library
        renewer = asyncio.get_running_loop().create_task(self._renew(url))
        try:
            result = await asyncio.to_thread(poll_feed, url, self.fetcher, library, self.store)
        finally:
            renewer.cancel()
            self.store.release(url)
        if result.ingest is not None and (result.ingest.added or result.ingest.merged):
            log.info("feed %s: %s", url, ingest_summary(result.ingest))
        return result

    def _look_again(self, url: str) -> None:
        app = self.application
        if app is None or app.job_queue is None:
            return
        name = RETRY_PREFIX + url
        if not app.job_queue.get_jobs_by_name(name):
            app.job_queue.run_once(self.job, when=self.config.workers.lease + 5.0, data=url,
                                   name=name)

    async def _renew(self, url: str) -> None:
        """Keep the lease on ``url`` while a (long) poll runs (renewed three times a lease)."""
        while True:
            await asyncio.sleep(self.config.workers.lease / 3)
            self.store.renew(url)

    # -- commands -----------------------------------------------------------------------

    async def _say(self, update: Update, text: str) -> None:
        """Plain text, escaped and split into as many messages as it takes."""
        await reply(update, split_plain(text))

    async def cmd_feeds(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not is_admin(update, self.config):
            await self._say(update, ADMINS_ONLY)
            return
        feeds = await asyncio.to_thread(self.store.feeds)
        if not feeds:
            await self._say(update, "No feeds yet. Add one with /feed_add URL [30m].")
            return
        await self._say(update, "\n".join(describe(n, s) for n, s in enumerate(feeds, 1)))

    async def cmd_feed_add(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not is_admin(update, self.config):
            await self._say(update, ADMINS_ONLY)
            return
        args = context.args or []
        if not 1 <= len(args) <= 2:
            await self._say(update, "Usage: /feed_add URL [every, e.g. 30m]")
            return
        try:
            every = parse_duration(args[1]) if len(args) == 2 else 1800
            feed = FeedConfig(url=args[0], every=every)
        except ConfigError as exc:
            await self._say(update, f"Cannot add that feed: {exc}.")
            return
        added = await asyncio.to_thread(self.store.add, feed.url, feed.every, "admin")
        if not added:  # its interval may have changed
            if (state := self.store.get(feed.url)) is not None:
                self.schedule(state)
            await self._say(update, f"Already following {feed.url}, checked every "
                                    f"{_every_text(feed.every)}.")
            return
        # checked at once, so the admin learns now whether it is a feed and what it brought
        chat = update.effective_chat
        if chat is None:
            first = await self.poll(feed.url, force=True)
        else:
            async with typing(chat.get_bot(), chat.id):
                first = await self.poll(feed.url, force=True)
        if first is not None and first.error is not None:
            await asyncio.to_thread(self.store.remove, feed.url)
            await self._say(update, f"Not added: {first.error}")
            return
        state = self.store.get(feed.url)
        if state is not None:
            self.schedule(state, first=float(state.every))  # just checked
        brought = (f"\nFirst check — {ingest_summary(first.ingest)}"
                   if first is not None and first.ingest is not None else
                   "\nFirst check — nothing new." if first is not None else "")
        await self._say(update, f"Added the feed {feed.url}, checked every "
                                f"{_every_text(feed.every)}.{brought}")

    async def cmd_feed_remove(self, update: Update, context: ContextTypes.DEFAULT_TYPE
                              ) -> None:
        if not is_admin(update, self.config):
            await self._say(update, ADMINS_ONLY)
            return
        args = context.args or []
        feeds = await asyncio.to_thread(self.store.feeds)
        if len(args) != 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= len(feeds):
            await self._say(update, f"Usage: /feed_remove N, N from /feeds (1 to {len(feeds)})."
                            if feeds else "There are no feeds to remove.")
            return
        state = feeds[int(args[0]) - 1]
        if state.origin == "config":
            await self._say(update, f"{state.url} is in the config file: remove it there.")
            return
        await asyncio.to_thread(self.store.remove, state.url)
        self.unschedule(state.url)
        await self._say(update, f"Removed the feed {state.url}.")

    async def cmd_ingest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        args = context.args or []
        if len(args) != 1:
            await self._say(update, "Usage: /ingest URL")
            return
        await self.ingest_link(update, args[0])

    async def link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        match = _LINK.match(message.text or "") if message is not None else None
        if match is not None:
            await self.ingest_link(update, match.group(1))

    async def ingest_link(self, update: Update, url: str) -> None:
        if not is_admin(update, self.config):
            await self._say(update, ADMINS_ONLY)
            return
        library = self.services.library

        def work() -> str:
            try:
                items = fetch_url(url, self.fetcher)
            except BriefbotError as exc:
                return f"Could not add {url}: {exc}"
            return ingest_summary(library.ingest(items))

        chat = update.effective_chat
        if chat is None:
            return
        async with typing(chat.get_bot(), chat.id):
            reply = await asyncio.to_thread(work)
        await self._say(update, reply)


def register(application: App, services: Services, config: Config, *,
             fetcher: Fetcher | None = None, store: FeedStateStore | None = None,
             sync_every: float | None = None) -> FeedService:
    """Add ``/feeds``, ``/feed_add``, ``/feed_remove``, ``/ingest`` and admin links to
    ``application`` and schedule one repeating job per feed (config and admin-added).

    Register this before the question handler, so that an admin's bare link in a private
    chat is ingested rather than taken for a question. ``fetcher``/``store`` are for tests
    (default: from ``config.fetch`` and the data dir); ``sync_every`` (a store shared by
    several workers) re-reads the feeds at that interval.
    """
    feed_store: FeedStateStore = store or FeedStore(config.data_dir, utc_now)
    feed_store.sync_config((f.url, f.every) for f in config.feeds)
    service = FeedService(config, services, feed_store, fetcher or make_fetcher(config.fetch))
    service.application = application
    for name, callback in (("feeds", service.cmd_feeds), ("feed_add", service.cmd_feed_add),
                           ("feed_remove", service.cmd_feed_remove),
                           ("ingest", service.cmd_ingest)):
        application.add_handler(CommandHandler(name, callback))
    admins = list(config.telegram.admins)
    if admins:
        link_handler = MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
            & filters.User(user_id=admins) & filters.Regex(_LINK), service.link)
        application.add_handler(link_handler)
    if application.job_queue is None:
        log.warning("no job queue (install python-telegram-bot[job-queue]): feeds are not "
                    "polled")
    else:
        for state in feed_store.feeds():
            service.schedule(state)
        if sync_every:
            application.job_queue.run_repeating(service.sync_job, interval=sync_every,
                                                first=sync_every, name="feeds-sync")
    application.bot_data["feeds"] = service
    return service

