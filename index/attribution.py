"""Who a sentence says gives its figure: "Relief groups said some 23,000 ...", "..., the
provincial emergency office said on Tuesday", "according to officials".

:func:`claimant` finds the speaker of a reporting verb by pattern, in the three places news
copy puts it (the subject before the verb, a trailing ", X said", "according to X"), cut to
its head ("relief groups", not "relief groups working in Marenthal province"). The figures
over time carry it (:mod:`index.timeline`): where one outlet gives two figures for one date
the reader sees whose each is, rather than an outlet contradicting itself, and the lists of
disagreeing figures name it. A pronoun, a phrase with a figure in it, or no reporting verb
gives ``None``.

:func:`asked_claimant` reads the other way: whose figure a question asks for ("how many
cases according to the aid agency?"), so that the answer gives theirs.
"""

from __future__ import annotations

import re

_VERB = (r"(?:said|says|say|reported|reports|estimated|estimates|put|puts|counted|counts|"
         r"announced|announces|confirmed|confirms|told|revised|revises|corrected|corrects|"
         r"updated|updates)")  # "The coastguard revised the number ...": its figure
_SPEAKER = r"([^\W\d][^,;:\"“”()]{1,80}?)"
_LEADING = re.compile(rf"^{_SPEAKER}\s+(?:(?:now|also|later|earlier|still|again|has|have|"
                      rf"had)\s+)*{_VERB}\b")
_TRAILING = re.compile(rf",\s*{_SPEAKER}\s+{_VERB}(?:\s+on\s+\w+|\s+\w+day)?\s*[.!]?\s*$")
_ACCORDING = re.compile(rf"\baccording\s+to\s+{_SPEAKER}\s*(?:[,;.]|$)", re.I)
_CUT = re.compile(r"\s+(?:working|based|in|at|from|on|for|who|which|that|with)\s.*$")
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)
_PRONOUNS = frozenset("he she it they we i you this that these those who".split())
MAX_WORDS = 6
_NO_ONE = _PRONOUNS | {"the", "an", "them", "him", "her", "us", "me", "reports", "report"}
_ASKED = re.compile(r"\baccording\s+to\s+(?:the\s+)?([^?.!,;]{2,60}?)\s*(?:[?.!,;]|$)", re.I)
_WORDS = re.compile(r"[^\W\d_]+")


def claimant(sentence: str) -> str | None:
    """The speaker the sentence attributes its statement to, or ``None``."""
    text = sentence.strip()
    for pattern, at_start in ((_ACCORDING, False), (_TRAILING, False), (_LEADING, True)):
        m = pattern.search(text)
        if m and (who := _head(m.group(1), at_start)):
            return who
    return None


def _head(phrase: str, at_start: bool) -> str | None:
    """The speaker phrase cut to its head; ``None`` for a pronoun, a figure or a clause."""
    words = _DETERMINER.sub("", _CUT.sub("", phrase.strip())).split()
    if (not words or len(words) > MAX_WORDS or words[0].lower() in _PRONOUNS
            or any(c.isdigit() for c in phrase)):
        return None
    first = words[0]
    if at_start and first[:1].isupper() and first[1:].islower() and \
            first.lower() in _COMMON_HEADS:
        words[0] = first.lower()  # "Relief groups": capitalised only as the first word
    return " ".join(words)


#: First words of a speaker that are capitalised only because they open the sentence
#: ("Relief groups", "Union leader Joao Pereira"); any other stays as written ("Reuters").
_COMMON_HEADS = frozenset("""union relief aid officials official police rescue rescuers local
regional state provincial city county government company analysts traders dealers
economists experts witnesses residents authorities doctors volunteers organisers organizers
sources spokesman spokeswoman""".split())


def asked_claimant(question: str) -> set[str]:
    """The words (lower-case 5-letter prefixes) of whom a question asks the figure of, after
    "according to" ({"red", "lante"} of "how many cases according to Red Lantern?"); empty
    when it names no one."""
    m = _ASKED.search(question)
    return {w.lower()[:5] for w in _WORDS.findall(m.group(1))
            if len(w) > 1 and w.lower() not in _NO_ONE} if m else set()


def names_claimant(words: set[str], text: str) -> bool:
    """Whether ``text`` names every word of :func:`asked_claimant`'s ``words``."""
    return bool(words) and words <= {w.lower()[:5] for w in _WORDS.findall(text)}
