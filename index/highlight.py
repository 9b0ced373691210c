"""The key span to bold in a quote, taken from the sentence's stored entities.

The span is a whole entity of the type the question asks for (:mod:`index.qtype`) that the
question does not already name, nearest the question's own content words — so a name is
never cut ("Laura Méndez", not "Laura"; a person's name runs on over the capitalised words
that follow it) and a figure comes with its unit ("28 mln shares", "0.37 point") and, for
"how many provinces", the thing it counts ("eight provinces"). An
entity that shares a word with the question ("Advance Circuits Inc" for "who lent to
advance circuits") yields to one that does not. A person asked for but tagged
as an organisation ("the H.W. Lichtenberger"), or the reverse, is taken when no entity of
the asked kind fits.
A plain "who" prefers a person to an organisation about as near; "number three" is a label,
not a count; a place keeps the region after its comma ("Timmins, Ontario").
When the sentence has no such entity, the pattern-based :func:`index.figures.key_span` is
the fallback. "Who is Ilse Brandt?" names the person: the span is what the sentence says she
is, its apposition ("the mayor of Dorvik", "The provincial governor") or the title right
before the name ("Union leader"), when it has one;
"what did she say?" gets the words the sentence quotes. A "when" question is not answered by
a length of time ("for 30 days"), and takes a day ("on Monday") before a time of day
("overnight"), unless it asks "what time".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index import ledger
from index.abbreviations import also_meant, other_forms, word_key
from index.dates import CLOCK_TIME, YEAR
from index.entities import Entity
from index.figures import CURRENCY_WORDS, key_span, question_kind
from index.qtype import (
    FIGURE_LABELS,
    HEAD_POSTS,
    ORG_KINDS,
    ROLE,
    ROLE_WORD,
    asks_what_was_said,
    expected_types,
    post_key,
    posts,
)
from index.rerank import answer_entities
from index.retrieve import query_terms
from index.roles import asked_owner
from index.spelling import english_words
from index.timeq import WEEKDAYS

_NAMES = frozenset({"person", "org"})
_PREFERENCE = ("person", "money", "percent", "date", "place", "org", "quantity")
_NAME_PART = re.compile(r"\s+([A-Z][\w'.-]*[\w.]|[A-Z])(?=\W|$)")
_SCALE = re.compile(r"\s+(?:mln|million|billion|bln|thousand|trillion)\b", re.I)
_UNIT = re.compile(r"\s+(?:points?|pct|percent|feet|foot|inches|miles|tonnes|tons|ounces|"
                   r"barrels|acres|hectares|times|pounds|bushels|kilos|kilometres|meters|"
                   r"metres|shares)\b", re.I)
_COUNTED = re.compile(r"\s+([^\W_][\w-]*)")
#: "six of the 10 shelters": the part a count of the whole follows
#: a short name in brackets right after an organisation's: "the statistics institute (Istat)"
_SHORT_NAME = re.compile(r"\s*\(([A-Z][\w&.-]{1,11})\)")
_HOW_MANY = re.compile(r"\bhow\s+many\b", re.I)
#: a sentence's clauses, as far as a semicolon, a dash or "while" / "whereas" / "but" after
#: a comma part them: "the union is asking for 9%; the authority has offered 4.5%"
_CLAUSE_PART = re.compile(r"(?:[^;—]|—(?!\s))+?(?=;|\s—\s|,\s+(?:while|whereas|but)\b|"
                          # "..., and residents of Casselune will be allowed to return on
                          # Sunday": a clause of its own
                          r",\s+and\s+(?=(?:[\w'’-]+\s+){1,8}?(?:will|would|can|could|is|are|"
                          r"was|were|has|have|had)\b)|$)")
#: units a figure is measured in, not things counted: "how many ships?" is not "80 km"
_MEASURE_UNIT = re.compile(
    r"(?:^|\s|\d)(km|kms|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|inch(?:es)?|"
    r"tonnes?|tons?|kg|kilos?|kilograms?|hectares?|acres?|pct|percent|per cent|%|degrees?|"
    r"mph|litres?|liters?|gallons?|barrels?|bushels?|ounces?|pounds?|dlrs|dollars|euros|yen|"
    rf"{'|'.join(CURRENCY_WORDS)})(?=\W|$)", re.I)
_LABEL_NUMBER = re.compile(r"\b(?:number|no\.)\s+$", re.I)
#: "30 days", "two weeks": a length of time, which answers no "when"
_DURATION = re.compile(r"(?:(?:at\s+least|about|around|some|nearly|almost|more\s+than|over|"
                       r"up\s+to|less\s+than|every|once\s+every)\s+)?"
                       r"(?:the\s+(?:past|last|next)\s+)?(?:\d[\d,.]*|a|an|one|two|three|four|"
                       r"five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|forty|fifty|a few|"
                       r"several|many)\s+(?:\w+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|"
                       r"months?|years?|decades?)$|"
                       # "a nine-year tenure", "annual": how long or how often, not when
                       r"(?:\d+|\w+)-(?:second|minute|hour|day|week|month|year|decade)$|"
                       r"(?:annual|yearly|monthly|weekly|daily|hourly)$", re.I)
#: ... unless it is counted from now: "will report within 30 days" answers "when is it due?"
_WITHIN = re.compile(r"\b(?:within|in)\s+(?:the\s+next\s+)?$", re.I)
_SOON = re.compile(r"\b(?:minutes?|hours?|days?|weeks?|months?)$", re.I)
#: a year that names a thing of that year ("the 1984 Wheat Marketing Act", "its 1987
#: models"): no "when" of what the sentence tells
_YEAR_OF_THING = re.compile(r"(?:the|a|an|its|their|his|her|of|this|that)\s+$", re.I)
_THING_AFTER = re.compile(r"\s+(?!(?:and|or|to|in|on|at|for|by|when|while|as|after|before|"
                          r"but|that|the|a|an|from|with|until|through|than|compared|versus|"
                          r"is|was|were|are|will|would|has|had|have)\b)"
                          # ... not an event or a period of that year ("the 2014 MLS season")
                          r"(?!(?:[\w-]+\s+){0,3}(?:seasons?|elections?|games|olympics|cup|"
                          r"tournament|championships?|finals?|fiscal|financial|crop|harvest|"
                          r"quarter|half|census|war|summit|conference|budget|campaign|period|"
                          r"session|term|winter|summer|spring|autumn|fall|strike|flood|floods|"
                          r"earthquake|storm|crash|disaster|attack|uprising|revolution)\b)"
                          r"[A-Za-z]", re.I)
_WHEN = frozenset({"date"})
_WHERE = frozenset({"place"})
_TIME_OF_DAY = re.compile(r"\b(?:overnight|morning|afternoon|evening|night|noon|midnight|dawn|"
                          r"dusk|hours?|\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m|p\.?m|gmt|utc|h)\b)",
                          re.I)
_WHAT_TIME = re.compile(r"\s*(?:what|which)\s+time\b|\s*at\s+what\s+time\b", re.I)
#: a time of day on a clock: "4:12 a.m.", "at 2 p.m.", "six o'clock", "noon"
_CLOCK = re.compile(rf"\b(?:{CLOCK_TIME}|(?:\d{{1,2}}|one|two|"
                    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o['’]clock|"
                    r"noon|midnight)", re.I)


#: "how far from Keswin did it go down?", "how deep is the wreck?", "depth", "how high is
#: the river": a length asked
_LENGTH_ASKED = re.compile(r"\bhow (?:far|deep|wide|tall|high)\b|\b(?:depth|distance|height|"
                           r"altitude|elevation)\b", re.I)
#: a length stated ("about 11 kilometres", "38 metres", "12 km")
_LENGTH = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                     r"thirty|forty|fifty|hundred|thousand|half a))\s*(?:km|kilomet(?:re|er)s?|"
                     r"(?:nautical )?miles?|metres?|meters?|m|feet|ft|yards?|centimet(?:re|er)s?|"
                     r"cm)\b(?![/-])", re.I)


def asks_length(question: str) -> bool:
    """Whether a question asks how far, deep, wide or tall ("how deep is the wreck?")."""
    return bool(_LENGTH_ASKED.search(question))


def states_length(sentence: str) -> bool:
    """Whether ``sentence`` gives a length or a distance ("about 38 metres")."""
    return bool(_LENGTH.search(sentence))


def asks_clock_time(question: str) -> bool:
    """Whether a question asks the time of day ("what time did the quake strike?")."""
    return bool(_WHAT_TIME.match(question))


def states_clock_time(sentence: str) -> bool:
    """Whether ``sentence`` gives a time of day on a clock ("The quake hit at 4:12 a.m.")."""
    return bool(_CLOCK.search(sentence))
_CORPORATE = frozenset({"inc", "corp", "co", "ltd", "plc", "the", "of", "and", "s", "llc",
                        "group", "cos", "nv", "ag", "sa"})
#: right before a name, a preposition of place ("the field clinic in Dorvik") and the word
#: before it, which must not be one of money going in (:data:`_MONEY_INTO`, "a stake in Borel")
_AT_PLACE = re.compile(r"(?:\b(\w+)\s+)?\b(?:in|at|near|outside)\s+$", re.I)
_MONEY_INTO = frozenset("stake stakes interest shares holding invest invested investment".split())
#: where someone spoke, not where the thing asked about is: "told reporters in Halden"
_SPOKE_IN = re.compile(r"\b(?:said|says|told\s+(?:reporters|journalists|a\s+news\s+conference|"
                       r"a\s+press\s+conference|parliament|\w+)|speaking|spoke)\s+(?:here\s+)?"
                       r"(?:in|at)\s+$", re.I)


def _at_place(sentence: str, start: int) -> bool:
    """Whether the name at ``start`` follows a preposition of place (:data:`_AT_PLACE`)."""
    m = _AT_PLACE.search(sentence, max(0, start - 30), start)
    return m is not None and (m.group(1) or "").lower() not in _MONEY_INTO


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[^\W_]+", text.lower())}


def _anchors(question: str, sentence: str) -> list[list[int]]:
    """Where each of the question's content words (and the words they stand for: "cfo",
    "chief financial officer") occurs in the sentence."""
    terms = query_terms(question)
    q = {w[:5] for w in (*terms, *also_meant(terms))}
    found: dict[str, list[int]] = {}
    for m in re.finditer(r"[^\W_]+", sentence):
        stem = m.group(0).lower()[:5]
        if stem in q:
            found.setdefault(stem, []).append(m.start())
    return list(found.values())


def _with_regions(sentence: str, entities: Sequence[Entity]) -> list[Entity]:
    """``entities`` with a place and the region after it ("Timmins, Ontario") as one."""
    out: list[Entity] = []
    for e in entities:
        last = out[-1] if out else None
        if last is not None and last.label == e.label == "place" and e.start == last.end + 2 \
                and sentence[last.end:e.start] == ", ":
            out[-1] = Entity("place", last.start, e.end, sentence[last.start:e.end])
        else:
            out.append(e)
    return out


def _whole(e: Entity, sentence: str, question: str, taken: Sequence[Entity]) -> str:
    """The entity's text, run on over what completes it: the rest of a person's name, or a
    count's scale and unit ("28 mln shares", "0.37 point") and the thing it counts when the
    question names it ("eight provinces" for "how many provinces")."""
    end = e.end
    starts = {o.start for o in taken if o is not e}
    if e.label == "person":
        while (m := _NAME_PART.match(sentence, end)) and m.start(1) not in starts:
            end = m.end()
    if e.label == "org" and (m := _SHORT_NAME.match(sentence, end)) and not any(
            o.start == m.start(1) and o.end != m.end(1) for o in taken):
        end = m.end()  # the short name in brackets, tagged alone or not
    elif e.label == "quantity" and (whole := _whole_of(sentence, e, taken)) is not None:
        end = _counted(sentence, whole.end, question)  # "six of the 10 shelters"
    elif e.label == "quantity" and re.search(r"\d|\b(?:one|two|three|four|five|six|seven|"
                                             r"eight|nine|ten|half)\b", e.text, re.I):
        if m := _SCALE.match(sentence, end):
            end = m.end()
        if m := _UNIT.match(sentence, end):
            end = m.end()
        end = _counted(sentence, end, question)
    if e.label == "quantity" and (m := _PER_TIME.match(sentence, end)):
        end = m.end()  # "210 km/h", "14 km per hour"
    return sentence[e.start:end]


#: what makes a distance a speed ("210 km/h", "eight metres an hour", "40 mph")
_PER_TIME = re.compile(r"(?:/h\b|/hr\b|/s\b|\s+(?:per|an|a)\s+(?:hour|second|minute|day)\b)",
                       re.I)


def _measured(question: str, sentence: str, e: Entity) -> bool:
    """Whether a "how many" question's candidate ``e`` is a measurement in a unit the
    question does not name ("80 km" for "how many ships were diverted?"; "5,000 tonnes"
    answers "how many tonnes")."""
    if e.label != "quantity" or not _HOW_MANY.search(question):
        return False
    m = _MEASURE_UNIT.search(sentence[e.start:e.end + 12])
    if m is None or m.start(1) > e.end - e.start + 1:
        return False
    unit = m.group(1).lower()
    return not re.search(rf"\b{re.escape(unit[:4])}", question.lower())


#: "how long were the systems down?": a length of time asked
_HOW_LONG = re.compile(r"\bhow long\b|\bhow much time\b|"
                       r"\bhow many (?:days|weeks|months|hours|years)\b", re.I)
#: "which hacker group is responsible?": what the answer is called ("hacker group")
_WHICH = re.compile(r"\bwhich\s+((?:[a-z]+\s+){0,2}?[a-z]+)\s+(?:is|was|are|were|has|have|had|"
                    r"did|does|do|will|would|can|could|claimed|said|says|took|won)\b", re.I)
#: a clause said in passing of the name before it: ", who represents Port Issel,"
_ASIDE = re.compile(r",\s+(?:who|whose|which|where)\b[^,;:()]*,")
#: "which bank lent pemex 500 mln": what the answer is, when no auxiliary follows
_WHICH_WORD = re.compile(rf"\bwhich\s+({ORG_KINDS})s?\b(?!\s+(?:{ROLE})\b)", re.I)
#: "who did chrysler sell its european ops to?": the answer follows that word
_ENDS_PREPOSITION = re.compile(r"\b(to|with|by|for|into|against|on|at)\W*$", re.I)
#: between a change and the level it came to: "by 75 cts to", "6.8 pct in January from
#: December to a seasonally adjusted annual rate of" (not "..., and the florin rose 1.1 pct to",
#: nor a vote: "rejected by 61 votes to 24")
_TO_LEVEL = re.compile(r"(?!\s*votes?\b)(?:(?!;|\band\b|\bwhile\b|\bbut\b).)*"
                       r"\bto\b(?:\s+[\w-]+){0,6}\s*$")
#: a question about a change, not a level ("how much did gold rise?")
#: (any word of a change: "gold rise", "kx-30 gain"; :func:`ledger.asks_change` is the size of
#: a change asked outright)
_CHANGE_ASKED = re.compile(rf"\b(?:{ledger.CHANGE_VERBS}|rais\w*|growth|chang\w*|cut\w*|lost|"
                           r"los[se]\w*|up|down|by how much|added|contract\w*|shr[ui]nk\w*|"
                           r"expand\w*)\b", re.I)
#: "where did they come from?", "where are the refugees fleeing from": the origin asked
_FROM_ASKED = re.compile(r"\bfrom\W*$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
#: "how much more rice is coming", "how many more troops": what is added ("another 500
#: tonnes", "a further 300 troops")
_MORE_ASKED = re.compile(r"\bhow (?:much|many) more\b|\bmore\s+\w+\s+(?:coming|expected|due|"
                         r"on the way)\b", re.I)
_ANOTHER = re.compile(r"\b(?:another|a further|an additional|an extra)\s+$", re.I)
#: between the level a change left and the one it reached: "from 2 kilometres to 3.5"
_TO_NEXT = re.compile(r"\s+to\s+(?:about\s+|around\s+|some\s+)?", re.I)
#: a question for the figure before a change ("what was the zone before", "initial reading")
_EARLIER_ASKED = re.compile(r"\b(?:from|before|previous|previously|initial|initially|original|"
                            r"originally|first|earlier|old|prior)\b", re.I)


#: right before a figure a change started from, or one compared with: "up from three",
#: "down from 31", "slightly less than the 18,500 tonnes announced last week"
_PRIOR_BEFORE = re.compile(r"\b(?:(?:up|down|rising|falling|rose|fell|increased|decreased|"
                           r"revised|higher|lower)\s+from|compared\s+(?:with|to)|than\s+"
                           r"(?:the|its|their|last|previous)(?:\s+[\w'’-]+)?)\s+"
                           r"(?:(?:about|around|some|nearly)\s+)?$", re.I)
#: what a question asks a measure of, and how a figure of it is written: "lava speed":
#: "about 60 metres per hour", not "roughly half"; "area covered": "4 square kilometres"
_DIMENSIONS = tuple((re.compile(asked, re.I), re.compile(written, re.I)) for asked, written in (
    (r"\b(?:speed|fast|fastest|pace|quickly|how quick)\b",
     rf"{_PER_TIME.pattern}|\bmph\b|\bknots\b"),
    (r"\b(?:area|acreage|how much land)\b",
     r"\b(?:square|sq|hectares?|acres?)\b|\bkm2|km²"),
    (r"\bhow (?:hot|cold|warm)\b|\btemp(?:erature)?s?\b", r"°|\bdegrees?\b|\d\s*[CF]\b"),
    (r"\bvolume\b", r"\b(?:cubic|litres?|liters?|barrels?)\b|\bm3\b"),
    (r"\b(?:weight|how heavy|tonnage)\b", r"\b(?:tonnes?|tons?|kg|kilograms?|kilos?)\b"),
))
#: units "how many" may ask in ("how many hours do the blackouts last?": "four hours")
_UNIT_ASKED = re.compile(r"\bhow\s+many\s+(seconds|minutes|hours|days|weeks|months|years|"
                         r"km|kilomet(?:re|er)s|miles|met(?:re|er)s|feet|tonnes|tons|litres|"
                         r"liters|barrels|hectares|acres|degrees|megawatts|gigawatts|mw|gw)\b",
                         re.I)


def _of_dimension(question: str, sentence: str, e: Entity) -> bool:
    """Whether figure ``e`` is written in the measure the question asks (a speed, an area, a
    temperature, a volume, a weight, or the unit "how many" names)."""
    written = e.text + re.split(r"\d", sentence[e.end:e.end + 20])[0]
    if (unit := _UNIT_ASKED.search(question)) is not None:
        return re.search(rf"\b{re.escape(unit.group(1)[:4])}", written, re.I) is not None
    return any(asked.search(question) and shown.search(written) for asked, shown in _DIMENSIONS)


def _asks_dimension(question: str) -> bool:
    return _UNIT_ASKED.search(question) is not None or any(
        asked.search(question) for asked, _ in _DIMENSIONS)


#: a name set beside the noun before it: "the yacht, " of "the yacht, the Silver Tern,"
_APPOSED = re.compile(r"\b([a-z][\w-]+),\s+$")


#: a question asking one day's figure ("arrests tuesday night", "how many died yesterday")
_DAY_ASKED = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)}|yesterday|today|tonight|overnight|"
                        r"last night)\b", re.I)


def asks_one_day(question: str) -> bool:
    """Whether a question asks one day's figure ("arrests tuesday night"), not a total."""
    return not ledger.asks_total(question) and _DAY_ASKED.search(question) is not None


