"""``briefbot backup DEST``: a consistent copy of the data directory, safe while the bot runs
(:mod:`index.backup`); restored by pointing ``--data-dir`` at DEST. With the reports in
PostgreSQL (``[store] url``) the data directory holds none of them, so the command copies
nothing and names the database's own tools instead."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.cli.context import Context, add_common
from index.backup import backup_data_dir
from index.errors import StoreError
from index.pgdb import redact_url

log = logging.getLogger(__name__)


def cmd_backup(ctx: Context) -> int:
    if ctx.config.store.url:
        ctx.warn(f"briefbot: the reports live in PostgreSQL ({redact_url(ctx.config.store.url)})"
                 ", not in the data directory: back the database up with pg_dump (pg_dump "
                 "--format=custom URL > FILE) or your provider's snapshots. Nothing copied.")
        return 2
    dest = Path(ctx.args.dest).expanduser()
    try:
        result = backup_data_dir(ctx.config.data_dir, dest)
    except StoreError as exc:
        ctx.warn(f"briefbot: {exc}")
        return 2
    ctx.say(f"Backed up {ctx.config.data_dir} to {result.dest}: {result.reports} report(s), "
            f"{len(result.databases)} database(s) ({', '.join(result.databases)})"
            + ("" if result.vectors_in_step else
               "; the vector index is rebuilt from the database when the backup is opened")
            + f". To restore, use --data-dir {result.dest}.")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="copy the data directory consistently, even while the "
                                      "bot runs")
    add_common(p)
    p.add_argument("dest", metavar="DEST", help="a new (or empty) folder for the copy")
    p.set_defaults(func=cmd_backup)
