"""How an asked figure developed over time, from the figure ledger (:mod:`index.ledger`).

:func:`figure_timeline` answers a figure question ("how many people died?") with every
figure of the asked *measure* (``dead``) stated in the *story* the question is about, one
point per report and value, oldest first, within the question's time window
(:mod:`index.timeq`):

- the story: the best evidence's report and, transitively, the reports that share two
  capitalised names (all of them when a report has fewer) with a report in the story; of a
  report whose sentences name the question's subject ("displaced by the *floods*") only
  those sentences count (for a bare unit such as ``tonnes`` the sentence itself must name
  it: wheat, not barley);
- a *disagreement* is two or more different values on the same report date. A report date is
  a day (most reports carry no time), so the day is the window: the same day's figures were
  current together, an earlier day's figure is a development, never a disagreement;
- a *correction* ("revised the number of displaced to 14,500") wins its day, and a later
  report repeating a value it replaced is not counted again;
- the *latest* figure is the newest day's (on a disagreement: the value most reports give,
  then the best-ranked one); an answer quotes it first.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from index import ledger
from index.abbreviations import EXPANSIONS, also_meant
from index.attribution import claimant, names_claimant
from index.backends.base import ReportStore
from index.context import said_by_pronoun
from index.entities import Entity
from index.figures import SENTENCE_STARTERS, Kind
from index.highlight import asks_length, figure_of_named
from index.ledger import LedgerRow
from index.models import Sentence, TimelinePoint
from index.outlets import from_outlets
from index.qtype import FIGURE_LABELS, expected_types
from index.retrieve import STOPWORDS, Candidate, Retriever, query_terms
from index.spelling import english_words
from index.timeq import TimeWindow

log = logging.getLogger(__name__)

GENERIC = frozenset("""
many much number people figure figures count total toll how what latest now current so far
were was are is have has had been reported according official officially estimate estimated
big large small size far deep got get gets gone reach reached level levels reading""".split())
_NOT_NAMES = frozenset("""
the a an in on at it he she they we this that but and however after before when while if as
its their his her there these those then so for of to by with from said says monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december mr mrs ms dr some many most all one two three four five
""".split())


@dataclass(frozen=True)
class Disagreement:
    """Different values for the figure on one date."""

    date: str
    points: tuple[TimelinePoint, ...]


@dataclass(frozen=True)
class FigureTimeline:
    """The asked figure over time: ``points`` oldest first; ``latest`` is quoted first."""

    measure: str
    points: tuple[TimelinePoint, ...]
    disagreements: tuple[Disagreement, ...]
    latest: TimelinePoint

    @property
    def as_of(self) -> str:
        return self.latest.date


def story_names(text: str) -> set[str]:
    """The capitalised names of a text (not a sentence's first word), lower-cased: what
    tells one story from another."""
    out: set[str] = set()
    for m in re.finditer(r"(?<![.!?]\s)(?<!\n\n)(?<!^)\b[A-Z][a-zA-Z'’-]{2,}", text):
        w = m.group(0).lower().rstrip("'’s")
        if w not in _NOT_NAMES:
            out.add(w)
    return out


#: a place word before a name: "in Velmora", "off the Ostrel coast" is no story of its own
_PLACE_BEFORE = re.compile(r"\b(?:in|near|off|at|of|across|outside|around)\s+(?:the\s+)?"
                           r"([A-Z][a-zA-Z'’-]{2,})")


def place_names(text: str) -> set[str]:
    """The capitalised words ``text`` writes after a place word ("in Velmora"), lower-cased."""
    return {m.group(1).lower() for m in _PLACE_BEFORE.finditer(text)}


def headline_pairs(title: str) -> set[str]:
    """A headline's (capitalised word, other word) pairs, as 5-letter prefixes joined by
    "+": two headlines that share a pair ("Vellmoor" and "cholera" of "Cholera outbreak
    confirmed in Vellmoor" and "Vaccination begins in Vellmoor as cholera toll reaches 11")
    tell one story, though a place alone does not. An all-capitals headline tells no names
    from words: it gives none."""
    if not re.search(r"[a-z]", title):
        return set()
    words = {w.lower()[:5] for w in re.findall(r"[^\W\d_]{4,}", title)
             if w.lower() not in _NOT_NAMES and w.lower() not in STOPWORDS}
    names = {w.lower()[:5] for w in re.findall(r"\b[A-Z][a-zA-Z'’-]{2,}", title)
             if w.lower() not in _NOT_NAMES}
    return {f"{n}+{w}" for n in names for w in words if n != w}


def headline_names(title: str, text: str, places: set[str] | None = None) -> set[str]:
    """The names a report's headline gives (its first word too), lower-cased, that its text
    never writes in lower case and that are no place (here or in ``places``, the places of
    the reports around it): "irma" of "Agency revises Irma figures"; not "agency" (the
    text's "the agency"), nor "velmora" of "Velmora grain harvest" when some text says "in
    Velmora". A storm, a ship, a company a follow-up report names only in its headline ties
    it to its story; a place does not (two stories happen in one place). An all-capitals
    headline tells no names from words: it gives none."""
    if not re.search(r"[a-z]", title):
        return set()
    lower = {w for w in re.findall(r"[^\W_]+", text) if w.islower()}
    places = (places or set()) | place_names(f"{title}. {text}")
    out: set[str] = set()
    for m in re.finditer(r"\b[A-Z][a-zA-Z'’-]{2,}", title):
        key = re.sub(r"['’]s?$", "", m.group(0)).lower()  # "Veda's": veda
        if key not in _NOT_NAMES and key not in lower and key not in places:
            out.add(key)
    return out


def _names_in(text: str, width: int | None = 5) -> set[str]:
    """The ``width``-letter prefixes (``None``: the whole words) of the words ``text`` only
    ever writes capitalised (sentence starts included: "Orvane Mining said ..."; "The" is
    also written "the"), lower-cased."""
    words = re.findall(r"[^\W_]+", text)
    lower = {w[:width] for w in words if w.islower()}
    return {w.lower()[:width] for w in words if w[0].isupper()} - lower


def _abbrev(text: str) -> str:
    """``U.S.`` → ``US``, so that an abbreviation is one word on both sides."""
    return re.sub(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?", lambda m: "".join(
        g for g in m.groups() if g), text)


def _topic_words(question: str, measure: str) -> list[str]:
    measure_words = {w for w, m in ledger.MEASURE_WORDS.items() if m == measure} | {measure}
    if measure in ledger.ANIMALS:  # "how many fish died?": "died" is what befell them
        measure_words |= {w for w, m in ledger.MEASURE_WORDS.items() if m == "dead"}
    # ("govt": the government; a short form of one word is that word)
    terms = [EXPANSIONS[t][0] if len(EXPANSIONS.get(t, ())) == 1 else t
             for t in query_terms(_abbrev(question))]
    return [t[:5] for t in terms
            if t not in GENERIC and t not in measure_words and len(t) > 1
            and ledger.UNIT_ALIASES.get(t) != measure  # "km" of kilometres
            and not t.isdigit() and t[:5] not in {w[:5] for w in measure_words}]


def _clause_of(r: LedgerRow) -> str:
    """The words of ``r``'s sentence from its figure to the end of the figure's clause."""
    at = max(r.sentence.find(r.value), 0)
    return re.split(r"[,;:]", r.sentence[at + len(r.value):], maxsplit=1)[0]


_SUSPECTED = re.compile(r"\bsuspected\b|\bprobable\b", re.I)


def _confirmed_or_suspected(question: str, rows: list[LedgerRow]) -> list[LedgerRow]:
    """An outbreak's cases as asked: "suspected cases" the suspected, "confirmed cases" the
    others; plain "cases" the confirmed when the story gives them day by day (two or more),
    else all (a story that counts only suspected cases)."""
    said = [bool(_SUSPECTED.search(_clause_before(r))) for r in rows]
    suspected = [r for r, s in zip(rows, said, strict=True) if s]
    confirmed = [r for r, s in zip(rows, said, strict=True) if not s]
    if _SUSPECTED.search(question):
        return suspected
    if re.search(r"\bconfirm", question, re.I) or len({r.date for r in confirmed}) >= 2:
        return confirmed
    return rows


#: what ends the clause of a figure ("The toll rose to 19 after two more bodies were found in
#: Brennagh": the 19 is no place's)
_OWN_CLAUSE = re.compile(r"[,;:]|\b(?:and|but|while|whereas|after|because|when|as|following)\b")
#: a place a figure's clause is of: "confirmed in Eastmoor", "Quayside has 134 cases",
#: "Quayside remains the worst-hit district with 151" (not "Dr Vashti said 14,600 doses")
_PLACE_IN = re.compile(r"\b(?:in|at|from)\s+(?:the\s+)?([A-Z][\w'’-]+)|\b([A-Z][\w'’-]+)\s+"
                       r"(?:has|had|have|recorded|reported|remains|remained|saw|counted|"
                       r"registered)\b")
#: a part of a city named as such ("in Ansby, a district north of the river")
_DISTRICT = re.compile(r"\b([A-Z][\w'’-]+),\s+an?\s+(?:[\w-]+\s+)?(?:district|neighbou?rhood|"
                       r"suburb|ward|borough|quarter)\b")


#: a level that says it is a total ("The total number of arrivals since April 12 now stands
#: at 33,850", "taking the total number of arrivals ... to 35,000")
_TOTAL_SAID = re.compile(r"\b(?:total|cumulative|in all|so far|to date)\b", re.I)


def _of_role(role: str, fetch: Callable[[str], list[LedgerRow]], new: bool) -> list[LedgerRow]:
    """The rows of ``role`` ``fetch`` gives (of changes, with ``new``, those counting new
    ones: :func:`_new_only`); totals with the levels whose clause says they are a total
    (they name what they count, so they are no running total of the figure before)."""
    rows = _new_only(role, fetch(role)) if new else fetch(role)
    if role == "total" and rows:
        rows += [r for r in fetch("level") if _TOTAL_SAID.search(_clause_before(r))]
    return rows


def _of_place(r: LedgerRow, places: Collection[str], asked: Collection[str]) -> bool:
    """Whether the clause holding ``r``'s figure names one of ``places`` ("nine cases have
    also been confirmed in Eastmoor"; "Quayside remains the worst-hit district with 151"), or
    a district the question does not name ("in Ansby, a district north of the river")."""
    at = max(r.sentence.find(r.value), 0)
    clause = _OWN_CLAUSE.split(r.sentence[:at])[-1] + r.value \
        + _OWN_CLAUSE.split(r.sentence[at + len(r.value):], maxsplit=1)[0]
    return any((m.group(1) or m.group(2)).lower() in places
               for m in _PLACE_IN.finditer(clause)) or any(
        m.group(1).lower() not in asked
        for m in _DISTRICT.finditer(r.sentence, max(r.sentence.find(r.value), 0)))


def _clause_before(r: LedgerRow) -> str:
    """The clause of ``r``'s sentence that holds its figure."""
    at = max(r.sentence.find(r.value), 0)
    return re.split(r"[,;:]", r.sentence[:at + len(r.value)])[-1] + _clause_of(r)


def _names_another(sentence: str, asked: Sequence[str]) -> bool:
    """Whether ``sentence`` names someone or something other than the ``asked`` names (as
    5-letter prefixes): "Corvane ... has 2.1 million customers" for Thessary's customers
    (not whom it quotes: "..., the Greystone County Fire Service said")."""
    source = {w.lower() for w in re.findall(r"[\w'’-]+", claimant(sentence) or "")}
    for m in re.finditer(r"\b[A-Z][a-zA-Z'’-]+", sentence):
        word = m.group(0).lower()
        opening = not sentence[:m.start()].strip(" \"“‘'(")
        if word in _NOT_NAMES or word[:5] in asked or word in source \
                or (opening and word in english_words()):
            continue
        return True
    return False


def _mentions(text: str, topic: Sequence[str]) -> bool:
    """At least half the topic words (as 5-letter prefixes) occur in ``text``, a short word
    also as the stem of a longer one ("open" in "opened", "opene" of "opened" in "open")."""
    if not topic:
        return True
    found = re.findall(r"[^\W_]+", _abbrev(text).lower())
    words = {w[:5] for w in found}
    stems = {re.sub(r"(?:ing|ed|es|s)$", "", w) for w in found if len(w) < 8}
    return 2 * sum(1 for t in topic if t in words or any(
        len(r) >= 4 and len(t) >= 4 and (r.startswith(t) or t.startswith(r))
        for r in stems)) >= len(topic)


def _names_given(question: str, evidence: Iterable[str]) -> set[str]:
    """The names the question gives (whole words, lower case): its words that are
    capitalised in it, or (typed lower-case: "qantas", "turkey") that the ``evidence``
    (texts) never writes in lower case, and writes capitalised inside a sentence ("in
    Turkey") or is no English word ("Veldan Airways said ...": not "Travellers were stranded
    ...")."""
    terms = [t for t in query_terms(_abbrev(question))
             if t not in _NOT_NAMES and t not in GENERIC and not t.isdigit()]
    names = {w.lower() for w in re.findall(r"(?<!^)\b[A-Z][A-Za-z]+", question)}
    text = " ".join(evidence)
    capitalised, inside, english = _names_in(text, None), story_names(text), english_words()
    return {t for t in terms if t in names or (
        t in capitalised and (t in inside or t not in english))}


def _names_half(text: str, names: Collection[str]) -> bool:
    """Whether ``text`` gives at least half of ``names`` (whole words, "Robertson" not
    "Robert"): "Veda" of "Storm Veda" in a follow-up's headline ("Agency revises Veda
    figures")."""
    words = set(re.findall(r"[^\W_]+", _abbrev(text).lower()))
    return 2 * sum(n in words for n in names) >= len(names)


#: units that measure rather than count
_MEASUREMENT_UNITS = ledger.LENGTH_UNITS | ledger.AREA_UNITS | ledger.CURRENCIES | frozenset(
    {"pct", "tonnes", "barrels", "litres", "millimetres", "bushels"})


def asked_measure(question: str, relevant: Sequence[Candidate], store: ReportStore) -> str:
    """The measure a question asks for: named in it, else the one of the figure the best
    evidence gives."""
    measure = ledger.question_measure(question)
    if measure:
        return measure
    from index.figures import key_span

    money = expected_types(question) == {"money"}  # "how much money": no count of people
    # "how many in the refuge chamber?": people, not the chamber's depth in metres
    how_many = re.search(r"\bhow many\b", question, re.I) is not None
    # "how big is the fire?": the area it covers, if given; "how far has the shaft got?" a
    # distance
    units = ledger.AREA_UNITS if ledger.asks_area(question) else \
        ledger.LENGTH_UNITS if asks_length(question) else frozenset()
    for c in relevant[:10] if units else ():
        for r in ledger.rows_for_sentences(store.query, [c.sentence.id]):
            if r.unit in units:
                return r.measure
    for c in relevant[:10]:
        span = key_span(question, c.sentence.text, "quantity")
        # a capacity ("built for 10,000") is how many a place could hold, not how many
        # are there, and a margin no one's count: asked only by name
        rows = [r for r in ledger.rows_for_sentences(store.query, [c.sentence.id])
                if r.measure not in ("capacity", "margin")
                and not (how_many and r.unit in _MEASUREMENT_UNITS)]
        if money:
            sums = [e.text for e in c.entities if e.label == "money"]
            rows = [r for r in rows if any(r.value in s for s in sums)]
        for r in rows:
            if span and r.value == span.strip():
                return r.measure
        if rows:  # the span is a change ("rose 2.1 billion dlrs to ..."): the level's measure
            return rows[0].measure
    return ""


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.005)


def _point(r: LedgerRow) -> TimelinePoint:
    return TimelinePoint(date=r.date[:10], at=r.date if r.dated else "", value=r.value,
                         number=r.number,
                         report_id=r.report_id, source=r.source, sentence=r.sentence,
                         title=r.title, url=r.url, sentence_id=r.sentence_id,
                         correction=r.correction, measure=r.measure,
                         claimant=claimant(r.sentence))


def _new_only(role: str, rows: list[LedgerRow]) -> list[LedgerRow]:
    """Of the changes of a count (read when new ones are asked: "new cases in the last
    24h"), those counting new ones; other ``rows`` as they are."""
    return [r for r in rows if ledger.newly_counted(r)] if role == "change" else rows


def figure_timeline(question: str, kind: Kind | None, relevant: Sequence[Candidate],
                    store: ReportStore, window: TimeWindow | None = None,
                    outlets: Collection[str] = (), by: Collection[str] = ()
                    ) -> FigureTimeline | None:
    """The asked figure's development in the story of the best evidence, or ``None`` when
    the question asks for no figure or the ledger holds none for it; with ``outlets``, as
    they reported it ("how many cases according to the Gazette?"); with ``by``
    (:func:`index.attribution.asked_claimant`), as the sentences naming that body gave it."""
    if not relevant or not (kind == "quantity" or ledger.asks_figure(question)):
        return None
    if asks_no_count(question):
        return None  # "how long will the inquiry take?": no count, whatever the evidence says
    measure = asked_measure(question, relevant, store)
    if not measure:
        return None
    rank = {c.sentence.id: i for i, c in enumerate(relevant)}
    # "how many refugees in total?": the running totals ("bringing the total to 17,800"),
    # not the day's figures they add up, when the story gives any
    near = []
    # ... and "new cases in the last 24h" the day's new ones (not "since tuesday": the
    # development shows how far the count moved since)
    undated = window is None or window.since is None or window.point
    new = ledger.asks_new(question) and undated
    # ... and "size of the second rate rise" a rate's moves ("adding another 250 basis
    # points"), which are told apart from the rate itself (in percent)
    moved = measure == "rate" and ledger.asks_change(question) and undated
    best = [c.sentence.id for c in relevant[:30]]
    for role in ("total", "level") if ledger.asks_total(question) else (
            ("change", "level") if new or moved else ("level",)):
        near = _of_role(role, lambda r: ledger.rows_for_sentences(store.query, best, measure, r),
                        new)
        if near:
            break
    near.sort(key=lambda r: rank.get(r.sentence_id, 10**6))
    topic = _topic_words(question, measure)
    texts: dict[str, str] = {}

    def text_of(rid: str) -> str:
        if rid not in texts:
            texts[rid] = store.report_text(rid) or ""
        return texts[rid]

    # The story is the best evidence's that states the figure (of a report that gives the
    # names the question gives, half of them at least: not the Philippines' inflation for
    # Turkey's), else the best evidence's.
    given = _names_given(question, [text_of(relevant[0].sentence.report_id),
                                    *(c.sentence.text for c in relevant)])
    gives: dict[str, bool] = {}  # report id: whether it gives the names (read once)

    def gives_names(r: LedgerRow) -> bool:
        if r.report_id not in gives:
            gives[r.report_id] = _names_half(f"{r.title} {text_of(r.report_id)}", given)
        return gives[r.report_id]

    near = [r for r in near if gives_names(r)] or near
    anchor = near[0].report_id if near else relevant[0].sentence.report_id

    pool = _pool(question, measure, relevant, anchor, store, text_of)
    rows = _of_role(role, lambda r: ledger.rows_for_reports(store.query, pool, measure, r), new)
    # "deaths in Marrowick": the figures given for it where a report splits the whole by
    # place ("Ten people died in Tolsend, six in Marrowick and three in Brennagh")
    # (of a list of two parts or more)
    parts = ledger.rows_for_reports(store.query, pool, measure, "part")
    split = Counter(r.sentence_id for r in parts)
    share = {r.sentence_id: figure_of_named(question, r.sentence)  # read once a sentence
             for r in parts if split[r.sentence_id] > 1}
    named = [r for r in parts if share.get(r.sentence_id) == r.value]
    # "injured firefighters", "how many kids died": those the question names by what they
    # are ("of whom eight are firefighters", "including five children"), not all of them
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    # (not when the whole counts them too: "9,100 passengers were stranded, of whom 3,600
    # were in Castemar" answers "how many passengers stranded" with the 9,100)
    whole_units = {r.unit for r in rows}
    kinds = [r for r in parts if ledger.people_kind(r.unit) and r.unit != measure
             and r.unit in words | also_meant(words) and r.unit not in whole_units]
    # "cases in ostrava nova": not "nine cases have also been confirmed in Eastmoor", a
    # district the story splits the figure by (not a place a headline names: the story's
    # own, "bread protest swells in Valdro")
    headlines = {w.lower() for r in rows for w in re.findall(r"[\w'’-]+", r.title)}
    districts = set() if named else {
        n for sentence in {r.sentence for r in parts if split[r.sentence_id] > 1}
        for p in ledger.one_measure_split(sentence) for n in p.names} - words - headlines
    rows = named or kinds or rows
    if measure in ledger.PEOPLE_KINDS:  # "how many refugees crossed?": "1,900 people
        # crossed on Wednesday" too, when the figure's own clause says what is asked (not
        # "the crossing ..., leaving hundreds of people stranded")
        rows += [r for r in ledger.rows_for_reports(store.query, pool, "people", role)
                 if _mentions(_clause_of(r), topic)]
    titles = {r.report_id: r.title for r in rows}
    if anchor not in titles:
        titles[anchor] = (a.title if (a := store.get_report(anchor)) else "")
    places = {p for rid in titles for p in place_names(f"{titles[rid]}. {text_of(rid)}")}
    story = _story(anchor, {r.report_id for r in rows}, lambda rid: story_names(text_of(rid)),
                   lambda rid: headline_names(titles[rid], text_of(rid), places)
                   | headline_pairs(titles[rid]))
    # (a sentence naming what the question names is of it, whatever its report's story: a
    # short item on the storm at the end of a report on another story, "raising the death
    # toll from Storm Ilsa to 10")
    rows = [r for r in rows if r.report_id in story or (given and given <= set(
        re.findall(r"[^\W_]+", _abbrev(r.sentence).lower())))]
    if measure == "cases":
        rows = _confirmed_or_suspected(question, rows)
    if measure in ledger.OF_WHOM:  # of whom: "Tully 50.4 percent and
        # Vaskova 46.1 percent", "Montrose finished with 48,590 votes and Quell with 48,402"
        rows = _of_whom_asked(question, rows, store, measure)
    # A report whose sentences name the subject gives those; one that states the figure
    # bare ("the office now puts the number of displaced people at 18,500") gives them all.
    # A unit says nothing of what it counts ("tonnes" of wheat or of barley): then every
    # sentence must name the subject itself; "displaced" or "dead" name it already.
    # ... and a sum of money is of someone: whose offer, which company's share price
    strict = measure not in ledger.NAMED_MEASURES or measure in ledger.OWNED_MEASURES

    # The names the question gives: capitalised in it, or typed lower-case ("anitec's
    # offering") and a name in the story's first report.
    anchor_names = _names_in(_abbrev(text_of(anchor)))
    proper = list(dict.fromkeys(
        [w.lower()[:5] for w in re.findall(r"(?<!^)\b[A-Z][A-Za-z]+", _abbrev(question))
         if w.lower() not in _NOT_NAMES]
        + [t[:5] for t in query_terms(_abbrev(question))
           if t[:5] in anchor_names and t not in _NOT_NAMES]))

    def names_subject(r: LedgerRow) -> bool:
        if not strict:  # (or counts what it names: "that figure had fallen to 141,000", of
            # the customers the sentence before counted, asked "customers without power now")
            return _mentions(f"{r.title} {r.sentence}", topic) or r.unit[:5] in topic
        # ... and every name the question gives, there or in the title (the Canadian M-1,
        # not the U.S. one).
        # (of a unit's figures, a name the title gives is the report's subject: the sentence
        # itself must give the other words, "burned" of "how many hectares has Tallis Ridge
        # burned?"; a sum's owner it must name itself)
        words = {w[:5] for w in re.findall(r"[^\W_]+",
                                           _abbrev(f"{r.title} {r.sentence}").lower())}
        own = topic if measure in ledger.NAMED_MEASURES or measure in ledger.OF_WHOM \
            else [t for t in topic if t not in proper]
        return (_mentions(r.sentence, topic) or (_mentions(r.sentence, own) and not
                                                 _names_another(r.sentence, proper))) \
            and all(p in words for p in proper)

    if strict:
        rows = [r for r in rows if names_subject(r)]
    else:
        naming = {r.report_id for r in rows if names_subject(r)}
        rows = [r for r in rows if r.report_id not in naming or names_subject(r)]
    # A report that gives not half the names the question gives, in its title or anywhere in
    # its text, is of another story that shares a few names with this one (a wire's day of
    # reports: an army's costs for "qantas 747-400 cost per plane")
    rows = [r for r in rows if gives_names(r)] if given else rows
    if window is not None:
        rows = [r for r in rows if _in_window(r.date, window)]
    if outlets:
        reports = store.get_reports({r.report_id for r in rows})
        rows = [r for r in rows
                if r.report_id in reports and from_outlets(reports[r.report_id], outlets)]
    if by:
        rows = [r for r in rows if names_claimant(set(by), r.sentence)]
    if districts:
        whole = [r for r in rows if not _of_place(r, districts, words)]
        # (a place's figure stays when no figure of the whole is as new: "two dozen homes in
        # Kellin had been destroyed" is all that is known of the homes destroyed then)
        rows = [r for r in rows if r in whole or not any(
            w.report_id == r.report_id or w.date >= r.date for w in whole)]
    # "ransom in euros": the figures in the unit asked (none: no development, the best
    # evidence answers, in the unit asked)
    named_units = ledger.units_named(question)
    if named_units and not named_units & {r.unit for r in rows}:
        return None
    # "thousands of evacuees": no figure beside one that gives the count
    rows = [r for r in rows if not ledger.is_vague(r.value)] or rows
    if (period := _PERIOD_ASKED.search(question)) is not None:
        # "daily cost to airlines": a figure "a day" ("about 9 million marks a day"), not the
        # running total; none given so, no development (the best evidence answers)
        unit = next(u for u, words in _PERIODS.items() if period.group(0).lower() in words)
        rows = [r for r in rows if _per(unit).match(r.sentence, r.sentence.find(r.value)
                                                     + len(r.value))]
    if not rows:
        return None
    points = _points(rows)
    if not points:
        return None
    # two bidders' offers, or a price at the open and the close, are no reports disagreeing
    found = disagreements(points) if measure not in ledger.MONEY_MEASURES else []
    latest = _latest(points, rank)
    return FigureTimeline(measure, tuple(points), tuple(found), latest)


#: questions for a length of time, an age, a height (a peak) or a speed, which the ledger
#: does not follow (a distance or a depth it does: "how far has the rescue shaft got?")
#: (not "how high" nor "how tall": a length, traced: "how high is the river now?")
#: a rate per day, week, month or year the question asks for, by the words asking it
_PERIODS = {"day": ("daily", "a day", "per day", "each day", "every day", "in the past 24 hours",
                    "in the last 24 hours"),
            "week": ("weekly", "a week", "per week", "each week", "every week"),
            "month": ("monthly", "a month", "per month", "each month", "every month"),
            "year": ("annual", "annually", "yearly", "a year", "per year", "each year",
                     "every year", "per annum")}
_PERIOD_ASKED = re.compile(r"\b(?:" + "|".join(w for words in _PERIODS.values() for w in words)
                           + r")\b", re.I)


@functools.cache
def _per(unit: str) -> re.Pattern[str]:
    """What follows a figure given per ``unit`` ("a day", "per year", "annually")."""
    words = "|".join(w for w in _PERIODS[unit]
                     if not re.fullmatch(rf"(?:a|per|each|every) {unit}", w))
    return re.compile(rf"[\w\s-]{{0,30}}?\b(?:(?:a|per|each|every)\s+{unit}\b|{words}\b)",
                      re.I)


#: measures a "how long / old / fast" question is not traced by (none named, a sum, a demand)
_NOT_HOW_LONG = frozenset({"", "demand", *ledger.MONEY_MEASURES})


def asks_no_count(question: str) -> bool:
    """Whether a question asks how long, old, fast, soon, often, early or late, and names no
    count or length it could be traced by ("how long did the hackers give for the higher
    ransom?": no sum either)."""
    return _NO_COUNT.search(question) is not None \
        and ledger.question_measure(question) in _NOT_HOW_LONG
_NO_COUNT = re.compile(r"\bhow (?:long|old|fast|soon|often|early|late)\b", re.I)
POOL_SENTENCES = 400

#: whom a figure can be of (the tagger takes some people for organisations: "Petra Vaskova")
_HOLDERS = frozenset({"person", "org", "group"})  # "group": a party ("the Greens")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")
HOLDER_GAP = 6  # words between a figure and its holder: "Tully's share of the vote fell to"
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|while|whereas|against)\b")


def holder(sentence: str, value: str, entities: Sequence[Entity]) -> Entity | None:
    """The person or body a figure is of: "Vaskova" of the 46.1 in "Tully had won 50.4 percent and
    Petra Vaskova 46.1 percent", "Tully" of the 49.8 in "Tully's share fell to 49.8 percent
    and Vaskova's rose to 46.9". The one in the figure's own clause, before it, else
    after it, at most :data:`HOLDER_GAP` words away ("Hal Roach shares at seven dlrs each for a
    total of 6.3 mln dlrs": the 6.3 million is no one's here); ``None`` when there is none."""
    at = sentence.find(value)
    if at < 0:
        return None
    end = at + len(value)
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, at)), default=0)
    stop = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    people = [e for e in entities if e.label in _HOLDERS and start <= e.start and e.end <= stop]
    before = [e for e in people if e.end <= at and _words(sentence[e.end:at]) <= HOLDER_GAP]
    if before:
        return before[-1]
    after = [e for e in people if e.start >= end and _words(sentence[end:e.start]) <= HOLDER_GAP]
    if after:
        return after[0]
    # a name the tagger missed ("said Montrose finished with 48,590 votes"): the nearest
    # capitalised word before it in its clause
    named = [m for m in _CAPITALISED.finditer(sentence, start, at)
             if m.group(0) not in SENTENCE_STARTERS and _words(sentence[m.end():at]) <= HOLDER_GAP
             and not any(e.start <= m.start() < e.end for e in entities)
             # ... not a word capitalised as the sentence's first ("Turnout was 68 percent")
             and not (m.start() == 0 and m.group(0).lower() in english_words())]
    return Entity("person", named[-1].start(), named[-1].end(), named[-1].group(0)) \
        if named else None