def _capacity_unasked(question: str, sentence: str, e: Entity) -> bool:
    """Whether ``e`` is a capacity ("built for 10,000") and the question asks for none
    ("how many people are in the camp?")."""
    return ledger.capacity_before(sentence[max(0, e.start - 80):e.start]) \
        and ledger.question_measure(question) != "capacity"


def _whole_of(sentence: str, e: Entity, entities: Sequence[Entity]) -> Entity | None:
    """The count of the whole that count ``e`` is a part of ("10" of "six of the 10
    shelters"), or ``None``."""
    if e.label != "quantity":
        return None
    return next((o for o in entities if o.label == "quantity" and o.start > e.end
                 and ledger.is_part_of(sentence, e.end, o.start, e.text)), None)


#: before the whole a part is said of after it: "Of the 44 dead, 23 were in Sorrena"
_OF_THE = re.compile(r"(?:^|[,;:]\s*|\b(?:and|but)\s+)of\s+(?:the|these|those|its|their)\s+$",
                     re.I)


def _whole_before(sentence: str, e: Entity, entities: Sequence[Entity]) -> Entity | None:
    """The count of the whole written before count ``e`` ("44" of "Of the 44 dead, 23 were
    in Sorrena"), or ``None``."""
    if e.label != "quantity":
        return None
    return next((o for o in entities if o.label == "quantity" and o.end < e.start
                 and _OF_THE.search(sentence, 0, o.start)
                 and re.fullmatch(r"[^,;.\d]{0,60},\s*", sentence[o.end:e.start])), None)


