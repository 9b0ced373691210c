"""``briefbot migrate --from DATA_DIR --to postgresql://…``: copy a data directory's reports,
versions, sources, sentences with their vectors (no re-embedding), entities, figure ledger
and near-duplicate signatures into PostgreSQL (:mod:`index.backends.transfer`), and the
bot's state: subscriptions, delivery log, chats, watches, feeds (:mod:`bot.state`). Running it
again copies nothing; the counts of both sides are printed and checked (exit 1 when they
differ, e.g. a database that already held other reports)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.cli.context import Context
from index.errors import StoreError
from index.pgdb import is_postgres_url, redact_url

log = logging.getLogger(__name__)


def cmd_migrate(ctx: Context) -> int:
    # PostgreSQL, PTB's types (the bot state's tables): only this command needs them
    from bot.state import copy_state_tables
    from index.backends.transfer import migrate_data_dir

    source, url = Path(ctx.args.source).expanduser(), str(ctx.args.to)
    if not is_postgres_url(url):
        ctx.warn("briefbot: --to must be a postgresql:// URL")
        return 2
    try:
        counts = migrate_data_dir(source, url, pool_size=ctx.config.store.pool_size)
        counts += copy_state_tables(source, url)
    except StoreError as exc:
        ctx.warn(f"briefbot: {exc}")
        return 2
    ctx.say(f"{source} -> {redact_url(url)}")
    width = max(len(c.table) for c in counts)
    for c in counts:
        mark = "ok" if c.ok else "MISMATCH"
        ctx.say(f"  {c.table:<{width}}  {c.source:>9} in the data directory  "
                f"{c.target:>9} in PostgreSQL  ({c.copied} copied now)  {mark}")
    bad = [c.table for c in counts if not c.ok]
    if bad:
        ctx.warn(f"briefbot: the counts differ for {', '.join(bad)}: the database holds "
                 "rows the data directory does not (migrate into an empty database)")
        return 1
    ctx.say("All counts match.")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("migrate", help="copy a data directory into PostgreSQL (no re-embedding)")
    p.add_argument("--config", help="TOML config file (default: $BRIEFBOT_CONFIG)")
    p.add_argument("--from", dest="source", required=True, metavar="DATA_DIR",
                   help="the data directory to copy")
    p.add_argument("--to", required=True, metavar="URL", help="postgresql://user:pass@host/db")
    p.set_defaults(func=cmd_migrate, data_dir=None)
