"""What every subcommand gets (:class:`Context`) and the arguments several of them share."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from bot.config import Config
from bot.services import Services


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


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="TOML config file (default: $BRIEFBOT_CONFIG)")
    p.add_argument("--data-dir", help="data directory (default: $BRIEFBOT_DATA_DIR or config)")


def add_now(p: argparse.ArgumentParser) -> None:
    p.add_argument("--now", type=parse_now, default=None, metavar="ISO",
                   help="answer as if asked at this date/time (default: now); time words "
                        "in the question count from it, later reports are left out")


def parse_now(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
