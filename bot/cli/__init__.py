"""The ``briefbot`` command line: ``ingest``, ``ask``, ``chat`` and the rest.

``main(argv)`` parses, loads the config, opens the services, runs one subcommand and returns
an exit code; tests call it directly. Output for people goes to stdout, problems to stderr.
Each subcommand lives in a module of this package with a ``register(subparsers)`` function;
heavy imports (the model, Telegram, plotting) happen only inside the commands that need them.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import IO

from bot.cli import ask, backup, digest, ingest, migrate, run, sources, timeline
from bot.cli.context import Context
from bot.config import ConfigError, load_config
from bot.services import EmbedderFactory, Services
from index.errors import BriefbotError, EmptyQuestion, NoIndex

log = logging.getLogger(__name__)

COMMANDS = (ingest, ask, run, digest, sources, timeline, backup, migrate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Cited answers and daily digests over ingested reports.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, embedder_factory: EmbedderFactory | None = None,
         stdin: IO[str] | None = None, stdout: IO[str] | None = None,
         stderr: IO[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 failed, 2 bad usage or config)."""
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
    setup_logging("DEBUG" if args.verbose else command_log_level(args.command, config.log_level))
    services = Services(config, embedder_factory)
    ctx = Context(args, config, services, stdin or sys.stdin, out, err)
    try:
        return int(args.func(ctx))
    except (NoIndex, EmptyQuestion) as exc:  # as every other input the command cannot use
        print(f"briefbot: {exc}", file=err)
        return 2
    except BriefbotError as exc:
        print(f"briefbot: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (``briefbot ask … | head``): stop quietly
        _silence(out)
        return 141
    finally:
        services.close()


def _silence(stream: IO[str]) -> None:
    """Point a closed pipe's descriptor at /dev/null, so flushing it at exit cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file: nothing will flush it at exit


def package_version() -> str:
    """The installed package's version (from its metadata, so it cannot drift)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("briefbot")
    except PackageNotFoundError:
        return "unknown (not installed)"


def command_log_level(command: str, configured: str) -> str:
    """The level ``command`` logs at: the configured one for the bot (``run``, a service);
    a one-shot command at the default INFO prints only warnings and errors, so its own
    output is not buried in log lines (``-v`` shows everything)."""
    return configured if command == "run" or configured != "INFO" else "WARNING"


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    # httpx logs request URLs at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run
