"""Dates in report headers and metadata, normalised to ISO 8601 strings, and the instants
they are stored as (:func:`report_instant`: a day-only date is noon in the library's zone)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
#: a year written in digits ("in 1986", "the 2027 quake")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: a month's name, whole or short ("March", "Mar.", "Sept")
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DMY = re.compile(rf"{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+(\d{{4}})\b", re.I)
_MDY = re.compile(rf"{_WEEKDAY}{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\b")
#: a day written in figures with slashes or dots ("17/09/2034", "17.09.2034"): the day first,
#: as outside the United States, unless the first figure cannot be a day's of a month ("09/17")
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
#: what a dateline says before its date ("Published:", "Last updated on", "Posted at")
_LABEL = re.compile(r"^(?:(?:first|last)\s+)?(?:published|updated|posted|modified|filed|"
                    r"issued|released|dated?|dateline)(?:\s+(?:on|at))?\s*:?\s*", re.I)
#: a time of day on a clock, anywhere in a sentence (a pattern): "06:40", "4:12 a.m.", "9.30am"
CLOCK_TIME = r"\d{1,2}:\d\d(?:\s*[ap]\.?m\b\.?)?|\d{1,2}(?:\.\d\d)?\s*[ap]\.?m\b\.?"
#: a time of day after the date: "14:05", "6:45 p.m.", "9.30am", "3 PM", "at 08:30"
_CLOCK = re.compile(r"^[\s,|·•—–-]*(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?"
                    r"\s*([ap])?(?(4)\.?\s*m\b\.?)", re.I)
#: zones a dateline names, as hours from UTC
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
          "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8,
          "pdt": -7}
_ZONE = re.compile(r"^[\s,]*\(?(?:(utc|gmt|z|bst|cet|cest|eet|eest|est|edt|cst|cdt|mst|mdt|"
                   r"pst|pdt)\b\s*([+-]\d{1,2}(?::?\d{2})?)?|([+-]\d{2}:?\d{2}))\)?", re.I)


def parse_date(text: str) -> str | None:
    """``YYYY-MM-DD`` (or a full ISO date-time when a time is given) from common forms:
    ``2019-02-23``, ``2019-02-23T10:00:00Z``, ``Saturday, 23 Feb, 2019``, ``Feb 23, 2019``,
    RFC 2822 (``Sat, 23 Feb 2019 10:00:00 GMT``), and a dateline's ("Published 3 March 2031
    14:05", "MARCH 4, 2031 — 09:15", "Updated: 2031-03-05 08:30 UTC", "March 3, 2031, 6:45
    p.m."). ``None`` when it is not a date, or holds words besides it."""
    text = re.sub(r"\s+", " ", text.strip().strip("*_`").strip()).rstrip(".")
    if not text or len(text) > 80:
        return None
    if (label := _LABEL.match(text)) and _ISO.match(text[label.end():]):
        text = text[label.end():]  # "Last updated 2034-03-11T06:45Z"
    m = _ISO.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not _valid(y, mo, d):
            return None
        if m.group(4) is None:
            return date(y, mo, d).isoformat()
        try:
            return datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00")
                                          ).isoformat()
        except ValueError:
            return date(y, mo, d).isoformat()
    text = _LABEL.sub("", text)
    if (first := _CLOCK_FIRST.match(text)) is not None:  # "Posted 08:00, 17 May 2033"
        return _dateline(f"{text[first.end():]} {first.group(1)}")
    return _dateline(text)


#: a time of day before the day ("08:00, 17 May 2033", "6:15 p.m., May 17, 2033")
_CLOCK_FIRST = re.compile(r"(\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+(?!on\b)[A-Z]{2,4})?)"
                          r"\s*[,|·—–-]?\s+(?:on\s+)?(?=\S)", re.I)  # "21:30 on 19 September"


def _dateline(text: str) -> str | None:
    """A day, then perhaps a time of day and a zone, and nothing else."""
    day: date | None = None
    for pattern, order in ((_ISO_DAY, "ymd"), (_DMY, "dmy"), (_MDY, "mdy"),
                           (_NUMERIC_DAY, "numeric")):
        m = pattern.match(text)
        if not m:
            continue
        if order == "ymd":
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif order == "numeric":
            first, second, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            d, mo = (second, first) if second > 12 >= first else (first, second)
        elif order == "dmy":
            d, mo, y = int(m.group(1)), MONTHS[m.group(2).lower()[:3]], int(m.group(3))
        else:
            mo, d, y = MONTHS[m.group(1).lower()[:3]], int(m.group(2)), int(m.group(3))
        if not _valid(y, mo, d):
            return None
        day, rest = date(y, mo, d), text[m.end():]
        break
    if day is None:
        return None
    clock = _CLOCK.match(rest)
    if clock is None or not (clock.group(2) or clock.group(4)):  # "14:05" or "3 p.m."
        return day.isoformat() if not rest.strip(" ,") else None
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    second = int(clock.group(3) or 0)
    if clock.group(4):  # 12-hour clock
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if clock.group(4).lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    moment = datetime(day.year, day.month, day.day, hour, minute, second)
    rest = rest[clock.end():]
    if zone := _ZONE.match(rest):
        rest = rest[zone.end():]
        moment = moment.replace(tzinfo=_offset(zone))
    return moment.isoformat() if not rest.strip(" ,") else None