_AUXILIARY = re.compile(r"\b(?:have|has|had|are|is|was|were|will|would|remain|remains|"
                        r"remained)\b", re.I)


#: a question's word for what befell some of a whole ("affected", "hit", "get", "recovered")
_DONE_ASKED = re.compile(r"\b(?:[a-z]{3,}[^e\W]ed|[a-z]{2,}ied|get|gets|got|hit|win|wins|won|lose|"
                         r"loses|lost|keep|keeps|kept|take|takes|took|shut|cut|close|closes|"
                         r"reach|reaches|join|joins|hold out|left)\b", re.I)


def _describes_whole(question: str, sentence: str, whole: Entity) -> bool:
    """Whether the question's words are those describing the whole ("people evacuated" of
    "About 2,300 of the 6,150 people evacuated have returned home", asked "how many people
    evacuated?") and none of what is said of its part ("have returned home")."""
    clause = re.split(r"[,;:]", sentence[whole.end:], maxsplit=1)[0]
    q = _stems(question) - _stems("how many much people number")
    verb = _AUXILIARY.search(clause)
    if verb is None:  # "affected 41 of the country's 58 public hospitals.", asked "how many
        # public hospitals in Tervania?" (what is done to the part: :func:`_done_to_part`)
        words = clause.split()  # (the whole's own words, and no more of them asked:
        # "three of 12 districts reported damage" asked what the districts did; nor what
        # befell a part: "how many hospitals affected", "how many seats did they get")
        return bool(q & _stems(" ".join(words[:2]))) and not q & _stems(" ".join(words[2:])) \
            and not _DONE_ASKED.search(question)
    return bool(q & _stems(clause[:verb.start()])) and not q & _stems(clause[verb.start():])


