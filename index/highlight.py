"""The key span to bold in a quote, taken from the sentence's stored entities.

The span is a whole entity of the type the question asks for (:mod:`index.qtype`) that the
question does not already name, nearest the question's own words — so a name is never cut
("Laura Méndez", not "Laura") and a figure comes with its unit. When the sentence has no
such entity, the pattern-based :func:`index.figures.key_span` is the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.entities import Entity
from index.figures import key_span, question_kind
from index.qtype import expected_types
from index.rerank import answer_entities

_PREFERENCE = ("person", "money", "percent", "date", "place", "org", "quantity")


def _anchors(question: str, sentence: str) -> list[list[int]]:
    q = {w[:6] for w in re.findall(r"[a-z0-9]+", question.lower()) if len(w) > 2}
    found: dict[str, list[int]] = {}
    for m in re.finditer(r"[A-Za-z0-9]+", sentence):
        stem = m.group(0).lower()[:6]
        if stem in q:
            found.setdefault(stem, []).append(m.start())
    return list(found.values())


def highlight(question: str, sentence: str, entities: Sequence[Entity]) -> str | None:
    """The span of ``sentence`` that answers ``question``, or ``None`` (also when the
    sentence holds nothing of the asked type: better no bold than a wrong one)."""
    labels = expected_types(question)
    if labels:
        found = answer_entities(question, entities, labels)
        if not found:
            return None
        if found:
            anchors = _anchors(question, sentence)

            def cost(e: Entity) -> tuple[int, int]:
                near = sum(min(min(abs(a - e.start), abs(a - e.end)) for a in places)
                           for places in anchors)
                rank = _PREFERENCE.index(e.label) if e.label in _PREFERENCE else 99
                return near, rank

            return min(found, key=cost).text
    kind = question_kind(question)
    return key_span(question, sentence, kind) if kind else None