def _bidder(sentence: str, value: str, entities: Sequence[Entity]) -> Entity | None:
    """Whose offer a sum is: the owner it is said of ("Corvane Logistics' improved offer of
    $43.50"), else the subject of its clause ("Corvane Logistics raised its offer for
    Stelwick Freight to $43.50": not the company bid for)."""
    at = sentence.find(value)
    if at < 0:
        return None
    # ("Tarnmoor, meanwhile, raised its offer": an aside between commas breaks no clause)
    unbroken = _ASIDE.sub(lambda m: " " * len(m.group(0)), sentence)
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(unbroken, 0, at)), default=0)
    before = [e for e in entities if e.label in _HOLDERS and start <= e.start and e.end <= at]
    owner = [e for e in before if (_OWNS.match(sentence, e.end) or _OWNED.search(e.text))
             and _words(sentence[e.end:at]) <= HOLDER_GAP
             and not _BID_FOR.search(sentence, 0, e.start)]  # "its offer for Stelwick's assets"
    return owner[-1] if owner else (before[0] if before else None)


_ASIDE = re.compile(r",\s+(?:meanwhile|however|in turn|for (?:its|their|his|her) part|though|"
                    r"too|also|instead|separately|in addition|in response)\s*,", re.I)
_BID_FOR = re.compile(r"\b(?:for|buy|acquire)\s+$", re.I)
_OWNS = re.compile(r"['’]s?\s")
_OWNED = re.compile(r"['’]s?$")  # the tagger's "Corvane Logistics'" holds its apostrophe


