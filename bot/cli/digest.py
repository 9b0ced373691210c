"""``briefbot digest``: print the digest of a window of report dates (text or JSON).

``--since``/``--until`` take ISO dates or date-times (a date is its midnight in the configured
zone, a date-time without an offset is UTC) and bound the *report dates*, compared as instants
(a subscriber's scheduled digest bounds ingestion times instead); an ``--until`` date is taken
whole ("--until 2026-03-07" includes the 7th: the window ends at the 8th's midnight), a
date-time is where it ends; the default window is the 24 hours up to now (``--now``: up to
that moment, as ``ask`` and ``timeline`` take it). The JSON shape
is :func:`index.digest.digest_json`.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.cli.context import Context, add_common, parse_now
from index.dates import bound_instant
from index.digest import Digest, DigestParams, compose_digest, digest_json

log = logging.getLogger(__name__)


def parse_when(text: str) -> str:
    """An ISO date stays a date (``2026-03-05``); a date-time becomes UTC ISO."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date or date-time such as 2026-03-05 or "
            "2026-03-05T08:00") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def shown(when: str, end: bool = False) -> str:
    """An ISO bound as a reader writes it: ``2026-03-05`` or ``2026-03-05 08:00 UTC``; an
    ``end`` date as the last day it takes in (``2026-03-08`` ends with the 7th)."""
    if len(when) == 10:
        return (date.fromisoformat(when) - timedelta(days=1)).isoformat() if end else when
    moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_text(digest: Digest, newest: str | None = None) -> str:
    """The digest as text; ``newest`` (the newest report's date) is named when the window,
    which bounds report dates, starts after it or ends before it."""
    if digest.empty:
        text = f"Nothing new since {shown(digest.since)}" + (
            f" about {digest.topic!r}." if digest.topic else ".")
        if newest and (newest[:10] < digest.since[:10] or newest[:10] >= digest.until[:10]):
            # (before the window, or after it: reports dated ahead of the clock)
            text += (f" The window bounds report dates; the newest report is dated "
                     f"{newest[:10]}: try --since {newest[:10]}.")
        return text
    out = [f"Digest {shown(digest.since)} .. {shown(digest.until, end=True)}"
           + (f" about {digest.topic!r}" if digest.topic else "")
           + f": {len(digest.events)} event(s) from {digest.n_reports} report(s)", ""]
    for n, event in enumerate(digest.events, 1):
        for i, s in enumerate((event.headline, *event.sentences)):
            cite = ", ".join(x for x in (s.source, (s.date or "")[:10], s.url) if x)
            out.append(f"{f'{n}.' if i == 0 else '  -'} {s.text} [{cite}]")
        if event.moved_figures:
            out.append("   changed: " + "; ".join(str(m) for m in event.moved_figures))
        out.append("")
    return "\n".join(out).rstrip()


def cmd_digest(ctx: Context) -> int:
    now = (ctx.args.now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    until = ctx.args.until or now.isoformat()
    if len(until) == 10:  # a date: through its end (the next day's midnight)
        until = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
    since = ctx.args.since or (now - timedelta(days=1)).isoformat()
    zone = ctx.config.digest.default_timezone
    if bound_instant(since, zone) >= bound_instant(until, zone):  # instants, not strings
        ctx.warn("briefbot: --since must be before --until")
        return 2
    cfg = ctx.config.digest
    lib = ctx.services.open_existing()
    digest = compose_digest(lib, since, until, topic=ctx.args.topic,
                            params=DigestParams(max_events=cfg.max_events,
                                                sentences_per_event=cfg.sentences_per_event))
    if ctx.args.json:
        ctx.say(json.dumps(digest_json(digest), ensure_ascii=False))
    else:
        newest = None
        if digest.empty:
            _, _, _, newest = lib.store.counts()
        ctx.say(render_text(digest, newest))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("digest", help="print the digest of a window of report dates")
    add_common(p)
    p.add_argument("--since", type=parse_when, help="ISO date or date-time (default: 24 h ago)")
    p.add_argument("--until", type=parse_when,
                   help="ISO date (that day included) or date-time (default: now)")
    p.add_argument("--topic", help="only reports about these words")
    p.add_argument("--now", type=parse_now, default=None, metavar="ISO",
                   help="the digest as it would have been at this date/time: the default "
                        "window is the 24 h up to it (default: now)")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=cmd_digest)