def _done_to_part(question: str, sentence: str, part: Entity) -> bool:
    """Whether the words right before a part say what the question asks is done to it
    ("would keep at least 180 of Kestavo's 212 branches", asked "how many branches will
    corvalis keep")."""
    q = _stems(question) - _stems("how many much people number will would")
    # (the clause's words before it, eight at most: "Picket lines were in place at 138 of the
    # 140 hospitals", asked "how many hospitals had pickets")
    before = re.split(r"[,;:]", sentence[:part.start])[-1]
    return bool(q & _stems(" ".join(before.split()[-8:])))


def _counted(sentence: str, end: int, question: str) -> int:
    """``end`` moved over the thing counted, when "how many" names it in the plural: "eight
    provinces" for "how many chinese provinces ...", "800 foreign fighters" for "how many
    foreign fighters ...", but not "800 foreign" of "800 foreign troops"."""
    asked = _HOW_MANY.search(question)
    if asked is None:
        return end
    words = [m.group(1) for m in _COUNTED.finditer(" " + question[asked.end():].lower())][:4]
    plural = {word_key(w) for w in words if w.endswith("s") and len(w) > 2}
    named = {word_key(w) for w in words}
    out = end
    for _ in words:  # at most as many words as the question names
        m = _COUNTED.match(sentence, end)
        if m is None or word_key(m.group(1).lower()) not in named:
            break
        end = m.end()
        if word_key(m.group(1).lower()) in plural:
            out = end
    return out


_WHO_IS = re.compile(r"\s*who(?:'s|\s+is|\s+was)\s+(?!(?:the|a|an|this|that)\b)", re.I)
_DETERMINER = r"(?:the|a|an|its|their|his|her)\s+"
_AFTER = re.compile(rf"^,\s+((?:{_DETERMINER}|(?i:(?:deputy |acting |vice |co-)?(?:{ROLE}))\b)"
                    rf"[^,.;:\"()]*?)\s*(?:[,.;:]|$)", re.I)  # "..., director of the hospital,"
#: a name right after "<verb> by" (with its description between): the doer of a passive
_AGENT = re.compile(r"\b([a-z]+)\s+by\s+(?:(?:a|an|the)\s+[^,.;:]{1,40},\s*|"
                    # ("to be led by retired judge Anton Berisk")
                    r"(?-i:[a-z][\w-]*\s+){1,3})?$", re.I)


def _done_by_asked(question: str, sentence: str, start: int) -> bool:
    """Whether the name at ``start`` does what the question asks of it ("who will lead the
    inquiry?": "... would be led by a retired judge, Helena Stroud")."""
    m = _AGENT.search(sentence, 0, start)
    if m is None:
        return False
    verb = m.group(1).lower()
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    return bool({verb, *other_forms(verb)} & asked) or word_key(verb)[:4] in {
        word_key(w)[:4] for w in asked if len(w) > 3}
_BEFORE_START = re.compile(r"^|[,;:]\s*|\b(?:said|says|and|by|with|from|for|to)\s+", re.I)
_BEFORE = re.compile(rf"({_DETERMINER}[^,.;:\"()]+?),\s*$", re.I)  # "led by the mediator, X"


def _described_before(text: str) -> re.Match[str] | None:
    """The description right before a name ("a state mediator" of "... chaired by a state
    mediator, "): the shortest that starts where one may."""
    found = None
    for start in _BEFORE_START.finditer(text):
        found = _BEFORE.match(text, start.end()) or found
    return found
