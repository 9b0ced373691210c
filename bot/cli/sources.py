"""``briefbot sources``: the stored reports, newest first, with the other outlets that
carried each (text or JSON).

JSON: ``[{"id", "title", "date", "source", "url", "also_reported_by": [{"source", "url"}],
"versions": N}]`` (``versions``: how many texts the report has had; see README).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.cli.context import Context, add_common
from index.models import Report

log = logging.getLogger(__name__)


def report_json(report: Report) -> dict[str, Any]:
    return {"id": report.id, "title": report.title, "date": report.date,
            "source": report.source, "url": report.url,
            "also_reported_by": [{"source": a.source, "url": a.url}
                                 for a in report.also_reported_by],
            "versions": report.versions}


def _when(date: str | None) -> str:
    """A stored date as shown: the day, and the hour (UTC) when the report gave its time, so
    that two reports of one day read apart."""
    if not date or len(date) <= 10:
        return date or ""
    return f"{date[:10]} {date[11:16]} UTC" if date.endswith("+00:00") else date[:16]


def render_text(reports: list[Report]) -> str:
    if not reports:
        return "No reports yet."
    lines = []
    for r in reports:
        where = ", ".join(x for x in (r.source, _when(r.date), r.url) if x)
        versions = f"  ({r.versions} versions)" if r.versions > 1 else ""
        lines.append(f"{r.id}  {r.title}" + (f"  [{where}]" if where else "") + versions)
        for a in r.also_reported_by:
            also = ", ".join(x for x in (a.source, a.url) if x)
            lines.append(f"    also reported by {also or 'another outlet'}")
    return "\n".join(lines)


def cmd_sources(ctx: Context) -> int:
    if ctx.args.limit is not None and ctx.args.limit < 1:
        ctx.warn("briefbot: --limit must be 1 or more")  # 0 printed "No reports yet."
        return 2
    reports = ctx.services.open_existing().reports(limit=ctx.args.limit)
    if ctx.args.json:
        ctx.say(json.dumps([report_json(r) for r in reports], ensure_ascii=False))
    else:
        ctx.say(render_text(reports))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("sources", help="list the reports, newest first, with other outlets")
    add_common(p)
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.add_argument("--limit", type=int, default=None, help="at most this many reports")
    p.set_defaults(func=cmd_sources)
