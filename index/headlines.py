"""Whether a report title or a sentence stands on its own as an event's headline.

A headline has to name its subject and read as prose: not a bare results line (``Shr 11 cts
vs 21 cts``, ``4th qtr ended March 31``), not a table row or a run of figures, not a sentence
that leans on the one before it (``He said ...``, ``It added ...``, ``But ...``).
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

# Openers that point back to an earlier sentence instead of naming the subject.
_LEANING = frozenset("""
he she it they we i you this that these those his her its their our my your there such but
and or also however meanwhile yet so then still both thus hence further furthermore moreover
besides instead otherwise nevertheless nonetheless here him them us
""".split())
# The vocabulary of company-results lines and tables.
_RESULTS = frozenset("""
shr shrs net revs rev qtr qtrs cts ct vs vs. mln mlns bln dlrs dlr stg pct avg oper loss
profit sales div dividend mths mth nine six three four year yr ended end note notes pay
payable record prior shares loans deposits assets turnover pretax pre-tax tax
""".split())
_WORD = re.compile(r"[^\s]+")
_LETTERS = re.compile(r"[A-Za-z]")


def _tokens(text: str) -> list[str]:
    return [t.strip(",;:()[]<>\"'“”‘’") for t in _WORD.findall(text)]


def _first_word(tokens: list[str]) -> str:
    return next((t.lower() for t in tokens if t), "")


def results_line(text: str, share: float = 0.4) -> bool:
    """True for a line of figures: opening with a results word or a number (``Shr 11 cts vs
    21 cts``, ``4th qtr ended March 31``), or at least ``share`` of its words figures and
    results words."""
    tokens = [t for t in _tokens(text) if t]
    if not tokens:
        return True
    first = tokens[0].lower()
    if first in {"shr", "shrs", "net", "revs", "qtr", "oper", "avg", "loss", "profit"}:
        return True
    if first[0].isdigit() or first[0] in "$-+(":
        return True
    figures = sum(1 for t in tokens if any(c.isdigit() for c in t)
                  or t.lower().rstrip(".") in _RESULTS)
    return figures >= share * len(tokens)


def leans_back(text: str) -> bool:
    """True when the text opens with a pronoun or a connective (``He said``, ``But``)."""
    return _first_word(_tokens(text)) in _LEANING


def _names_something(tokens: list[str]) -> bool:
    words = [t for t in tokens if t and _LETTERS.match(t)]
    if not words:
        return False
    if any(w[0].isupper() for w in words[1:]):
        return True  # a capitalised word inside the text: a name
    return words[0][0].isupper() and words[0].lower() not in _LEANING | {"the", "a", "an"}


def standalone_sentence(text: str, *, min_words: int = 6, max_words: int = 60) -> bool:
    """True when a sentence could head an event: prose of a sensible length that names
    something, neither a results line nor leaning on an earlier sentence."""
    tokens = [t for t in _tokens(text) if t]
    if not min_words <= len(tokens) <= max_words:
        return False
    if "http://" in text or "https://" in text or text.lstrip().startswith("#"):
        return False
    if text.rstrip().endswith(":") or "\t" in text or "   " in text:
        return False  # introduces a list or is a table row
    return not results_line(text) and not leans_back(text) and _names_something(tokens)


def usable_title(title: str) -> bool:
    """True when a report title can head an event as it is: three to twenty-five words of
    mostly letters, not cut off (``...``), not a path or URL, not opening with a results
    word, a number or a pronoun."""
    t = title.strip()
    tokens = [x for x in _tokens(t) if x]
    if not 3 <= len(tokens) <= 25 or t.endswith(("...", "…")):
        return False
    if "://" in t or re.search(r"\.(?:md|txt|html?|jsonl?)$", t, re.I):
        return False
    wordy = sum(1 for x in tokens if _LETTERS.search(x))
    # A title may carry figures after its subject (``ACME CORP 4TH QTR NET``).
    return (wordy >= 0.6 * len(tokens) and not results_line(t, share=1.1)
            and not leans_back(t))
