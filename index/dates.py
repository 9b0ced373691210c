"""Dates in report headers and metadata, normalised to ISO 8601 strings, and the instants
they are stored as (:func:`report_instant`: a day-only date is noon in the library's zone)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DMY = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})$", re.I)
_MDY = re.compile(rf"^{_WEEKDAY}{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_date(text: str) -> str | None:
    """``YYYY-MM-DD`` (or a full ISO date-time when a time is given) from common forms:
    ``2019-02-23``, ``2019-02-23T10:00:00Z``, ``Saturday, 23 Feb, 2019``, ``Feb 23, 2019``,
    RFC 2822 (``Sat, 23 Feb 2019 10:00:00 GMT``). ``None`` when it is not a date."""
    text = text.strip().rstrip(".")
    if not text or len(text) > 60:
        return None
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
    for pattern, order in ((_DMY, "dmy"), (_MDY, "mdy")):
        m = pattern.match(text)
        if m:
            if order == "dmy":
                d, mon, y = int(m.group(1)), m.group(2), int(m.group(3))
            else:
                mon, d, y = m.group(1), int(m.group(2)), int(m.group(3))
            mo = MONTHS[mon.lower()[:3]]
            return date(y, mo, d).isoformat() if _valid(y, mo, d) else None
    try:
        from email.utils import parsedate_to_datetime

        parsed = parsedate_to_datetime(text)
        return parsed.isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return 1900 <= y <= 2200


def find_date_line(line: str) -> str | None:
    """The date on a header line that holds nothing but a date (``Saturday, 23 Feb, 2019``)."""
    return parse_date(line) if len(line) <= 60 else None


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

