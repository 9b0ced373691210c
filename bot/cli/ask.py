"""``briefbot ask`` (one question, or one per stdin line; text or the JSON contract) and
``briefbot chat`` (an interactive prompt)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from bot.chatter import small_talk
from bot.cli.context import Context, add_common, add_now
from bot.cli.terminal import render_answer_terminal
from bot.followup import follow_up, read_as_asked
from bot.notes import answer_notes
from index.errors import BriefbotError, EmptyQuestion
from index.models import Answer, TimelinePoint

log = logging.getLogger(__name__)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable JSON shape of an answer (see README, "Command-line contract")."""
    return {
        "question": answer.question,
        "found": answer.found,
        "answer": answer.text,
        "highlight": answer.highlight,
        "citations": [
            {"n": c.n, "sentence": c.sentence, "report_id": c.report_id, "title": c.title,
             "date": c.date, "source": c.source, "url": c.url, "score": round(c.score, 4),
             "context": c.context}
            for c in answer.citations
        ],
        "figures": [
            {"value": f.value, "report_id": f.report_id, "title": f.title, "date": f.date,
             "source": f.source, "claimant": f.claimant}
            for f in answer.figures
        ],
        "as_of": answer.as_of,
        "timeline": [point_json(p) for p in answer.timeline],
        "read_as": answer.read_as,
        "empty_window": list(answer.empty_window) if answer.empty_window else None,
        "held": list(answer.held) if answer.held else None,
        "notes": answer_notes(answer),
    }


def point_json(p: TimelinePoint) -> dict[str, Any]:
    """One timeline point in the command-line contract."""
    return {"date": p.date, "value": p.value, "number": p.number, "report_id": p.report_id,
            "source": p.source, "sentence": p.sentence, "correction": p.correction,
            "claimant": p.claimant}


def cmd_ask(ctx: Context) -> int:
    k = ctx.args.k
    if not 1 <= k <= 10:
        ctx.warn("briefbot: -k must be between 1 and 10")
        return 2
    library = ctx.services.open_existing()
    one = ctx.args.question if ctx.args.question != "-" else None  # "-": stdin, as in ingest
    questions = [one] if one is not None else (line.strip() for line in _stdin_lines(ctx))
    status = 0
    for question in questions:
        if one is None and not question:
            continue
        try:
            answer = library.ask(question, k=k, now=ctx.args.now)
        except BriefbotError as exc:
            if ctx.args.json:
                ctx.say(json.dumps({"question": question, "error": str(exc)}))
            elif one is None:  # in a batch, under its question, in line with the others
                ctx.say(f"Q: {question}\n{exc}\n")
            else:
                ctx.warn(f"briefbot: {exc}")
            # one question with nothing to look for is bad input, as a bad -k is (2); in a
            # batch, a line refused among answered ones (1)
            status = 2 if one is not None and isinstance(exc, EmptyQuestion) else 1
            continue
        if ctx.args.json:
            ctx.say(json.dumps(answer_json(answer), ensure_ascii=False))
        else:
            if one is None:  # many answers in a row: each under its question
                ctx.say(f"Q: {question}")
            ctx.say(render_answer_terminal(answer))
            ctx.say()
    return status


def _stdin_lines(ctx: Context) -> Iterator[str]:
    """stdin a line at a time, each decoded on its own: bad bytes in one question are
    replaced (U+FFFD), never the end of the batch."""
    buffer = getattr(ctx.stdin, "buffer", None)
    if buffer is None:
        yield from ctx.stdin
        return
    for raw in buffer:
        yield raw.decode("utf-8", "replace")



_QUIT = frozenset({"/quit", "/exit", "quit", "exit"})
_CHAT_HELP = ("Ask a question in plain words, e.g. how many people were displaced? or latest "
              "on <subject>. At the shell, briefbot digest shows what is new, briefbot "
              "sources the reports and briefbot timeline a figure over time. /quit, an empty "
              "line or Ctrl-D quits.")
_SHELL_COMMANDS = frozenset({"digest", "sources", "timeline", "ingest", "ask"})


def _chat_command(word: str) -> str:
    """The reply to a line of the chat that starts with "/" (the bot's habit)."""
    name = word.lstrip("/")
    if name in ("help", "start", "?"):
        return _CHAT_HELP
    if name in _SHELL_COMMANDS:
        return f"/{name} is not a command here: use briefbot {name} at the shell."
    return f"Unknown command {word[:40]}. Ask a question in plain words; /help says more."


def cmd_chat(ctx: Context) -> int:
    library = ctx.services.open_existing()
    stats = library.stats()
    ctx.say(f"briefbot: {stats.reports} reports, {stats.sentences} sentences"
            + (f", {stats.first_date[:10]} to {stats.last_date[:10]}"
               if stats.first_date and stats.last_date else "")
            + ". Ask a question (/help for more); an empty line or Ctrl-D quits.")
    from bot.cli.prompt import HISTORY_NAME, Prompt

    previous: str | None = None  # the last question, for a follow-up ("and deaths?")
    with Prompt(ctx.stdin, ctx.stdout, ctx.config.data_dir / HISTORY_NAME) as prompt:
        while True:
            line = prompt.read()
            if line is None or not line.strip() or line.strip().lower() in _QUIT:
                return 0
            if line.lstrip().startswith("/"):
                ctx.say(_chat_command(line.split()[0].lower()))
                ctx.say()
                continue
            if (chatter := small_talk(line, digest="briefbot digest")) is not None:
                ctx.say(chatter)
                ctx.say()
                continue
            asked = follow_up(previous, line) or line.strip()
            try:
                ctx.say(render_answer_terminal(read_as_asked(library.ask(asked), line)))
                previous = asked
            except BriefbotError as exc:
                ctx.say(str(exc))
            ctx.say()


def register(sub: Any) -> None:
    p = sub.add_parser("ask", help="answer a question (or one per stdin line) with citations")
    add_common(p)
    p.add_argument("question", nargs="?",
                   help="the question; omit it (or give -) to read questions from stdin, "
                        "one per line")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    p.add_argument("-k", type=int, default=3, help="at most this many quoted sentences (1-10)")
    add_now(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="ask questions at an interactive prompt")
    add_common(p)
    p.set_defaults(func=cmd_chat)
