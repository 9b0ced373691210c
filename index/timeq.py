"""Time in questions: "on Tuesday", "as of 3 March", "yesterday", "last week", "since
Wednesday", "before the inquiry was ordered".

:func:`parse_time` finds such a phrase, resolves it against ``now`` into a
:class:`TimeWindow` of report days (``since`` inclusive, ``until`` exclusive, both dates) and
returns the question without it, so retrieval is not distracted by the words. Rules:

- a weekday means the most recent such day, today included ("on Tuesday" asked on a Tuesday
  is today; "since Tuesday" asked on one is the Tuesday before); a day and month without a
  year is the most recent one not after ``now``;
- "on D", "yesterday", "today", "two days ago", "a week ago": the day D (``point``: a figure
  question reads it as "as of the end of D");
- "as of D", "by D", "until D": up to the end of D; "before D": up to the start of D;
- "since D", "from D": D onwards; "after D": the day after D onwards;
- "last week": the previous calendar week (Monday to Sunday); "this week": since Monday;
  "in the last N days", "past N days": the last N days including today;
- "before/after/since <an event>": the event is a clause that is not a date ("the inquiry
  was ordered"; a bare noun phrase such as "after the crash" is a subject); the caller
  resolves it into the day it was first reported (``event`` holds the phrase and ``relation``
  says which side is wanted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from index.dates import utc_iso

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = (rf"(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?"
        rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
        rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
        rf"|\d{{4}}-\d{{2}}-\d{{2}}"
        rf"|{'|'.join(WEEKDAYS)}|yesterday|today|day before yesterday"
        rf"|(?:\d{{1,2}}|a|an|one|two|three|four|five|six|seven|ten)\s+(?:days?|weeks?)\s+ago)")
_PHRASE = re.compile(
    rf"\b(?P<rel>as of|as at|by|until|till|up to|before|prior to|since|from|after|on|"
    rf"in the week to|for)?\s*(?:the\s+)?(?P<day>{_DAY})\b"
    r"|\b(?P<span>last week|this week|(?:in|over|during)\s+the\s+(?:last|past)\s+(?P<n>\d+|"
    r"two|three|four|five|six|seven|ten)\s+days|(?:the\s+)?(?:last|past)\s+(?P<n2>\d+|two|"
    r"three|four|five|six|seven|ten)\s+days)\b"
    r"|\b(?P<erel>before|after|since|until|prior to)\s+(?P<event>(?:the|a|an|his|her|their|"
    r"its)\s+[^?.,;]+)",
    re.I)
# An event is a clause ("the inquiry was ordered", "the dam broke"); "after the crash at
# Kettering Pass" names a subject, not a time.
_EVENT_VERB = re.compile(r"\b(?:was|were|is|are|had|has|have|did|began|broke|struck|hit|"
                         r"fell|rose|came|went|took|made|[a-z]{3,}ed)\b", re.I)
_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "ten": 10}


@dataclass(frozen=True)
class TimeWindow:
    """Report days ``since <= day < until`` (either open); ``phrase`` as the question said
    it. ``point``: the phrase named one day ("on Tuesday"). ``event``/``relation``: a phrase
    still to be resolved into a day by the caller (:meth:`resolve_event`). ``cutoff``: the
    moment a question is asked for (a stored UTC instant): a report published later that
    day is no evidence yet (one dated by its day alone counts all that day)."""

    since: date | None = None
    until: date | None = None
    phrase: str = ""
    point: bool = False
    event: str | None = None
    relation: str | None = None
    cutoff: str | None = None

    def contains(self, day: str | None) -> bool:
        """Whether a stored date (``YYYY-MM-DD…``) falls in the window (unknown: no)."""
        if not day:
            return self.since is None and self.until is None
        d = day[:10]
        if self.since is not None and d < self.since.isoformat():
            return False
        return not (self.until is not None and d >= self.until.isoformat()) \
            and not self.later(day)

    def later(self, day: str) -> bool:
        """Whether a stored date is an instant after the cutoff."""
        return self.cutoff is not None and len(day) > 10 and day > self.cutoff

    def resolve_event(self, day: date | None) -> TimeWindow:
        """The window once the event's day is known (no day: no restriction)."""
        if self.event is None or day is None:
            return replace(self, event=None)
        if self.relation in ("before", "prior to", "until"):
            return replace(self, until=day, event=None)
        return replace(self, since=day, event=None)

    @property
    def empty(self) -> bool:
        return self.since is None and self.until is None and self.event is None


def tells_of_day(sentence: str, report_day: str | None, window: TimeWindow) -> bool:
    """Whether ``sentence``, of a report dated ``report_day`` after the one day ``window``
    asks for (``point``), tells of that day by its weekday or its date: "31 patients were
    discharged on Wednesday" in Thursday's report answers "patients discharged wednesday".
    A weekday in a report of the six days after the day asked is that day (not "next
    Wednesday"); a report published after the question's ``cutoff`` is none."""
    return day_told(sentence, report_day, window) is not None


