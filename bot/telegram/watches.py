"""Watches: ``/watch QUESTION`` tells the chat when the answer's figure changes.

Watches live in ``watches.sqlite3`` of the data directory (like subscriptions: a file of
their own, so writing here never touches the index's generation), one row per watch with
the figure last told to the chat (its value, number, date and source) and when. A chat
watches a question once (compared in any case and spacing, :func:`question_key`).

A short repeating job compares the store's generation with the one it last saw: after any
ingest (a feed poll, an upload, or a CLI ``briefbot ingest`` into the same data directory,
picked up by :meth:`index.library.Library.refresh`) it asks every watch again and, when the
figure differs from the one last told, sends ``Displaced: 12,000 → 18,500 (5 Mar, Northern
Herald)``. The new figure is claimed in the table (compare-and-set) *before* sending, so a
change is never told twice, even across restarts; a watch is told at most once an hour (a
change inside the hour waits, and the job keeps looking until it is told).

:class:`WatchStore` is the interface; :class:`Watches` keeps them in SQLite,
:class:`bot.telegram.watches_pg.PgWatches` in PostgreSQL for several workers (each worker runs
the job; the compare-and-set claim lets one of them tell a change).
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.services import Services
from bot.telegram.delivery import Pause, send_html
from bot.telegram.render import clip, escape, split_items
from bot.telegram.subscriptions import Clock, iso, open_db, utc_now
from index.errors import BriefbotError
from index.figures import question_kind
from index.models import Answer, TimelinePoint, short_date
from index.qtype import expected_types, is_figure

log = logging.getLogger(__name__)

DB_NAME = "watches.sqlite3"
CHECK_EVERY = 10.0  # seconds between looks at the store's generation
MIN_GAP = timedelta(hours=1)  # at most one message per watch in this time
MAX_WATCHES = 20  # per chat
MAX_QUESTION = 300  # characters of a watched question
LISTED = 150  # characters of a question in /watches: 20 of them fit one message

SCHEMA = """
CREATE TABLE IF NOT EXISTS watches(
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    question TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    value TEXT,
    number REAL,
    date TEXT,
    source TEXT,
    told_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watches_chat ON watches(chat_id, active);
"""

USAGE = "Usage: /watch QUESTION, e.g. /watch how many people were displaced?"


@dataclass(frozen=True)
class Watch:
    id: int
    chat_id: int
    question: str
    value: str | None
    number: float | None
    date: str | None
    source: str | None
    told_at: str | None


def question_key(question: str) -> str:
    """What makes two watched questions the same: their words, whatever the case and the
    spacing (``How many  SHIPS?`` is ``how many ships?``)."""
    return " ".join(question.split()).casefold()


def find_same(watches: list[Watch], question: str) -> int | None:
    """The number (from 1, as ``/watches`` lists them) of the watch asking ``question``."""
    key = question_key(question)
    return next((n for n, w in enumerate(watches, 1) if question_key(w.question) == key),
                None)


def asks_no_figure(question: str) -> bool:
    """Whether ``question`` asks for something other than a figure (a person, a place, a
    date): a watch of it could never tell a change. Untyped questions may be figures."""
    labels = expected_types(question)
    return bool(labels) and not is_figure(labels) and question_kind(question) != "quantity"


def lead_figure(answer: Answer) -> TimelinePoint | None:
    """The figure an answer quotes first (the newest), ``None`` when it gives none."""
    if not answer.found or not answer.timeline:
        return None
    last = answer.timeline[-1].date
    first_quote = answer.quotes[0].text if answer.quotes else ""
    return next((p for p in answer.timeline if p.date == last and p.sentence == first_quote),
                answer.timeline[-1])


class WatchStore(Protocol):
    def close(self) -> None: ...
    def add(self, chat_id: int, question: str, figure: TimelinePoint | None
            ) -> tuple[Watch, bool]: ...
    def of_chat(self, chat_id: int) -> list[Watch]: ...
    def active(self) -> list[Watch]: ...
    def remove(self, watch_id: int) -> None: ...
    def remove_chat(self, chat_id: int) -> None: ...
    def claim(self, watch: Watch, figure: TimelinePoint) -> bool: ...


class Watches:
    """The watch table in SQLite; thread-safe."""

    def __init__(self, data_dir: Path, clock: Clock = utc_now) -> None:
        self._db = open_db(data_dir / DB_NAME, SCHEMA)
        self._lock = threading.RLock()
        self._clock = clock

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, chat_id: int, question: str, figure: TimelinePoint | None
            ) -> tuple[Watch, bool]:
        """Watch ``question`` in the chat; the watch and True, or the chat's watch of the
        same question (:func:`question_key`) and False: a question is watched once."""
        with self._lock:
            mine = self.of_chat(chat_id)
            same = find_same(mine, question)
            if same is not None:
                return mine[same - 1], False
            cur = self._db.execute(
                "INSERT INTO watches(chat_id, question, value, number, date, source, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (chat_id, question, *((figure.value, figure.number, figure.date,
                                        figure.source) if figure else (None,) * 4),
                 iso(self._clock())))
            wid = int(cur.lastrowid or 0)
        return next(w for w in self.of_chat(chat_id) if w.id == wid), True

    def of_chat(self, chat_id: int) -> list[Watch]:
        """The chat's active watches, oldest first (``/unwatch N`` counts in this order)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, chat_id, question, value, number, date, source, told_at "
                "FROM watches WHERE chat_id = ? AND active = 1 ORDER BY id",
                (chat_id,)).fetchall()
        return [Watch(*r) for r in rows]

    def active(self) -> list[Watch]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, chat_id, question, value, number, date, source, told_at "
                "FROM watches WHERE active = 1 ORDER BY id").fetchall()
        return [Watch(*r) for r in rows]

    def remove(self, watch_id: int) -> None:
        with self._lock:
            self._db.execute("UPDATE watches SET active = 0 WHERE id = ?", (watch_id,))

    def remove_chat(self, chat_id: int) -> None:
        with self._lock:
            self._db.execute("UPDATE watches SET active = 0 WHERE chat_id = ?", (chat_id,))

    def claim(self, watch: Watch, figure: TimelinePoint) -> bool:
        """Record ``figure`` as told, if the watch still holds the figure it was read with;
        False when another run already claimed this change."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE watches SET value = ?, number = ?, date = ?, source = ?, told_at = ? "
                "WHERE id = ? AND number IS ? AND active = 1",
                (figure.value, figure.number, figure.date, figure.source,
                 iso(self._clock()), watch.id, watch.number))
        return cur.rowcount > 0


def changed(watch: Watch, figure: TimelinePoint | None) -> bool:
    if figure is None:
        return False
    return watch.number is None or not math.isclose(watch.number, figure.number,
                                                    rel_tol=0.005)


def change_items(watch: Watch, figure: TimelinePoint) -> list[str]:
    """``Displaced: 12,000 → 18,500 (5 Mar, Northern Herald)``, the sentence and the
    question, as HTML items (one message unless the sentence is very long)."""
    label = (figure.measure or "figure").capitalize()
    where = ", ".join(x for x in (short_date(figure.date), figure.source) if x)
    step = f"{watch.value} → {figure.value}" if watch.value else figure.value
    return [f"<b>{escape(label)}: {escape(step)}</b> ({escape(where)})",
            f"“{escape(figure.sentence)}”",
            f"<i>You watch: {escape(clip(watch.question, MAX_QUESTION))}</i> (/watches)"]


class WatchService:
    """The commands and the job that re-asks the watches after each ingest."""

    def __init__(self, services: Services, watches: WatchStore, clock: Clock = utc_now,
                 pause: Pause = asyncio.sleep) -> None:
        self.services = services
        self.watches = watches
        self.clock = clock
        self.pause = pause
        self._seen_generation: int | None = None
        self._waiting = False  # a change is waiting out a watch's hour

    # -- commands -------------------------------------------------------------------------

    async def cmd_watch(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        question = " ".join(context.args or []).strip()
        if not question:
            await self._say(context.bot, chat.id, escape(USAGE))
            return
        if len(question) > MAX_QUESTION:
            await self._say(context.bot, chat.id, escape(
                f"That question is too long to watch ({len(question):,} characters, at most "
                f"{MAX_QUESTION}). Ask it in a few words, e.g. /watch how many people were "
                "displaced?"))
            return
        if asks_no_figure(question):
            await self._say(context.bot, chat.id, escape(
                f"A watch follows a figure (a count, an amount, a percentage); “{question}” "
                "asks for none, so it would never change. Ask it as a question instead, or "
                "watch a number, e.g. /watch how many people were displaced?"))
            return
        mine = self.watches.of_chat(chat.id)
        if (same := find_same(mine, question)) is not None:
            await self._say(context.bot, chat.id, escape(
                f"Already watching that (watch {same})."))
            return
        if len(mine) >= MAX_WATCHES:
            await self._say(context.bot, chat.id, escape(
                f"This chat already has {MAX_WATCHES} watches: /unwatch one first."))
            return
        try:
            answer = await asyncio.to_thread(self.services.library.ask, question)
        except BriefbotError as exc:
            await self._say(context.bot, chat.id, escape(str(exc)))
            return
        figure = lead_figure(answer)
        watch, new = self.watches.add(chat.id, question, figure)
        if not new:  # the same question sent twice at once: the other one added it
            same = find_same(self.watches.of_chat(chat.id), watch.question)
            await self._say(context.bot, chat.id, escape(
                f"Already watching that (watch {same})."))
            return
        if figure is None:
            now = "I have no figure for it yet; I will tell you when one comes in."
        else:
            now = (f"Now: {figure.value} ({short_date(figure.date)}"
                   + (f", {figure.source}" if figure.source else "") + ").")
        await self._say(context.bot, chat.id, escape(
            f"Watching “{question}”. {now} I will tell you when the figure changes "
            "(at most once an hour). /watches lists your watches."))

    async def cmd_watches(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        mine = self.watches.of_chat(chat.id)
        if not mine:
            await self._say(context.bot, chat.id, escape(
                "No watches. " + USAGE.replace("Usage: ", "Start one with ")))
            return
        lines = ["<b>Your watches</b>:"]
        for n, w in enumerate(mine, 1):
            now = (f" — now {w.value} ({short_date(w.date or '')})" if w.value else
                   " — no figure yet")
            lines.append(f"{n}. {escape(clip(w.question, LISTED))}{escape(now)}")
        lines.append("Stop one with /unwatch N.")
        for text in split_items(lines):
            await self._say(context.bot, chat.id, text)

    async def cmd_unwatch(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        mine = self.watches.of_chat(chat.id)
        arg = (context.args or [""])[0]
        if not arg.isdigit() or not 1 <= int(arg) <= len(mine):
            await self._say(context.bot, chat.id, escape(
                f"Usage: /unwatch N, with N from /watches (1-{len(mine)})." if mine
                else "No watches to stop."))
            return
        watch = mine[int(arg) - 1]
        self.watches.remove(watch.id)
        await self._say(context.bot, chat.id, escape(
            f"Stopped watching “{clip(watch.question, MAX_QUESTION)}”."))

    async def _say(self, bot: Any, chat_id: int, text: str) -> None:
        await send_html(bot, chat_id, text, pause=self.pause)

    # -- the job --------------------------------------------------------------------------

    async def job(self, context: Any) -> None:
        await self.check(context.bot)

    async def check(self, bot: Any) -> int:
        """Re-ask the watches if the store changed since the last look (or a change is
        waiting out its hour); returns the number of messages sent."""
        library = self.services.library
        generation = await asyncio.to_thread(library.store.generation)
        if generation == self._seen_generation and not self._waiting:
            return 0
        await asyncio.to_thread(library.refresh)
        self._seen_generation = generation
        self._waiting = False
        sent = 0
        for watch in self.watches.active():
            try:
                answer = await asyncio.to_thread(library.ask, watch.question)
            except BriefbotError as exc:
                log.warning("watch %s: %s", watch.id, exc)
                continue
            figure = lead_figure(answer)
            if not changed(watch, figure) or figure is None:
                continue
            if watch.told_at and self.clock() - datetime.fromisoformat(watch.told_at
                                                                       ).astimezone(UTC) < MIN_GAP:
                self._waiting = True
                continue
            if not self.watches.claim(watch, figure):
                continue  # told already
            try:
                for text in split_items(change_items(watch, figure)):
                    await send_html(bot, watch.chat_id, text, pause=self.pause)
                sent += 1
            except Forbidden:
                log.info("chat %s blocked the bot: its watches stop", watch.chat_id)
                self.watches.remove_chat(watch.chat_id)
        return sent


def register(application: Application[Any, Any, Any, Any, Any, Any], services: Services,
             data_dir: Path, *, clock: Clock = utc_now, pause: Pause = asyncio.sleep,
             every: float = CHECK_EVERY, store: WatchStore | None = None) -> WatchService:
    """Add ``/watch``, ``/watches``, ``/unwatch`` and the checking job (``store``: the
    watches' database, default SQLite in ``data_dir``)."""
    watches = store if store is not None else Watches(data_dir, clock)
    service = WatchService(services, watches, clock, pause)
    for name, callback in (("watch", service.cmd_watch), ("watches", service.cmd_watches),
                           ("unwatch", service.cmd_unwatch)):
        application.add_handler(CommandHandler(name, callback))
    if application.job_queue is not None:
        application.job_queue.run_repeating(service.job, interval=every, first=every,
                                            name="watches")
    application.bot_data["watches"] = service
    return service
