"""``briefbot ingest`` (files, folders, URLs, stdin) and ``briefbot start`` (what ``make run``
does: the sample reports on first use, then the Telegram bot or the terminal chat)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli.ask import cmd_chat
from bot.cli.context import Context, add_common
from index.loaders import Reader, count_files, load_inputs
from index.models import IngestResult

log = logging.getLogger(__name__)


def cmd_ingest(ctx: Context) -> int:
    from bot.inputs import expand_inputs  # the HTTP client and feed parser: ingest only

    library = ctx.services.open()
    items = expand_inputs(ctx.args.inputs, ctx.config, stdin=_stdin_stream(ctx))
    bar = None
    if not ctx.args.no_progress and ctx.stderr.isatty():
        from tqdm import tqdm

        # One tick per report; JSONL files hold an unknown number, so then it only counts.
        bar = tqdm(total=count_files(ctx.args.inputs), unit="report", file=ctx.stderr)
    if bar is None:
        result = library.ingest(items)
    else:
        result = library.ingest(items, progress=bar.update, embedded=_sentences_shown(bar))
        bar.close()
    report_ingest(ctx, result)
    nothing_usable = not (result.added or result.updated or result.unchanged or result.merged)
    return 1 if result.problems and nothing_usable else 0


def _sentences_shown(bar: Any) -> Callable[[int], None]:
    """A callback showing beside ``bar`` how many sentences are embedded: one huge report
    takes minutes, and its count of reports moves only at the end."""
    done = 0

    def show(n: int) -> None:
        nonlocal done
        done += n
        bar.set_postfix_str(f"{done:,} sentences embedded")

    return show


def _stdin_stream(ctx: Context) -> Reader | bytes | None:
    """The binary stdin for ``-`` (read as it is consumed, never whole up front)."""
    if "-" not in ctx.args.inputs:
        return None
    buffer: Reader | None = getattr(ctx.stdin, "buffer", None)
    return buffer if buffer is not None else ctx.stdin.read().encode("utf-8")


UNDATED_SHOWN = 5


def report_ingest(ctx: Context, result: IngestResult) -> None:
    for problem in result.problems:
        ctx.warn(f"skipped: {problem.message}")
    stats = ctx.services.library.stats()
    ctx.say(f"added {len(result.added)} report(s) ({result.sentences_added} sentences), "
            f"updated {len(result.updated)}, unchanged {len(result.unchanged)}, "
            f"merged as other sources {len(result.merged)}, skipped {len(result.problems)}. "
            f"The index holds {stats.reports} reports, {stats.sentences} sentences.")
    if result.undated:  # stored all the same: a note, not a problem
        shown = ", ".join(result.undated[:UNDATED_SHOWN])
        more = len(result.undated) - UNDATED_SHOWN
        ctx.say(f"No date found in {len(result.undated)} report(s), dated by when they were "
                f"ingested: {shown}{f' and {more} more' if more > 0 else ''}.")


SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


def cmd_start(ctx: Context) -> int:
    """What ``make run`` does: samples on first use, then the bot or the terminal chat."""
    library = ctx.services.open()
    if library.stats().reports == 0:
        ctx.say(f"The index in {ctx.config.data_dir} is empty: ingesting the sample reports.")
        report_ingest(ctx, library.ingest(load_inputs([str(SAMPLES_DIR)])))
    if ctx.config.telegram.token:
        ctx.say("A Telegram bot token is configured: starting the Telegram bot.")
        from bot.cli.run import cmd_run

        return cmd_run(ctx)  # post_init finds the model and index already open
    ctx.say("No Telegram bot token (TELEGRAM_BOT_TOKEN) is configured: "
            "opening the terminal chat instead.")
    return cmd_chat(ctx)


def register(sub: Any) -> None:
    p = sub.add_parser("ingest", help="add reports from files, folders, URLs or stdin (-)")
    add_common(p)
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("start", help="first run: ingest the samples if the index is empty, "
                                     "then start the bot (token set) or the terminal chat")
    add_common(p)
    p.set_defaults(func=cmd_start)