#: a clause on the name: "Dr. A. Novak, who runs the field clinic in Dorvik, said ..."
_CLAUSE = re.compile(r"^,\s+(who\s+[^,.;:\"()]+?)\s*(?:[,.;:]|$)", re.I)
#: a title right before the name, no comma: "Union leader Joao Pereira", "Governor Tomas Lerch"
_TITLE = re.compile(rf"(?:^|(?<=[\s,;:\"(]))((?:[A-Z][\w&.'-]*\s+){{0,3}}(?i:{ROLE}))\s+$")


def named_person(question: str, entities: Sequence[Entity]) -> set[str] | None:
    """Of "who is <a person>?" whose name ``entities`` hold as a person, the name's word
    stems (first five letters); ``None`` for any other question."""
    m = _WHO_IS.match(question)
    if m is None:
        return None
    named = _stems(question[m.end():])
    if named and any(e.label == "person" and named <= _stems(e.text) for e in entities):
        return named  # not "Tesla's father"
    return None


def mentions(named: set[str], text: str) -> bool:
    """Whether ``text`` holds a word of the name :func:`named_person` gave."""
    return bool(named & _stems(text))


def _description(question: str, sentence: str, entities: Sequence[Entity]) -> str | None:
    """Of "who is <a named person>?", the sentence's apposition or clause on that name ("" when
    it has none: another name or figure of the sentence says nothing of who they are)."""
    named = named_person(question, entities)
    if named is None:
        return None
    for e in entities:
        if e.label == "person" and named <= _stems(e.text):
            found = _AFTER.match(sentence[e.end:]) or _CLAUSE.match(sentence[e.end:]) \
                or _described_before(sentence[:e.start]) or _TITLE.search(sentence[:e.start])
            if found and len(found.group(1).split()) <= 8:
                return found.group(1)
    return ""


#: a reporting verb right before a day ("said on Thursday"): when it was said; a date
#: something was first set for ("originally set for 10 March")
_SAID_ON = re.compile(r"\b(?:(?:said|says|confirmed|announced|told|reported|added|disclosed|"
                      r"revealed)\s+(?:\w+\s+)?on|(?:originally|initially|previously|first)\s+"
                      r"(?:set|scheduled|planned|due)\s+(?:for|on))\s+$", re.I)
_NAME = r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|(?:de|van|von|al|bin)\b)){1,3}"
#: a rank before a name ("Commander Ruel Faban"): no part of the name
_RANK = r"(?:Rear |Vice )?Admiral|Commander|Colonel|Lieutenant|Sergeant|Commodore|Brigadier"
_HONORIFIC = re.compile(rf"^(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame|Lord|Lady)\.?|{_RANK}|"
                        r"Major|Captain|Inspector|Detective|Bishop|Archbishop|Cardinal|Father|"
                        r"Reverend|Rabbi|Imam|Sheikh)\s+(?=[A-Z])")
_RANKED = re.compile(rf"^(?:{_RANK})\s+(?=[A-Z][\w'’-]+\s+[A-Z])")
_NOT_TITLED = frozenset("the a an its his her their said says".split())
#: the "'s" a name takes before what it owns ("Soviet leader Mikhail Gorbachev's offer")
_POSSESSIVE_END = re.compile(r"['’]s$")


def role_holder(question: str, sentence: str) -> str | None:
    """Who holds the post a question asks about, named beside it in the sentence: after it
    ("Governor Ansel Prake", "chief executive Dorian Falke") or before it ("Amara Finch, the
    utility's spokeswoman"), read from the words when the tagger missed or mislabelled the
    name; ``None`` when the question asks no post, or the sentence names no one beside it."""
    if not {"person"} <= expected_types(question) or _HOW_OLD.search(question):
        return None  # ("age of the first officer": "The first officer, Lise Amundt, 29,")
    # ("captain's lawyer": the lawyer's post is asked, the captain's names whose)
    asked = posts(re.sub(r"\b[\w-]+['’]s\b", " ", question)) or posts(question)
    # "who runs civil protection?": a head of the body asked, named with it ("Marit
    # Lunde-Kaso, the head of Teska Civil Protection")
    owner = None if asked else asked_owner(question)
    if not asked and not owner:
        return None
    for m in ROLE_WORD.finditer(sentence):
        if owner is not None:
            if post_key(m.group(0)) not in HEAD_POSTS or not owner & set(query_terms(
                    sentence[max(0, m.start() - 40):m.end() + 50])):
                continue
        elif post_key(m.group(0)) not in asked:
            continue
        after = re.match(rf"\s+({_NAME})", sentence[m.end():]) \
            or re.match(rf",\s+({_NAME})\s*,", sentence[m.end():])  # "lawyer, Petra Hollis,"
        if after and after.group(1).split()[0].lower() not in _NOT_TITLED:
            # "Chief Fire Officer Maren Dunleavy": the name after the whole title
            name = re.split(rf"\b(?:{ROLE}|officer|fire|police)\s+", after.group(1), flags=re.I)[-1]
            if len(name.split()) >= 2:
                return _POSSESSIVE_END.sub("", _HONORIFIC.sub("", name))
        before = re.search(rf"({_NAME}),\s+(?:the\s+|an?\s+|its\s+|[A-Z][\w'’-]*['’]s?\s+)?"
                           rf"(?:[\w'’-]+\s+){{0,3}}$", sentence[:m.start()])
        if before and before.group(1).split()[0].lower() not in _NOT_TITLED:
            return _POSSESSIVE_END.sub("", _HONORIFIC.sub("", before.group(1)))
    return None


#: an age ("a 9-year-old boy") answers "how old", no count ("how many survivors")
_AGE = re.compile(r"\d+-years?-old|\byears? old\b", re.I)
_AGE_AFTER_NAME = re.compile(r"\b[A-Z][\w'’.-]+,\s+(\d{1,3}),")
_HOW_OLD = re.compile(r"\bhow old\b|\bage\b|\baged\b", re.I)
_MONEY_ASKED = re.compile(r"\b(?:money|funding|funds|cash|dollars?|euros?|pounds|yen|"
                          rf"cost|costs|price|priced|{'|'.join(CURRENCY_WORDS)})\b", re.I)
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,})[\"”]")


#: "how old is Dario Pelt?", "what is the age of the mayor?", "Quell's age": whose age
_AGE_ASKED = re.compile(r"\bhow old (?:is|was|are|were)\s+(?P<a>[^?]+)|"
                        r"(?:\bwhat(?:'s| is| was)? (?:the )?|^\s*)age of\s+(?P<b>[^?]+)|"
                        r"\bwhat age (?:is|was)\s+(?P<c>[^?]+)|"
                        r"\b(?P<d>[A-Za-z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){0,2})['’]s age\b",
                        re.I)
_NOT_NAME_WORDS = frozenset("""the a an mr mrs ms dr he she they him her his its this that
now today currently""".split())