def _words(text: str) -> int:
    return len(text.split())


def names_asked(question: str, name: str) -> bool:
    """Whether ``name`` holds a word of ``question`` ("Petra Vaskova" of "what percent did
    vaskova get?"), by 5-letter prefixes."""
    asked = {t[:5] for t in query_terms(question)}
    return bool(asked & {w.lower()[:5] for w in re.findall(r"[^\W\d_]+", name)})


def _of_whom_asked(question: str, rows: list[LedgerRow], store: ReportStore,
                   measure: str = "pct") -> list[LedgerRow]:
    """Of a question naming a person or body ("what share did Tully get?"), the rows
    without the figures of others ("Vaskova 46.1 percent" beside "Tully 50.4 percent"; an
    offer whose bidder is another, wherever it is said)."""
    if not rows:
        return rows
    texts = {r.sentence_id: r.sentence for r in rows}
    stored = store.entities(texts)
    people = {r.sentence_id: [e for e in stored.get(r.sentence_id, []) if e.label in _HOLDERS]
              for r in rows}
    # whose each figure is, read once (a name the tagger missed holds one too: "said Montrose
    # finished with 48,590 votes")
    owner = [(_bidder if measure == "offer" else holder)(r.sentence, r.value,
                                                         people[r.sentence_id]) for r in rows]
    named = {e.text for e in [*(e for ents in people.values() for e in ents), *owner]
             if e is not None and names_asked(question, e.text)}
    if not named:
        return rows

    # only a sentence giving figures of several holders tells them apart ("the Bank of
    # Canada said M-1 rose to ..." gives the bank no figure of its own)
    several = {sid for sid, ents in stored.items()
               if len({h.text for e in ents if e.label in FIGURE_LABELS
                       if (h := holder(texts[sid], e.text, people.get(sid, []))) is not None})
               > 1}
    # ... or whose rows of the measure are of several ("61 seats and Green Harvest 22": the
    # tagger took the 22 for a date)
    holders: dict[int, set[str]] = {}
    for r, h in zip(rows, owner, strict=True):
        if h is not None:
            holders.setdefault(r.sentence_id, set()).add(h.text)
    several |= {sid for sid, names in holders.items() if len(names) > 1}
    # a count of seats or votes of no one named, among several parties' ("with six seats for
    # smaller parties", "which would give them 83"), is not the one asked's
    unowned_out = measure in ("votes", "seats")
    return [r for r, h in zip(rows, owner, strict=True)
            if (r.sentence_id not in several and measure != "offer")
            or (h is None and not (unowned_out and r.sentence_id in several))
            or (h is not None and h.text in named)]