def _offset(zone: re.Match[str]) -> tzinfo:
    """The offset a zone names: "GMT", "UTC+2", "EST", "+05:30"."""
    name, shift, numeric = zone.groups()
    minutes = _ZONES[name.lower()] * 60 if name else 0
    for part in (shift, numeric):
        if part:
            digits = part[1:].replace(":", "")
            hours, mins = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
            minutes += (int(hours) * 60 + int(mins)) * (1 if part[0] == "+" else -1)
    return timezone(timedelta(minutes=minutes))


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return 1900 <= y <= 2200


# -- instants --------------------------------------------------------------------------------
#
# Stored dates are instants: UTC ISO 8601 strings of one fixed form
# (``2026-11-25T11:00:00+00:00``), so that SQL comparisons of them are comparisons of
# instants. A report date given as a day only (``2026-11-25``) is taken as noon of that day in
# the library's zone and keeps a flag that only the day is known; a date-time without an
# offset is taken in that zone too.

DAY_ONLY_HOUR = 12


def utc_iso(moment: datetime) -> str:
    """The stored form of an aware instant: UTC, whole seconds (floored), ``+00:00``."""
    if moment.tzinfo is None:
        raise ValueError("a naive date-time is not an instant")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def report_instant(text: str | None, zone: str | tzinfo = "UTC") -> tuple[str | None, bool]:
    """``(instant, day_only)`` of a report date as :func:`parse_date` gives it (or any ISO
    form): a day is noon of that day in ``zone``; a naive date-time is in ``zone``; an aware
    one is itself. ``(None, False)`` for no, unreadable or implausible (before 1900, after
    2200) date."""
    if not text or not text.strip():
        return None, False
    text = text.strip()
    tz = _zone(zone)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, DAY_ONLY_HOUR, tzinfo=tz)
            day_only = True
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=tz)
            day_only = False
        if not _valid(moment.year, moment.month, moment.day):
            return None, False
        return utc_iso(moment), day_only
    except ValueError:
        normalised = parse_date(text)
        if normalised is None or normalised == text:
            return None, False
        return report_instant(normalised, tz)
    except OverflowError:
        return None, False


def bound_instant(text: str, zone: str | tzinfo = "UTC") -> str:
    """A window bound as an instant: a day is its midnight in ``zone`` (so a day-only report,
    noon in that zone, falls inside the day); a date-time without an offset is UTC.
    Raises ``ValueError`` for anything else."""
    text = text.strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        return utc_iso(datetime(day.year, day.month, day.day, tzinfo=_zone(zone)))
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return utc_iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


_MONTH_DAY = re.compile(rf"^\s*(?:{MONTH}\s+(\d{{1,2}})|(\d{{1,2}})\s+{MONTH})\s*$", re.I)
#: a day without its year, as :func:`no_year_date` writes it (ISO 8601's "--MM-DD")
NO_YEAR = re.compile(r"^--(\d\d)-(\d\d)$")


def no_year_date(text: str) -> str | None:
    """A day without its year ("10 March", "March 10") as ``--03-10``; ``None`` for any
    other text."""
    m = _MONTH_DAY.match(text)
    if m is None:
        return None
    month = MONTHS[(m.group(1) or m.group(4)).lower()[:3]]
    day = int(m.group(2) or m.group(3))
    return f"--{month:02d}-{day:02d}" if _valid(2000, month, day) else None


def year_given(text: str, near: date, *, past: bool = False) -> str:
    """A day without its year (``--03-12``) in the year that puts it nearest ``near`` (the
    day of the report read before it), or, ``past``, its last day up to ``near`` (today);
    any other text unchanged."""
    m = NO_YEAR.match(text or "")
    if m is None:
        return text
    month, day = int(m.group(1)), int(m.group(2))
    days = [date(y, month, day) for y in (near.year - 1, near.year, near.year + 1)
            if _valid(y, month, day) and not (past and date(y, month, day) > near)]
    if not days:  # 29 February of no leap year near
        return text
    return min(days, key=lambda d: abs(d - near)).isoformat()
