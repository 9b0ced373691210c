"""A report's masthead: the lines between its title and its text that say which outlet published
it and when ("*Meridian Wire* — Published 3 March 2031 07:40", "NORTHGATE POST" above "MARCH
4, 2031 — 09:15", "By Northgate Daily staff"), and the dateline that opens its first
paragraph ("VELSK, Aldoria (Meridian Wire) - A ceasefire ...", "PORT SELLAN, MARCH 4, 2031 —
Cyclone Orlena ...").

:func:`masthead_line` reads one line; :func:`read_dateline` reads and trims the first
paragraph's dateline, keeping its place (it answers "where") and dropping the outlet and the
date it carries, which become the report's source and date; :func:`title_outlet` reads the
outlet a web page's title ends with ("... | Calloway Post").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.dates import no_year_date, parse_date

#: what separates a masthead line's parts: "MERIDIAN NEWS — 5 March 2031 | 16:45"
_SEPARATOR = re.compile(r"\s+[—–|·•/]\s+|\s+-{1,2}\s+|\s*\|\s*")
#: a place in capitals before a dateline's date ("CALDMOOR, March 3, 2031, 6:45 p.m.")
_PLACE_FIRST = re.compile(r"^[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*,\s*")
#: a byline by an outlet's desk rather than a person ("By Northgate Daily foreign desk", "By
#: Harbour Wire health desk")
_DESK = re.compile(r"^(.+?)\s+(?:staff(?:\s+(?:reporters?|writers?))?|reporters?|"
                   r"correspondents?|(?:[a-z]+ )?desk|newsroom|"
                   r"team|bureau)$", re.I)
_SMALL = frozenset("of the and for in on de la du der van von".split())
MAX_OUTLET_WORDS = 6


@dataclass(frozen=True)
class MastheadLine:
    """What one line above a report's text says: its date, its outlet, or that it is a
    byline (an author's: no outlet)."""

    date: str | None = None
    outlet: str | None = None
    byline: bool = False
    clock: str | None = None  # a time of day alone ("6:50 p.m.", under a date line)

    @property
    def any(self) -> bool:
        return self.date is not None or self.outlet is not None or self.byline \
            or self.clock is not None


def _date_of(part: str) -> str | None:
    """The date a dateline part gives, with or without a place before it."""
    return parse_date(part) or parse_date(_PLACE_FIRST.sub("", part, count=1))


def outlet_name(text: str) -> str | None:
    """An outlet's name as a masthead writes it ("*Meridian Wire*", "NORTHGATE POST",
    "(Meridian Wire)", "— The Valley Courier"), in title case; ``None`` for anything else."""
    name = re.sub(r"^[—–-]+\s*", "", text.strip().strip("*_`").strip()).strip("*_` ")
    name = name[1:-1].strip() if name.startswith("(") and name.endswith(")") else name
    words = name.split()
    if not 1 <= len(words) <= MAX_OUTLET_WORDS or len(name) > 50 \
            or re.search(r"\d|[.!?:;,\"“”()]", name) or not words[0][0].isupper() \
            or not all(w[0].isupper() or w.lower() in _SMALL or w[0] in "&'’" for w in words):
        return None
    if name.isupper():  # "NORTHGATE POST": Northgate Post (an acronym stays: "BBC")
        name = " ".join(w if len(w) <= 3 and w not in ("THE", "AND", "OF", "FOR") else
                        w.capitalize() if i == 0 or w.lower() not in _SMALL else w.lower()
                        for i, w in enumerate(words))
    return name


def title_outlet(title: str) -> tuple[str, str | None]:
    """A title without the outlet a web page appends to it ("Bridge toll rises to nine |
    Calloway Post": the title, and Calloway Post); the title unchanged and ``None`` when it
    names none."""
    head, sep, tail = title.rpartition(" | ")
    name = outlet_name(tail) if sep and head.strip() else None
    return (head.strip(), name) if name is not None else (title, None)


def masthead_line(line: str) -> MastheadLine:
    """What ``line`` (one line above a report's text) says of the report: a date ("Published
    3 March 2031 14:05"), an outlet ("NORTHGATE POST"), both ("*Meridian Wire* — Published
    ..."), or that it is a byline ("By Jane Smith"); nothing for a line of the text."""
    text = re.sub(r"[*_`]{1,3}([^*_`]+)[*_`]{1,3}", r"\1", line.strip())
    if (date := _date_of(text)) is not None:
        return MastheadLine(date=date)
    if (clock := _clock_line(text)) is not None:
        return MastheadLine(clock=clock)
    # "Posted 2037-05-11 at 07:50 by Carvessa Today staff": the date, then the byline
    if (by := re.match(r"(.+?)\s+(by\s+.+)$", text, re.I)) is not None \
            and (date := _date_of(by.group(1))) is not None \
            and (byline := masthead_line(by.group(2))).byline:
        return MastheadLine(date=date, outlet=byline.outlet, byline=True)
    head, *rest = _SEPARATOR.split(text)
    if rest and re.match(r"by\s", head, re.I):  # "By Estrian Wire staff · 16:40 CET"
        byline, tail = masthead_line(head), " ".join(rest)  # (the head holds no separator)
        date = _date_of(tail)
        clock = None if date is not None else _clock_line(tail)
        if byline.byline and (date is not None or clock is not None):
            return MastheadLine(date, byline.outlet, True, clock)
        # "By Ilka Brenner | The Marrow Courier | 10 March 2034, 08:05": a reporter, the
        # outlet, then the date
        said = [masthead_line(part) for part in rest]
        if byline.byline and len(rest) > 1 and all(p.any and not p.byline for p in said):
            return MastheadLine(next((p.date for p in said if p.date), None),
                                byline.outlet or next((p.outlet for p in said if p.outlet),
                                                      None),
                                True, next((p.clock for p in said if p.clock), None))
        # "By Anneke Dorsal, banking correspondent | Harbour Ledger": a reporter, then the
        # outlet
        if byline.byline and len(rest) == 1 and (outlet := outlet_name(tail)) is not None:
            return MastheadLine(outlet=outlet, byline=True)
    # "By Jonas Arvik, in Holmstad": where the reporter filed from is no part of the name
    by = re.match(r"^by\s+(.+?)(?:,?\s+in\s+[A-Z][\w'’ -]*)?$", text, re.I)
    if by:
        desk = _DESK.match(by.group(1))
        if desk:
            return MastheadLine(outlet=outlet_name(desk.group(1)), byline=True)
        # "By Ana Ruiz, Harbour Post", "By Lena Obrecht and Karl Sauer, Meridian Wire"
        names, _, outlet = by.group(1).rpartition(",")
        if names and (name := outlet_name(outlet)) is not None \
                and all(outlet_name(n) for n in re.split(r",|\band\b", names) if n.strip()):
            return MastheadLine(outlet=name, byline=True)
        return MastheadLine(byline=len(by.group(1).split()) <= MAX_OUTLET_WORDS
                            and outlet_name(by.group(1)) is not None)
    parts = [p for p in _SEPARATOR.split(text) if p.strip()]
    if len(parts) == 1:
        return MastheadLine(outlet=outlet_name(text))
    date, outlet = None, None
    i = 0
    while i < len(parts):  # "MARCH 4, 2031 — 09:15": a date and its time, split
        joined = _date_of(f"{parts[i]} {parts[i + 1]}") if i + 1 < len(parts) else None
        if date is None and joined is not None and ":" in joined[10:]:
            date, i = joined, i + 2
            continue
        if date is None and (one := _date_of(parts[i])) is not None:
            date = one
        elif (name := outlet_name(parts[i])) is not None:
            outlet = outlet or name  # "*The Harwick Courier* · City": the section after it
        elif date is not None and (placed := _outlet_place(parts[i])) is not None:
            outlet = outlet or placed  # "09.05.2037, 17:55 | Carvessa Today, Valdro"
        elif outlet is None and (desk := _DESK.match(parts[i])) is not None \
                and len(desk.group(1).split()) > 1 \
                and (name := outlet_name(desk.group(1))) is not None:
            outlet = name  # "11.09.2041 20:10 · Maruvel Daily Post business desk"
        elif (timed := _outlet_clock(parts[i])) is not None:
            outlet, clock = outlet or timed[0], timed[1]  # "COASTLINE POST, 07:45"
            if date is not None and len(date) == 10:
                date = parse_date(f"{date} {clock}") or date
        elif not (date is not None and outlet is not None and i == len(parts) - 1
                  and _SECTION.fullmatch(parts[i])):
            return MastheadLine()  # words of the text (not a section after a date and an
            # outlet: "STRAIT WIRE | 13 Oct 2032, 16:40 | Business desk")
        i += 1
    return MastheadLine(date=date, outlet=outlet)


#: a desk or section named after a masthead's outlet and date ("Business desk", "World news")
_SECTION = re.compile(r"[A-Z][\w&'’-]*(?:\s+[\w&'’-]+){0,3}")


def _outlet_place(part: str) -> str | None:
    """An outlet and the place it filed from ("Carvessa Today, Valdro"): the outlet, or
    ``None``."""
    name, sep, tail = part.rpartition(",")
    if not sep or not re.fullmatch(r"\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}", tail):
        return None
    return outlet_name(name)


def _outlet_clock(part: str) -> tuple[str, str] | None:
    """An outlet and the hour after it ("COASTLINE POST, 07:45"), or ``None``."""
    name, sep, tail = part.rpartition(",")
    if not sep or (outlet := outlet_name(name)) is None \
            or (clock := _clock_line(tail.strip())) is None:
        return None
    return outlet, clock


def _clock_line(text: str) -> str | None:
    """A line holding a time of day alone ("6:50 p.m.", "Posted 4:40 p.m.", "11:05 GMT"), as
    written; ``None`` for any other."""
    bare = re.sub(r"^(?:posted|updated|published|filed)\b\s*(?:at\s+)?:?\s*", "", text,
                  flags=re.I)
    if not re.match(r"\d{1,2}(?:[:.]\d\d|\s*[ap]\.?m\b)", bare, re.I):
        return None
    return bare if parse_date(f"2000-01-01 {bare}") not in (None, "2000-01-01") else None




#: a first paragraph opening with a date (and perhaps its hour), then a dash: "MARCH 4, 2031,
#: 7:45 PM — The fire ...", "Wednesday, March 5, 2031 — 6:15 p.m. — The hackers ..."
_DATE_FIRST = re.compile(r"^([^—–\n]{6,60}?)\s+(?:[—–]|-{1,2})(?:\s+(?=\S)|\s*$)")
#: a first paragraph's dateline: a place in capitals, then perhaps a region, a date and an
#: outlet in brackets, then a dash
_DATELINE = re.compile(r"^([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*)((?:,[^—–()\n]{1,60}?)?)"
                       r"(?:\s*\(([^()\n]{2,40})\))?\s+(?:[—–]|-{1,2})(?:\s+(?=\S)|\s*$)")
#: a place in its own case, a dash, then a date and a dash: "Dunmore — Monday 18 September
#: 2034 — Energy Minister ..."
_PLACE_DATE = re.compile(r"^([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+(?:[—–]|-{1,2})\s+"
                         r"([^—–\n]{6,60}?)\s+(?:[—–]|-{1,2})(?:\s+(?=\S)|\s*$)")
#: a place in capitals and its outlet in brackets, after a dateline's date ("BRAVENNE
#: (Meridian Wire)"), then perhaps a dash and the text
_PLACE_OUTLET = re.compile(r"^([A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,4})(,\s*[A-Z][\w'’.-]*(?:\s+"
                           r"[A-Z][\w'’.-]*){0,3})?\s*\(([^()\n]{2,40})\)\s*(?:(?:[—–]|-{1,2})\s*"
                           r"|$|\n+)")
_REGION = re.compile(r"^,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}$")


@dataclass(frozen=True)
class Dateline:
    """A first paragraph with its dateline trimmed to the place, and what the dateline gave."""

    text: str
    date: str | None = None
    outlet: str | None = None


#: an outlet and perhaps the hour, in brackets at the end of a dated first paragraph
#: ("... than the vessel's manifest showed. (Coastline Wire, 06:30)")
_SIGN_OFF = re.compile(r"\s*\(([^()\n,]{2,40}?)(?:,\s*([^()\n]{3,16}))?\)\s*$")


def read_dateline(paragraph: str) -> Dateline:
    """The outlet and date a paragraph's opening dateline gives ("VELSK, Aldoria (Meridian
    Wire) - ...": Meridian Wire; "PORT SELLAN, MARCH 4, 2031 — ...": 4 March), and the
    paragraph with them taken out of it ("VELSK, Aldoria — ..."); the paragraph unchanged
    when it opens with no such dateline. A dated paragraph may end with its outlet and hour
    in brackets ("(Coastline Wire, 06:30)"), which are taken out too."""
    line = _opening_dateline(paragraph)
    end = _SIGN_OFF.search(line.text) if line.outlet is None and line.date else None
    if end is None or line.date is None or (outlet := outlet_name(end.group(1))) is None:
        return line
    date = line.date
    if end.group(2) is not None:
        if (clock := _clock_line(end.group(2).strip())) is None:
            return line  # "(Smith, a lawyer)": words of the text
        if len(date) == 10:
            date = parse_date(f"{date} {clock}") or date
    return Dateline(line.text[:end.start()], date, outlet)


def _opening_dateline(paragraph: str) -> Dateline:
    """:func:`read_dateline` of the paragraph's opening alone."""
    lead = _DATE_FIRST.match(paragraph)
    if lead is not None and (date := parse_date(lead.group(1))) is not None:
        opening = _clocked(date, paragraph[lead.end():], "", None)
        # "FEBRUARY 10, 2036 — 18:05 — BRAVENNE (Meridian Wire)": the place and the outlet
        # after the date and the hour
        if (placed := _PLACE_OUTLET.match(opening.text)) is not None \
                and (outlet := outlet_name(placed.group(3))) is not None:
            rest = opening.text[placed.end():]
            return Dateline(f"{placed.group(1)}{placed.group(2) or ''} — {rest}"
                            if rest.strip() else "", opening.date, outlet)
        # (the text a sentence: "March 4, 2031 — 99:99" is no dateline)
        if not opening.text or re.match(r"[^\W\d_]|[\"“‘'(]", opening.text):
            return opening
    if (placed := _PLACE_DATE.match(paragraph)) is not None \
            and (date := parse_date(placed.group(2))) is not None:
        return _clocked(date, paragraph[placed.end():], f"{placed.group(1)} — ", None)
    m = _DATELINE.match(paragraph)
    if not m:
        return Dateline(paragraph)
    place, rest, bracket = m.group(1), m.group(2), m.group(3)
    outlet = outlet_name(bracket) if bracket else None
    if bracket and outlet is None:
        return Dateline(paragraph)
    date = None
    region = rest
    if rest and (no_year := no_year_date(rest.lstrip(","))) is not None:  # "March 3": the
        # masthead says the year, else the library gives it (:func:`index.dates.year_given`)
        date = no_year
        rest = region = ""
        if outlet is None:
            return Dateline(f"{place} — {paragraph[m.end():]}", date)
    if rest:
        pieces = rest.lstrip(",").split(",")
        for cut in range(len(pieces)):  # ", Aldoria, March 4, 2031": the region, then a date
            date = parse_date(",".join(pieces[cut:]).strip())
            if date is not None:
                region = "," + ",".join(pieces[:cut]) if cut else ""
                break
        if region.strip(", ") and not _REGION.match(region.rstrip(", ")):
            return Dateline(paragraph)  # words of the text ("NATO said on Monday -")
    if date is None and outlet is None:
        return Dateline(paragraph)
    return _clocked(date, paragraph[m.end():], f"{place}{region.rstrip(', ')} — ", outlet)


def _clocked(date: str | None, text: str, place: str, outlet: str | None) -> Dateline:
    """The dateline's text after ``place``, with the hour it was filed when one follows the
    date ("— 18:45 GMT — Divers found ...") taken into the date."""
    clock = _CLOCK_AFTER.match(text)
    named = outlet_name(clock.group(2)) if clock is not None and clock.group(2) else None
    timed = parse_date(f"{date} {clock.group(1)}") \
        if clock is not None and date is not None and len(date) == 10 else None
    timed = timed if timed is not None and len(timed) > 10 else None  # (a day alone: no hour)
    if clock is not None and (named is not None or not clock.group(2)) \
            and (timed is not None or clock.group(3) is not None):  # (a line "99:99": no hour)
        date = timed or date
        text = text[clock.end():]
        outlet = outlet or named
    # a dateline on a line of its own ("MARAVEL, MARCH 3, 2031, 17:20 —"): no text of its own
    return Dateline(f"{place}{text}" if text.strip() else "", date, outlet)


#: ... perhaps with the outlet in brackets after it, then a dash ("— 09:40 (Orlan Wire) —"),
#: or ending the dateline's line ("Brelstad, 8 July 2039 (Varnia Post) — 19:05")
_CLOCK_AFTER = re.compile(r"\s*(\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)\s*"
                          r"(?:\(([^()\n]{2,40})\)\s*)?(?:(?<=\s)([—–]|-{1,2})(?:\s+|$)|(?=\n|$))",
                          re.I)