def _pool(question: str, measure: str, relevant: Sequence[Candidate], anchor: str,
          store: ReportStore, text_of: Callable[[str], str]) -> list[str]:
    """The reports that may hold the figure: those of the retrieved evidence, and those
    whose sentences best match the question's words, the measure's words and the anchor
    report's most frequent names (BM25, bounded: a large index is never scanned)."""
    names = Counter(n for n in re.findall(r"\b[A-Z][a-zA-Z'’-]{2,}", text_of(anchor))
                    if n.lower() not in _NOT_NAMES)
    words = [*query_terms(question),
             *(w for w, m in ledger.MEASURE_WORDS.items() if m == measure),
             *(n.lower() for n, _ in names.most_common(4))]
    if measure not in ledger.NAMED_MEASURES:
        words.append(measure)
    match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words) if re.fullmatch(r"\w+", w))
    found = [sid for sid, _score in store.bm25(match, POOL_SENTENCES)]
    reports = [c.sentence.report_id for c in relevant]
    reports += [s.report_id for s in store.sentences(found).values()]
    return list(dict.fromkeys(reports))


def _story(anchor: str, reports: set[str], names_of: Callable[[str], set[str]],
           headline_of: Callable[[str], set[str]] = lambda rid: set()) -> set[str]:
    """The anchor's report and, transitively, every report sharing two names (all of them
    when one has fewer) with a report already in the story, or a name of its headline
    (:func:`headline_names`) with that report's headline."""
    names = {rid: names_of(rid) for rid in reports | {anchor}}
    heads = {rid: headline_of(rid) for rid in reports | {anchor}}
    story = {anchor}
    frontier = [anchor]
    rest = set(reports) - story
    while frontier and rest:
        at = frontier.pop()
        a, head = names[at], heads[at]
        joined = {rid for rid in rest
                  if ((need := min(2, len(a), len(names[rid]))) > 0
                      and len(a & names[rid]) >= need) or head & heads[rid]}
        story |= joined
        rest -= joined
        frontier.extend(joined)
    return story