def day_told(sentence: str, report_day: str | None, window: TimeWindow) -> re.Match[str] | None:
    """Where ``sentence`` tells of the day asked (:func:`tells_of_day`), or ``None``."""
    if not (window.point and window.since and report_day) or window.later(report_day):
        return None
    try:
        told = date.fromisoformat(report_day[:10])
    except ValueError:
        return None
    day = window.since
    if not 0 < (told - day).days <= 6 or (
            window.cutoff is not None and report_day[:10] > window.cutoff[:10]):
        return None
    return day_named(sentence, day)


def day_named(sentence: str, day: date) -> re.Match[str] | None:
    """Where ``sentence`` names ``day`` by its weekday or its date, or ``None``."""
    weekday = WEEKDAYS[day.weekday()]
    month = next(m for m, n in MONTHS.items() if n == day.month) + r"[a-z]*\.?"
    other_year = rf"(?!,?\s+(?!{day.year})\d{{4}})"  # "4 March 2029" is another day
    return re.search(rf"(?<!\bnext )(?<!\bcoming )\b{weekday}\b(?!,?\s+(?:\d|{_MONTH}))|"
                     rf"\b{day.day}(?:st|nd|rd|th)?\s+{month}\b{other_year}|"
                     rf"\b{month}\s+{day.day}\b{other_year}", sentence, re.I)


def _day(text: str, now: date) -> date | None:
    t = text.lower().strip().rstrip(".")
    t = re.sub(rf"^(?:{'|'.join(WEEKDAYS)}),?\s+(?=\d|[a-z]{{3}})", "", t) \
        if re.search(r"\d", t) else t
    if t == "today":
        return now
    if t == "yesterday":
        return now - timedelta(days=1)
    if t == "day before yesterday":
        return now - timedelta(days=2)
    if m := re.fullmatch(r"(\w+)\s+(day|week)s?\s+ago", t):  # "two days ago", "a week ago"
        n = int(m.group(1)) if m.group(1).isdigit() else _SMALL.get(m.group(1), 1)
        return now - timedelta(days=n * (7 if m.group(2) == "week" else 1))
    if t in WEEKDAYS:
        back = (now.weekday() - WEEKDAYS.index(t)) % 7
        return now - timedelta(days=back)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})(?:,?\s+(\d{{4}}))?", t) or \
        re.fullmatch(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", t)
    if not m:
        return None
    a, b, year = m.group(1), m.group(2), m.group(3)
    day_s, month_s = (a, b) if a[0].isdigit() else (b, a)
    month = MONTHS.get(month_s[:3])
    if month is None:
        return None
    try:
        if year:
            return date(int(year), month, int(day_s))
        found = date(now.year, month, int(day_s))
        return found if found <= now else date(now.year - 1, month, int(day_s))
    except ValueError:
        return None


def parse_time(question: str, now: datetime | date) -> tuple[str, TimeWindow]:
    """The question without its time phrase, and the window the phrase means (an empty
    window when there is none)."""
    today = now.date() if isinstance(now, datetime) else now
    for m in _PHRASE.finditer(question):
        window: TimeWindow | None = None
        if m.group("day"):
            day = _day(m.group("day"), today)
            if day is None:
                continue
            rel = (m.group("rel") or "on").lower()
            if rel in ("since", "from", "after") and day == today \
                    and m.group("day").lower() in WEEKDAYS:
                day -= timedelta(days=7)  # "since wednesday" asked on one: the last one
            if rel in ("as of", "as at", "by", "until", "till", "up to", "in the week to"):
                window = TimeWindow(until=day + timedelta(days=1))
            elif rel in ("before", "prior to"):
                window = TimeWindow(until=day)
            elif rel in ("since", "from"):
                window = TimeWindow(since=day)
            elif rel == "after":
                window = TimeWindow(since=day + timedelta(days=1))
            else:
                window = TimeWindow(since=day, until=day + timedelta(days=1), point=True)
        elif m.group("span"):
            span = m.group("span").lower()
            if span == "last week":
                monday = today - timedelta(days=today.weekday())
                window = TimeWindow(since=monday - timedelta(days=7), until=monday)
            elif span == "this week":
                window = TimeWindow(since=today - timedelta(days=today.weekday()))
            else:
                raw = (m.group("n") or m.group("n2") or "7").lower()
                n = int(raw) if raw.isdigit() else _SMALL[raw]
                window = TimeWindow(since=today - timedelta(days=n - 1))
        elif m.group("event") and _EVENT_VERB.search(m.group("event")):
            window = TimeWindow(event=m.group("event").strip(),
                                relation=m.group("erel").lower())
        if window is None:
            continue
        phrase = m.group(0).strip()
        rest = (question[:m.start()] + " " + question[m.end():]).strip()
        rest = re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", rest))
        return rest, replace(window, phrase=phrase)
    return question, TimeWindow()


def until_now(window: TimeWindow, now: datetime | date) -> TimeWindow:
    """The window, ending no later than ``now`` (reports dated after the moment a question is
    asked for are not evidence yet): the end of its day, and the moment itself for reports
    whose time of publication is known."""
    today = now.date() if isinstance(now, datetime) else now
    end = today + timedelta(days=1)
    if isinstance(now, datetime) and now.tzinfo is not None:
        window = replace(window, cutoff=utc_iso(now))
    if window.until is None or window.until > end:
        return replace(window, until=end)
    return window
