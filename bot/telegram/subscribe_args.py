"""Reading ``/subscribe`` arguments: a time of day, a time zone and topic words, in any order.

Times: ``7pm``, ``7 pm``, ``7:30am``, ``19:00``, ``7.30``, ``19h``, ``noon``, ``midnight``.
Zones: an IANA name in any case (``Europe/London``, ``utc``; not the bare legacy names
such as ``Turkey``, which are topic words), or a city, matched
case-insensitively against the last part of the regional IANA zones (``London``, ``new
york``, ``Sao_Paulo``). The first city names the zone unless an IANA name is given; later
ones are topic words. Everything else is the topic. A word that looks like a time or a zone
but is none (``13pm``, ``25:00``, ``Mars/Olympus``), a bare number, or a second time or
zone raises :class:`ConfigError`: it is never quietly taken as a topic.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import available_timezones

from bot.config import ConfigError, check_zone, parse_hhmm
from bot.telegram.render import clip

log = logging.getLogger(__name__)

REGIONS = frozenset({"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                     "Pacific"})
# Zone cities that are far more often ordinary words in a topic.
NOT_CITIES = frozenset({"christmas", "easter", "reunion", "wake", "midway"})
MAX_CITY_WORDS = 3
MAX_TOPIC = 100  # characters of topic words: a few words, and every reply echoing them fits
MAX_ZONE = 64  # characters: the longest IANA name has 32
SHOWN = 40  # characters of a word quoted back in an error

_TIME = re.compile(r"(?P<h>\d{1,2})(?:(?P<sep>[:.h])(?P<m>\d{2})?)?(?P<ampm>[ap]\.?m\.?)?",
                   re.IGNORECASE)
_AMPM = re.compile(r"[ap]\.?m\.?", re.IGNORECASE)
_ZONE_LIKE = re.compile(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+")
_NAMED = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}


@dataclass
class ParsedSubscribe:
    time: str
    zone: str
    topic: str | None


@functools.cache
def _zones() -> dict[str, str]:
    """Every IANA zone by its lower-cased name."""
    return {name.lower(): name for name in available_timezones()}


@functools.cache
def _cities() -> dict[str, str]:
    """Regional zones by their city, lower-cased (``new_york`` -> ``America/New_York``);
    the shortest name wins when two zones share a city."""
    out: dict[str, str] = {}
    for name in sorted(available_timezones(), key=lambda n: (len(n), n)):
        parts = name.split("/")
        if len(parts) == 2 and parts[0] in REGIONS:
            out.setdefault(parts[1].lower(), name)
    for word in NOT_CITIES:
        out.pop(word, None)
    return out


def parse_time(word: str) -> tuple[int, int] | None:
    """``(hour, minute)`` of a time-of-day word; ``None`` when the word is not time-like;
    :class:`ConfigError` when it looks like a time but is not one (``13pm``, ``7``)."""
    if word.lower() in _NAMED:
        return _NAMED[word.lower()]
    match = _TIME.fullmatch(word)
    if match is None:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").lower()[:1]
    if not match["sep"] and not ampm:
        raise ConfigError(f"{word!r} is not a time: say 7am, 7pm or 19:00")
    if ampm:
        if not 1 <= hour <= 12:
            raise ConfigError(f"{word!r} is not a time: with am/pm the hour is 1-12")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59:
        raise ConfigError(f"{word!r} is not a time of day (00:00-23:59)")
    return hour, minute


def parse_subscribe(args: Sequence[str], default_time: str, default_zone: str
                    ) -> ParsedSubscribe:
    """The time, zone and topic in ``args`` (any order), defaults for what is not given."""
    words = [w.strip(",;") for w in args if w.strip(",; ")]
    # "7 pm", "7:30 a.m.": an am/pm word belongs to the number before it.
    joined: list[str] = []
    for w in words:
        if joined and _AMPM.fullmatch(w) and re.fullmatch(r"[\d:.h]+", joined[-1]):
            joined[-1] += w
        else:
            joined.append(w)
    time: tuple[int, int] | None = None
    zone: str | None = None
    topic: list[str] = []
    explicit = any(_is_zone_name(w) for w in joined)
    i = 0
    while i < len(joined):
        word = joined[i]
        hhmm = parse_time(word)
        if hhmm is not None:
            if time is not None:
                raise ConfigError(f"two times of day ({time[0]:02d}:{time[1]:02d} and "
                                  f"{word!r})")
            time, i = hhmm, i + 1
            continue
        if _is_zone_name(word):
            if zone is not None:
                raise ConfigError(f"two time zones ({zone} and {clip(word, SHOWN)})")
            if len(word) > MAX_ZONE:
                raise ConfigError(f"{clip(word, SHOWN)!r} is not an IANA time zone such as "
                                  "Europe/Berlin")
            zone, i = check_zone(_zones().get(word.lower(), word)), i + 1
            continue
        city = None if explicit or zone is not None else _city_at(joined, i)
        if city is not None:
            zone, i = city[0], i + city[1]
            continue
        topic.append(word)
        i += 1
    if (too_long := topic_too_long(" ".join(topic))) is not None:
        raise ConfigError(too_long)
    h, m = time if time is not None else parse_hhmm(default_time)
    return ParsedSubscribe(f"{h:02d}:{m:02d}", zone or default_zone, " ".join(topic) or None)


def topic_too_long(topic: str) -> str | None:
    """Why ``topic`` cannot be a digest topic (over :data:`MAX_TOPIC` characters), or
    ``None`` when it can."""
    if len(topic) <= MAX_TOPIC:
        return None
    return (f"the topic is too long ({len(topic):,} characters, at most {MAX_TOPIC}): a few "
            "words will do, e.g. dock strike")


def _is_zone_name(word: str) -> bool:
    """Whether ``word`` is meant as an IANA name: ``UTC``, ``GMT``, or ``Area/Place`` with a
    capital or a known area (``Mars/Olympus`` is a bad zone, ``and/or`` a topic word); bare
    legacy names (``Japan``, ``Turkey``) are topic words."""
    if word.upper() in {"UTC", "GMT"}:
        return True
    if _ZONE_LIKE.fullmatch(word) is None:
        return False
    area = word.split("/", 1)[0]
    return area[:1].isupper() or area.lower() in _areas()


@functools.cache
def _areas() -> frozenset[str]:
    return frozenset(name.split("/", 1)[0].lower() for name in available_timezones()
                     if "/" in name)


def _city_at(words: Sequence[str], i: int) -> tuple[str, int] | None:
    """The zone of the city named by the words from ``i`` on (longest first), and how many
    words it took."""
    for n in range(min(MAX_CITY_WORDS, len(words) - i), 0, -1):
        key = "_".join(words[i:i + n]).lower()
        if key in _cities():
            return _cities()[key], n
    return None
