"""Dates in report headers and metadata, normalised to ISO 8601 strings."""

from __future__ import annotations

import re
from datetime import date, datetime

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
