"""Composing a cited answer from retrieved sentences.

1. Retrieve candidates (:mod:`index.retrieve`), only those of the time and the outlets the
   question names; if the reranker is not confident in the best (:mod:`index.notfound`),
   the answer is "not found" — an unrelated citation is worse than none.
2. Quote the best sentence and up to ``k - 1`` more that score close to it (newest report
   first for a question asking for news, "latest on the strike", or how things stand, "is
   the river still rising?"; the first report of it first for "when did the floods
   begin?"; for "who heads the port authority?", a quote naming the authority's head before
   one naming another body's, :mod:`index.roles`); a sentence that says the same as one
   already quoted (from another report) adds its citation to that quote instead of
   repeating it. Every outlet that carried a quoted report is cited.
3. Mark the key span (the number, date or name asked for) in the top quote, from the
   entities stored at ingest (:mod:`index.highlight`). A quote that leans on the sentence
   before it ("He said …") carries that sentence as its context.
4. For a quantity question, the figure ledger gives how the figure developed
   (:mod:`index.timeline`): the newest figure is quoted first, and reports that differ on
   the same date are listed (the ``k`` newest) with their report and date and quoted; the
   older ones lead the further evidence. Asked at a time whose own evidence the gate
   doubts ("death toll on Wednesday"), it is the figure standing then (:func:`as_of_answer`).
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from index import ledger
from index.abbreviations import also_meant, word_key
from index.attribution import asked_claimant, claimant, names_claimant
from index.backends.base import ReportStore
from index.context import leans_by_pronoun, said_by_pronoun
from index.figures import (
    CURRENCY_WORDS,
    Kind,
    key_span,
    parse_number,
    question_kind,
    without_bound,
)
from index.highlight import (
    asked_age_of,
    asks_clock_time,
    asks_length,
    asks_one_day,
    figure_of_named,
    highlight,
    mentions,
    named_person,
    stated_age,
    states_clock_time,
    states_length,
)
from index.models import Answer, Citation, Figure, Quote, Report, span_at
from index.notfound import (
    another_story,
    answers,
    news_subject,
    object_words,
    state_subject,
    telling,
)
from index.outlets import from_outlets
from index.qtype import (
    FIGURE_LABELS,
    ROLE_WORD,
    YES_NO,
    asks_cause,
    began_subject,
    expected_types,
    gives_reason,
    posts,
    same_posts,
)
from index.rerank import answer_entities
from index.retrieve import Candidate, Retriever, query_terms
from index.roles import asked_owner, role_owner, same_body
from index.spelling import english_words, read_as
from index.timeline import (
    FigureTimeline,
    asks_no_count,
    candidate_for,
    figure_timeline,
    first_reported,
    holder,
    lead_points,
    names_asked,
    report_days,
)
from index.timeq import WEEKDAYS, TimeWindow, day_named, day_told, tells_of_day

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thresholds:
    """When a candidate counts as relevant, and how close others must be to be quoted."""

    min_dense: float = 0.35          # cosine of question and best sentence
    min_dense_with_words: float = 0.22  # ... when most question words are in the sentence
    word_coverage: float = 0.6
    relative: float = 0.8            # another quote needs this share of the best score
    rank_margin: float = 3.0         # ... or, reranked, at most this far below the best rank
    same_sentence: float = 0.92      # cosine above which two sentences say the same
    more: int = 5


def _asks(sentence: str) -> bool:
    """Whether ``sentence`` is a question ("Why did the ministry act?", '"Who pays?"')."""
    return sentence.rstrip().rstrip("\"'”’)").endswith("?")


#: a sentence that says something is not told: "He declined to say what had caused the
#: explosion", "It was not clear when the canal would reopen"
_UNTOLD = re.compile(r"\b(?:declined|refused|would\s+not|wouldn't|did\s+not|didn't|could\s+not|"
                     r"couldn't|was\s+unable|were\s+unable)\s+(?:to\s+)?(?:say|comment|"
                     r"confirm|disclose|specify|reveal|speculate|give\s+(?:a|any)\s+\w+)\b|"
                     r"\b(?:it\s+(?:was|is|remained|remains)\s+(?:not\s+(?:yet\s+)?(?:clear|"
                     r"known)|unclear))\b|\b(?:is|was|are|were|remains?|remained)\s+(?:still\s+)?"
                     r"(?:unknown|not\s+(?:yet\s+)?known)\b", re.I)


def _untold(sentence: str) -> bool:
    """Whether ``sentence`` says what it is about is not told (:data:`_UNTOLD`)."""
    return _UNTOLD.search(sentence) is not None


#: a question for the holder of a post ("who is the health minister?", "name of the CEO")
_ASKS_HOLDER = re.compile(r"^\s*(?:who(?:'s|\s+is|\s+was|\s+are|\s+were)\s|(?:what(?:'s|\s+is)"
                          r"\s+)?(?:the\s+)?names?\s+of\s)", re.I)


def _another_post(asked: set[str], text: str, named_person: bool) -> bool:
    """Whether ``text`` (a quote, with the sentence it leans on) answers none of the posts
    ``asked`` (by :func:`post_key`; a body's head for another's): it names another post
    ("Agriculture Minister Halvard Osk" for a president), or no post and no person, and no
    word of an asked post outside a post ("to mediate" for a mediator, "the leadership of"
    for a leader; not "the health ministry" for a minister)."""
    named = posts(text)
    rest = ROLE_WORD.sub(" ", text)
    return bool(asked) and not same_posts(asked, named) and not any(
        re.search(rf"\b{re.escape(key)}(?!try\b|tries\b)", rest, re.I) for key in asked) \
        and (bool(named) or not named_person)


def _one_day(question: str, window: TimeWindow | None) -> bool:
    """Whether one day's figure is asked, not a total: by the question's words ("arrests
    tuesday night"), or by the day taken out of them into ``window`` ("on monday")."""
    return asks_one_day(question) or (window is not None and window.point
                                      and not ledger.asks_total(question))


def _tells(question: str, c: Candidate) -> bool:
    """Whether ``c`` gives what ``question`` asks for: a reason for "why" or "what caused",
    an entity of the asked type otherwise (an open question: never said to be told)."""
    if asks_cause(question):
        return gives_reason(c.sentence.text)
    labels = expected_types(question)
    return bool(labels) and bool(answer_entities(question, c.entities, labels))


def _coverage(question: str, sentence: str) -> float:
    terms = [t[:5] for t in query_terms(question)]
    if not terms:
        return 0.0
    words = {w[:5] for w in re.findall(r"[^\W_]+", sentence.lower())}
    return sum(1 for t in terms if t in words) / len(terms)


def is_relevant(question: str, c: Candidate, t: Thresholds) -> bool:
    if c.dense >= t.min_dense:
        return True
    return c.dense >= t.min_dense_with_words and _coverage(question, c.sentence.text) \
        >= t.word_coverage


def _title(store: ReportStore, c: Candidate) -> str:
    report = store.get_reports([c.sentence.report_id]).get(c.sentence.report_id)
    return report.title if report is not None else ""


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def compose_answer(question: str, retriever: Retriever, store: ReportStore, k: int = 3,
                   thresholds: Thresholds | None = None, window: TimeWindow | None = None,
                   outlets: Collection[str] = (), figure: bool = False) -> Answer:
    """``window`` (from the question's time words, :mod:`index.timeq`) keeps only evidence
    dated in it, ``outlets`` (named in the question, :mod:`index.outlets`) only what they
    reported; a figure question quotes the newest figure first (:mod:`index.timeline`);
    ``figure`` reads the question as one ("storm surge": ``briefbot timeline``)."""
    question = question.strip()
    if (fixed := read_as(question, store)) is not None:  # "govenor": governor
        answer = compose_answer(fixed, retriever, store, k, thresholds, window, outlets,
                                figure)
        return replace(answer, question=question, read_as=fixed)
    t = thresholds or Thresholds()
    kind = question_kind(question) or ("quantity" if figure else None)
    measure = ledger.question_measure(question)  # what it counts, if it says
    candidates = retriever.search(question, k=max(30, k * 5) * (4 if window or outlets
                                                                 else 1))
    # a sentence that asks ("Why did the government choose a ban?", an explainer's heading)
    # answers nothing while one that states something is there
    candidates = [c for c in candidates if not _asks(c.sentence.text)] + [
        c for c in candidates if _asks(c.sentence.text)]
    if window is not None and not window.empty:
        candidates = _in_window(candidates, store, window, kind)
    if outlets:
        reports = store.get_reports(c.sentence.report_id for c in candidates)
        candidates = [c for c in candidates if c.sentence.report_id in reports
                      and from_outlets(reports[c.sentence.report_id], outlets)]
    if (by := asked_claimant(question)) and candidates:  # "according to Red Lantern"
        # (no outlet): their sentence first, when it scores near the best (a source the
        # answer does not name, "according to the Census Bureau", leaves the order alone)
        near = [c for c in candidates
                if c.rank >= candidates[0].rank - t.rank_margin and _by(by, c)]
        # ... the one counting what is asked ("120 people treated", not "nine doctors")
        other = _counting_other(measure, near, store, units=True)
        theirs = next((c for c in near if c.sentence.id not in other), None)
        if theirs is None:
            by = set()
        else:
            candidates = [theirs, *(c for c in candidates if c is not theirs)]
    # "how old is Dario Pelt?": the sentence giving his age ("Dario Pelt, 61,") answers it,
    # whatever else scores above it and however little it shares with the question
    aged = next((c for c in candidates if stated_age(who, c.sentence.text)), None) \
        if (who := asked_age_of(question)) else None
    if aged is not None:
        candidates = [aged, *(c for c in candidates if c is not aged)]
    elif asks_clock_time(question):
        # "what time did the quake strike?": of the best few, one giving a time of day
        # ("The quake hit at 4:12 a.m."), not the day alone ("early on Tuesday")
        candidates = _stating_first(candidates, states_clock_time)
    elif asks_length(question):
        # "how far from Keswin did it go down?": of the best few, one giving a distance
        # ("went down about 11 kilometres south of Keswin"), not a count of survivors
        candidates = _stating_first(candidates, states_length)
    relevant = [c for c in candidates if is_relevant(question, c, t)]
    reranked = retriever.reranker is not None
    if reranked and candidates:
        # the reranker's best leads even when it shares few words with the question by
        # itself ("The redemption date will be May 8"; "are the talks still going on?"):
        # the confidence gate judges it
        relevant = [candidates[0], *(c for c in relevant if c is not candidates[0])]
    if not by:  # ... whose count of people is theirs, in their words ("95 people treated")
        relevant = _not_another_count(measure, relevant, store)
    # Asked of no day, a sentence stating the figure asked answers it: "what's the exchange
    # rate?", "closing at 43.8 to the dollar" (asked of a day, the figure standing then does)
    undated = window is None or window.empty

    def passes(c: Candidate) -> bool:
        return answers(question, c, _title(store, c), store, stated=undated)

    if aged is not None:
        relevant = [aged, *(c for c in relevant if c is not aged)]
    elif not relevant or (reranked and not passes(relevant[0])):
        # ... or a near candidate that states it, below one that only shares words with the
        # question (the interest rate, for its "rate")
        alt = _stating(measure, relevant, candidates, store, t) if undated else None
        if alt is None or not passes(alt):
            return Answer(question=question, found=False)
        relevant = [alt, *(c for c in relevant if c is not alt)]
    if (day_lead := _telling_the_day(question, kind, relevant, store, window)) is not None:
        relevant = [day_lead, *(c for c in relevant if c is not day_lead)]
    top = relevant[0]
    if _untold(top.sentence.text) and not YES_NO.match(question):
        # one saying it is not told ("He declined to say what had caused the explosion")
        # answers no "what caused it?" while one of the best few tells it (what it tells is
        # of the kind asked: a cause, a name, a figure; else it is all there is)
        teller = next((c for c in relevant[1:CLOCK_POOL] if not _untold(c.sentence.text)
                       and _tells(question, c) and passes(c)), None)
        if teller is not None:
            top, relevant = teller, [teller, *(c for c in relevant if c is not teller)]
    # Reranked, the model judges the other quotes too: a sentence that leans on the one
    # before ("She succeeds Piet Varga, who retired.") shares few words with the
    # question by itself, yet may score next to the best.
    close = _close(question, [top, *(c for c in candidates if c is not top)] if reranked
                   else relevant, t, kind, reranked=reranked)
    if about := object_words(question):  # "the mayor of Tarsk": not Dorvik's beside it
        told = functools.cache(lambda: telling(about, store))  # read once, when needed
        close = [c for c in close if c is top or not another_story(
            about, c, _title(store, c), store, least=1, told=told)]
    # "latest on the strike", "is the river still rising?": the newest reports' news first
    # (a yes/no question for a fact, "did Peterson resign?", keeps the best first)
    subject = news_subject(question)
    if subject is None:  # "is the strike over?": the newest word on the strike
        subject = state_subject(question)
    if (began := began_subject(question)) is not None:  # "when did the floods begin?"
        top, close = _first_report_first(began, top, close, candidates, retriever)
    if (body := asked_owner(question)) is not None:  # "who heads the port authority?"
        top, close = _asked_body_first(question, body, top, close,
                                       candidates[:CLOCK_POOL])
    if (asked_posts := posts(question)) and "person" in expected_types(question):
        top, close = _holder_first(question, asked_posts, top, close, candidates)
    if _ASKS_HOLDER.match(question) and _another_post(
            posts(question), f"{top.sentence.text} {top.previous}",
            any(e.label == "person" for e in top.entities)):
        # "who is the president of Carvessa?" of reports naming only its ministers: no one
        return Answer(question=question, found=False)
    if asks_cause(question):  # "why did the estimate go up?": a reason, not the news again
        top, close = _reason_first(top, close)
    if named_person(question, top.entities) is None:  # "who is jarek molin?": the best
        # sentence that names him leads, not one about another man that scores above it
        naming = next((c for c in candidates[:NAMING_POOL]
                       if named_person(question, c.entities) is not None), None)
        if naming is not None:
            top, close = naming, [c for c in close if c is not naming]
    if (person := named_person(question, top.entities)) is not None:  # "who is Tomas Lerch?"
        close = [c for c in close if mentions(person, f"{c.sentence.text} {c.previous}")]
    if kind is not None:
        close = _of_measure(question, close, top, store)
    elif subject is not None:
        # the close quotes, and the best of the other candidates: the newest report ("Port
        # Calder strike ends": "Dock workers ... returned to work") may score far below older
        # ones that repeat the question's words
        news = list(dict.fromkeys([top, *close, *candidates[:NEWS_POOL]]))
        reports = store.get_reports(c.sentence.report_id for c in news)
        days = {rid: r.date or r.instant for rid, r in reports.items()}  # as report_days
        titles = {rid: r.title for rid, r in reports.items()}
        ordered = newest_first(news, days, subject, titles)
        # ... those that name the subject only; the rest keep their place after the close ones
        top, close = ordered[0], [c for c in ordered[1:] if c in close
                                  or _names(subject, c, titles)]

    # Reranked, the figure's development is traced from the sentences the model rates near
    # the best only: a figure from a far weaker match is about something else.
    near = [top, *(c for c in close if c is not top)] if reranked else relevant
    timeline = figure_timeline(question, kind, near, store, window, outlets, by)
    # "how much did Corvane first offer?": the figure as first reported leads
    first = _FIRST.search(question) is not None
    if timeline is not None:
        if kind is None:  # "has containment improved?": no sum of money beside
            close = _of_the_timeline(timeline, close, top, store)
        figures, figure_cands = _same_day_figures(timeline, relevant, store)
        # ... and "peak ash column height" the highest of them ("lowest": the least)
        extreme = _PEAK.search(question)
        point = timeline.points[0] if first else timeline.latest
        if extreme is not None:
            pick = min if extreme.group(0).lower() in ("lowest", "minimum", "min") else max
            point = pick(timeline.points, key=lambda p: p.number)
        lead = [day_lead or candidate_for(point, relevant, store)]
    else:
        figures, figure_cands, lead = [], [], []
    # ``k`` bounds every list: the quotes, and the differing figures (newest first); the
    # older figures' sentences lead the further evidence.
    figures, figure_cands, older = figures[:k], figure_cands[:k], figure_cands[k:]
    # The newest figure leads; other sentences join it only from other reports (the same
    # report's figure sentence already stands for it).
    others = [c for c in [top, *close]
              if not lead or c.sentence.report_id != lead[0].sentence.report_id]
    chosen: list[Candidate] = []
    for c in [*lead, *others[:1], *figure_cands, *others[1:]]:
        if c not in chosen and len(chosen) < k:
            chosen.append(c)

    # Group sentences that say the same thing (near-identical text from several reports).
    groups: list[list[Candidate]] = []
    pooled = relevant + [c for c in chosen if c not in relevant]
    vecs = store.vectors([c.sentence.id for c in pooled], retriever.embedder.dim)
    vec_of = {c.sentence.id: vecs[i] for i, c in enumerate(pooled)}
    for c in chosen:
        for group in groups:
            head = group[0]
            if _norm(head.sentence.text) == _norm(c.sentence.text) or float(
                    np.dot(vec_of[head.sentence.id], vec_of[c.sentence.id])) >= t.same_sentence:
                group.append(c)
                break
        else:
            groups.append([c])
    # Fold in the other reports that carry a quoted sentence verbatim.
    for group in groups:
        for c in relevant:
            if c not in group and c.sentence.report_id not in {g.sentence.report_id
                                                                for g in group} \
                    and _norm(c.sentence.text) == _norm(group[0].sentence.text):
                group.append(c)

    reports = store.get_reports(c.sentence.report_id for g in groups for c in g)
    more_cands = [c for c in dict.fromkeys([*older, *relevant])
                  if all(c not in g for g in groups)][:t.more]
    reports.update(store.get_reports(c.sentence.report_id for c in more_cands))

    # The figure each quoted sentence states for the measure asked, as the timeline read it
    # from the ledger: in "Four people are confirmed dead and two are missing" it knows which
    # figure counts the dead ("how many dead?"), where the nearest one is the missing.
    counted = {p.sentence_id: p.value for p in reversed(timeline.points)} if timeline else {}
    # ... it replaces the entity chosen only when the question names what it counts: its
    # words ("over 412 million") are not a whole entity ("412 million euros")
    # (of a figure question: "when did the strike start?" asks no count of strikers)
    asked = measure if (kind == "quantity" or ledger.asks_figure(question)) \
        and not asks_no_count(question) else ""  # ("how long did they give for the ransom")
    units_named = ledger.units_named(question)
    if not asked and timeline is not None and timeline.measure in ledger.AREA_UNITS \
            | ledger.LENGTH_UNITS:  # "fire size?": the area traced, not the containment
        asked = timeline.measure  # beside; "how far has the shaft got?": the depth
    total_asked = ledger.asks_total(question)
    # (read once for every quote: the question's words, and whether it asks a change)
    words = {word_key(w) for w in query_terms(question)}
    change_asked = bool(asked) and (ledger.asks_change(question) or ledger.asks_new(question)) \
        and (window is None or window.since is None or window.point)
    one_day = bool(asked) and _one_day(question, window)
    citations: list[Citation] = []
    quotes: list[Quote] = []
    for group in groups:
        numbers: list[int] = []
        reworded: list[int] = []
        head = group[0]
        for c in group:
            same = _norm(c.sentence.text) == _norm(head.sentence.text)
            for cite in _citations(c, reports[c.sentence.report_id], len(citations) + 1):
                citations.append(cite)
                (numbers if same else reworded).append(cite.n)
        span = highlight(question, head.sentence.text, head.entities)
        on_day = _figure_on_day(head, reports, window) if window is not None else None
        if on_day:
            span = on_day  # "sorties on tuesday?": "down from 22 on Tuesday", not "nine"
        # a whole stored entity that holds it wins (not over the day's figure asked)
        value = None if on_day else counted.get(head.sentence.id)
        entries = ledger.extract(head.sentence.text)  # (read once for all below)
        levels = _levels(head.sentence.text, entries, asked) if asked else []
        if units_named:  # "ransom in euros": not the bitcoin of "demand to 120 bitcoin,
            levels = [e for e in levels if e.unit in units_named]  # about 7.3 million euros"
        if levels and not on_day and (value is None or value == levels[0].value):
            # not in the development (another body's, another day's): the sentence's own
            # figure; of several, the one the question's words point at (the development
            # reads a sentence's first)
            value = _stated(words, head.sentence.text, entries, levels)
        if value is not None and (span is None or (bool(asked) and without_bound(value)
                                                   not in span)
                                  or _of_another(question, head, span, value)) \
                and not _whole_asked(head.sentence.text, value, span):
            span = _with_unit(head.sentence.text, value)  # ... unless it is another's
            # figure ("49.8" of Tully for Vaskova's); a sum with its currency ("120 bitcoin")
            # (the share of a place the question names, which the bold had, comes back:
            # "230 in Lowmere" of "640 homes had been flooded, ..., 230 in Lowmere")
            overridden = True
        else:
            overridden = False
        if (change_asked or (one_day and any(ledger.brought_to_total(head.sentence.text, e.start)
                                             for e in entries))) \
                and (change := next((e.value for e in entries
                                     if e.measure == asked and e.role == "change"), None)):
            span = change  # "how much did cases jump?": "an increase of 151", not the 498
            # (a change since a day is no one sentence's: its development shows it); "how
            # many arrested on monday?": "Police arrested 23 people, bringing the total
            # number of arrests since Saturday to 37": the day's 23
        elif asked and first and not quotes and (prior := next(
                (e.value for e in entries if e.measure == asked and e.role == "prior"), None)):
            span = prior  # "initial magnitude reading": the first figure known is the one a
            # revision gives up ("revised to magnitude 6.8, up from an initial reading of 6.4")
        elif overridden and (named := figure_of_named(question, head.sentence.text)):
            span = named  # (read again only then: :func:`highlight` gave it before)
        elif total_asked and (running := _running_total(head.sentence.text, span)):
            span = running  # "total helicopter sorties": "bringing the total ... to 63", not
            # the day's "five"
        elif not total_asked and (part := _the_part(question, words, measure,
                                                    head.sentence.text, entries, span)):
            span = part  # "schools closed": "2,870" of "2,870 of the country's 5,100 state
            # schools were shut", not all the schools
        quotes.append(Quote(text=head.sentence.text, citations=tuple(numbers),
                            highlight=span, context=_context(head),
                            reworded=tuple(reworded)))
    more: list[Citation] = []
    for c in more_cands:
        more.extend(_citations(c, reports[c.sentence.report_id], len(citations) + len(more) + 1))
    citations, quotes, more = _one_number_a_report(citations, quotes, more)
    # As of: the newest report used: for a figure, the newest report that states it.
    used = [p.date for p in timeline.points] if timeline is not None else [
        c.date for c in citations if c.date]
    return Answer(question=question, found=True, quotes=tuple(quotes),
                  citations=tuple(citations), highlight=quotes[0].highlight,
                  figures=tuple(figures), more=tuple(more),
                  as_of=max(used)[:10] if used else None,
                  timeline=timeline.points if timeline is not None else ())


def _one_number_a_report(citations: list[Citation], quotes: list[Quote],
                         more: list[Citation]
                         ) -> tuple[list[Citation], list[Quote], list[Citation]]:
    """The citations numbered once per report and outlet: two quotes of one report share its
    number (they were [2] and [3] beside two identical source lines). Each citation keeps
    its own sentence; the numbers stay 1, 2, 3 ... in order of first use."""
    number: dict[tuple[str, str | None, str | None], int] = {}
    new_n: dict[int, int] = {}
    for c in [*citations, *more]:
        key = (c.report_id, c.source, c.url)
        new_n[c.n] = number.setdefault(key, len(number) + 1)

    def renumber(q: Quote) -> Quote:
        own = tuple(dict.fromkeys(new_n[n] for n in q.citations))
        other = tuple(dict.fromkeys(new_n[n] for n in q.reworded if new_n[n] not in own))
        return replace(q, citations=own, reworded=other)

    return ([replace(c, n=new_n[c.n]) for c in citations], [renumber(q) for q in quotes],
            [replace(c, n=new_n[c.n]) for c in more])


NEWS_POOL = 20  # candidates (beside the close ones) a "latest on X" answer is chosen from


def newest_first(cands: list[Candidate], days: dict[str, str], subject: Sequence[str],
                 titles: dict[str, str] | None = None) -> list[Candidate]:
    """``cands`` newest report first (``days``: each report's day), those whose sentence (or
    the one it leans on, or its report's title in ``titles``) names a word of ``subject``
    before those that do not; otherwise in their order."""
    return sorted(cands, key=lambda c: (_names(subject, c, titles or {}),
                                        days.get(c.sentence.report_id, "")),
                  reverse=True)  # stable: equal keys keep the reranker's order


def _names(subject: Sequence[str], c: Candidate, titles: dict[str, str]) -> bool:
    """Whether ``c``'s sentence, the one before it or its report's title names a word of
    ``subject``."""
    text = f"{c.sentence.text} {c.previous} {titles.get(c.sentence.report_id, '')}"
    return _coverage(" ".join(subject), text) > 0


def _stating_first(candidates: list[Candidate], states: Callable[[str], bool]
                   ) -> list[Candidate]:
    """``candidates`` with, when the best does not state what is asked (:func:`states`), the
    first of the best :data:`CLOCK_POOL` that does leading."""
    if not candidates or states(candidates[0].sentence.text):
        return candidates
    stating = next((c for c in candidates[:CLOCK_POOL] if states(c.sentence.text)), None)
    return candidates if stating is None \
        else [stating, *(c for c in candidates if c is not stating)]


def _first_report_first(began: str, top: Candidate, close: list[Candidate],
                        candidates: list[Candidate], retriever: Retriever
                        ) -> tuple[Candidate, list[Candidate]]:
    """"when did the floods begin?": the best match from the first report of the floods
    leads (one that holds a date, if any does), the best match of a later report ("the
    number displaced by the floods has risen ... on Tuesday") after it."""
    first = first_reported(began, retriever)
    if first is None or top.sentence.report_id in first[1]:
        return top, close
    theirs = [c for c in [top, *close, *candidates] if c.sentence.report_id in first[1]]
    if not theirs:
        return top, close
    lead = next((c for c in theirs if any(e.label == "date" for e in c.entities)), theirs[0])
    return _led_by(lead, top, close)


def _asked_body_first(question: str, body: set[str], top: Candidate, close: list[Candidate],
                      best: Sequence[Candidate] = ()) -> tuple[Candidate, list[Candidate]]:
    """"who heads the port authority?": when the best quote's role belongs to another body
    ("Union leader Joao Pereira") or it names no role at all ("Of the dead, 12 were on
    Kellan, ..., the disaster office said"), a close quote, or one of the ``best`` few
    candidates, whose role is the asked body's ("Its chief executive, Mira Santos", after
    "..., the port authority said") leads instead."""
    pool = list(dict.fromkeys([*close, *best]))
    def owner(c: Candidate) -> set[str] | None:
        return role_owner(c.sentence.text, c.previous,
                          [e.text for e in c.entities if e.label == "person"])

    asked = posts(question)
    if asked and not asked & posts(top.sentence.text):
        # "who is the health minister?": not "..., the opposition's health spokesperson"
        lead = next((c for c in pool if asked & posts(c.sentence.text)
                     and (o := owner(c)) is not None and same_body(body, o)), None)
        if lead is not None:
            return _led_by(lead, top, close)
    mine = owner(top)
    if (mine is None and posts(top.sentence.text)) \
            or (mine is not None and same_body(body, mine)):
        return top, close
    lead = next((c for c in pool if (o := owner(c)) is not None and same_body(body, o)), None)
    if lead is None:
        return top, close
    return _led_by(lead, top, close)


#: words saying a post was newly filled ("who is the new defence minister": "Varga on Friday
#: named Lena Dusek ... as defence minister", not "Vesnik had been defence minister")
_NEWLY = re.compile(r"\b(?:named|appointed|appoints|names|sworn|designate|succeeds?|succeeded|"
                    r"replaces?|replaced|new|incoming|takes? over|took over)\b", re.I)
_HOLDER_WORDS = frozenset(word_key(w) for w in "new next incoming name names current".split())
_NEW_ASKED = re.compile(r"\b(?:new|next|incoming|successor|replacement)\b", re.I)


def _holder_first(question: str, asked: set[str], top: Candidate, close: list[Candidate],
                  candidates: list[Candidate]) -> tuple[Candidate, list[Candidate]]:
    """Asked who holds a post ("navy chief name"), the first of the best few that names the
    post and a person leads when the best names neither ("Defence Minister-designate Lena
    Dusek said the navy ..."); asked who holds it newly ("who is the new defence minister"),
    the first of them saying it was filled."""
    # ... the post of the body the question names, in its words or the forms they stand for
    # ("navy" of "navy chief"; not "the Calveran foreign minister" for "the estovian interior
    # minister", nor a chief executive for "ferronord cfo")
    said = {word_key(w) for w in query_terms(question)} - _HOLDER_WORDS

    def holds(c: Candidate) -> bool:
        terms = query_terms(c.sentence.text)
        return bool(asked & posts(c.sentence.text)) \
            and any(e.label == "person" for e in c.entities) \
            and said <= {word_key(w) for w in (*terms, *also_meant(terms))}

    new = _NEW_ASKED.search(question) is not None
    best = candidates[:NAMING_POOL if new else CLOCK_POOL]
    if holds(top) and (not new or _NEWLY.search(top.sentence.text)):
        return top, close
    lead = next((c for c in best if holds(c) and (not new or _NEWLY.search(c.sentence.text))),
                None)
    if lead is None:
        return top, close
    return lead, [top, *(c for c in close if c is not lead and c is not top)]


def _reason_first(top: Candidate, close: list[Candidate]) -> tuple[Candidate, list[Candidate]]:
    """"why did the barrel estimate go up?": when the best quote gives no reason ("The port
    authority revised its estimate ..."), a close quote that does ("... said the previous
    figure had not included a third tank") leads instead."""
    if gives_reason(top.sentence.text):
        return top, close
    lead = next((c for c in close if gives_reason(c.sentence.text)), None)
    return (top, close) if lead is None else _led_by(lead, top, close)


def _led_by(lead: Candidate, top: Candidate, close: list[Candidate]
            ) -> tuple[Candidate, list[Candidate]]:
    """``lead`` first, then ``top`` and the other close candidates, each once."""
    return lead, [c for c in [top, *(c for c in close if c is not top)] if c is not lead]


def as_of_answer(question: str, full: Answer, window: TimeWindow, store: ReportStore
                 ) -> Answer | None:
    """A figure asked at a time ("death toll on Wednesday") whose evidence of that time the
    gate doubts: the figure standing then, from the development ``full`` (the same question
    answered without the time) traced; ``None`` when none stood then. Wednesday's figure is
    the newest one stated up to Wednesday, as a reader of Wednesday's reports had it; it is
    cited like any quote (every outlet that carried its report)."""
    if not full.found or not full.timeline:
        return None
    upto = replace(window, since=None) if window.point else window
    points = tuple(p for p in full.timeline if upto.contains(p.at or p.date))
    if not points:
        return None
    p = lead_points(points)[-1]
    report = store.get_reports([p.report_id])
    if p.report_id not in report:  # removed meanwhile
        return None
    citations = _citations(candidate_for(p, [], store), report[p.report_id], 1)
    value = p.value
    entries = ledger.extract(p.sentence) if _one_day(question, window) else []
    if any(ledger.brought_to_total(p.sentence, e.start) for e in entries):
        # "how many arrested on monday?": the day's 23 of "Police arrested 23 people,
        # bringing the total number of arrests since Saturday to 37"
        value = next((e.value for e in entries
                      if e.measure == p.measure and e.role == "change"), value)
    return Answer(question=question, found=True,
                  quotes=(Quote(p.sentence, tuple(c.n for c in citations), value),),
                  citations=tuple(citations), highlight=value, as_of=p.date[:10],
                  timeline=points)


def _close(question: str, relevant: list[Candidate], t: Thresholds, kind: Kind | None,
           reranked: bool) -> list[Candidate]:
    """The candidates that score close enough to the best to be quoted beside it (those of
    a typed question only when they hold an answer of the asked type; of a figure question,
    any figure: a rise given as a percentage answers "how much" beside the amount)."""
    top = relevant[0]
    if not reranked:
        return [c for c in relevant if c.score >= t.relative * top.score
                and (kind is None or key_span(question, c.sentence.text, kind) is not None)]
    labels = expected_types(question)
    if labels and labels <= FIGURE_LABELS:
        # a count of people is no sum of money ("2.4 million crowns" beside a death toll)
        labels = frozenset({"quantity"}) if ledger.question_measure(question) in \
            ledger.PEOPLE_MEASURES else FIGURE_LABELS
    return [c for c in relevant if c.rank >= top.rank - t.rank_margin
            and (not labels or answer_entities(question, c.entities, labels))]


def _of_another(question: str, c: Candidate, span: str, value: str) -> bool:
    """Whether ``span`` is the figure of someone other than the question names, and
    ``value`` (the figure the timeline read there) of whom it names: "49.8 percent" of Tully
    in "Tully's share fell to 49.8 percent and Vaskova's rose to 46.9 percent", asked for
    Vaskova's."""
    a, b = parse_number(span), parse_number(value)
    if a is None or b is None or math.isclose(a, b):
        return False
    text, ents = c.sentence.text, c.entities
    ours, theirs = holder(text, value, ents), holder(text, span, ents)
    if ours is None or theirs is None or ours.text == theirs.text:
        return False
    return names_asked(question, ours.text) and not names_asked(question, theirs.text)


def _of_measure(question: str, cands: list[Candidate], top: Candidate, store: ReportStore
                ) -> list[Candidate]:
    """Of a question naming what it counts ("how many people were displaced"), ``top`` and
    the candidates other than those whose recorded figures all count something else named
    ("40 people were injured"): those are no evidence for the figure asked."""
    other = _counting_other(ledger.question_measure(question),
                            [c for c in cands if c is not top], store, units=True)
    return [c for c in cands if c.sentence.id not in other]


#: a question for the figure as first given ("the initial death toll"), not a first period
_PEAK = re.compile(r"\b(?:peak|peaked|highest|maximum|max|lowest|minimum|min)\b", re.I)
_FIRST = re.compile(r"\b(?:first|initial|initially|original|originally|earliest)\b"
                    r"(?![\s-]*(?:quarter|half|week|day|month|year|time|round|hours?|days|"
                    r"weeks|months)\b)", re.I)


def _by(words: set[str], c: Candidate) -> bool:
    """Whether ``c`` gives what a body named by ``words`` says: it names them as a person or
    organisation, or as who its statement is attributed to ("the district clinic said")."""
    return any(e.label in ("person", "org") and names_claimant(words, e.text)
               for e in c.entities) or names_claimant(words, claimant(c.sentence.text) or "")


_NAMED = re.compile(r"(?<=[\w,;:\"“(]\s)[A-Z][\w'’.-]+|\b[A-Z]{2,}\b")


#: a question asking for all of them ("how many schools are there?", "schools nationwide")
_WHOLE_Q = re.compile(r"\b(?:are|were) there\b|\bexist\b|\bnationwide\b|\bin all\b|\ball\b|"
                      # "how many hospitals in the halvern network": the network's, not a verb's
                      r"\bhow many [\w-]+ (?:are |were )?in the\b", re.I)


def _the_part(question: str, asked: set[str], measure: str, sentence: str,
              entries: Sequence[ledger.Entry], span: str | None) -> str | None:
    """The part, when ``span`` is (or holds) the whole of the same measure a part of it is
    of ("5,100" or "2,870 of the country's 5,100" of "2,870 of the country's 5,100 state
    schools were shut"): what befell them befell the part; ``None`` otherwise. ``asked``:
    the question's word keys; ``measure``: what it counts; ``entries``: the sentence's
    figures (:func:`index.ledger.extract`)."""
    if span is None or _WHOLE_Q.search(question):
        return None
    for part, whole in itertools.pairwise(entries):
        if whole.role != "whole" or part.role != "level" or part.measure != whole.measure \
                or (measure and measure != part.measure) \
                or not span.endswith(whole.value) or span == part.value:
            continue
        # ... unless the words after the whole are the question's ("how many people on
        # board": "162 of the 171 people on board had survived")
        after = sentence[whole.start + len(whole.value):][:40]
        if not asked & ({word_key(w) for w in query_terms(after)} - {word_key(whole.unit)}):
            return part.value
    return None


def _whole_asked(sentence: str, value: str, span: str | None) -> bool:
    """Whether the span chosen is the whole the figure read is a part of ("171" of "162 of
    the 171 people on board had survived", asked how many were on board)."""
    if span is None or (at := span_at(sentence, value)) < 0:
        return False
    whole = sentence.find(span, at + len(value))
    return whole >= 0 and ledger.is_part_of(sentence, at + len(value), whole, value)


def _context(c: Candidate) -> str | None:
    """The sentence before ``c``, quoted beside it when ``c`` leans on it: always for a
    pronoun ("It said ..."); for a description ("The central bank's reserves ...") when it
    names someone or something, as "Fuel and bread have led the increase." does not."""
    prev = c.previous
    if not prev or leans_by_pronoun(c.sentence.text) or said_by_pronoun(c.sentence.text) \
            or _NAMED.search(prev):
        return prev or None
    first = re.match(r"[\"“'(]*([A-Za-z][\w'’-]*)", prev)
    return prev if first and first.group(1).lower() not in english_words() else None


def _levels(sentence: str, entries: Sequence[ledger.Entry], measure: str
            ) -> list[ledger.Entry]:
    """The level figures of ``measure`` among ``sentence``'s ``entries`` ("174" of "It said
    174 people had been rescued and 25 were still missing", asked how many were rescued),
    not one in brackets after another ("(10,000 sq mi)")."""
    return [e for e in entries if e.measure == measure and e.role == "level"
            and not sentence[:e.start].rstrip().endswith("(")]


def _stated(asked: set[str], sentence: str, entries: Sequence[ledger.Entry],
            levels: list[ledger.Entry]) -> str:
    """Of a sentence's ``levels`` (:func:`_levels`, one at least), the one whose words up to
    the next figure the question (its word keys ``asked``) shares most ("over two years" of
    "890 million lev in the first full year and 2.1 billion lev over two years"); ties go to
    the first."""
    if len(levels) < 2:
        return levels[0].value
    starts = sorted(e.start for e in entries)

    def names_before(e: ledger.Entry) -> list[str]:
        begin = max((x.start + len(x.value) for x in entries if x.start < e.start), default=0)
        return re.findall(r"\b[A-Z][\w'’-]+", sentence[begin:e.start])

    # the names before each figure, when a later one has names of its own (a list of holders:
    # "Civic Renewal would win 58 ..., the People's Alliance 51"; not the subject of all)
    owned = any(names_before(e) for e in levels[1:])

    def shared(e: ledger.Entry) -> int:
        # the words after it up to the next figure ("2.1 billion lev over two years")
        end = next((s for s in starts if s > e.start), len(sentence))
        names = " ".join(names_before(e)) if owned else ""
        return len(asked & {word_key(w) for w in query_terms(
            f"{sentence[e.start + len(e.value):end]} {names}")})

    return max(levels, key=shared).value  # (ties: the first)


def _running_total(sentence: str, span: str | None) -> str | None:
    """The running total ``sentence`` states ("bringing the total for the operation to
    63") of the measure of its figure ``span`` (the day's "five sorties"), when ``span`` is
    none or that day's figure; ``None`` when it states none."""
    entries = ledger.extract(sentence)
    for total in (e for e in entries if e.role == "total"):
        if span is None or any(e.measure == total.measure and e.value in span
                               for e in entries if e.role != "total"):
            return total.value
    return None


def _of_the_timeline(timeline: FigureTimeline, cands: list[Candidate], top: Candidate,
                     store: ReportStore) -> list[Candidate]:
    """``top`` and those of ``cands`` that state no figure, or one of the timeline's measure
    or unit: the others' figures ("an improved offer of $43.50") are of something else."""
    units = {r.unit for r in ledger.rows_for_sentences(
        store.query, [p.sentence_id for p in timeline.points], timeline.measure)}
    figures: dict[int, bool] = {}
    for r in ledger.rows_for_sentences(store.query, [c.sentence.id for c in cands]):
        ours = r.measure == timeline.measure or r.unit in units
        figures[r.sentence_id] = figures.get(r.sentence_id, False) or ours
    return [c for c in cands if c is top or figures.get(c.sentence.id, True)]


def _counting_other(measure: str, cands: list[Candidate], store: ReportStore,
                    units: bool = False) -> set[int]:
    """The sentence ids of ``cands`` whose recorded figures all count something other than
    ``measure`` (none when ``measure`` is ``""``); with ``units``, a figure of people also
    counts something other than one of another unit ("2.4 million crowns")."""
    if not measure or not cands:
        return set()
    other: dict[int, bool] = {}
    people = units and measure in ledger.PEOPLE_MEASURES
    for row in ledger.rows_for_sentences(store.query, [c.sentence.id for c in cands]):
        if row.number == 0:  # "The last person missing ... was found alive": none left of a
            continue  # count is no count of something else
        # ... named, or of a unit that is no people ("2.4 million crowns" for the dead)
        named_other = row.measure not in (measure, row.unit, *ledger.AKIN.get(measure, ())) \
            or (people and row.measure != measure and row.unit != "people")
        other[row.sentence_id] = other.get(row.sentence_id, True) and named_other
    return {sid for sid, named in other.items() if named}


CLOCK_POOL = 5  # the best candidates looked at for one giving the time of day (or length) asked
MEASURED_POOL = 10  # the best candidates looked at for one stating the measure asked
NAMING_POOL = 10  # ... and for one naming the person "who is <name>?" asks about


def _stating(measure: str, relevant: list[Candidate], candidates: list[Candidate],
             store: ReportStore, t: Thresholds) -> Candidate | None:
    """The best of the first ``candidates`` that states ``measure`` (the one the question
    names), when the best of all does not and it scores near ("what's the exchange rate?":
    "closing at 43.8 to the dollar", below the interest rate that shares the word "rate")."""
    if not candidates or measure not in ledger.NAMED_MEASURES:
        return None
    first = relevant[0] if relevant else candidates[0]
    pool = [first, *(c for c in candidates[:MEASURED_POOL] if c is not first)]
    stating = {r.sentence_id for r in ledger.rows_for_sentences(
        store.query, [c.sentence.id for c in pool], measure)}
    best = next((c for c in pool[1:] if c.sentence.id in stating), None)
    if first.sentence.id in stating or best is None or best.rank < first.rank - t.rank_margin:
        return None
    return best


def _not_another_count(measure: str, relevant: list[Candidate], store: ReportStore
                       ) -> list[Candidate]:
    """Of a question counting people by what befell them (``measure``: "how many people died
    in the port strike?"), ``relevant`` without the sentences whose figures all count people
    by something else ("About 1,200 dock workers went on strike", "40 were injured"): a
    strikers' or the injured's number is no death toll, however close its words."""
    if measure not in ledger.PEOPLE_MEASURES:
        return relevant
    other = _counting_other(measure, relevant, store)
    return [c for c in relevant if c.sentence.id not in other]


def _figure_on_day(c: Candidate, reports: dict[str, Report], window: TimeWindow
                   ) -> str | None:
    """Of a quote from a report of the days after the day asked that tells of that day
    ("Helicopters flew nine sorties on Thursday, down from 22 on Tuesday", asked "sorties on
    tuesday?"), the figure written right before that day's name; ``None`` otherwise."""
    report = reports.get(c.sentence.report_id)
    day = report.date if report else None
    told = day_told(c.sentence.text, day, window)
    same_day = window.contains(day)
    if told is None and same_day and window.point and window.since:
        # ... or of the day's own report, giving the day's part of a running figure
        # ("Twenty-six flights have operated since Saturday, including 12 on Monday alone")
        told = day_named(c.sentence.text, window.since)
    elif same_day:
        told = None
    if told is None:
        return None
    at = told.start()
    text = c.sentence.text
    before = [e for e in c.entities if e.label in FIGURE_LABELS and e.end <= at
              and re.fullmatch(r"\s*(?:on|of|by|for|in)?\s*", text[e.end:at])
              and (not same_day or (_INCLUDING.search(text, max(0, e.start - 24), e.start)
                                    and _ALONE.match(text, told.end())))]
    return before[-1].text if before else None


def _with_unit(sentence: str, value: str) -> str:
    """``value`` with the currency written right after it in ``sentence`` ("120" of "demand
    to 120 bitcoin": "120 bitcoin")."""
    at = sentence.find(value)
    if at < 0:
        return value
    m = re.match(r"\s+([A-Za-z]+)\b", sentence[at + len(value):])
    return f"{value} {m.group(1)}" if m and m.group(1).lower() in CURRENCY_WORDS else value


def _telling_the_day(question: str, kind: Kind | None, relevant: list[Candidate],
                     store: ReportStore, window: TimeWindow | None) -> Candidate | None:
    """Asked one day's figure ("how many crossed on thursday", no total) and answered best
    from another day's report, the one of the best few that tells of that day ("hours after a
    record 6,200 people crossed on Thursday", in Friday's report; of several, the newest
    report's), not the figure standing at its end; ``None`` when none does."""
    if window is None or not window.point or window.since is None \
            or ledger.asks_total(question) or _REVISED_ASKED.search(question):
        return None  # ("revised tuesday arrivals figure": the revision, whenever it came)
    best = relevant[:CLOCK_POOL]
    if not best:
        return None
    days = report_days(store, [c.sentence.report_id for c in best])
    entries = {c.sentence.id: ledger.extract(c.sentence.text) for c in best}  # (read once)
    asked = {word_key(w) for w in query_terms(question)}
    # (the best, from the day's own report and telling of no other day, answers: "The number
    # of confirmed cases rose to 81", asked on Thursday, not "up from 81 on Thursday")
    top_day = days.get(best[0].sentence.report_id)
    other_days = set(re.findall(rf"\b(?:{'|'.join(WEEKDAYS)})\b", best[0].sentence.text.lower()))
    measure = ledger.question_measure(question)
    if window.contains(top_day) and other_days <= {WEEKDAYS[window.since.weekday()]} \
            and not (measure and {e.role for e in entries[best[0].sentence.id]
                                  if e.measure == measure} <= {"total"}):
        return None  # (... unless it gives only a running total: "That brings the number of
        # flights cancelled since the walkout began to 1,040")
    if not (kind == "quantity" or ledger.asks_figure(question)):
        # ("arrivals on wednesday": a count a sentence of the best few gives by its word)
        terms = set(query_terms(question))
        measure = next((e.measure for c in best for e in entries[c.sentence.id]
                        if e.measure in terms), "")
        if not measure:
            return None

    def tells(c: Candidate, day: str) -> bool:
        since, text = window.since, c.sentence.text
        told = day_told(text, day, window) or (
            day_named(text, since) if since and window.contains(day) else None)
        if told is None:
            return False
        # ... by the figure before the day's name, in its clause ("a record 6,200 people
        # crossed on Thursday"; not "up from 81 on Thursday", an earlier figure, "nearly
        # double Thursday's estimate", "Kestavo Bank on Tuesday raised ...")
        figure = next((e for e in reversed(c.entities) if e.label in FIGURE_LABELS
                       and e.end <= told.start()), None)
        if figure is None or _CLAUSE_END.search(text, figure.end, told.start()):
            return False
        # (of the whole, not of a place the question does not name: "In Lower Tessin, 310
        # schools were shut on Wednesday")
        place = _PLACE_OF.match(text) or _PLACE_OF.match(text, figure.end)
        if place is not None and word_key(place.group(1)) not in asked:
            return False
        entry = next((e for e in entries[c.sentence.id]
                      if e.start <= figure.start < e.start + len(e.value) + 1
                      or figure.start <= e.start < figure.end), None)
        if entry is not None and entry.role == "prior":
            return False
        return not measure or (entry is not None and entry.measure == measure)

    # (of several, the newest report's: "385 flights on Friday, slightly fewer than it had
    # first reported")
    telling = [(day, -i, c) for i, c in enumerate(best)
               if (day := days.get(c.sentence.report_id)) is not None and tells(c, day)]
    return max(telling, key=lambda t: t[:2])[2] if telling else None


#: a place a figure is of, opening its sentence or right after it ("In Lower Tessin, 310 ...",
#: "310 schools in Lower Tessin were shut")
_PLACE_OF = re.compile(r"\s*(?:In\s+|(?:[\w-]+\s+){0,2}in\s+)(?:the\s+)?([A-Z][\w'’-]+)")
_REVISED_ASKED = re.compile(r"\b(?:revised|revision|corrected|correction)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:]|\band\b|\bbut\b")
_INCLUDING = re.compile(r"\b(?:including|among them|of which|of them)\s+$", re.I)
_ALONE = re.compile(r"\s+alone\b", re.I)


def _in_window(candidates: list[Candidate], store: ReportStore, window: TimeWindow,
               kind: Kind | None) -> list[Candidate]:
    """The candidates whose report is dated in the window (for a figure asked "on" a day:
    up to the end of that day), or that tell of the day asked in a report of the days after
    it (:func:`index.timeq.tells_of_day`)."""
    days = report_days(store, [c.sentence.report_id for c in candidates])
    asked = window
    if kind == "quantity" and window.point:
        window = replace(window, since=None)
    return [c for c in candidates if window.contains(days.get(c.sentence.report_id))
            or tells_of_day(c.sentence.text, days.get(c.sentence.report_id), asked)]


def _same_day_figures(timeline: FigureTimeline, relevant: list[Candidate], store: ReportStore
                      ) -> tuple[list[Figure], list[Candidate]]:
    """Disagreements (different values on one date) as figures, newest first, with the
    candidates that quote them."""
    figures: list[Figure] = []
    cands: list[Candidate] = []
    for d in timeline.disagreements:
        for p in d.points:
            figures.append(Figure(value=p.value, report_id=p.report_id, title=p.title,
                                  date=p.date, source=p.source, claimant=p.claimant))
            cands.append(candidate_for(p, relevant, store))
    return figures, cands


def _citations(c: Candidate, report: Report, first_n: int) -> list[Citation]:
    """One citation per outlet that published the sentence's report."""
    context = _context(c)
    out = [Citation(n=first_n, sentence=c.sentence.text, report_id=report.id,
                    title=report.title, date=report.date, source=report.source, url=report.url,
                    score=float(c.score), sentence_id=c.sentence.id, context=context)]
    for other in report.also_reported_by:
        out.append(Citation(n=first_n + len(out), sentence=c.sentence.text, report_id=report.id,
                            title=report.title, date=report.date, source=other.source,
                            url=other.url, score=float(c.score), sentence_id=c.sentence.id,
                            context=context))
    return out