def _in_window(day: str, window: TimeWindow) -> bool:
    """A figure question reads "on D" as "as of the end of D"."""
    if window.point:
        return (window.until is None or day[:10] < window.until.isoformat()) \
            and not window.later(day)
    return window.contains(day)


def _points(rows: Sequence[LedgerRow]) -> list[TimelinePoint]:
    """One point per (report, value), oldest first; a day's corrections drop its other
    values, and values a correction replaced are not counted again later."""
    seen: set[tuple[str, str]] = set()
    by_day: dict[str, list[TimelinePoint]] = {}
    for r in sorted(rows, key=lambda r: (r.date, r.source or "", r.report_id, r.position)):
        key = (r.report_id, f"{r.number:g}")
        if key in seen:
            continue
        seen.add(key)
        by_day.setdefault(r.date[:10], []).append(_point(r))
    out: list[TimelinePoint] = []
    replaced: list[float] = []
    for day in sorted(by_day):
        pts = by_day[day]
        pts = [p for p in pts if not any(_same(p.number, v) for v in replaced)] or pts
        fixes = [p for p in pts if p.correction]
        if fixes:
            replaced.extend(p.number for p in out if not any(_same(p.number, f.number)
                                                            for f in fixes))
            replaced.extend(p.number for p in pts if not p.correction)
            pts = fixes
        out.extend(pts)
    return out


