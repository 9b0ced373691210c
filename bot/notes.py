"""What both front ends (the bot and the terminal) print of an answer beside its quotes:
the notes above it (how a misspelt question was read, why nothing was found in the days a
question named) and the source list under it (one line a number)."""

from __future__ import annotations

from datetime import date, timedelta

from index.models import Answer, Citation


def answer_notes(answer: Answer) -> list[str]:
    """The notes of ``answer``, in the order they are shown (none for most answers)."""
    notes = [f"Read as: {answer.read_as}"] if answer.read_as else []
    if answer.empty_window is not None:
        notes.append(_no_report_then(*answer.empty_window, answer.held))
    return notes


def _no_report_then(since: str | None, until: str | None, held: tuple[str, str] | None
                    ) -> str:
    """"No report is dated Wed 2 Dec 2026; the reports run from Mon 2 Mar to Fri 6 Mar
    2026." (``until`` is the day after the window)."""
    last = (date.fromisoformat(until) - timedelta(days=1)).isoformat() if until else None
    if since and last and since == last:
        when = _day(since)
    elif since and last:
        when = f"from {_day(since)} to {_day(last)}"
    elif since:
        when = f"on or after {_day(since)}"
    else:
        when = f"before {_day(until or '')}"
    span = (f"; the reports run from {_day(held[0])} to {_day(held[1])}" if held
            else "; there are no reports yet")
    return f"No report is dated {when}{span}."


def _day(iso: str) -> str:
    try:
        return date.fromisoformat(iso[:10]).strftime("%a %-d %b %Y")
    except ValueError:
        return iso


def source_lines(citations: tuple[Citation, ...]) -> list[Citation]:
    """The citations to list as sources: the first of each number (two quotes of one report
    share its number and its line)."""
    first: dict[int, Citation] = {}
    for c in citations:
        first.setdefault(c.n, c)
    return list(first.values())