def states_an_age(sentence: str) -> bool:
    """Whether ``sentence`` gives someone's age ("a 74-year-old shepherd", "Grell, 61,")."""
    return bool(_AGE.search(sentence) or _AGE_AFTER_NAME.search(sentence))


def asked_age_of(question: str) -> list[str]:
    """The name words of the person whose age ``question`` asks (``["Dario", "Pelt"]``);
    empty when it asks no age, or names no one ("how old is the bridge?")."""
    m = _AGE_ASKED.search(question)
    if not m:
        return []
    who = next(g for g in m.groups() if g)
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", who)
             if w.lower().strip(".") not in _NOT_NAME_WORDS]
    if not words or len(words) > 4 or any(re.search(r"['’]s$", w) for w in words[:-1]):
        return []  # "Amira Solenne's youngest child": someone else's age
    # a name: capitalised in the question, or typed lower-case with a word no English one
    # ("how old is dario pelt"; not "how old is the ceo", "the bridge")
    if any(w[0].isupper() for w in words) or any(w.lower() not in english_words()
                                                 for w in words):
        return words
    return []


def stated_age(name: Sequence[str], sentence: str) -> str | None:
    """The age ``sentence`` gives the person ``name`` names: "Dario Pelt, 61,", "Quell, 58,"
    (the surname alone), "Pelt (61)", "Pelt was 61", "61-year-old Dario Pelt", "Pelt, aged
    61"."""
    for word in reversed(name):  # the surname first: "Quell, 58, did not concede"
        w = re.escape(word)
        for pattern in (rf"\b(?i:{w})(?:\s+[A-Z][\w'’.-]*)*,\s+(?:aged\s+)?(\d{{1,3}})\b"
                        r"(?=,|\s+(?:is|was|has|had|said|says|who)\b)",
                        rf"\b(?i:{w})\s+\((\d{{1,3}})\)",
                        rf"\b(?i:{w})\s+(?:is|was|turned|turns)\s+(?:aged\s+)?(\d{{1,3}})\b"
                        r"(?!\s*(?:[%\w]|-\w|[.,]\d))",
                        rf"\b(\d{{1,3}})-year-old\s+(?:[\w'’.-]+\s+){{0,4}}(?i:{w})\b"):
            if (m := re.search(pattern, sentence)) and 0 < int(m.group(1)) < 120:
                return m.group(1)
    return None


def highlight(question: str, sentence: str, entities: Sequence[Entity]) -> str | None:
    """The span of ``sentence`` that answers ``question``, or ``None`` (also when the
    sentence holds nothing of the asked type: better no bold than a wrong one)."""
    span = _highlight(question, sentence, entities)
    if asks_length(question) and (span is None or not _LENGTH.search(span)) \
            and (lengths := [e for e in entities if _LENGTH.search(e.text)]):
        return lengths[0].text  # "how deep is the wreck?": "about 38 metres", no count
    if span is not None and any(e.text == span and e.label in FIGURE_LABELS for e in entities) \
            and (named := figure_of_named(question, sentence)) is not None \
            and not re.search(rf"\b{re.escape(named)}\b", span):
        # "deaths on kellan": "21" of "21 people had died on Kellan Island, 13 on Pimsa"
        return next((e.text for e in entities
                     if e.label in FIGURE_LABELS and re.search(rf"\b{re.escape(named)}\b",
                                                                e.text)), named)
    return span


