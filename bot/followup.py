"""Follow-up questions in a conversation: "and deaths?" after "how many cases in Vellmoor?"
is read as "how many deaths in Vellmoor?", "and in Eastbank?" as "how many cases in
Eastbank?". The library answers each question alone; the front ends (the terminal chat, the
bot) keep the last question of a conversation and show how a follow-up was read
("Read as: ...")."""

from __future__ import annotations

import re
from dataclasses import replace

from index.models import Answer

_FOLLOW = re.compile(r"^\s*(?:and|what about|how about)\s+(?:the\s+)?(.+?)[\s?.!]*$", re.I)
_PREPOSITIONS = r"(?:in|at|on|of|for|from|near|across|outside)"
_PLACE = re.compile(rf"^{_PREPOSITIONS}\s+\S", re.I)
_OBJECT = re.compile(rf"\b{_PREPOSITIONS}\s+[^?]+?[\s?.!]*$", re.I)
_COUNT = re.compile(rf"^(\s*how (?:many|much)\s+)(?:more\s+)?[^\W\d_]+((?:\s+{_PREPOSITIONS}\b.*)?"
                    r"[\s?.!]*)$", re.I)
_QUESTION = re.compile(r"^(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|"
                       r"did|does|do|can|will|has|have)\b", re.I)
MAX_WORDS = 4  # a longer question says enough by itself


def follow_up(previous: str | None, question: str) -> str | None:
    """``question`` read as a continuation of ``previous``, or ``None`` when it is not one
    (or not one this can read: "and injured?" after "how many people died?" is left as
    typed)."""
    m = _FOLLOW.match(question) if previous else None
    if previous is None or m is None or len(m.group(1).split()) > MAX_WORDS:
        return None
    rest = m.group(1)
    if not re.search(r"[^\W_]", rest) or _QUESTION.match(rest):  # no word; "and who is ...?"
        return None
    if _PLACE.match(rest):  # "and in Eastbank?": the same question of another place
        where = _OBJECT.search(previous)
        stem = previous[:where.start()] if where else previous.rstrip(" ?.!") + " "
        return f"{stem}{rest}?"
    count = _COUNT.match(previous)
    if count:  # "and deaths?": the same count of something else
        return f"{count.group(1)}{rest}{count.group(2).rstrip(' ?.!')}?"
    return None


def read_as_asked(answer: Answer, typed: str) -> Answer:
    """``answer`` saying how a follow-up was read ("Read as: how many deaths in Vellmoor?")
    when its question is not what was typed (a typo's reading, if any, already says so)."""
    if answer.read_as is None and answer.question.strip() != typed.strip():
        return replace(answer, read_as=answer.question)
    return answer
