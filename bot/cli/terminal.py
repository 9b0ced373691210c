"""Rendering answers for a terminal: quotes, the marked figure, numbered sources."""

from __future__ import annotations

import os
import sys

from bot.notes import answer_notes, source_lines
from index.models import Answer, short_date

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _use_color() -> bool:
    return sys.stdout.isatty() and os.environ.get("NO_COLOR") is None


def render_answer_terminal(answer: Answer, color: bool | None = None) -> str:
    color = _use_color() if color is None else color
    notes = [f"({note})" for note in answer_notes(answer)]
    if not answer.found:
        return "\n".join([*notes, answer.text])
    lines: list[str] = notes
    for quote in answer.quotes:
        text = quote.text
        if quote.highlight and (at := quote.highlight_at) >= 0:
            mark = f"{BOLD}{quote.highlight}{RESET}" if color else f"*{quote.highlight}*"
            text = text[:at] + mark + text[at + len(quote.highlight):]
        context = f"(context: “{quote.context}”) " if quote.context else ""
        lines.append(f"{context}“{text}” {quote.marks}")
    if answer.developed:
        lines.append("")
        lines.append(f"As of {short_date(answer.timeline[-1].date)}. How it developed:")
        lines.append(f"  {answer.development}")
    if answer.figures:
        lines.append("")
        lines.append("Reports differ on the same date (newest first):" if answer.timeline
                     else "Reports differ on this figure (newest first):")
        for f in answer.figures:
            lines.append(f"  {f.value} — {f.title} ({f.date or 'undated'}"
                         f"{', ' + f.source if f.source else ''}"
                         f"{', citing ' + f.claimant if f.claimant else ''})")
    lines.append("")
    for c in source_lines(answer.citations):
        meta = ", ".join(x for x in (c.date[:10] if c.date else None, c.source) if x)
        src = f"[{c.n}] {c.title}" + (f" ({meta})" if meta else "")
        if c.url:
            src += f" {DIM}{c.url}{RESET}" if color else f" {c.url}"
        lines.append(src)
    return "\n".join(lines)