def _highlight(question: str, sentence: str, entities: Sequence[Entity]) -> str | None:
    """:func:`highlight`, before a length asked and the share of a place named."""
    described = _description(question, sentence, entities)
    if described is not None:
        return described or None
    if asks_what_was_said(question) and (said := _QUOTED.search(sentence)):
        return said.group(1)  # what someone said: the words in quotation marks
    if (holder := role_holder(question, sentence)) is not None:
        return holder  # "kesgrid spokesperson": "Amara Finch, the utility's spokeswoman"
    if aged := asked_age_of(question):  # "how old is Quell?": his age, no one else's
        return stated_age(aged, sentence)
    if _HOW_OLD.search(question) and (age := _AGE_AFTER_NAME.search(sentence)):
        return age.group(1)  # "Mayor Tomas Grell, 61, said": how old he is
    if _HOW_OLD.search(question) and (ages := [e for e in entities if _AGE.search(e.text)]):
        return ages[0].text  # "age of the shepherd who died": "a 74-year-old shepherd"
    labels = expected_types(question)
    # a few words naming no type ("captain flying hours", "coalition seats"): a figure,
    # when one stands among those words in the sentence
    guessed = not labels and ledger.keywords_only(question)
    labels = FIGURE_LABELS if guessed else labels
    if labels:
        # the model often takes a person for an organisation and back: a name of the other
        # kind is a candidate too, after those of the asked kind
        names = labels | _NAMES if labels & _NAMES else labels
        # ... and so is a figure of another kind ("how much did gold rise": 50 cents), unless
        # the question says it asks for money ("how much money did the agency give?")
        # (a price's change may be a share: "barley price change": "rose 6 percent")
        if names & FIGURE_LABELS and (not _MONEY_ASKED.search(question)
                                      or _CHANGE_ASKED.search(question)):
            names = names | FIGURE_LABELS
        # ... and, for a place, a name it took for an organisation after "in", "at" ...: a
        # village it does not know ("the field clinic in Dorvik")
        town = "place" in names and "org" not in names
        names = names | {"org"} if town else names
        # ... and, for "how long", a length of time the tagger took for a date ("four days")
        how_long = bool(_HOW_LONG.search(question))
        names = names | _WHEN if how_long else names
        which = _WHICH.search(question) or _WHICH_WORD.search(question)
        kind_of = which.group(1).lower() if which else ""

        def called_so(e: Entity) -> bool:
            """Whether the sentence calls ``e`` what "which ..." asks for ("A hacker group
            calling itself Grey Lantern", "Grey Lantern, a hacker group")."""
            kind = re.escape(kind_of)
            return bool(kind_of) and (
                kind_of in sentence[max(0, e.start - 40):e.start].lower()
                # "the Export-Import Bank of Japan" is a bank
                or (e.label in _NAMES and bool(re.search(rf"\b{kind}s?\b", e.text, re.I)))
                or bool(re.match(rf",\s+(?:a|an|the|its)\s+(?:[\w'’-]+\s+){{0,4}}{kind}\b",
                                 sentence[e.end:], re.I)))

        # ... and, for "which newspaper", a name it took for a place that the sentence
        # calls a newspaper ("the South China Morning Post, the leading ... newspaper")
        called = "org" in names and "place" not in names and bool(kind_of)
        names = names | _WHERE if called else names
        entities = _with_regions(sentence, entities)
        # "number three vein zone": a label, not a count
        pairs = [(e, w) for e in entities if (w := _whole_of(sentence, e, entities))]
        # ... unless the question asks what the whole is said to be ("how many evacuated?"
        # of "About 2,300 of the 6,150 people evacuated have returned home")
        asked_whole = [(e, w) for e, w in pairs if _describes_whole(question, sentence, w)
                       and not _done_to_part(question, sentence, e)]
        wholes = {w.start for e, w in pairs} - {w.start for _, w in asked_whole}
        parts = {e.start for e, _ in asked_whole}
        # "Of the four men rescued on Wednesday, three have left hospital": the part when
        # the question asks what it says of the part ("how many rescued miners are out of
        # hospital"), else the whole
        for e, w in ((e, w) for e in entities if (w := _whole_before(sentence, e, entities))):
            told = re.split(r"[,;.]", sentence[e.end:], maxsplit=1)[0]
            if (_stems(told) - _stems("have has had are is were was been now")) \
                    & _stems(question):
                wholes.add(w.start)
            else:
                parts.add(e.start)
        found = [e for e in answer_entities(question, entities, names)
                 if not (e.label == "quantity" and _LABEL_NUMBER.search(sentence, 0, e.start))
                 and e.start not in wholes  # the part answers, not the whole it is of
                 and e.start not in parts
                 and not _measured(question, sentence, e)
                 and not _capacity_unasked(question, sentence, e)
                 and not (labels == _WHEN and _DURATION.match(e.text)
                          and not (_WITHIN.search(sentence, 0, e.start)
                                   and _SOON.search(e.text)
                                   and not _WHAT_TIME.match(question)))
                 # "Mayor Lionel Braddock, 61, imposed ...": the tagger's "date" 61 is an age
                 and not (e.label == "date" and re.fullmatch(r"\d{1,3}", e.text))
                 and not (_AGE.search(e.text) and not _HOW_OLD.search(question))
                 and not (town and e.label == "org" and not _at_place(sentence, e.start))
                 and not (called and e.label == "place" and not called_so(e))
                 and not (labels == _WHERE and _SPOKE_IN.search(sentence, max(0, e.start - 40),
                                                                 e.start))]
        if not found:
            return None
        anchors = _anchors(question, sentence)
        q = _stems(question)
        # a plain "who" asks for a person more often than for an organisation
        person_first = 1 if labels == _NAMES else 0
        who = bool(labels & _NAMES)
        day_first = labels == _WHEN and not _WHAT_TIME.match(question)
        whence = labels == _WHERE and bool(_FROM_ASKED.search(question))
        # "who did chrysler sell its european ops to?": the one after "to" in the sentence
        ends_with = _ENDS_PREPOSITION.search(question)
        after_word = ends_with.group(1).lower() if ends_with else ""
        change_asked = bool(_CHANGE_ASKED.search(question))
        years_asked = set(YEAR.findall(question))
        dates = [o for o in entities if o.label == "date" and YEAR.search(o.text)]

        def of_another_year(e: Entity) -> bool:
            """Whether figure ``e`` is of a year the question does not ask ("13.9 pct" of
            "declined by 25.3 pct in 1986 after a 13.9 pct contraction in 1985", asked "in
            1986"): the year written after it, or else the one right before it."""
            if not years_asked or e.label not in FIGURE_LABELS:
                return False
            after = [o for o in dates if e.end <= o.start <= e.end + 40 and not any(
                f.label in FIGURE_LABELS and e.end <= f.start < o.start for f in entities)]
            before = [o for o in dates if e.start - 30 <= o.end <= e.start]
            year = after[0] if after else before[-1] if before else None
            return year is not None and not set(YEAR.findall(year.text)) & years_asked

        def changed_by(e: Entity) -> bool:
            """Whether ``e`` is the size of a change ("raised ... by 75 cts to 42.75 dlrs",
            "fell 6.8 pct in January ... to a rate of 716,000") and the question asks none."""
            return not change_asked and e.label in FIGURE_LABELS and bool(
                ledger.CHANGE_BEFORE.search(sentence, max(0, e.start - 20), e.start)) and any(
                o.label in FIGURE_LABELS and e.end < o.start <= e.end + 90
                and _TO_LEVEL.match(sentence, e.end, o.start) for o in found)

        def left_from(e: Entity) -> bool:
            """Whether ``e`` is the level a change left ("widened the zone from 2 kilometres to
            3.5 kilometres") and the question asks no earlier figure."""
            return not earlier_asked and e.label in FIGURE_LABELS \
                and bool(_FROM_BEFORE.search(sentence, max(0, e.start - 12), e.start)) \
                and any(o.label in FIGURE_LABELS and e.end < o.start <= e.end + 30
                        and _TO_NEXT.fullmatch(sentence, e.end, o.start) for o in found)

        earlier_asked = bool(_EARLIER_ASKED.search(question))
        more_asked = bool(_MORE_ASKED.search(question))

        def prior(e: Entity) -> bool:
            """Whether ``e`` is the figure a change came from or one compared with ("up from
            three"), the question asks no earlier one, and another figure stands beside it."""
            return not earlier_asked and e.label in FIGURE_LABELS \
                and bool(_PRIOR_BEFORE.search(sentence, max(0, e.start - 40), e.start)) \
                and any(o.label in FIGURE_LABELS and o is not e for o in found)

        dimension = _asks_dimension(question)
        total_asked = ledger.asks_total(question)
        day_asked = asks_one_day(question)

        def running(e: Entity) -> int:
            """Of a running total ("..., bringing the number of arrests since Saturday to
            54"): -1 asked the total, 1 asked one day's figure, 0 otherwise."""
            if e.label not in FIGURE_LABELS or not (total_asked or day_asked) \
                    or not ledger.brought_to_total(sentence, e.start):
                return 0
            return -1 if total_asked else 1

        def added(e: Entity) -> bool:
            """Whether ``e`` is what is added ("another 500 tonnes were on the way") and the
            question asks how much more."""
            return more_asked and e.label in FIGURE_LABELS and bool(
                _ANOTHER.search(sentence, max(0, e.start - 16), e.start))

        # "City councillor Ramona Ezzard, who represents Port Issel, called for ...": a name
        # said of another in passing, asked who called
        asides = [(m.start(), m.end()) for m in _ASIDE.finditer(sentence)] if who else []

        def aside(e: Entity) -> bool:
            """Whether ``e`` stands in such a clause."""
            return any(a <= e.start and e.end <= b for a, b in asides)

        clauses = [(m.start(), m.end()) for m in _CLAUSE_PART.finditer(sentence)]
        # "bonus in euros": of "1,000 lev (200 euros)" the sum in the currency asked; asked
        # none, the sum as first written, not its conversion after it
        currencies = _currencies(question)
        sums = [e for e in found if e.label == "money"]

        def in_asked_currency(e: Entity) -> bool:
            return e.label == "money" and bool(_currencies(e.text) & currencies)

        def converted(e: Entity) -> bool:
            return e.label == "money" and any(
                o.end <= e.start and _CONVERSION.fullmatch(sentence[o.end:e.start])
                for o in sums)

        def in_clause(e: Entity) -> int:
            """How many of the question's words the entity's own clause holds ("the port
            authority has offered 4.5%" of "...; the port authority has offered 4.5%")."""
            start, end = next(((a, b) for a, b in clauses if a <= e.start < b),
                              (0, len(sentence)))
            return sum(any(start <= a < end for a in places) for places in anchors)

        def cost(e: Entity) -> tuple[int, int, bool, int, int, int, int, int, bool, bool,
                                     bool, bool, bool, int, int, bool, bool, int, int, int, int,
                                     float, int]:
            # a name the question holds is not what it asks; a figure's unit it names is
            # ("200 mln Swiss francs" for "how much in swiss francs")
            # (not the kind "which" asks: "which bank": "Export-Import Bank of Japan")
            # (nor the unit of a length of time "how many hours" asks: "four hours")
            plain = e.label in FIGURE_LABELS or (how_long and bool(_DURATION.match(e.text)))
            named = 0 if plain else len((_stems(e.text) - _CORPORATE - _stems(kind_of)) & q)
            near = sum(min(min(abs(a - e.start), abs(a - e.end)) for a in places)
                       for places in anchors) / max(len(anchors), 1)
            rank = _PREFERENCE.index(e.label) if e.label in _PREFERENCE else 99
            bucket = int(near // 25) - (person_first if e.label == "person" else 0)
            # about as near (within some words, on average over the question's words): the
            # preferred kind wins
            # "when": a day ("on Monday") before a time of day ("overnight")
            hour = day_first and bool(_TIME_OF_DAY.search(e.text))
            # ... and of days, not the one it was said on ("confirmed on Thursday that the
            # last inspection was in June 2028") or first set for ("originally set for 10
            # March, moved to 11 March")
            said = day_first and bool(_SAID_ON.search(sentence, max(0, e.start - 30), e.start))
            # "who will lead the inquiry?": "... would be led by a retired judge, Helena
            # Stroud", not the minister who said so
            agent = who and _done_by_asked(question, sentence, e.start)
            # "where are they fleeing from?": the place they leave ("from Veshara into
            # Tavrin"), not the one they reach
            origin = whence and bool(_FROM_BEFORE.search(sentence, max(0, e.start - 12),
                                                         e.start))
            # "how long were the systems down?": "for four days", not a count beside it
            length = how_long and bool(_DURATION.match(e.text))
            asked_in = in_asked_currency(e)
            # "when": the day something happens, not the year that names a thing
            thing = day_first and bool(YEAR.fullmatch(e.text)) and bool(
                _YEAR_OF_THING.search(sentence, max(0, e.start - 8), e.start)
                and _THING_AFTER.match(sentence, e.end))
            after = bool(after_word) and bool(re.search(
                rf"\b{after_word}\s+(?:the\s+)?$", sentence[max(0, e.start - 16):e.start],
                re.I))
            # "where's the yacht now?": "the Silver Tern" of "the yacht, the Silver Tern, was
            # moored in ..." is the yacht, not where it is
            named += labels == _WHERE and bool((m := _APPOSED.search(
                sentence, max(0, e.start - 30), e.start)) and _stems(m.group(1)) & q)
            return (named, -asked_in, converted(e) and not asked_in, -called_so(e), -length,
                    -added(e), -(dimension and _of_dimension(question, sentence, e)),
                    running(e),
                    e.label not in labels, aside(e), hour, said, thing, -origin, -after,
                    changed_by(e) or left_from(e) or prior(e), of_another_year(e),
                    -in_clause(e), -agent, max(bucket, 0),
                    rank, near, closest(e))

        def closest(e: Entity) -> int:
            """How near ``e`` stands to the nearest of the question's words."""
            return min((min(abs(a - e.start), abs(a - e.end)) for places in anchors
                        for a in places), default=0)

        best = min(found, key=cost)
        if guessed and not in_clause(best):
            return None
        text = _whole(best, sentence, question, entities)
        # a person without "the" or the rank before the name ("Commander Ruel Faban")
        return _RANKED.sub("", re.sub(r"^the\s+", "", text)) if best.label == "person" \
            else text
    kind = question_kind(question)
    return key_span(question, sentence, kind) if kind else None


#: what parts a sum from its conversion into another currency: "45 million lev, about 9
#: million euros", "1,000 lev (200 euros)", "2,950 lev a month, or about 590 euros"
_CONVERSION = re.compile(r"(?:\s*(?:a|per)\s+\w+)?\s*(?:,|\(|—|–)?\s*(?:or\s+)?"
                         r"(?:about|around|roughly|some|nearly|approximately|almost|just over|"
                         r"just under|worth)?\s*", re.I)


def _currencies(text: str) -> set[str]:
    """The currencies ``text`` names (as the ledger stores them: "euros", "lev", "dlrs")."""
    signs = {ledger.CURRENCY_SIGNS[c] for c in text if c in ledger.CURRENCY_SIGNS}
    words = {ledger.UNIT_ALIASES.get(w, w) for w in re.findall(r"[a-z]+", text.lower())}
    return signs | (words & ledger.CURRENCIES)


def figure_of_named(question: str, sentence: str) -> str | None:
    """Of a sentence that splits a figure by place or holder (:func:`ledger.one_measure_split`),
    the figure of the one the question names ("six" of "Ten people died in Tolsend, six in
    Marrowick and three in Brennagh", asked "storm deaths in marrowick"); ``None`` when it
    splits none, or the question names no one of them, or more than one."""
    # (not a name the question says the figure is of: "China's wheat crop" asks no share of
    # it that a list of buyers gives China)
    owners = {w.lower() for w in re.findall(r"([\w-]+)['’]s\b", question)}
    asked = {word_key(w) for w in query_terms(question) if w not in owners}
    # ... by a name, not by one word of a name that the sentence also writes as a common
    # word ("still in hospital" names no "Kessel Municipal Hospital"; "green harvest" names
    # the Green Harvest Party)
    common = set(re.findall(r"\b[a-z][\w'’-]*", sentence))
    named = [p.value for p in ledger.one_measure_split(sentence)
             if len(hit := [n for n in p.names if word_key(n) in asked]) > 1
             or any(n not in common for n in hit)]
    return named[0] if len(named) == 1 else None
