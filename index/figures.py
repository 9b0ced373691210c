"""Figures, dates and names in sentences: the span that answers a question.

:func:`question_kind` reads what a question asks for (a quantity, a date, a person, a
place); :func:`key_span` finds that span in a sentence, preferring the one nearest the
question's own words; :func:`find_quantities` lists the numbers of a sentence with the noun
they count, so figures from different reports can be compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["quantity", "date", "person", "place"]

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "dozen": 12,
    "a dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000,
    "hundreds of thousands": 200000, "millions": 2000000,
}
SCALES = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9,
          "bn": 1e9, "trillion": 1e12, "k": 1e3}

#: currencies a sum is written in after its number, each form with the unit it is stored as
#: ("45 million lev", "2.3 billion zlotys"); words that are more often something else after
#: a number ("won", "real", "mark") are left out
CURRENCY_WORDS = {
    **{w: "lev" for w in ("lev", "leva")}, **{w: "lei" for w in ("leu", "lei")},
    **{w: "zlotys" for w in ("zloty", "zlotys", "zlotych", "zloties")},
    **{w: "forints" for w in ("forint", "forints")},
    **{w: "korunas" for w in ("koruna", "korunas", "koruny")},
    **{w: "kunas" for w in ("kuna", "kunas")}, **{w: "dinars" for w in ("dinar", "dinars")},
    **{w: "dirhams" for w in ("dirham", "dirhams")}, "rand": "rand", "baht": "baht",
    "ringgit": "ringgit", "rupiah": "rupiah", **{w: "rupees" for w in ("rupee", "rupees")},
    "yuan": "yuan", "renminbi": "yuan", **{w: "hryvnias" for w in ("hryvnia", "hryvnias")},
    **{w: "lira" for w in ("lira", "liras", "lire")},
    **{w: "kroner" for w in ("krone", "kroner")}, **{w: "kronor" for w in ("krona", "kronor")},
    **{w: "shekels" for w in ("shekel", "shekels")}, "naira": "naira",
    **{w: "cedis" for w in ("cedi", "cedis")},
    **{w: "shillings" for w in ("shilling", "shillings")}, "kwacha": "kwacha",
    **{w: "pesos" for w in ("peso", "pesos")}, **{w: "reals" for w in ("reals", "reais")},
    **{w: "roubles" for w in ("rouble", "roubles", "ruble", "rubles")}, "taka": "taka",
    "tenge": "tenge", **{w: "rials" for w in ("rial", "rials", "riyal", "riyals")},
    "birr": "birr", **{w: "francs" for w in ("franc", "francs")}, "marks": "marks",
    **{w: "crowns" for w in ("crown", "crowns")},
    **{w: "guilders" for w in ("guilder", "guilders")},
    **{w: "pesetas" for w in ("peseta", "pesetas")},
    **{w: "escudos" for w in ("escudo", "escudos")}, **{w: "punts" for w in ("punt", "punts")},
    **{w: "bitcoin" for w in ("bitcoin", "bitcoins")},
}

_APPROX = (r"(?:(?:around|about|some|nearly|almost|roughly|approximately|an estimated|"
           r"estimated|more than|less than|fewer than|over|under|at least|at most|up to|"
           r"as many as|as much as|close to|just over|just under|only)\s+)?")
_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
#: what groups a number's thousands: a comma, or the narrow spaces of "3\u00a0000"
GROUP = ",\u00a0\u202f\u2009"
_DIGIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_TENS_WORDS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_TEEN_WORDS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
#: "Six hundred and twenty", "two hundred and five": one number (not the "twenty" alone)
_HUNDREDS = (rf"(?:{_DIGIT_WORDS}|a)\s+hundred(?:\s+and\s+(?:(?:{_TENS_WORDS})(?:-(?:"
             rf"{_DIGIT_WORDS}))?|{_TEEN_WORDS}|{_DIGIT_WORDS}))?\b")
#: "two dozen", "half a dozen": one number (not two and a dozen)
_DOZENS = rf"(?:{_DIGIT_WORDS}|half\s+a)\s+dozen\b"
_NUMBER = (rf"(?:[$£€¥]\s?)?(?:\d{{1,3}}(?:[{GROUP}]\d{{3}})+|\d+-\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|"
           rf"{_HUNDREDS}|{_DOZENS}|"
           rf"(?:{_WORDNUM})(?:-(?:{_WORDNUM}))?\b|"  # "ten", never the "ten" of "tents";
           r"zero(?=\s*(?:pct|percent|per cent|%)))")  # "zero percent contained"
_SCALE = r"(?:\s*(?:thousand|million|mln|billion|bln|bn|trillion|pct|percent|per cent|%)\b|%)?"
#: (not the hour or the minutes of a time of day: "05:00")
QUANTITY = re.compile(rf"(?<!\d:)\b{_APPROX}{_NUMBER}{_SCALE}(?![\w.,]*\d|:\d\d)", re.IGNORECASE)

#: a share written as a ratio: "one in eight", "nine in ten", "2 in 10" (not "one in 2019",
#: "six in Kalvik")
RATIO = re.compile(r"\b(?:roughly\s+|about\s+|nearly\s+|almost\s+|up\s+to\s+)?(?:one|two|three|"
                   r"four|five|six|seven|eight|nine|\d{1,2})\s+(?:in|out\s+of)\s+(?:two|three|"
                   r"four|five|six|seven|eight|nine|ten|twenty|a hundred|"
                   r"(?!1[89]\d\d\b|20\d\d\b)\d{1,4})\b", re.IGNORECASE)

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE = re.compile(
    rf"\b(?:(?:on\s+)?{_WEEKDAY}(?:,?\s+(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})"
    rf"(?:,?\s+\d{{4}})?)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|(?:in\s+)?{_MONTH}\s+\d{{4}}"
    rf"|(?:in\s+)?(?:1[5-9]|20)\d\d(?:s)?"
    rf"|(?:last|next|this)\s+(?:week|month|year|{_WEEKDAY})"
    rf"|(?:yesterday|today|tonight|overnight))\b")
NAME = re.compile(r"\b(?:[A-Z][a-z'’.-]+|[A-Z]{2,})(?:\s+(?:(?:of|the|de|al|bin|van|von)\s+)?"
                  r"(?:[A-Z][a-z'’.-]+|[A-Z]{2,}))*")
PLACE = re.compile(r"\b(?:in|at|near|from|to|outside|inside)\s+((?:the\s+)?"
                   r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|de))*)")

_QUANTITY_Q = re.compile(r"\b(how (?:many|much|long|far|big|large|old|high|often|deep|wide|tall)|"
                         r"number of|what (?:number|percentage|amount|proportion|share)|"
                         r"what percent|how much|death toll|toll)\b", re.I)
_DATE_Q = re.compile(r"\b(when|what (?:year|date|day|month|time)|which (?:year|date|day))\b",
                     re.I)
_PERSON_Q = re.compile(r"\b(who|whom|whose|which (?:person|official|group|organi[sz]ation|"
                       r"company|country|man|woman|leader))\b", re.I)
_PLACE_Q = re.compile(r"\b(where|which (?:city|town|village|place|region|province)|"
                      r"what (?:city|town|village|place|region|country|province))\b", re.I)

SENTENCE_STARTERS = frozenset("The A An In On At It He She They We This That But And However "
                              "After Before When While If As Its Their His Her".split())


def question_kind(question: str) -> Kind | None:
    """What the question asks for, or ``None`` for an open question."""
    for pattern, kind in ((_QUANTITY_Q, "quantity"), (_DATE_Q, "date"),
                          (_PERSON_Q, "person"), (_PLACE_Q, "place")):
        if pattern.search(question):
            return kind  # type: ignore[return-value]
    return None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _spans(sentence: str, kind: Kind) -> list[Span]:
    if kind == "quantity":
        found = [Span(m.start(), m.end(), m.group(0).strip()) for m in QUANTITY.finditer(sentence)]
        # A year alone is a date, not a count.
        return [s for s in found if not re.fullmatch(r"(?:in\s+)?(1[5-9]|20)\d\d", s.text)]
    if kind == "date":
        return [Span(m.start(), m.end(), m.group(0).strip()) for m in DATE.finditer(sentence)]
    if kind == "place":
        return [Span(m.start(1), m.end(1), m.group(1)) for m in PLACE.finditer(sentence)]
    spans = []
    for m in NAME.finditer(sentence):
        text = m.group(0)
        words = text.split()
        if words and words[0] in SENTENCE_STARTERS:
            words = words[1:]
            if not words:
                continue
            text = " ".join(words)
        spans.append(Span(m.end() - len(text), m.end(), text))
    return spans


def _words(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def key_span(question: str, sentence: str, kind: Kind | None = None) -> str | None:
    """The span of ``sentence`` answering ``question``: of the right kind, not already in
    the question, nearest the question's words."""
    kind = kind or question_kind(question)
    if kind is None:
        return None
    q_words = _words(question)
    candidates = [s for s in _spans(sentence, kind) if not (_words(s.text) and
                                                             _words(s.text) <= q_words)]
    if not candidates:
        return None
    anchors: dict[str, list[int]] = {}
    for m in re.finditer(r"[A-Za-z0-9]+", sentence):
        stem = m.group(0).lower()[:6]
        if stem in q_words:
            anchors.setdefault(stem, []).append(m.start())
    if not anchors:
        return candidates[0].text

    def distance(span: Span) -> int:
        # Near every question word at once, not just one of them.
        return sum(min(min(abs(a - span.start), abs(a - span.end)) for a in places)
                   for places in anchors.values())

    return min(candidates, key=distance).text


