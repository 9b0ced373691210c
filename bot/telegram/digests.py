"""Daily digests in Telegram: ``/subscribe``, ``/unsubscribe``, ``/subscriptions``,
``/digest``, rendering to HTML and paced delivery.

:func:`register` adds the handlers to a PTB application and schedules the digest jobs
(:mod:`bot.telegram.scheduling`). Rendering escapes all report text and splits a digest into at most
two messages within Telegram's limits, at whole items. Delivery is paced by the
application's rate limiter (``bot.telegram.app``); ``Forbidden`` (the user blocked the bot)
deactivates the subscription, ``RetryAfter`` waits and retries the same chat, ``TimedOut`` is
recorded in the delivery log and not resent blindly.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TimedOut
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.config import ConfigError
from bot.services import Services
from bot.telegram.delivery import Pause, send_html
from bot.telegram.render import MAX_UTF16, clip, escape, local_day, split_items
from bot.telegram.scheduling import DigestScheduler, next_due
from bot.telegram.subscribe_args import MAX_TOPIC, parse_subscribe, topic_too_long
from bot.telegram.subscriptions import Clock, Subscription, SubscriptionStore, iso, utc_now
from index.digest import Digest, DigestEvent, DigestParams, DigestSentence, compose_digest

log = logging.getLogger(__name__)

MAX_MESSAGES = 2

USAGE = ("Usage: /subscribe [time] [zone or city] [topic words], in any order, e.g. "
         "/subscribe 7pm London floods, or /subscribe 08:00 Europe/Berlin. The time like "
         "7pm, 7:30am or 19:00; the zone an IANA name (Europe/Berlin, UTC) or its city "
         "(Berlin). A city is read as your zone: to follow one as a topic, give the zone "
         "too, e.g. /subscribe 8am UTC Gaza.")



# -- rendering ----------------------------------------------------------------------------------


def _local(iso_text: str, zone: str) -> str:
    try:
        moment = datetime.fromisoformat(iso_text)
    except ValueError:
        return iso_text
    if moment.tzinfo is None:
        return iso_text if len(iso_text) <= 10 else moment.strftime("%a %d %b %H:%M")
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %Z")


def _cite(s: DigestSentence, zone: str) -> str:
    label = ", ".join(x for x in (s.source, local_day(s.date, zone)) if x) or s.title
    text = escape(label)
    if s.url:
        return f'<a href="{html.escape(s.url, quote=True)}">{text}</a>'
    return text


def render_event(n: int, event: DigestEvent, zone: str = "UTC") -> str:
    lines = [f"<b>{n}. {escape(event.headline.text)}</b> ({_cite(event.headline, zone)})"]
    lines += [f"• {escape(s.text)} ({_cite(s, zone)})" for s in event.sentences]
    if event.moved_figures:
        lines.append("<i>Changed: " + escape("; ".join(str(m) for m in
                                                           event.moved_figures)) + "</i>")
    if len(event.report_ids) > 1:
        lines.append(f"<i>{len(event.report_ids)} reports"
                     + (f" from {escape(', '.join(event.sources))}" if event.sources
                        else "") + "</i>")
    return "\n".join(lines)


def render_items(digest: Digest, zone: str = "UTC") -> list[str]:
    """The digest as HTML items: a header, then one item per event."""
    since = escape(_local(digest.since, zone))
    topic = f" on “{escape(clip(digest.topic, MAX_TOPIC))}”" if digest.topic else ""
    if digest.empty:
        return [f"Nothing new{topic} since {since}."]
    # the window is when reports arrived; each item shows its report's own date
    head = f"<b>Digest{topic}</b>: reports that arrived since {since}"
    return [head, *(render_event(i, e, zone) for i, e in enumerate(digest.events, 1))]


def split_messages(items: Sequence[str], limit: int = MAX_UTF16,
                   max_messages: int = MAX_MESSAGES) -> list[str]:
    """Join items into at most ``max_messages`` messages within Telegram's limits, breaking
    only between items; the last events are left out when they do not fit (and said so)."""
    kept = list(items)
    while True:
        left_out = len(items) - len(kept)
        note = [f"<i>{left_out} more event(s) not shown.</i>"] if left_out else []
        messages = split_items(kept + note, limit, joiner="\n\n")
        if len(messages) <= max_messages or len(kept) <= 2:
            return messages[:max_messages]
        kept.pop()  # events come most covered first: drop from the end


def render_digest(digest: Digest, zone: str = "UTC") -> list[str]:
    """The messages (1-2) that carry ``digest`` as Telegram HTML."""
    return split_messages(render_items(digest, zone))


# -- the service -----------------------------------------------------------------------------


class DigestService:
    """Composes, renders and sends digests for the subscriptions of one bot."""

    def __init__(self, services: Services, subscriptions: SubscriptionStore,
                 clock: Clock = utc_now, pause: Pause = asyncio.sleep) -> None:
        self.services = services
        self.subscriptions = subscriptions
        self.clock = clock
        self.pause = pause
        cfg = services.config.digest
        self.params = DigestParams(max_events=cfg.max_events,
                                   sentences_per_event=cfg.sentences_per_event)
        self.scheduler: DigestScheduler | None = None
        # One scheduled digest goes out at a time: a worker that dies leaves at most one
        # send whose arrival is unknown (see bot.telegram.scheduling).
        self._send_lock = asyncio.Lock()

    def compose(self, since: str, until: str, topic: str | None, by_ingest: bool = True
                ) -> Digest:
        """The digest of the reports ingested in ``[since, until)`` (by report date with
        ``by_ingest=False``)."""
        return compose_digest(self.services.open(), since, until, topic=topic,
                              params=self.params, by_ingest=by_ingest)

    def horizon(self) -> str:
        """The end of an ingestion window that nothing can slip into later."""
        return self.services.open().ingest_mark()

    def chat_blocked(self, chat_id: int) -> None:
        """The chat blocked or removed the bot: inactive, no more digests until it writes."""
        self.subscriptions.set_chat_active(chat_id, False)
        self.subscriptions.set_active(chat_id, False)
        if self.scheduler is not None:
            self.scheduler.unschedule(chat_id)

    async def send(self, bot: Any, chat_id: int, messages: Sequence[str]) -> str:
        """Send messages in order; ``sent``, ``blocked`` (Forbidden), ``timed_out`` or
        ``failed`` (still flood-limited after the retries)."""
        for text in messages:
            try:
                await send_html(bot, chat_id, text, pause=self.pause)
            except RetryAfter:
                log.warning("chat %s stayed flood-limited: digest not sent", chat_id)
                return "failed"
            except Forbidden:
                log.info("chat %s blocked the bot: subscription deactivated", chat_id)
                self.chat_blocked(chat_id)
                return "blocked"
            except TimedOut:
                # The message may have arrived: recorded, not resent blindly.
                log.warning("sending the digest to chat %s timed out", chat_id)
                return "timed_out"
        return "sent"

    async def deliver(self, bot: Any, sub: Subscription, since: str, until: str) -> str:
        """The scheduled digest of ``sub``: the reports ingested in ``[since, until)``."""
        digest = await asyncio.to_thread(self.compose, since, until, sub.topic)
        messages = render_digest(digest, sub.zone)
        async with self._send_lock:
            if self.scheduler is not None and not self.scheduler.begin(sub.chat_id):
                log.info("digest for chat %s was taken over by another worker", sub.chat_id)
                return "taken_over"
            status = await self.send(bot, sub.chat_id, messages)
        return "empty" if status == "sent" and digest.empty else status

    # -- commands -----------------------------------------------------------------------

    async def cmd_subscribe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        cfg = self.services.config.digest
        try:
            parsed = parse_subscribe(context.args or [], cfg.default_time, cfg.default_timezone)
        except ConfigError as exc:
            await message.reply_text(f"{exc}.\n{USAGE}")
            return
        before = self.subscriptions.get(chat.id)
        sub = self.subscriptions.subscribe(chat.id, parsed.time, parsed.zone, parsed.topic)
        when = self.scheduler.schedule(sub) if self.scheduler else None
        due = f" The next one is due {_when(when, sub.zone)}." if when else ""
        if before is not None and before.active and _plan(before) != _plan(sub):
            # Re-subscribing replaces the whole plan: say what went, the topic above all.
            await message.reply_text(f"Updated your digest: was {_plan(before)}, now "
                                     f"{_plan(sub)}.{due}")
            return
        about = f" about “{clip(sub.topic, MAX_TOPIC)}”" if sub.topic else ""
        await message.reply_text(f"Subscribed: a daily digest{about} at {sub.time} "
                                 f"({sub.zone}).{due}")

    async def cmd_unsubscribe(self, update: Update, context: ContextTypes.DEFAULT_TYPE
                              ) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        if self.subscriptions.unsubscribe(chat.id):
            if self.scheduler:
                self.scheduler.unschedule(chat.id)
            await message.reply_text("Unsubscribed: no more daily digests.")
        else:
            await message.reply_text("This chat has no digest subscription.")

    async def cmd_subscriptions(self, update: Update, context: ContextTypes.DEFAULT_TYPE
                                ) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        sub = self.subscriptions.get(chat.id)
        if sub is None or not sub.active:
            await message.reply_text("No digest subscription here. " + USAGE)
            return
        when, _day = next_due(sub.time, sub.zone, self.clock())
        about = f" about “{clip(sub.topic, MAX_TOPIC)}”" if sub.topic else ""
        await message.reply_text(f"A daily digest{about} at {sub.time} ({sub.zone}). "
                                 f"Next: {_when(when, sub.zone)}.")

    async def cmd_digest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """What is new since this chat's last digest (or the last 24 h), now; the watermark
        stays where it is."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        sub = self.subscriptions.get(chat.id)
        if sub is not None and not sub.active:
            sub = None  # unsubscribed: its topic, zone and watermark no longer apply
        now = self.clock()
        since = (sub.watermark if sub and sub.watermark else iso(now - timedelta(days=1)))
        asked = " ".join(context.args or [])
        if (too_long := topic_too_long(asked)) is not None:
            await message.reply_text(f"Sorry, {too_long}.")
            return
        topic = asked or (sub.topic if sub else None)
        zone = sub.zone if sub else self.services.config.digest.default_timezone
        until = await asyncio.to_thread(self.horizon)
        digest = await asyncio.to_thread(self.compose, since, until, topic)
        await self.send(context.bot, chat.id, render_digest(digest, zone))


