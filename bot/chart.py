"""The timeline chart: a PNG of how a figure developed, readable on a phone.

matplotlib (Agg backend, no display) is imported only when a chart is drawn. One series per
outlet (its colour in the legend) with every point labelled by its value; a line follows the
newest figure of each date; a date on which reports differ is shaded and its values marked.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from index.models import TimelinePoint, short_date
from index.timeline import disagreements

log = logging.getLogger(__name__)

WIDTH, HEIGHT, DPI = 8.0, 6.0, 150  # 1200 x 900 pixels: fills a phone screen's width


def timeline_png(title: str, points: Sequence[TimelinePoint], lead: Sequence[TimelinePoint]
                 = ()) -> bytes:
    """The chart as PNG bytes. ``lead`` is the figure quoted for each date (the line);
    default: the first point of each date."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    days = sorted({p.date for p in points})
    # Day numbers on the x axis (the ticks are labelled with the dates themselves).
    x_of: dict[str, float] = {d: float(date.fromisoformat(d).toordinal()) for d in days}
    if not lead:
        first: dict[str, TimelinePoint] = {}
        for p in points:
            first.setdefault(p.date, p)
        lead = list(first.values())
    fig, ax = plt.subplots(figsize=(WIDTH, HEIGHT), dpi=DPI)
    try:
        for d in disagreements(points):
            x = x_of[d.date]
            ax.axvspan(x, x, color="#d62728", alpha=0.25, linewidth=18, zorder=0)
        ax.plot([x_of[p.date] for p in lead], [p.number for p in lead], color="#444444",
                linewidth=2.5, zorder=1, label="figure quoted")
        sources = list(dict.fromkeys(p.source or "unknown" for p in points))
        markers = "osD^vP*X"
        on_day: dict[str, list[str]] = {}
        for p in points:
            names = on_day.setdefault(p.date, [])
            if (p.source or "unknown") not in names:
                names.append(p.source or "unknown")
        for i, source in enumerate(sources):
            for j, p in enumerate(q for q in points if (q.source or "unknown") == source):
                # Outlets reporting on one date sit side by side, not on top of each other.
                names = on_day[p.date]
                shift = (names.index(source) - (len(names) - 1) / 2) * 12.0
                ax.scatter([x_of[p.date]], [p.number], s=140, zorder=3,
                           marker=markers[i % len(markers)], color=f"C{i}",
                           label=source if j == 0 else None,
                           transform=ax.transData + _points_offset(fig, shift))
        labelled: set[tuple[str, str]] = set()
        for p in points:
            key = (p.date, f"{p.number:g}")
            if key in labelled:
                continue
            labelled.add(key)
            text = p.value if len(p.value) <= 16 else f"{p.number:,.0f}"
            ax.annotate(text + (" (corrected)" if p.correction else ""),
                        (x_of[p.date], p.number), textcoords="offset points", xytext=(0, 14),
                        ha="center", fontsize=13, weight="bold" if p.correction else "normal")
        for d in disagreements(points):
            ax.annotate("reports differ", (x_of[d.date], 0), textcoords="offset points",
                        xytext=(0, 8), ha="center", fontsize=11, color="#b22222")
        ax.set_xticks([x_of[d] for d in days], [short_date(d) for d in days], fontsize=13)
        ax.tick_params(axis="y", labelsize=13)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _pos: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}"))
        low = min(p.number for p in points)
        high = max(p.number for p in points)
        pad = (high - low) * 0.2 or max(abs(high) * 0.2, 1.0)
        ax.set_ylim(0.0 if low >= 0 else low - pad, high + pad)
        ax.margins(x=0.12)
        if len(days) == 1:
            only = x_of[days[0]]
            ax.set_xlim(only - 1.0, only + 1.0)
        ax.set_title(title if len(title) <= 60 else title[:59] + "…", fontsize=15)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=11, loc="upper left", framealpha=0.9)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _points_offset(fig: Any, dx: float) -> Any:
    """A shift of ``dx`` typographic points to the right."""
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx / 72.0, 0.0, fig.dpi_scale_trans)
