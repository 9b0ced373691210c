"""The ``briefbot`` command line: ``ingest``, ``ask``, ``chat`` and the rest.

``main(argv)`` parses, loads the config, opens the services, runs one subcommand and returns
an exit code; tests call it directly. Output for people goes to stdout, problems to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bot.config import Config, ConfigError, load_config
from bot.inputs import expand_inputs
from bot.services import EmbedderFactory, Services
from bot.terminal import render_answer_terminal
from index.errors import BriefbotError, NoIndex
from index.loaders import count_files, load_inputs
from index.models import Answer, IngestResult

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What a subcommand gets: parsed arguments, config, services and the streams."""

    args: argparse.Namespace
    config: Config
    services: Services
    stdin: IO[str]
    stdout: IO[str]
    stderr: IO[str]

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def warn(self, text: str) -> None:
        print(text, file=self.stderr, flush=True)


Command = Callable[[Context], int]


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="TOML config file (default: $BRIEFBOT_CONFIG)")
    p.add_argument("--data-dir", help="data directory (default: $BRIEFBOT_DATA_DIR or config)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Cited answers and daily digests over ingested reports.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="add reports from files, folders, URLs or stdin (-)")
    _add_common(p)
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer a question (or one per stdin line) with citations")
    _add_common(p)
    p.add_argument("question", nargs="?", help="the question; omit to read lines from stdin")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    p.add_argument("-k", type=int, default=3, help="at most this many quoted sentences (1-10)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="ask questions at an interactive prompt")
    _add_common(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("start", help="first run: ingest the samples if the index is empty, "
                                     "then start the bot (token set) or the terminal chat")
    _add_common(p)
    p.set_defaults(func=cmd_start)

    for register in EXTRA_COMMANDS:
        register(sub, _add_common)
    return parser


# Subcommands that live in other modules add themselves here: each is a function
# ``register(subparsers, add_common)`` that adds a parser and sets ``func``.
EXTRA_COMMANDS: list[Callable[[Any, Callable[[argparse.ArgumentParser], None]], None]] = []


def main(argv: Sequence[str] | None = None, *, embedder_factory: EmbedderFactory | None = None,
         stdin: IO[str] | None = None, stdout: IO[str] | None = None,
         stderr: IO[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 failed, 2 bad usage or config)."""
    _load_extra_commands()
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.version:
        print(f"briefbot {package_version()}", file=out)
        return 0
    if args.command is None:
        parser.print_usage(err)
        print("briefbot: error: a COMMAND is required", file=err)
        return 2
    try:
        config = load_config(args.config).with_overrides(data_dir=args.data_dir)
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=err)
        return 2
    setup_logging("DEBUG" if args.verbose else config.log_level)
    services = Services(config, embedder_factory)
    ctx = Context(args, config, services, stdin or sys.stdin, out, err)
    try:
        return int(args.func(ctx))
    except NoIndex as exc:
        print(f"briefbot: {exc}", file=err)
        return 2
    except BriefbotError as exc:
        print(f"briefbot: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        services.close()


def package_version() -> str:
    """The installed package's version (from its metadata, so it cannot drift)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("briefbot")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _load_extra_commands() -> None:
    """Import the modules whose subcommands register themselves in EXTRA_COMMANDS (at call
    time: they import this module)."""
    import importlib

    for name in ("bot.run", "bot.digest_cli", "bot.sources_cli", "bot.backup_cli"):
        importlib.import_module(name)


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    # httpx logs request URLs at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run


# -- ingest --------------------------------------------------------------------------------


def cmd_ingest(ctx: Context) -> int:
    library = ctx.services.open()
    items = expand_inputs(ctx.args.inputs, ctx.config, stdin=_stdin_bytes(ctx))
    bar = None
    if not ctx.args.no_progress and ctx.stderr.isatty():
        from tqdm import tqdm

        # One tick per report; JSONL files hold an unknown number, so then it only counts.
        bar = tqdm(total=count_files(ctx.args.inputs), unit="report", file=ctx.stderr)
    result = library.ingest(items, progress=bar.update if bar is not None else None)
    if bar is not None:
        bar.close()
    report_ingest(ctx, result)
    nothing_usable = not (result.added or result.updated or result.unchanged or result.merged)
    return 1 if result.problems and nothing_usable else 0


def _stdin_bytes(ctx: Context) -> bytes | None:
    if "-" not in ctx.args.inputs:
        return None
    buffer = getattr(ctx.stdin, "buffer", None)
    return buffer.read() if buffer is not None else ctx.stdin.read().encode("utf-8")


def report_ingest(ctx: Context, result: IngestResult) -> None:
    for problem in result.problems:
        ctx.warn(f"skipped {problem.origin}: {problem.reason}")
    stats = ctx.services.library.stats()
    ctx.say(f"added {len(result.added)} report(s) ({result.sentences_added} sentences), "
            f"updated {len(result.updated)}, unchanged {len(result.unchanged)}, "
            f"merged as other sources {len(result.merged)}, skipped {len(result.problems)}. "
            f"The index holds {stats.reports} reports, {stats.sentences} sentences.")


# -- ask -----------------------------------------------------------------------------------


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
             "source": f.source}
            for f in answer.figures
        ],
    }


def cmd_ask(ctx: Context) -> int:
    k = ctx.args.k
    if not 1 <= k <= 10:
        ctx.warn("briefbot: -k must be between 1 and 10")
        return 2
    library = ctx.services.open_existing()
    questions = [ctx.args.question] if ctx.args.question is not None else (
        line.strip() for line in _stdin_lines(ctx))
    status = 0
    for question in questions:
        if ctx.args.question is None and not question:
            continue
        try:
            answer = library.ask(question, k=k)
        except BriefbotError as exc:
            if ctx.args.json:
                ctx.say(json.dumps({"question": question, "error": str(exc)}))
            else:
                ctx.warn(f"briefbot: {exc}")
            status = 1
            continue
        if ctx.args.json:
            ctx.say(json.dumps(answer_json(answer), ensure_ascii=False))
        else:
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


# -- start ---------------------------------------------------------------------------------

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def cmd_start(ctx: Context) -> int:
    """What ``make run`` does: samples on first use, then the bot or the terminal chat."""
    library = ctx.services.open()
    if library.stats().reports == 0:
        ctx.say(f"The index in {ctx.config.data_dir} is empty: ingesting the sample reports.")
        report_ingest(ctx, library.ingest(load_inputs([str(SAMPLES_DIR)])))
    if ctx.config.telegram.token:
        ctx.say("A Telegram bot token is configured: starting the Telegram bot.")
        from bot.run import cmd_run

        return cmd_run(ctx)  # post_init finds the model and index already open
    ctx.say("No Telegram bot token (TELEGRAM_BOT_TOKEN) is configured: "
            "opening the terminal chat instead.")
    return cmd_chat(ctx)


# -- chat ----------------------------------------------------------------------------------


def cmd_chat(ctx: Context) -> int:
    library = ctx.services.open_existing()
    stats = library.stats()
    ctx.say(f"briefbot: {stats.reports} reports, {stats.sentences} sentences"
            + (f", {stats.first_date[:10]} to {stats.last_date[:10]}"
               if stats.first_date and stats.last_date else "")
            + ". Ask a question; an empty line or Ctrl-D quits.")
    from bot.prompt import HISTORY_NAME, Prompt

    with Prompt(ctx.stdin, ctx.stdout, ctx.config.data_dir / HISTORY_NAME) as prompt:
        while True:
            line = prompt.read()
            if line is None or not line.strip():
                return 0
            try:
                ctx.say(render_answer_terminal(library.ask(line.strip())))
            except BriefbotError as exc:
                ctx.say(str(exc))
            ctx.say()
