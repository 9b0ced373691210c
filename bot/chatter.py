"""Small talk: a whole message that only greets or thanks is answered as such, and one that
asks for all the news at once ("what's new?") is pointed to the digest; neither is searched
for in the reports (the bot and the terminal chat both use it)."""

from __future__ import annotations

import re

from index.notfound import news_subject

_GREETING = re.compile(r"^(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|day)|"
                       r"greetings)(?: there)?[\s!.,]*$", re.I)
_THANKS = re.compile(r"^(?:thanks?(?: a lot| very much)?|thank you(?: very much| so much)?|"
                     r"thx|ty|cheers|many thanks)[\s!.,]*$", re.I)


def small_talk(text: str, digest: str = "/digest") -> str | None:
    """The plain-text reply to ``text`` when it only greets or thanks or asks for all the
    news (then naming ``digest``, how this front end shows one), else ``None``."""
    if _GREETING.match(text.strip()):
        return ("Hello! Ask me about the reports in plain words, e.g. how many people were "
                "displaced?")
    if _THANKS.match(text.strip()):
        return "You're welcome. Ask me anything else about the reports."
    if news_subject(text) == []:  # a news question without a subject
        return (f"That asks for all the news at once: {digest} shows what is new. Or ask "
                "about one subject, e.g. what happened in <place>?")
    return None
