"""What a sentence leans on: the sentence before it and its report's title.

A sentence that opens with a pronoun or a definite description ("He said …", "The company
said …", "The vessel reached port …") does not name its subject; the sentence before does.
:func:`leans_on_previous` spots such openings; :func:`neighbours` fetches, for many
sentences at once, the sentence before each and the title of its report, which the
reranker scores (:mod:`index.rerank`) and answers quote as context (:mod:`index.answer`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.dbapi import Connection

_PRONOUN = re.compile(r"^[\"“'(]*(?:he|she|it|they|his|her|its|their|them|this|these|those|"
                      r"that|such|both|the two|each|another|all three|the latter|"
                      r"the former|of (?:the|those) \d[\d,]*(?=,))\b", re.I)
_DEFINITE = re.compile(
    r"^[\"“'(]*(?:but |and |however,? |also,? |earlier,? |meanwhile,? )?the (?:new |two |"
    r"three |former |proposed |chemical |holding |parent |rating |central |diversified )?"
    r"(?:company|companies|bank|banks|firm|group|agency|unit|subsidiary|government|"
    r"ministry|department|board|committee|commission|official|officials|spokesman|"
    r"spokeswoman|president|chairman|minister|governor|secretary|vessel|ship|plant|"
    r"smelter|mine|well|guild|union|report|offering|issue|loan|notes|bonds?|debentures|"
    r"deal|venture|plan|bill|index|chip|tour|contract|system|airline|partnership|"
    r"service|agreement|stake|sale|acquisition|merger|fund|project|package|rule|law|"
    r"proposal|statement|court|judge|institute|association|council|authority|utility|"
    r"refinery|pipeline|concern|giant|maker|producer|retailer|operator|carrier|"
    r"newspaper|daily|agency|spokesperson|source|sources|analyst|executive|"
    r"administration|country|state|city|province|region|area|island|port|exchange|"
    r"market|council|treasury|cabinet|party|army|military|police|leader|team|"
    r"delegation|mission|guideline|facility|program|programme|move|decision|"
    r"increase|cut|decline|rise|drop|figure|figures|result|results|data|estimate|"
    r"forecast|rate|price|prices)\b", re.I)
_SAID_CLOSING = re.compile(r"[,?!.…][\"”’']\s+(?:he|she|they)\s+(?:said|says|added|told\s+\w+)"
                           r"[^\"”]{0,40}$", re.I)
_SAID_OPENING = re.compile(r"^[^,]{0,40}\b(?:it|he|she|they) (?:said|added|noted|told)\b",
                           re.I)


# "The state fire marshal, Lucan Threlfall, said ...": the description names its own subject
_NAMED_AFTER = re.compile(r"^[^,]{0,60},\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+,")


#: words after "the <noun>" that keep it the subject ("The company said", "The bank of ..."):
#: any other lower-case word makes the noun a modifier of the next ("The official death toll")
_SUBJECT_GOES_ON = frozenset("""said says say has had have is was were are will would could can
may might should must also added told of in on at for to from and or but which that who whose
with by as its their his her not now still then been spoke rose fell won lost took made gave
went came met began ran sent held left bought sold paid put set cut hit grew struck broke
agreed""".split())
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


def leans_by_pronoun(text: str) -> bool:
    """Whether ``text`` opens with a pronoun ("He said ...", "It said ..."): only the
    sentence before says who or what."""
    return bool(_PRONOUN.match(text) or _SAID_OPENING.match(text))


def said_by_pronoun(text: str) -> bool:
    """Whether only a pronoun says who says ``text`` ("'Tents will not be enough,' she
    said.", "It said its teams had counted 260 cases"): the sentence before names them."""
    return bool(_SAID_CLOSING.search(text) or _SAID_OPENING.match(text))


def leans_on_previous(text: str) -> bool:
    """Whether ``text`` refers back to something the sentence before named."""
    if leans_by_pronoun(text):
        return True
    m = _DEFINITE.match(text)
    if m is None or _NAMED_AFTER.match(text):
        return False
    nxt = _NEXT_WORD.match(text, m.end())
    while nxt is not None and _DEFINITE.match(f"the {nxt.group(1)}"):  # "the union leader"
        nxt = _NEXT_WORD.match(text, nxt.end())
    return nxt is None or nxt.group(1) in _SUBJECT_GOES_ON or nxt.group(1).endswith(("ed", "s"))


@dataclass(frozen=True)
class Neighbours:
    """For each of many sentences (aligned): its report's title and the sentence before
    it (``""`` and a zero vector when it opens its report), and the cosine of the two
    sentences (0 when there is none before; ``None``: not known, taken as 0)."""

    titles: list[str]
    previous: list[str]
    previous_vectors: npt.NDArray[np.float32]
    previous_similarity: npt.NDArray[np.float32] | None = None


def neighbours(db: Connection, ids: Sequence[int], dim: int) -> Neighbours:
    """The title and previous sentence of each sentence in ``ids``, in one pass."""
    found: dict[int, tuple[str, str, bytes | None, bytes]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        for sid, title, prev, blob, own in db.execute(
                "SELECT s.id, r.title, p.text, p.vector, s.vector FROM sentences s "
                "JOIN reports r ON r.id = s.report_id "
                "LEFT JOIN sentences p ON p.report_id = s.report_id "
                "AND p.position = s.position - 1 "
                f"WHERE s.id IN ({marks})", chunk):
            found[int(sid)] = (str(title), str(prev or ""), blob, own)
    vectors = np.zeros((len(ids), dim), dtype=np.float32)
    similarity = np.zeros(len(ids), dtype=np.float32)
    titles, previous = [], []
    for row, sid in enumerate(ids):
        title, prev, blob, own = found.get(sid, ("", "", None, b""))
        titles.append(title)
        previous.append(prev)
        if blob:
            vectors[row] = np.frombuffer(blob, dtype=np.float32)
            if own:
                similarity[row] = float(vectors[row] @ np.frombuffer(own, dtype=np.float32))
    return Neighbours(titles, previous, vectors, similarity)