def disagreements(points: Sequence[TimelinePoint]) -> list[Disagreement]:
    """The dates on which the points differ (beyond half a percent), newest first: figures
    of two reports, or of two bodies one report cites ("the ministry said 205 ... the aid
    group counted 260", "It said its teams had counted 260"); two figures one report gives
    of its own are no reports differing ("runs 14 hospitals", "six hospitals run by": of
    other things, which the unit cannot tell apart)."""
    by_day: dict[str, list[TimelinePoint]] = {}
    for p in points:
        by_day.setdefault(p.date, []).append(p)

    def voice(p: TimelinePoint) -> str | None:  # "It said its teams counted 260": someone
        return p.claimant or ("" if said_by_pronoun(p.sentence) else None)  # named before

    def differ(p: TimelinePoint, q: TimelinePoint) -> bool:
        a, b = voice(p), voice(q)
        return not _same(p.number, q.number) and (
            p.report_id != q.report_id or (a is not None and b is not None and a != b))

    return [Disagreement(day, tuple(pts)) for day, pts in sorted(by_day.items(), reverse=True)
            if any(differ(p, q) for i, p in enumerate(pts) for q in pts[i + 1:])]


def lead_points(points: Sequence[TimelinePoint]) -> list[TimelinePoint]:
    """The figure quoted for each date (as :func:`figure_timeline` picks the latest)."""
    days = sorted({p.date for p in points})
    return [_latest([p for p in points if p.date <= day], {}) for day in days]


