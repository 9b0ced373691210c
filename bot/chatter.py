"""Small talk: a whole message that only greets or thanks is answered as such, and one that
asks for all the news at once ("what's new?") is pointed to the digest; neither is searched
for in the reports (the bot and the terminal chat both use it)."""

from __future__ import annotations

import re

from index.notfound import news_subject

_GREETING = re.compile(r"^(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|day)|"
                       r"greetings)(?: there)?[\s!.,]*$", re.I)
_THANKS = re.compile(r"^(?:(?:hi|hey|ok|okay|great|cool|perfect|got it),?\s+)?(?:thanks?"
                     r"(?: a lot| very much)?|thank you(?: very much| so much)?|thx|ty|cheers|"
                     r"many thanks)[\s!.,]*$", re.I)
#: "ok", "got it": an acknowledgement, nothing to look for
_ACK = re.compile(r"^(?:ok(?:ay)?|k|got it|great|cool|perfect|fine|noted|understood|"
                  r"alright|all right|sure|nice)[\s!.,]*$", re.I)
#: "@briefbot_bot" in a group message: the address, not part of what is said
_MENTION = re.compile(r"@\w+")


def small_talk(text: str, digest: str = "/digest") -> str | None:
    """The plain-text reply to ``text`` when it only greets or thanks or asks for all the
    news (then naming ``digest``, how this front end shows one), else ``None``."""
    said = re.sub(r"\s+([,!.])", r"\1", " ".join(_MENTION.sub(" ", text).split())).strip(" ,")
    if _GREETING.match(said):
        return ("Hello! Ask me about the reports in plain words, e.g. how many people were "
                "displaced?")
    if _THANKS.match(said):
        return "You're welcome. Ask me anything else about the reports."
    if _ACK.match(said):
        return "Ask me anything else about the reports when you like."
    if news_subject(text) == []:  # a news question without a subject
        return (f"That asks for all the news at once: {digest} shows what is new. Or ask "
                "about one subject, e.g. what happened in <place>?")
    return None
