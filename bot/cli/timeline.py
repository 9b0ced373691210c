"""``briefbot timeline``: how the figure a question asks for developed (text, JSON or a PNG
chart), and ``briefbot ledger --rebuild``: the figure ledger read again from the sentences.

JSON: ``{"question", "as_of", "points": [{"date", "value", "number", "report_id", "source",
"sentence"}], "disagreements": [{"date", "values": [{"value", "source", "report_id"}]}]}``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from bot.cli.ask import point_json
from bot.cli.context import Context, add_common, add_now
from index.models import Answer
from index.timeline import disagreements

log = logging.getLogger(__name__)


def timeline_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "as_of": answer.as_of,
        "points": [point_json(p) for p in answer.timeline],
        "disagreements": [
            {"date": d.date, "values": [{"value": p.value, "source": p.source,
                                         "claimant": p.claimant, "report_id": p.report_id}
                                        for p in d.points]}
            for d in sorted(disagreements(answer.timeline), key=lambda d: d.date)],
    }


def timeline_text(answer: Answer) -> str:
    if not answer.timeline:
        return "No figure for that in the reports I have."
    lines = [f"As of {answer.as_of}: {answer.development}"]
    for d in sorted(disagreements(answer.timeline), key=lambda d: d.date):
        values = "; ".join(f"{p.value} ({p.source or 'unknown'}"
                           f"{' citing ' + p.claimant if p.claimant else ''})" for p in d.points)
        lines.append(f"Reports differ on {d.date}: {values}")
    lines.append("")
    lines += [f"{p.date}  {p.value:>14}  {p.source or ''}: {p.sentence}"
              for p in answer.timeline]
    return "\n".join(lines)


def cmd_timeline(ctx: Context) -> int:
    library = ctx.services.open()
    answer = library.ask(ctx.args.question, now=ctx.args.now, figure=True)
    if ctx.args.png:
        if not answer.timeline:
            ctx.warn("briefbot: no figure for that question: no chart written")
            return 1
        from bot.chart import timeline_png
        from index.timeline import lead_points

        Path(ctx.args.png).write_bytes(timeline_png(
            answer.question, answer.timeline, lead_points(answer.timeline)))
    if ctx.args.json:
        ctx.say(json.dumps(timeline_json(answer), ensure_ascii=False))
    else:
        ctx.say(timeline_text(answer))
    return 0


def cmd_ledger(ctx: Context) -> int:
    library = ctx.services.open()
    if ctx.args.rebuild:
        n = library.store.rebuild_ledger(force=True)
        ctx.say(f"The figure ledger was rebuilt: {n} figures.")
        return 0
    count = int(str(library.store.query("SELECT COUNT(*) FROM figures")[0][0]))
    ctx.say(f"The figure ledger holds {count} figures.")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("timeline", help="how the figure a question asks for developed")
    add_common(p)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--png", metavar="FILE", help="also draw the chart into FILE")
    add_now(p)
    p.set_defaults(func=cmd_timeline)
    p = sub.add_parser("ledger", help="the figure ledger: --rebuild reads it again")
    add_common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild it from the sentences")
    p.set_defaults(func=cmd_ledger)

