"""``/timeline QUESTION`` in Telegram: the chart of how the asked figure developed, as a
photo whose caption gives the development and cites the reports."""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.services import Services
from bot.telegram.delivery import Pause, send_html, with_flood_retry
from bot.telegram.render import escape, split_items
from index.errors import BriefbotError
from index.models import Answer, short_date

log = logging.getLogger(__name__)

MAX_CAPTION = 1024  # Telegram's caption limit, in UTF-16 units
USAGE = "Usage: /timeline QUESTION, e.g. /timeline how many people were displaced?"


def caption_items(answer: Answer) -> list[str]:
    """The caption as HTML items: the figure now, its development, the reports cited."""
    last = answer.timeline[-1]
    items = [f"<b>{escape(answer.question)}</b>",
             f"As of {escape(short_date(last.date))}: {escape(answer.development)}"]
    seen: dict[str, int] = {}
    for p in answer.timeline:
        if p.report_id in seen:
            continue
        seen[p.report_id] = len(seen) + 1
        title = escape(p.title or "untitled")
        if p.url and p.url.startswith(("http://", "https://")):
            title = f'<a href="{html.escape(p.url, quote=True)}">{title}</a>'
        meta = ", ".join(escape(x) for x in (p.date, p.source or "") if x)
        items.append(f"[{seen[p.report_id]}] {title} — {meta}")
    return items


class TimelineCommand:
    def __init__(self, services: Services, pause: Pause = asyncio.sleep) -> None:
        self.services = services
        self.pause = pause

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        question = " ".join(context.args or []).strip()
        if not question:
            await send_html(context.bot, chat.id, escape(USAGE), pause=self.pause)
            return
        try:
            answer, png = await asyncio.to_thread(self._chart, question)
        except BriefbotError as exc:
            await send_html(context.bot, chat.id, escape(str(exc)), pause=self.pause)
            return
        if png is None:
            await send_html(context.bot, chat.id, escape(
                "I have no figure over time for that. Ask about a number, e.g. "
                "/timeline how many people died?"), pause=self.pause)
            return
        caption, *rest = split_items(caption_items(answer), limit=MAX_CAPTION)

        async def send() -> Any:
            return await context.bot.send_photo(chat_id=chat.id, photo=png, caption=caption,
                                                parse_mode=ParseMode.HTML)

        await with_flood_retry(send, self.pause, f"chat {chat.id}")
        for text in rest:
            await send_html(context.bot, chat.id, text, pause=self.pause)

    def _chart(self, question: str) -> tuple[Answer, bytes | None]:
        answer = self.services.library.ask(question, figure=True)
        if not answer.timeline:
            return answer, None
        from bot.chart import timeline_png
        from index.timeline import lead_points

        return answer, timeline_png(question, answer.timeline, lead_points(answer.timeline))


def register(application: Application[Any, Any, Any, Any, Any, Any], services: Services,
             pause: Pause = asyncio.sleep) -> None:
    application.add_handler(CommandHandler("timeline", TimelineCommand(services, pause)))