def without_bound(text: str) -> str:
    """A figure without the bound before it ("18 million" of "about 18 million")."""
    return re.sub(rf"^{_APPROX}", "", text, flags=re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """The value of a quantity span: ``about 12,000`` → 12000, ``2.5 mln`` → 2500000,
    ``4-3/4 pct`` → 4.75 (wire copy writes fractions so)."""
    t = text.lower().replace("per cent", "percent")
    t = without_bound(t).strip()
    t = t.lstrip("$£€¥ ").replace("%", " percent")
    if re.match(r"zero\b", t):  # "zero percent"
        return 0.0
    if m := re.match(r"(?:(\d+)-)?(\d+)/(\d+)\b", t):  # "33-1/3 pct", "1/2 point"
        whole, num, den = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        return whole + num / den if den else None
    m = re.match(rf"(\d{{1,3}}(?:[{GROUP}]\d{{3}})+|\d+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        value = float(re.sub(f"[{GROUP}]", "", m.group(1)))
        scale = SCALES.get(m.group(2) or "", 1.0)
        return value * scale
    if m := re.match(rf"({_DIGIT_WORDS}|half\s+a)\s+dozen\b", t):  # "two dozen": 24
        return 6.0 if m.group(1).startswith("half") else 12.0 * WORD_NUMBERS[m.group(1)]
    if m := re.match(rf"({_DIGIT_WORDS}|a)\s+hundred(?:\s+and\s+([a-z-]+))?\s*([a-z]+)?$", t):
        tail = parse_number(m.group(2)) if m.group(2) else 0.0
        return (100.0 * WORD_NUMBERS.get(m.group(1), 1) + (tail or 0.0)) \
            * SCALES.get(m.group(3) or "", 1.0)
    for words, value in sorted(WORD_NUMBERS.items(), key=lambda kv: -len(kv[0])):
        if t.startswith(words):
            rest = t[len(words):].lstrip("- ")
            for w2, v2 in WORD_NUMBERS.items():
                if rest.startswith(w2) and v2 < 10:
                    return float(value + v2)
            scale = SCALES.get(rest.split(" ")[0], 1.0) if rest else 1.0
            return float(value) * scale
    return None


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence and the noun it counts (``12,000`` ``people``)."""

    text: str
    value: float
    unit: str


_SKIP_UNIT = frozenset("of the a an and or to in on at by for was were is are had have has "
                       "said says".split())


_PLURAL_NOUNS = frozenset("people children staff personnel police cattle livestock".split())


def _unit_after(rest: str) -> str:
    """The noun a number counts: the first plural among the next two words, else the first."""
    words: list[str] = []
    for word in re.findall(r"[A-Za-z][A-Za-z-]*", rest)[:2]:
        if word.lower() in _SKIP_UNIT:
            break
        words.append(word.lower())
    for word in words:
        if word.endswith("s") or word in _PLURAL_NOUNS:
            return word
    return words[0] if words else ""


def find_quantities(sentence: str) -> list[Quantity]:
    """Every quantity in ``sentence`` with the noun after it (``""`` when none)."""
    out = []
    for span in _spans(sentence, "quantity"):
        value = parse_number(span.text)
        if value is None:
            continue
        unit = _unit_after(sentence[span.end:span.end + 60])
        out.append(Quantity(span.text, value, unit))
    return out
