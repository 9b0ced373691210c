"""Telegram HTML: escaping, Telegram's length rules, and answers and reports as messages.

Every piece of report or user text goes through :func:`escape`. A message never exceeds
``MAX_UTF16`` characters as Telegram counts them (UTF-16 code units) nor ``MAX_ENTITIES``
formatting entities: :func:`split_items` joins whole items (a quote, a citation line) into
messages and never breaks inside one; :func:`split_plain` cuts any text, escaped, into
messages that lose nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.notes import answer_notes, source_lines
from index.models import Answer, Citation, Quote, Report, short_date

MAX_UTF16 = 4096
MAX_ENTITIES = 100
MAX_TITLE = 200  # characters of a report title shown in a citation

_ENTITY_TAG = re.compile(r"<(?:b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|"
                         r"blockquote|span)[\s>]")
_TAG = re.compile(r"<[^>]*>")


def escape(text: str) -> str:
    """Text safe inside Telegram HTML (``<``, ``>`` and ``&`` escaped)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def entity_count(markup: str) -> int:
    """Formatting entities a piece of Telegram HTML produces (one per opening tag)."""
    return len(_ENTITY_TAG.findall(markup))


def plain(markup: str) -> str:
    """The text of Telegram HTML without its tags: the fallback when Telegram rejects it."""
    return html.unescape(_TAG.sub("", markup))


def _fits(markup: str, limit: int, max_entities: int) -> bool:
    return utf16_len(markup) <= limit and entity_count(markup) <= max_entities


def split_plain(text: str, limit: int = MAX_UTF16) -> list[str]:
    """Escape ``text`` and cut it into messages of at most ``limit`` UTF-16 units, at a line
    break or space where one is near; ``plain("".join(result)) == text``."""
    if not text:
        return []
    messages: list[str] = []
    rest = text
    while rest:
        if utf16_len(escape(rest)) <= limit:
            messages.append(escape(rest))
            break
        # The longest prefix whose escaped form fits (escaping at most sextuples a char).
        lo, hi = 1, len(rest)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if utf16_len(escape(rest[:mid])) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        if 0xD800 <= ord(rest[cut - 1]) <= 0xDBFF:  # never split a surrogate pair
            cut -= 1
        for sep in ("\n", " "):
            at = rest.rfind(sep, 0, cut)
            if at >= cut // 2:
                cut = at + 1
                break
        messages.append(escape(rest[:cut]))
        rest = rest[cut:]
    return messages


def split_items(items: Iterable[str], limit: int = MAX_UTF16,
                max_entities: int = MAX_ENTITIES, joiner: str = "\n") -> list[str]:
    """Join whole HTML items into as few messages as the limits allow.

    An item that alone breaks a limit is sent as plain text cut with :func:`split_plain`
    (its formatting dropped, its text kept)."""
    messages: list[str] = []
    current = ""
    for item in items:
        if not _fits(item, limit, max_entities):
            if current:
                messages.append(current)
                current = ""
            messages.extend(split_plain(plain(item), limit))
            continue
        candidate = f"{current}{joiner}{item}" if current else item
        if _fits(candidate, limit, max_entities):
            current = candidate
        else:
            messages.append(current)
            current = item
    if current:
        messages.append(current)
    return messages


# -- answers -------------------------------------------------------------------------------


def _marked(quote: Quote) -> str:
    """The escaped sentence with its highlight in bold (:attr:`Quote.highlight_at`)."""
    text, span, at = quote.text, quote.highlight, quote.highlight_at
    if not span or at < 0:
        return escape(text)
    return f"{escape(text[:at])}<b>{escape(span)}</b>{escape(text[at + len(span):])}"


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut: user text
    echoed back (a question, a topic, a command) never makes a reply too long."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short(title: str) -> str:
    return clip(title, MAX_TITLE)


def local_day(date: str | None, zone: str) -> str:
    """The day of ``date`` where the reader is: an instant (stored in UTC) is shown as its
    day in ``zone`` (23:30 in New York is not the next day there); a date that has only the
    day is shown as it is."""
    if not date or len(date) <= 10:
        return date or ""
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        return date[:10]
    if moment.tzinfo is None:
        return date[:10]
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


def citation_line(c: Citation | Report, n: int | None = None, zone: str = "UTC") -> str:
    """``[n] Title`` (linked when there is a URL), the day (in ``zone``) and source."""
    title = escape(_short(c.title or "untitled"))
    if c.url and re.match(r"^https?://", c.url):
        title = f'<a href="{html.escape(c.url, quote=True)}">{title}</a>'
    meta = ", ".join(escape(x) for x in (local_day(c.date, zone), c.source or "") if x)
    label = f"[{n}] " if n is not None else ""
    return f"{label}{title}" + (f" — {meta}" if meta else "")


def answer_items(answer: Answer, zone: str = "UTC") -> list[str]:
    """The answer as HTML items: quotes, disagreeing figures, then the numbered sources (days
    as in ``zone``, the reader's)."""
    notes = [f"<i>{escape(note)}</i>" for note in answer_notes(answer)]
    if not answer.found:
        return [*notes, f"{escape(answer.text)} Try other words, or /sources to see what I "
                        "know."]
    items = notes + [(f"<i>(context: “{escape(q.context)}”)</i> " if q.context else "")
             + f"“{_marked(q)}” "
             + escape(q.marks) for q in answer.quotes]
    if answer.developed:
        items.append(f"<i>As of {escape(short_date(answer.timeline[-1].date))}. "
                     f"How it developed:</i> {escape(answer.development)}")
    if answer.figures:
        items.append("<i>Reports differ on the same date, newest first:</i>" if answer.timeline
                     else "<i>Reports differ, newest first:</i>")
        items += [f"• <b>{escape(f.value)}</b> — {escape(_short(f.title))}"
                  + "".join(f", {escape(x)}" for x in (
                      local_day(f.date, zone), f.source or "",
                      f"citing {f.claimant}" if f.claimant else "") if x)
                  for f in answer.figures]
    items.append("")  # a blank line before the sources
    items += [citation_line(c, c.n, zone) for c in source_lines(answer.citations)]
    return items


def more_items(answer: Answer, zone: str = "UTC") -> list[str]:
    """The further evidence (``answer.more``) as quotes with their numbered sources."""
    if not answer.more:
        return []
    return ["", "<i>More evidence:</i>",
            *(f"“{escape(c.sentence)}” [{c.n}]" for c in answer.more),
            "", *(citation_line(c, c.n, zone) for c in source_lines(answer.more))]


def render_answer(answer: Answer, zone: str = "UTC") -> list[str]:
    """The answer as one or more Telegram HTML messages, split between whole items."""
    return split_items(answer_items(answer, zone))


def render_sources(reports: Sequence[Report], total: int, zone: str = "UTC") -> list[str]:
    """``/sources``: the newest reports, one line each."""
    if not reports:
        return ["I have no reports yet. An admin can send me documents or links."]
    head = f"<b>Newest reports</b> ({len(reports)} of {total}):"
    items = [head]
    for r in reports:
        line = "• " + citation_line(r, zone=zone)
        if r.also_reported_by:
            others = ", ".join(escape(a.source or a.url or "another outlet")
                               for a in r.also_reported_by)
            line += f" (also: {others})"
        items.append(line)
    return split_items(items)
