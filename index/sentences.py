"""A rule-based sentence splitter for news text.

It splits on ``.``, ``!`` and ``?`` (with any closing quotes or brackets) followed by space
and a capital, digit or opening quote, except after known abbreviations (``Mr.``, ``Gen.``,
``U.S.``, ``Feb.``), initials (``J. Smith``) and inside numbers (``1.5 mln``). Paragraph
breaks and list items always end a sentence. A wire-service dateline opening a paragraph
(``BEIRUT (Reuters) -``, ``NEW YORK, March 3 -``) is dropped, so the sentence that follows is
still a verbatim piece of the report.
"""

from __future__ import annotations

import re

from index.figures import SENTENCE_STARTERS

ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt cmdr sgt cpl pvt adm gov sen rep rev fr st sr jr
hon pres supt insp det messrs mme mlle
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
cf approx est dept univ assn bros
inc corp ltd co plc llc cos
vs etc al e.g i.e a.m p.m u.s u.k u.n u.s.a e.u d.c n.y l.a ft mt ave blvd rd
""".split())
# Abbreviations only when a number follows ("No. 5", "p. 12").
NUMBER_ABBREVIATIONS = frozenset("no nos vol vols fig figs p pp para art sec ch".split())

_BOUNDARY = re.compile(
    r"""(?<=[.!?])["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9À-Ý])"""
)
_DATELINE = re.compile(
    r"""^(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,4}"""   # PLACE, maybe Country
    r"""(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"""                     # , March 3
    r"""\s*(?:\((?:Reuters|AP|AFP|UPI|dpa|Xinhua)\))?\s*[-–—]{1,2}\s+)"""
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d{1,3}[.)])\s+")
MAX_SENTENCE_CHARS = 1000
#: what goes on a time of day's sentence: "10 a.m. Tuesday", "3 p.m. EST", "9 a.m. 4 March"
_AFTER_CLOCK = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                          r"Sep|Oct|Nov|Dec)[a-z]*\b|(?:[ECMP][SD]T|ET|PT|GMT|UTC|BST|CET|"
                          r"CEST|EET|IST|JST)\b|\d")


#: a word a letter names something after ("Zone C", "Plan B", "Category A"), not a name
_LABELLED = re.compile(r"\b(?:[Zz]one|[Pp]lan|[Cc]ategory|[Gg]roup|[Pp]hase|[Bb]lock|[Ss]ection|"
                       r"[Gg]ate|[Tt]erminal|[Pp]ier|[Ww]ard|[Ww]ing|[Ll]evel|[Cc]lass|[Tt]ype|"
                       r"[Gg]rade|[Uu]nit|[Bb]uilding|[Hh]all|[Ss]tand|[Ll]ine|[Rr]oute|[Ss]ector)"
                       r"\s+[A-Z]\.$")
#: words that open a sentence rather than follow an initial ("J. The" is no name)
_STARTERS = SENTENCE_STARTERS | {"There", "Officials", "Police"}


def _ends_with_abbreviation(chunk: str, following: str) -> bool:
    match = re.search(r"(\S+)$", chunk)
    if not match:
        return False
    token = match.group(1).rstrip(".").lstrip("\"'“‘([").lower()
    if token in ("a.m", "p.m"):  # "at 2 p.m. Motorists were told ...": the sentence ends,
        return bool(_AFTER_CLOCK.match(following))  # unless the day or zone follows
    if token in ABBREVIATIONS:
        return True
    if token in NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    # initials such as "J." or "A.B." (but not a sentence ending in a capitalised acronym
    # word like "UN.", nor a label before the next sentence: "85 people live in Zone C. In
    # total, ...")
    if not re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
        return False
    return not (len(token) == 1 and (_LABELLED.search(chunk)
                                      or following.split(" ", 1)[0] in _STARTERS))


def split_paragraph(paragraph: str) -> list[str]:
    text = re.sub(r"\s+", " ", paragraph).strip()
    if not text:
        return []
    text = _DATELINE.sub("", text, count=1) if _DATELINE.match(text) else text
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        chunk = text[start:end]
        before = text[start:match.start()]
        quoted = match.end() > match.start()  # a closing quote or bracket ends the sentence
        if not quoted and before.endswith(".") and \
                _ends_with_abbreviation(before, text[end:].lstrip()):
            continue
        if chunk.strip():
            sentences.append(chunk.strip())
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [piece for s in sentences for piece in _cap_length(s)]


def _cap_length(sentence: str) -> list[str]:
    """Break a run-on 'sentence' (a table row, a list without stops) at ; or , near the cap."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    out: list[str] = []
    rest = sentence
    while len(rest) > MAX_SENTENCE_CHARS:
        cut = max(rest.rfind("; ", 0, MAX_SENTENCE_CHARS), rest.rfind(", ", 0, MAX_SENTENCE_CHARS))
        if cut < MAX_SENTENCE_CHARS // 2:
            cut = rest.rfind(" ", 0, MAX_SENTENCE_CHARS)
        if cut <= 0:
            cut = MAX_SENTENCE_CHARS
        out.append(rest[:cut + 1].strip())
        rest = rest[cut + 1:].strip()
    if rest:
        out.append(rest)
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order; each is a piece of the text with white space
    folded. Only pieces holding a letter or digit are kept."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        paragraph: list[str] = []
        for line in block.split("\n"):
            if _LIST_ITEM.match(line):
                out.extend(split_paragraph(" ".join(paragraph)))
                paragraph = [_LIST_ITEM.sub("", line)]
            else:
                paragraph.append(line)
        out.extend(split_paragraph(" ".join(paragraph)))
    return [s for s in out if re.search(r"[^\W_]", s) and not is_stamp(s)]


_STAMP_HEAD = re.compile(r"^(?:first |last )?(?:published|updated|posted)(?: on| at)?:?\s+",
                         re.I)
_STAMP_WORD = re.compile(
    r"^(?:\d[\d:./-]*(?:st|nd|rd|th)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|at|on|am|pm|a\.m|p\.m|"
    r"utc|gmt|bst|cet|est|edt|pst|local|time|and|updated|[+-]\d+)$", re.I)


def is_stamp(sentence: str) -> bool:
    """Whether ``sentence`` is only a page's publication stamp ("Published Sunday 5 April
    2026", "Updated: 14:05 GMT, 6 Apr 2026"): no news to quote."""
    head = _STAMP_HEAD.match(sentence)
    if head is None:
        return False
    words = re.findall(r"[^\s,()|]+", sentence[head.end():].rstrip("."))
    return bool(words) and any(ch.isdigit() for ch in sentence) and all(
        _STAMP_WORD.match(w.rstrip(".")) for w in words)
