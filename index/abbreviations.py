"""Words that news copy and readers write two ways: an abbreviation and its expansion ("CEO"
and "chief executive", "IDPs" and "internally displaced"), or a wire-service short form and
the word ("mln" and "million", "pct" and "percent").

:func:`also_meant` gives, for a text's lower-case words, the other forms they stand for, so
that a question's "CEO" meets a sentence's "chief executive" (and the other way round) in
the lexical query, the reranker's word overlap and the "not found" check. Expansions count
only when all their words are there.
"""

from __future__ import annotations

from collections.abc import Iterable

#: abbreviation -> the words it stands for (the words a sentence must all hold)
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "ceo": ("chief", "executive"), "cfo": ("chief", "financial"),
    "coo": ("chief", "operating"), "gdp": ("gross", "domestic"), "gnp": ("gross", "national"),
    "cpi": ("consumer", "price"), "ipo": ("initial", "public"),
    "un": ("united", "nations"), "eu": ("european", "union"), "ec": ("european", "community"),
    "imf": ("international", "monetary"), "nato": ("north", "atlantic"),
    "idp": ("internally", "displaced"), "idps": ("internally", "displaced"),
    "ngo": ("non", "governmental"), "ngos": ("non", "governmental"),
    "q1": ("first", "quarter"), "q2": ("second", "quarter"), "q3": ("third", "quarter"),
    "q4": ("fourth", "quarter"), "hq": ("headquarters",), "govt": ("government",),
    "pm": ("prime", "minister"), "mp": ("member", "parliament"),
}

#: words that mean the same (wire-service short forms)
SAME: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "mln million millions", "bln billion billions", "pct percent", "dlrs dlr dollars dollar",
    "stg sterling", "yr year", "ppl people",
))
_SAME_OF = {w: group for group in SAME for w in group}


def also_meant(words: Iterable[str]) -> set[str]:
    """The other forms the lower-case ``words`` stand for (not the words themselves)."""
    have = set(words)
    out: set[str] = set()
    for w in have:
        if w in EXPANSIONS:
            out.update(EXPANSIONS[w])
        if w in _SAME_OF:
            out.update(_SAME_OF[w])
    out.update(abbr for abbr, words_of in EXPANSIONS.items() if have.issuperset(words_of))
    return out - have