SAME_DAY_RANKS = 5  # how far below the best a later report of the same day may rank


def _latest(points: Sequence[TimelinePoint], rank: dict[int, int]) -> TimelinePoint:
    day = points[-1].date
    pts = [p for p in points if p.date == day]

    def support(p: TimelinePoint, among: Sequence[TimelinePoint]) -> int:
        return sum(1 for q in among if _same(q.number, p.number))

    # a report published later that day updates an earlier one ("Published 07:40", "Updated
    # 18:20"); a report dated by its day alone is of no hour
    # (of those about as relevant as the best: in a large library, a later report that day may
    # be of another story)
    best = min(rank.get(p.sentence_id, 10**6) for p in pts)
    close = [p for p in pts if rank.get(p.sentence_id, 10**6) <= best + SAME_DAY_RANKS]
    last = max(p.at for p in close)
    newest = [p for p in close if p.at == last] if len(last) > 10 else pts
    return min(newest if not any(p.correction for p in pts) else pts,
               key=lambda p: (-int(p.correction), -support(p, pts), -support(p, points),
                              rank.get(p.sentence_id, 10**6)))


def candidate_for(point: TimelinePoint, relevant: Sequence[Candidate], store: ReportStore
                  ) -> Candidate:
    """The retrieval candidate of a point's sentence (made up when retrieval missed it)."""
    for c in relevant:
        if c.sentence.id == point.sentence_id:
            return c
    sent = store.sentences([point.sentence_id]).get(point.sentence_id) or Sentence(
        point.sentence_id, point.report_id, 0, point.sentence)
    top = relevant[0] if relevant else None
    return Candidate(sent, top.dense if top else 0.0, top.lexical if top else 0.0,
                     top.score if top else 0.0)