def _plan(sub: Subscription) -> str:
    """``19:00 (Europe/London) on “floods”`` or ``07:30 (UTC), all news``."""
    about = f" on “{clip(sub.topic, MAX_TOPIC)}”" if sub.topic else ", all news"
    return f"{sub.time} ({sub.zone}){about}"


def _when(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "never"
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y %H:%M %Z")


def register(application: Application[Any, Any, Any, Any, Any, Any], services: Services,
             subscriptions: SubscriptionStore, *, clock: Clock = utc_now,
             pause: Pause = asyncio.sleep, sync_every: float | None = None) -> DigestService:
    """Add the digest commands to ``application`` and schedule the digest jobs (start-up
    catch-up first, once the job queue runs); with ``sync_every`` (a store shared by several
    workers) also :meth:`DigestScheduler.sync` at that interval."""
    service = DigestService(services, subscriptions, clock, pause)
    for name, callback in (("subscribe", service.cmd_subscribe),
                           ("unsubscribe", service.cmd_unsubscribe),
                           ("subscriptions", service.cmd_subscriptions),
                           ("digest", service.cmd_digest)):
        application.add_handler(CommandHandler(name, callback))
    job_queue = application.job_queue
    if job_queue is None:
        log.warning("no job queue (install python-telegram-bot[job-queue]): digests are "
                    "only sent on /digest")
    else:
        async def deliver(sub: Subscription, since: str, until: str) -> str:
            return await service.deliver(application.bot, sub, since, until)

        service.scheduler = DigestScheduler(subscriptions, job_queue, deliver, clock,
                                            horizon=service.horizon)
        service.scheduler.schedule_startup()
        if sync_every:
            service.scheduler.schedule_sync(sync_every)
    application.bot_data["digests"] = service
    return service
