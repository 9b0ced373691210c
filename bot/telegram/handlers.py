"""The conversation: thin handlers that parse, call the library off the event loop, render
and reply.

``/start``, ``/help``, ``/ask``, plain text (in private chats; in groups only mentions and
replies to the bot), ``/sources``, the "more evidence" button, admin document uploads and
forwarded posts (others are told only admins add reports; an upload Telegram will not hand
over is said so), and a usage line for unknown commands (none for another bot's).
:func:`add_handlers` wires them into an application.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOrigin,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.chatter import small_talk
from bot.config import Config
from bot.followup import follow_up, read_as_asked
from bot.services import Services
from bot.telegram.answers import AnswerStore, MemoryAnswers
from bot.telegram.delivery import Pause, edit_html, send_html
from bot.telegram.render import (
    clip,
    escape,
    more_items,
    render_answer,
    render_sources,
    split_items,
)
from bot.telegram.subscriptions import SubscriptionStore
from index.errors import BriefbotError
from index.loaders import load_bytes, parse_text
from index.models import IngestResult, LoadProblem, ReportDraft

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".jsonl.gz")
MAX_UPLOAD = 20 * 1024 * 1024  # the Bot API's download limit
SHOWN_COMMAND = 40  # characters of an unknown command echoed back (a real one has <= 33)
TYPING_EVERY = 4.5  # seconds: Telegram shows a typing action for about five
SOURCES_SHOWN = 10
LAST_QUESTION = "last_question"  # chat_data key: the chat's last question, for follow-ups
SOURCES_MAX = 50
SOURCES_USAGE = (f"Usage: /sources [N]: the N newest reports ({SOURCES_SHOWN} if not given, at "
                 f"most {SOURCES_MAX}). To find reports on a topic, ask about it.")

COMMANDS = (
    ("ask", "ask a question about the reports"),
    ("sources", "the newest reports I know: /sources [N]"),
    ("digest", "what is new since your last digest"),
    ("subscribe", "a daily digest: /subscribe [7pm] [London] [topic]"),
    ("unsubscribe", "stop the daily digest"),
    ("subscriptions", "what this chat gets and when"),
    ("timeline", "a chart of a figure over time: /timeline QUESTION"),
    ("watch", "tell me when a figure changes: /watch QUESTION"),
    ("watches", "the figures this chat watches"),
    ("unwatch", "stop watch N"),
    ("help", "how to use me"),
    ("ingest", "admins: add the report at a URL"),
    ("feeds", "admins: the feeds I poll"),
    ("feed_add", "admins: poll a feed: /feed_add URL [30m]"),
    ("feed_remove", "admins: stop polling feed N"),
)


def for_admins(description: str) -> bool:
    """Whether a command (by its description in :data:`COMMANDS`) is for admins only."""
    return description.startswith("admins:")


def commands_for(admin: bool) -> list[tuple[str, str]]:
    """The commands a user may use: admin commands only for admins."""
    return [(name, text) for name, text in COMMANDS if admin or not for_admins(text)]


def help_text(admin: bool) -> str:
    """``/help``: how to ask, and the commands this user may use."""
    return ("Ask me about the reports in plain words, e.g. <i>how many people were "
            "displaced?</i> I answer with the sentences that say so, each cited to its "
            "report.\n\n"
            + "\n".join(f"/{name} — {escape(text)}" for name, text in commands_for(admin))
            + "\n\nIn a group, mention me or reply to me, or use /ask.")


ASK_USAGE = "Usage: /ask QUESTION, e.g. /ask how many people were displaced?"
FORWARD_REFUSED = "Only admins can add reports. Ask me a question instead."


class Conversation:
    """The handlers, and the little state they share (recent answers for the button, in
    an :class:`bot.telegram.answers.AnswerStore`)."""

    def __init__(self, config: Config, services: Services, subscriptions: SubscriptionStore,
                 pause: Pause = asyncio.sleep, answers: AnswerStore | None = None) -> None:
        self.config = config
        self.services = services
        self.subscriptions = subscriptions
        self.pause = pause
        self.answers: AnswerStore = answers if answers is not None else MemoryAnswers()

    # -- helpers ------------------------------------------------------------------------

    def _zone(self, chat_id: int) -> str:
        """The time zone a chat reads days in: its digest subscription's, else the default."""
        sub = self.subscriptions.get(chat_id)
        return sub.zone if sub is not None else self.config.digest.default_timezone

    async def _off_loop(self, bot: Any, chat_id: int, work: Callable[[], Any]) -> Any:
        """Run blocking library work in a thread while the chat shows "typing"."""
        async with typing(bot, chat_id):
            return await asyncio.to_thread(work)

    async def _reply(self, update: Update, messages: list[str],
                     markup: InlineKeyboardMarkup | None = None) -> None:
        await reply(update, messages, markup, pause=self.pause)

    # -- commands -----------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        stats = await self._off_loop(context.bot, chat.id, self.services.library.stats)
        if stats.reports:
            span = (f" from {stats.first_date[:10]} to {stats.last_date[:10]}"
                    if stats.first_date and stats.last_date else "")
            knows = (f"I know {stats.reports} report{'s' if stats.reports != 1 else ''}"
                     f"{span} ({stats.sentences} sentences).")
        else:
            knows = "I have no reports yet: an admin can send me documents."
        help_ = help_text(is_admin(update, self.config))
        await self._reply(update, [f"<b>Hello!</b> {escape(knows)}\n\n{help_}"])

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, [help_text(is_admin(update, self.config))])

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        question = " ".join(context.args or []).strip()
        if not question:
            await self._reply(update, [escape(ASK_USAGE)])
            return
        await self.answer(update, context, question)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        if message.forward_origin is not None:
            if is_admin(update, self.config):
                await self.ingest_forward(update, context)
            elif chat.type == ChatType.PRIVATE:  # in a group: chatter, not meant for us
                await self._reply(update, [escape(FORWARD_REFUSED)])
            return
        question = message.text
        if chat.type != ChatType.PRIVATE:
            username = f"@{context.bot.username}" if context.bot.username else None
            replied = message.reply_to_message
            if username and username.lower() in question.lower():
                start = question.lower().index(username.lower())
                question = question[:start] + question[start + len(username):]
            elif not (replied and replied.from_user and replied.from_user.id == context.bot.id):
                return  # group chatter not meant for the bot
        question = question.strip()
        if not question:
            await self._reply(update, [escape(ASK_USAGE)])
            return
        if (chatter := small_talk(question)) is not None:
            await self._reply(update, [f"{escape(chatter)} /help lists what else I do."])
            return
        await self.answer(update, context, question)

    async def answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                     question: str) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        # "and deaths?" after "how many cases in Vellmoor?": read with the chat's last question
        chat_data = context.chat_data if context.chat_data is not None else {}
        asked = follow_up(chat_data.get(LAST_QUESTION), question) or question
        try:
            answer = await self._off_loop(context.bot, chat.id,
                                          lambda: self.services.library.ask(asked))
        except BriefbotError as exc:
            await self._reply(update, [escape(str(exc))])
            return
        chat_data[LAST_QUESTION] = asked
        answer = read_as_asked(answer, question)
        messages = render_answer(answer, self._zone(chat.id))
        markup = None
        if answer.found and answer.more:
            # Kept: the shown message, then the further quotes and their sources.
            key = self.answers.put([messages[-1], *more_items(answer, self._zone(chat.id))])
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(
                f"More evidence ({len(answer.more)})", callback_data=f"more:{key}")]])
        await self._reply(update, messages, markup)

    async def more(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The button: the message is edited to show further evidence and its sources."""
        query = update.callback_query
        if query is None:
            return
        key = (query.data or "").partition(":")[2]
        items = self.answers.take(key) if isinstance(query.message, Message) else None
        if items is None or not isinstance(query.message, Message):
            await query.answer("That answer is too old: please ask again.", show_alert=True)
            return
        await query.answer()
        messages = split_items(items)
        await edit_html(query.message, messages[0], pause=self.pause)
        for text in messages[1:]:
            await send_html(context.bot, query.message.chat.id, text, pause=self.pause)

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        args = context.args or []
        shown = int(args[0]) if len(args) == 1 and args[0].isdigit() else None
        if args and not (shown and shown <= SOURCES_MAX):
            await self._reply(update, [escape(SOURCES_USAGE)])
            return
        library = self.services.library
        reports, stats = await self._off_loop(
            context.bot, chat.id,
            lambda: (library.reports(limit=shown or SOURCES_SHOWN), library.stats()))
        await self._reply(update, render_sources(reports, stats.reports, self._zone(chat.id)))

    async def ingest_forward(self, update: Update, context: ContextTypes.DEFAULT_TYPE
                             ) -> None:
        """An admin forwarded a post (say from a news channel): it becomes a report, cited
        to the channel or person it came from, dated when it was first posted."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or message.forward_origin is None:
            return
        draft = forwarded_draft(message.text or message.caption or "", message.forward_origin)
        library = self.services.library
        result = await self._off_loop(context.bot, chat.id, lambda: library.ingest([draft]))
        await self._reply(update, [escape(ingest_summary(result))])

    async def document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or message.document is None:
            return
        if not is_admin(update, self.config):
            await self._reply(update, ["Sorry, only the bot's admins can add reports. "
                                       "You can still ask me questions."])
            return
        doc = message.document
        name = doc.file_name or "upload.txt"
        if not name.lower().endswith(UPLOAD_TYPES):
            await self._reply(update, [escape(
                f"I can't read {name}: send .txt, .md, .html or .jsonl files.")])
            return
        too_large = escape(f"{name} is too large (over 20 MB).")
        if doc.file_size and doc.file_size > MAX_UPLOAD:
            await self._reply(update, [too_large])
            return
        try:
            file = await doc.get_file()
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:  # Telegram would not hand the file over
            log.warning("could not download the upload %s: %s", name, exc)
            too_big = isinstance(exc, BadRequest) and "too big" in exc.message.lower()
            await self._reply(update, [too_large if too_big else escape(
                f"I could not download {name} from Telegram ({exc.message}). "
                "Please send it again.")])
            return
        library = self.services.library
        try:
            result = await self._off_loop(
                context.bot, chat.id,
                lambda: library.ingest(load_bytes(data, PurePath(name).name, origin=name)))
        except BriefbotError as exc:
            await self._reply(update, [escape(f"Could not add {name}: {exc}")])
            return
        await self._reply(update, [escape(ingest_summary(result))])

    async def unknown(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command nothing else took: a usage line, or silence when the command is
        addressed to another bot (``/start@otherbot`` in a group)."""
        message = update.effective_message
        word = (message.text or "").split()[0] if message and message.text else "That"
        command, _, addressee = word.partition("@")
        if addressee and addressee.lower() != (context.bot.username or "").lower():
            return  # for another bot
        await self._reply(update, [escape(f"I don't know {clip(command, SHOWN_COMMAND)}. ")
                                   + "Try /help, or just ask a question."])

    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs before everything: drops updates from chats not on the allow-list, and
        marks a chat that was out of reach as reachable again when it writes."""
        allowed = self.config.telegram.allowed_chats
        chat = update.effective_chat
        if chat is None:
            return
        if not allowed or chat.id in allowed:
            if not self.subscriptions.chat_active(chat.id):
                self.subscriptions.set_chat_active(chat.id, True)
            return
        log.info("update from chat %s, which is not on the allow-list", chat.id)
        if chat.type == ChatType.PRIVATE and update.effective_message is not None:
            await self._reply(update, ["Sorry, this bot is private."])
        raise ApplicationHandlerStop


def is_admin(update: Update, config: Config) -> bool:
    """Whether the update comes from one of the bot's admins (``[telegram] admins``)."""
    user = update.effective_user
    return user is not None and user.id in config.telegram.admins


async def reply(update: Update, messages: list[str],
                markup: InlineKeyboardMarkup | None = None, *,
                pause: Pause = asyncio.sleep) -> None:
    """Send HTML ``messages`` to the update's chat in order: the first as a reply to the
    update's message, ``markup`` on the last."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return
    for i, text in enumerate(messages):
        last = i == len(messages) - 1
        await send_html(chat.get_bot(), chat.id, text,
                        reply_markup=markup if last else None,
                        reply_to=message.message_id if message and i == 0 else None,
                        pause=pause)


def forwarded_draft(text: str, origin: MessageOrigin) -> ReportDraft | LoadProblem:
    """A forwarded post as a report draft: source and link from where it was posted."""
    source, url = "Telegram", None
    if isinstance(origin, MessageOriginChannel):
        source = origin.chat.title or source
        if origin.chat.username:
            url = f"https://t.me/{origin.chat.username}/{origin.message_id}"
    elif isinstance(origin, MessageOriginChat):
        source = origin.sender_chat.title or source
    elif isinstance(origin, MessageOriginUser):
        source = origin.sender_user.full_name
    elif isinstance(origin, MessageOriginHiddenUser):
        source = origin.sender_user_name
    try:
        draft = parse_text(text, "the forwarded message", source=source, url=url)
    except BriefbotError as exc:
        return LoadProblem("the forwarded message", str(exc))
    return draft if draft.date else replace(draft, date=origin.date.isoformat())


def ingest_summary(result: IngestResult) -> str:
    """One short paragraph: what went in and what did not, by name."""
    parts = []
    if result.added:
        parts.append(f"added {len(result.added)} report(s) ({result.sentences_added} sentences)")
    if result.updated:
        parts.append(f"updated {len(result.updated)}")
    if result.merged:
        parts.append(f"{len(result.merged)} already known from another outlet (kept as a "
                     "further source)")
    if result.unchanged:
        parts.append(f"{len(result.unchanged)} already known, unchanged")
    text = ("Done: " + "; ".join(parts) + ".") if parts else "Nothing was added."
    for problem in result.problems[:5]:
        text += f"\nSkipped: {problem.message}"
    if len(result.problems) > 5:
        text += f"\n… and {len(result.problems) - 5} more skipped."
    if result.undated:
        text += (f"\nNo date found in {len(result.undated)} report(s): dated by when they "
                 "arrived.")
    return text


@contextlib.asynccontextmanager
async def typing(bot: Any, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat, renewed until the block ends."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
            except TelegramError as exc:  # cosmetic: never fail an answer over it
                log.debug("typing action failed: %s", exc)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any],
                 conversation: Conversation) -> None:
    """Wire the conversation in (the digest commands come from :mod:`bot.telegram.digests`)."""
    c = conversation
    application.add_handler(TypeHandler(Update, c.gate), group=-1)
    application.add_handler(CommandHandler(["start"], c.start))
    application.add_handler(CommandHandler("help", c.help))
    application.add_handler(CommandHandler("ask", c.ask_command))
    application.add_handler(CommandHandler("sources", c.sources))
    application.add_handler(CallbackQueryHandler(c.more, pattern=r"^more:"))
    application.add_handler(MessageHandler(filters.Document.ALL, c.document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, c.text))


def add_fallbacks(application: Application[Any, Any, Any, Any, Any, Any],
                  conversation: Conversation) -> None:
    """Unknown commands get a usage line: added last, after every other module's commands,
    so it catches only the commands nothing else took."""
    application.add_handler(MessageHandler(filters.COMMAND, conversation.unknown))
