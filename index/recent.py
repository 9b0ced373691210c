"""Open questions about a time: "what happened since Wednesday?", "what's new yesterday?".

Once its time words are taken out (:mod:`index.timeq`) such a question asks nothing a
sentence could match; the answer is the lead of each of the newest reports dated in the
window (the sentence a report opens with is its news), newest first, each cited. So is a
question for what an outlet reported ("what did the Herald report on Thursday?",
:mod:`index.outlets`): the leads of that outlet's newest reports.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta

from index.backends.base import ReportStore
from index.dates import utc_iso
from index.models import Answer, Citation, Quote
from index.retrieve import query_terms
from index.timeq import TimeWindow

log = logging.getLogger(__name__)

_OPEN = frozenset("happen happened happening new news latest going on update updates "
                  "changed change there".split())


def is_open(question: str) -> bool:
    """Whether the question names nothing beyond "what happened" / "what is new"."""
    return all(t in _OPEN for t in query_terms(question))


def _lead(store: ReportStore, report_id: str) -> tuple[int, str] | None:
    for s in store.report_sentences(report_id):
        text = s.text.strip()
        if len(text.split()) >= 5 and not text.startswith("#") and "://" not in text:
            return s.id, text
    return None


def _instant(day: date) -> str:
    return utc_iso(datetime(day.year, day.month, day.day, tzinfo=UTC))


def recent_answer(question: str, store: ReportStore, window: TimeWindow, k: int = 3,
                  outlets: Collection[str] = ()) -> Answer:
    """The leads of the newest ``k`` reports dated in ``window`` (of ``outlets`` only, when
    given), newest first."""
    # Bounds a day wider than the window (instants are UTC, a report's day is its own),
    # then the report's own day decides.
    since = _instant(window.since - timedelta(days=1)) if window.since else None
    until = _instant(window.until + timedelta(days=1)) if window.until else None
    reports = store.list_reports(since=since, until=until, limit=max(k * 5, 20),
                                 outlets=sorted(outlets))
    reports = [r for r in reports if window.contains(r.date or r.instant)][:k]
    quotes: list[Quote] = []
    citations: list[Citation] = []
    for r in reports:
        lead = _lead(store, r.id)
        if lead is None:
            continue
        sid, text = lead
        citations.append(Citation(n=len(citations) + 1, sentence=text, report_id=r.id,
                                  title=r.title, date=r.date, source=r.source, url=r.url,
                                  score=0.0, sentence_id=sid))
        quotes.append(Quote(text=text, citations=(len(citations),)))
    if not quotes:
        return Answer(question=question, found=False)
    dates = [c.date for c in citations if c.date]
    return Answer(question=question, found=True, quotes=tuple(quotes),
                  citations=tuple(citations),
                  as_of=re.sub(r"T.*$", "", max(dates)) if dates else None)