def report_days(store: ReportStore, report_ids: Sequence[str]) -> dict[str, str]:
    """The date each report gave (else its publication or ingestion instant), as
    ``YYYY-MM-DD…``: its first ten characters are the report's own day."""
    out: dict[str, str] = {}
    ids = list(dict.fromkeys(report_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for rid, day in store.query(
                "SELECT id, COALESCE(date, sort_date) FROM reports "
                f"WHERE id IN ({','.join('?' * len(chunk))})",
                chunk):
            out[str(rid)] = str(day)
    return out


def first_reported(phrase: str, retriever: Retriever, min_score: float = 0.8
                   ) -> tuple[str, set[str]] | None:
    """The day an event was first reported (``YYYY-MM-DD``) and the reports of that day,
    among those whose sentences match ``phrase`` nearly as well as the best one."""
    found = retriever.search(phrase, k=20)
    if not found or found[0].dense < 0.3:
        return None
    best = found[0].score
    close = [c for c in found if c.score >= min_score * best]
    days = {rid: day[:10] for rid, day in report_days(
        retriever.store, [c.sentence.report_id for c in close]).items()}
    if not days:
        return None
    first = min(days.values())
    return first, {rid for rid, day in days.items() if day == first}


def event_day(phrase: str, retriever: Retriever, min_score: float = 0.8) -> date | None:
    """The day an event was first reported (:func:`first_reported`)."""
    found = first_reported(phrase, retriever, min_score)
    try:
        return None if found is None else date.fromisoformat(found[0])
    except ValueError:
        return None
