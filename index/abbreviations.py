"""Words that news copy and readers write two ways: an abbreviation and its expansion ("CEO"
and "chief executive", "IDPs" and "internally displaced"), a wire-service short form and
the word ("mln" and "million", "pct" and "percent"); and a verb's irregular forms ("break",
"broke", "broken": :func:`other_forms`). :func:`word_key` lets a plural meet its singular.

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
    "fx": ("foreign", "exchange"), "forex": ("foreign", "exchange"),
    "ecb": ("european", "central"),
    # "new cases in the last 24h": "in the previous 24 hours"
    "24h": ("24", "hours"), "24hrs": ("24", "hours"), "48h": ("48", "hours"),
    "72h": ("72", "hours"),
}

#: words that mean the same (wire-service short forms)
SAME: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "mln million millions", "bln billion billions", "pct percent", "dlrs dlr dollars dollar",
    "stg sterling", "yr year", "ppl people",
    # units written short or spelt out, either side of the Atlantic
    "km kms kilometre kilometres kilometer kilometers", "kg kgs kilogram kilograms kilos",
    "mm millimetre millimetres millimeter millimeters", "metre metres meter meters",
    "tonne tonnes ton tons", "op ops operation operations",
    # words a reader types for the reports' own
    "kid kids child children", "quake quakes earthquake earthquakes", "troops soldiers",
    "judge justice", "judges justices",  # "Justice Miriam Oduya" is the judge asked about
    "boss chief", "bosses chiefs", "jab jabs vaccination vaccinations",
    "quit quits resign resigns resigned",
    "probe probes inquiry inquiries investigation investigations", "evac evacuation",
))
#: a verb's irregular forms ("when did the talks break down?" of "talks broke down"), and
#: "leader" of "who leads the union?" (its first five letters miss "leads"); left out: forms
#: that are also common other words ("won", "found", "saw", "left", "lay")
IRREGULAR: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in """
arise arose arisen|become became|begin began begun|blow blew blown|break broke broken|
bring brought|build built|buy bought|catch caught|choose chose chosen|draw drew drawn|
drive drove driven|eat ate eaten|fall fell fallen|fight fought|flee fled|fly flew flown|
forbid forbade forbidden|forget forgot forgotten|freeze froze frozen|give gave given|
go went gone|grow grew grown|hold held|know knew known|lend lent|lose lost|meet met|
pay paid payout payouts|ride rode ridden|rise rose risen|seek sought|sell sold|send sent|
shake shook shaken|shoot shot|sink sank sunk|sleep slept|speak spoke spoken|spend spent|stand stood|
steal stole stolen|strike struck stricken|swear swore sworn|sweep swept|swim swam swum|
take took taken|teach taught|tear tore torn|tell told|think thought|throw threw thrown|
understand understood|wake woke woken|wear wore worn|withdraw withdrew withdrawn|
write wrote written|lead leads led leader leaders""".replace("\n", " ").split("|"))
_SAME_OF = {w: group for group in SAME for w in group}
_FORMS_OF = {w: group for group in IRREGULAR for w in group}


def word_key(word: str) -> str:
    """The first five letters of ``word`` without a plural's final "s", so that "a320s",
    "cars" and "ships" meet "A320", "car" and "ship" (five letters alone kept them apart)."""
    return (word[:-1] if len(word) > 3 and word.endswith("s") else word)[:5]


def other_forms(word: str) -> frozenset[str]:
    """The other forms of an irregular verb (``"break"``: ``{"broke", "broken"}``); used by
    the "not found" check only (in the lexical query and the reranker's word overlap they
    measured no better: BENCHMARKS.md)."""
    return _FORMS_OF.get(word, frozenset()) - {word}


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
