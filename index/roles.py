"""Whose head, chair or spokesman a sentence names: the owner of a role word.

"who heads the port authority?" asks for the holder of a role of one body (:func:`asked_owner`:
``{"port", "authority"}``). A sentence names a role with its owner in a few set ways, read by
:func:`role_owner`: before it ("Union leader Joao Pereira", "Acme's president"), after it
("chairman of Hoechst Celanese"), or through a pronoun whose body the sentence before names
("Its chief executive, Mira Santos" after "..., the port authority said"). A quote whose role
belongs to another body ("Union leader ...") answers another question: the answer puts a close
quote whose role is the asked body's first (:func:`index.answer.compose_answer`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.qtype import ROLE
from index.retrieve import query_terms

#: words of a body's name that name no body (beside :data:`index.retrieve.STOPWORDS`)
_NOT_A_NAME = frozenset("new current former acting deputy vice says".split())
_ROLE_RE = rf"(?:{ROLE})s?"
_ASKED = tuple(re.compile(p, re.I) for p in (
    r"^\s*who\s+(?:now\s+|currently\s+)?(?:heads|leads|runs|chairs|directs|manages|"
    r"is\s+(?:the\s+)?(?:head|leader|chief|boss)\s+of)\s+"
    r"(?P<x>[^?]+)",
    rf"^\s*who\s+(?:is|was)\s+(?:the\s+)?(?:new\s+|current\s+)?{_ROLE_RE}\s+(?:of|at|for)\s+"
    r"(?P<x>[^?]+)",
    rf"^\s*who\s+(?:is|was)\s+(?P<x>[^?]+?)'s?\s+(?:new\s+|current\s+)?{_ROLE_RE}\s*\??\s*$",
    rf"^\s*who\s+(?:is|was)\s+(?:the\s+)?(?P<x>[^?]+?)\s+(?:new\s+)?{_ROLE_RE}\s*\??\s*$",
))
_POSSESSIVE = re.compile(r"\b(?:its|his|her|their)\s+(?:(?:new|former|acting|deputy)\s+)?$",
                         re.I)
_BEFORE = re.compile(r"((?:[\w&.'-]+\s+){1,4})$")
_OF = re.compile(r"\s+(?:of|at)\s+((?:the\s+)?[^,;:.()\"]{2,60})")
_FORMER = re.compile(r"\b(?:former|formerly|ex|previously|retired|outgoing)\b[\s-]+"
                     r"(?:[\w.&'-]+\s+){0,3}$", re.I)
_BOUNDARY = frozenset("""the a an said says and or but to from with by that which who while
as than""".split())


def _content(text: str) -> set[str]:
    return set(query_terms(text)) - _NOT_A_NAME


def asked_owner(question: str) -> set[str] | None:
    """The words of the body whose head a question asks for ("who heads the port
    authority?": ``{"port", "authority"}``); ``None`` when it asks for no role's holder."""
    for pattern in _ASKED:
        m = pattern.match(question)
        if m:
            words = _content(m.group("x"))
            return words or None
    return None


def role_owner(sentence: str, previous: str = "", people: Iterable[str] = ()
               ) -> set[str] | None:
    """The words of the body whose role the sentence's first current role names
    (``previous``: the sentence before, for "Its chief executive"; ``people``: the names of
    people the sentence holds, never an owner: "named Lawrence Johnes president"); ``None``
    without one, or when its owner is not written in one of the set ways (a former role,
    "formerly president of American Hoechst", is no one's now)."""
    named = set().union(*(_content(p) for p in people))
    for m in re.finditer(rf"\b{_ROLE_RE}\b", sentence, re.I):
        before = sentence[:m.start()]
        if _FORMER.search(before):
            continue
        if _POSSESSIVE.search(before):
            return _content(previous) or None
        if (of := _OF.match(sentence, m.end())) is not None:
            return _content(of.group(1)) or None
        if (lead := _BEFORE.search(before)) is not None:
            words: list[str] = []
            for w in reversed(lead.group(1).split()):  # capitalised words: "Union leader"
                if not w[0].isupper() or w.lower() in _BOUNDARY or w[-1] in ",;:\"(":
                    break
                words.append(re.sub(r"'s$", "", w))
            # (not a rank: the "Detective" of "Detective Superintendent")
            if not all(re.fullmatch(_ROLE_RE, w, re.I) for w in words):
                return (_content(" ".join(words)) - named) or None
        after = sentence[m.end():].lstrip()
        if not any(after.startswith(p) for p in people) \
                and not re.match(rf"{_ROLE_RE}\b", after, re.I) \
                and not re.match(r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+,", after):
            return None
        # (a rank before a name, "Detective Superintendent Yara Falkenrath, head of the
        # National Police Cyber Crime Unit": the role after the name may say whose)
    return None


def same_body(asked: set[str], owner: set[str]) -> bool:
    """Whether a role's owner names the asked body: a word of one begins a word of the other
    ("fed": "Federal"), or they share their first five letters."""
    return any(a[:5] == o[:5] or (len(a) >= 3 and o.startswith(a)) or
               (len(o) >= 3 and a.startswith(o)) for a in asked for o in owner)
