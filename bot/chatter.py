"""Small talk: a whole message that only greets or thanks is answered as such, never
searched for in the reports (the bot and the terminal chat both use it)."""

from __future__ import annotations

import re

_GREETING = re.compile(r"^(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|day)|"
                       r"greetings)(?: there)?[\s!.,]*$", re.I)
_THANKS = re.compile(r"^(?:thanks?(?: a lot| very much)?|thank you(?: very much| so much)?|"
                     r"thx|ty|cheers|many thanks)[\s!.,]*$", re.I)


def small_talk(text: str) -> str | None:
    """The plain-text reply to ``text`` when it only greets or thanks, else ``None``."""
    if _GREETING.match(text.strip()):
        return ("Hello! Ask me about the reports in plain words, e.g. how many people were "
                "displaced?")
    if _THANKS.match(text.strip()):
        return "You're welcome. Ask me anything else about the reports."
    return None
