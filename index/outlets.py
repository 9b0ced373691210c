"""The outlets a question names ("what did the Herald report?", "according to Valley Radio").

:func:`named_outlets` finds them among the library's outlet names: by the whole name, or by a
word of it (three letters or more) that names nothing in the reports' text (``herald`` of
"Northern Herald", when no sentence says "herald") and no other outlet shares; "Port
Calder" in a question is a place, not "Calder Business Daily". The question comes back
without those words, so that the answer is looked for in what the outlet reported rather
than for its name, and without the words that ask for its reporting ("say", "report",
"latest"): when nothing is left to look for ("what did the Herald report?") the outlet's
newest reports answer. :func:`from_outlets` says whether a report is one of theirs (first or
as a copy).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from index.models import Report

#: words of outlet names that say what kind of outlet it is, not which
_GENERIC = frozenset("""the a an of and news daily weekly times post radio tv television wire
press agency online network media service business journal review magazine channel""".split())
#: what a question asks of an outlet when it asks for nothing else
_REPORTING = frozenset("""report reports reported reporting say says said saying write writes
wrote written tell tells told publish publishes published latest new news story stories
coverage cover covers covered""".split())
_WORD = re.compile(r"[^\W_]+")
#: what is left of "what does the Tribune say about X?" once the outlet and "say" are out
_ABOUT = re.compile(r"^(?:what|anything)\s+(?:(?:does|did|do|has|have|is)\s+)?(?:from\s+)?"
                    r"(?:the\s+)?(?:about|of|on(?=\s+the\b))\s+(.+)$", re.I)


def named_outlets(question: str, names: Sequence[str], in_text: Callable[[str], bool]
                  ) -> tuple[list[str], str]:
    """The outlets of ``names`` that ``question`` names, and ``question`` without their
    words. ``in_text(word)`` says whether some report's text uses the word."""
    words = [w.lower() for w in _WORD.findall(question)]
    at: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        at.setdefault(w, []).append(i)
    owners: dict[str, set[str]] = {}
    for name in names:
        for w in _WORD.findall(name.lower()):
            owners.setdefault(w, set()).add(name)
    found: list[str] = []
    taken: set[str] = set()
    for name in names:
        parts = _WORD.findall(name.lower())
        if parts and not set(parts) <= _GENERIC and any(
                words[i:i + len(parts)] == parts for i in at.get(parts[0], ())):
            found.append(name)
            taken.update(parts)
            continue
        own = [w for w in parts if len(w) > 2 and w not in _GENERIC and owners[w] == {name}]
        hits = [w for w in own if w in at and not in_text(w)]
        if hits:
            found.append(name)
            taken.update(hits)
    if not found:
        return [], question
    dropped = sorted(taken | _REPORTING, key=len, reverse=True)
    rest = re.sub(r"\b(?:" + "|".join(re.escape(w) for w in dropped) + r")\b(?:'s)?", " ",
                  question, flags=re.IGNORECASE)
    rest = re.sub(r"\b(?:according to|in|from|by|of)\s+(?:the\s+)?(?=[?.!,]|\s*$)", " ", rest,
                  flags=re.IGNORECASE)
    rest = re.sub(r"\s+", " ", rest).strip()
    # "what does the Tribune say about containment?": the outlet's news of it
    if m := _ABOUT.match(rest):
        rest = f"news about {m.group(1)}"
    return found, rest


def from_outlets(report: Report, outlets: Collection[str]) -> bool:
    """Whether ``report`` was published by one of ``outlets`` (first or as a copy)."""
    return report.source in outlets or any(a.source in outlets
                                           for a in report.also_reported_by)
