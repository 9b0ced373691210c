"""Whether the best candidate answers the question at all, or the honest answer is "not found".

The reranker (:mod:`index.rerank`) orders the candidates; its score of the best one is the
signal. A question about something no report covers still gets a best candidate — often a
sentence of the right kind about another company ("who is the CFO of Halvorsen Marine?"
finds some other CFO) — so the score is docked for each question word that the candidate,
the sentence it leans on and its report (title and text) leave out *and* that the library
hardly holds at all (a name no report mentions). Words meet by their first five letters,
a plural's final "s" aside. :class:`Confidence` holds the weights and the
threshold, chosen on the tuning splits only (SQuAD articles 1-24, the tuning part of
``tests/bench/reuters_dev.jsonl`` and of its unanswerable questions); see BENCHMARKS.md,
"Honest not found", for the command and the held-out figures. A question that ends on
something no sentence of the library names at all ("how many died on the ferry?",
:func:`object_words`) is not found whatever the score. A word also meets the forms it
stands for ("CEO" and "chief executive": :mod:`index.abbreviations`) and its verb's irregular
forms ("break", "broke"). A yes/no question
("has the railway reopened?", :func:`yes_no_parts`), which the reranker scores low in a small
library, is answered when the best sentence names its whole subject.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from index import ledger
from index.abbreviations import also_meant, other_forms
from index.abbreviations import word_key as _key
from index.backends.base import ReportStore
from index.dates import YEAR
from index.figures import question_kind
from index.highlight import asks_length, states_an_age, states_length
from index.qtype import ROLE_WORD, YES_NO, overview_words, said_verb
from index.retrieve import Candidate, query_terms
from index.roles import asked_owner
from index.spelling import distance

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")
TERMS_COMPARED = 300  # terms with a missing word's first four letters that are compared
TYPO_MAX = 30  # letters: a longer word is taken as written
_OBJECT = re.compile(r"\b(?:of|in|at|on|for|from|aboard|near|about)\s+(?!(?:what|which|whom|"
                     r"whose|how|when|where)\b)((?:(?!\b(?:of|in|at|on|for|from|aboard|near|"
                     r"about|by|to|with|during|after|before|since|when|while)\b)[^?.!,;])+)"
                     r"[?.!\s]*$")
#: a question's verb comes after one of these ("... of the vote did Tully get?")
_AUXILIARY = re.compile(r"\b(?:did|does|do|will|would|can|could|has|have|had|should|may|"
                        r"might|is|are|was|were)\b")
#: verbs asking how a figure developed ("how has the number of cases changed?")
_CHANGED = frozenset("""change changed changes changing develop developed developing evolve
evolved evolving""".split())
#: verbs (and what they leave people) that end a question's object ("how many people in
#: Eastbank got sick?", "how has the number of cases changed?")
_VERBS = _CHANGED | frozenset("""get gets got gotten getting become became go went gone make
made take took say said see saw come came buy bought sell sold pay paid win won lose lost hold
held give gave fall fell rise rose grow grew leave left happen happened begin began end ended
start started stop stopped died die dies killed injured wounded hurt sick ill infected affected
displaced evacuated missing arrested move moved shift shifted vary varied compare compared
climb climbed increase increased decrease decreased drop dropped risen fallen grown stand
stood""".split())
#: words asking how a figure developed, which no sentence stating the figure need hold
_DEVELOPMENT = _CHANGED | {"trend", "trends", "time", "course"}
#: words a question's object may hold that name no subject ("in total", "on average")
#: "how big was the rate hike?": the size asked, which the figure says, no word of it
_HOW_BIG = re.compile(r"\bhow (?:big|large|small|huge|bad|serious|severe)\b", re.I)
#: words asking which of a figure's reports ("govt latest offer", "first govt offer"): the
#: development answers them, not a word of the sentence
_ORDER_WORDS = frozenset("""latest newest current currently first initial initially original
originally earliest""".split())
#: the words asking an age, which a sentence giving one says in figures
_AGE_WORDS = frozenset("age ages aged old".split())
#: ... and a length or a distance
_LENGTH_WORDS = frozenset("deep depth far distance wide width tall height".split())
_GENERIC = frozenset("""total all average general whole addition particular time times
number numbers amount part result terms fact order future past recent recently today tonight
yesterday tomorrow now week weeks month months year years day days morning evening night
last next first latest new monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december""".split())


@dataclass(frozen=True)
class Confidence:
    """``rank - unknown * (words in no sentence) - rare * (rare words)`` must reach
    ``threshold``, counting only words the best candidate leaves out. A word is rare in
    fewer than ``rare_per_10k`` sentences per 10,000 of the library (tuned on pools of
    about 10,000 sentences; in a small library only unknown words count)."""

    threshold: float = 4.125
    unknown: float = 2.0
    rare: float = 1.0
    rare_per_10k: float = 5.0


def _stems(text: str) -> set[str]:
    """The keys of ``text``'s words and of the forms they stand for ("chief executive": also
    "ceo")."""
    words = _WORD.findall(text.lower())
    return {_key(w) for w in (*words, *also_meant(words), *(f for w in words
                                                             for f in other_forms(w)))}


def _report_stems(top: Candidate, store: ReportStore) -> set[str]:
    """The words of the report ``top`` comes from (its sentences, the one before included)."""
    return _stems(store.report_text(top.sentence.report_id) or "")


def _near_a_known_word(store: ReportStore, word: str) -> bool:
    """Whether the library holds a word that ``word`` is likely a typo or another form of:
    one of its terms with the same first four letters, at most a quarter of ``word``'s
    letters away ("frensh": french; not "halvorsen": halv, of "halve"). A word longer than
    :data:`TYPO_MAX` letters is no typo (and is never compared letter by letter)."""
    if not 4 < len(word) <= TYPO_MAX:
        return False
    allowed = max(1, len(word) // 4)
    return any(abs(len(term) - len(word)) <= allowed and distance(word, term) <= allowed
               for term in store.terms_starting(word[:4], TERMS_COMPARED))


def missing_words(question: str, top: Candidate, title: str, store: ReportStore,
                  c: Confidence | None = None, report: set[str] | None = None
                  ) -> tuple[int, int]:
    """How many question words ``top`` (with its context, title and report) leaves out that
    the library holds nowhere, and how many that it holds only rarely. ``report``: the words
    of ``top``'s report when the caller has read them already."""
    unknown, rare = _missing(question, top, title, store, c or Confidence(), report)
    return len(unknown), len(rare)


def _missing(question: str, top: Candidate, title: str, store: ReportStore, c: Confidence,
             report: set[str] | None) -> tuple[list[str], list[str]]:
    """The question words ``top`` leaves out that the library holds nowhere, and those it
    holds only rarely."""
    have = _stems(f"{top.sentence.text} {top.previous} {title}")
    news = overview_words(question)  # "happened", "latest": asked of any subject
    asked = said_verb(question)  # "want" of "what does the union want?": said other ways
    missing = [t for t in query_terms(_HOW_BIG.sub("how", _SO_FAR.sub(" ", question)))
               if _key(t) not in have and t not in news and t != asked
               and t not in _ORDER_WORDS]
    if missing:  # "toll" of "death toll": said by the sentence's figure of the dead
        # ("died" by its "killed", with no figure: "has killed a 74-year-old shepherd")
        counted = {e.measure for e in ledger.extract(top.sentence.text)} | {
            ledger.MEASURE_WORDS[w] for w in ledger.measure_words_in(top.sentence.text)
            if w in ledger.MEASURE_WORDS}
        missing = [t for t in missing if ledger.MEASURE_WORDS.get(t) not in counted]
        if missing and ledger.question_measure(question) in counted:  # "exchange rate": "43.8
            named = ledger.measure_words_in(question) | _DEVELOPMENT  # to the dollar"; "how
            missing = [t for t in missing if t not in named]  # has the case count changed?"
    if missing and states_an_age(top.sentence.text):  # "age of the shepherd who died": "a
        missing = [t for t in missing if t not in _AGE_WORDS]  # 74-year-old shepherd"
    if missing and asked_owner(question) is not None and ROLE_WORD.search(top.sentence.text):
        # "who heads the NDRO?": "NDRO director Marisol Dunhaver said"
        missing = [t for t in missing if t not in _HEAD_VERBS]
    if missing and states_length(top.sentence.text):  # "how deep is the wreck?": "in about
        missing = [t for t in missing if t not in _LENGTH_WORDS]  # 38 metres of water"
    if missing:  # the sentence's own report may name it elsewhere ("the 10 planes": A320s)
        report = _report_stems(top, store) if report is None else report
        missing = [t for t in missing if _key(t) not in report]
    if any(YEAR.fullmatch(t) for t in missing):  # "the 2027 quake": the year it is dated in
        dated = store.get_report(top.sentence.report_id)
        year = (dated.instant if dated else "")[:4]
        missing = [t for t in missing if t != year]
    if not missing:
        return [], []
    rare_df = max(1, round(c.rare_per_10k * store.sentence_count() / 10_000))
    # A word the library lacks but nearly holds is likelier a typo or another form
    # ("frensh") than a name no report mentions: rare, not unknown.
    # a word the library holds in another form ("break": "broke") is known
    counts = [max(store.term_frequency(f, rare_df) for f in (t, *other_forms(t)))
              or int(_near_a_known_word(store, t)) for t in missing]
    return ([t for t, df in zip(missing, counts, strict=True) if df == 0],
            [t for t, df in zip(missing, counts, strict=True) if 0 < df < rare_df])


def news_subject(question: str) -> list[str] | None:
    """Of a question that only asks for news, the words of its subject (``["kessby"]`` of
    "what happened in Kessby?", ``[]`` of "what's new?"); ``None`` for any other question."""
    news = overview_words(question)
    return [t for t in query_terms(question) if t not in news] if news else None


#: "who heads / runs / leads X?" (:func:`index.roles.asked_owner`): asks who holds the post
#: a sentence names ("X director Y"), in no word of its own
_HEAD_VERBS = frozenset("heads head runs run leads lead chairs chair directs manages".split())
#: words that ask up to now ("how many dead so far?"), which no sentence need hold
_SO_FAR = re.compile(r"\b(?:so|thus) far\b|\bto date\b|\bas yet\b|"
                     # "in the last 24h": the reports' "previous 24 hours", or the day's
                     r"\b(?:in|over|during|for) the (?:last|past|previous)\b", re.I)
_COUNTED = re.compile(r"\bhow many\s+(?:more\s+)?([^\W\d_]+)", re.I)
#: counted words any report's figure of people may answer ("casualties": the dead)
_ANY_PEOPLE = frozenset("people persons individuals casualties victims times".split())


def counted_words(question: str) -> set[str]:
    """What a "how many" question counts, when it names a kind of people or things
    ("children" of "how many children died?"; none of "how many people died?" or "how many
    were killed?"): a figure of some other kind does not answer it."""
    m = _COUNTED.search(question)
    word = m.group(1).lower() if m else ""  # (no verb: not "got" of "how many got out?")
    return {word} if word in query_terms(word) and word not in _ANY_PEOPLE \
        and word not in _VERBS else set()


def object_words(question: str) -> set[str]:
    """The content words of what the question's last preposition points at, when that ends
    the question ("the ferry" of "how many died on the ferry?", "Zentrax Microsystems" of
    "who is the CEO of Zentrax Microsystems?"): the place, thing or body it is about."""
    m = _OBJECT.search(question.lower())
    if not m:
        return set()
    words = query_terms(m.group(1))
    if _AUXILIARY.search(m.group(1)) and words:  # "of the vote did Tully get": not "get"
        words = words[:-1]
    # "in Eastbank got sick": the object ends where a verb begins
    cut = next((i for i, w in enumerate(words)
                if i > 0 and w in _VERBS), len(words))
    return {t for t in words[:cut] if t not in _GENERIC}


def confidence(question: str, top: Candidate, title: str, store: ReportStore,
               c: Confidence | None = None, report: set[str] | None = None) -> float:
    """The calibrated score of ``top`` (the reranker's best candidate) as an answer."""
    return _scored(question, top, title, store, c or Confidence(), report)[0]


def _scored(question: str, top: Candidate, title: str, store: ReportStore, c: Confidence,
            report: set[str] | None) -> tuple[float, int]:
    """:func:`confidence`, and how many question words ``top`` leaves out that the library
    holds nowhere or rarely."""
    unknown, rare = _missing(question, top, title, store, c, report)
    about = object_words(question)
    if set(unknown) & (about | counted_words(question)):
        return -math.inf, len(unknown)  # what it asks about, or counts, is in no report
    if (question_kind(question) == "quantity" or ledger.asks_figure(question)) \
            and another_story(about, top, title, store, report):
        return -math.inf, len(unknown)  # a figure of another story ("died in the port
        # strike": the floods')
    return top.rank - c.unknown * len(unknown) - c.rare * len(rare), len(unknown) + len(rare)


OTHER_STORY_POOL = 50  # sentences read for reports of another story


def another_story(about: set[str], top: Candidate, title: str, store: ReportStore,
                  report: set[str] | None = None, least: int = 2,
                  told: Callable[[], set[str]] | None = None) -> bool:
    """Whether what the question is about, in ``least`` words or more ("the port strike"
    of "how many people died in the port strike?"), is another story: no word of it in
    ``top``'s report, and all of it in another report ("Port Calder strike talks resume";
    ``told`` gives those reports, from :func:`telling`, read once for many quotes). ``top``
    then answers for a story the question did not ask about (the floods' death toll). One
    word alone ("Borel") may be a name the answering report writes otherwise: too weak a
    sign to say "not found", enough to leave a quote out beside the answer."""
    words = sorted(w for w in about if not w.isdigit())
    if len(words) < least or any(_key(w) in _stems(f"{top.sentence.text} {top.previous} {title}")
                             for w in words):
        return False
    report = _report_stems(top, store) if report is None else report
    if any(_key(w) in report for w in words):
        return False
    return bool((told() if told is not None else telling(about, store))
                - {top.sentence.report_id})


def telling(about: set[str], store: ReportStore) -> set[str]:
    """The reports that tell of all of ``about``: in their headline for one word, anywhere
    for more. Read from the best lexical matches only (a large store is never scanned)."""
    words = sorted(w for w in about if not w.isdigit())
    if not words:
        return set()
    hits = store.bm25(" OR ".join(f'"{w}"' for w in words), OTHER_STORY_POOL)
    reports = store.get_reports({s.report_id
                                 for s in store.sentences([sid for sid, _ in hits]).values()})
    return {rid for rid, r in reports.items()
            if all(_key(w) in _stems(r.title if len(words) == 1
                                     else f"{r.title} {store.report_text(rid) or ''}")
                   for w in words)}


def answers(question: str, top: Candidate, title: str, store: ReportStore,
            c: Confidence | None = None, stated: bool = False) -> bool:
    """Whether ``top`` is confident enough to quote; otherwise the answer is "not found".
    A question asking only for news of a subject ("what happened in Kessby?") is answered
    when the best sentence's report names every word of the subject: it asks for no one
    fact a score could be sure of. One asking what someone said or wants ("what does the
    union want?") is answered when the best sentence names them. A yes/no question the
    score doubts is answered when the best candidate is about its subject
    (:func:`yes_no_parts`). With ``stated`` (a question asked of no day), a candidate that
    states the measure the question names and leaves out no word the library lacks is
    answered whatever its score."""
    c = c or Confidence()
    subject = news_subject(question)
    report = None
    if subject:
        report = _report_stems(top, store)  # read once: the score below reads it too
        told = report | _stems(title)
        if all(_key(t) in told for t in subject):
            return True
    if (verb := said_verb(question)) is not None:
        # "what does the union want?": what someone says, wants or plans is said in words
        # of its own ("is asking for a 9% rise"), which a score of a short question doubts;
        # the best sentence that names every word of who it asks about answers it
        who = [_key(t) for t in query_terms(question) if t != verb]
        if who and set(who) <= _stems(f"{top.sentence.text} {top.previous}"):
            return True
    score, left_out = _scored(question, top, title, store, c, report)
    if score >= c.threshold:
        return True
    if stated and score > -math.inf and not left_out and _states_the_measure(question, top):
        return True  # "what's the exchange rate?": "closing at 43.8 to the dollar"
    if score > -math.inf and (parts := yes_no_parts(question)) is not None:
        return _settles(parts, top, title)
    log.debug("not found: best candidate scores %.2f < %.2f", score, c.threshold)
    return False


#: a yes/no question's last word, when it only finishes the verb ("going on", "called off")
_PARTICLES = frozenset("on up down out off over in away back again".split())
#: words of a yes/no question that ask how things stand now ("is the river still rising?")
STATE_WORDS = frozenset("still yet now already anymore currently again".split())
#: words of a yes/no question's subject that name nothing ("did anyone die?")
_NO_SUBJECT = STATE_WORDS | frozenset("""there anyone anybody anything someone somebody
something everyone everybody ever really""".split())


def _states_the_measure(question: str, top: Candidate) -> bool:
    """Whether ``top`` states a figure of the measure the question names by a word of the
    ledger's own ("exchange rate", "inflation", "missing"): with no question word left out
    that the library lacks, its figure is what is asked, however few words the two share."""
    if asks_length(question) and states_length(top.sentence.text):
        return True  # "how deep is the wreck?": "Water depth at the site is about 38 metres"
    measure = ledger.question_measure(question)
    return measure in ledger.NAMED_MEASURES and any(
        e.measure == measure and e.role == "level" for e in ledger.extract(top.sentence.text))


def yes_no_parts(question: str) -> tuple[list[str], list[str]] | None:
    """Of a yes/no question, the content words of its subject and of its predicate, the last
    word (with a particle: "going on"): ``(["railway"], ["reopened"])`` of "has the railway
    reopened?"; ``None`` for any other question."""
    m = YES_NO.match(question)
    words = _WORD.findall(question[m.end():].lower()) if m else []
    if not words:
        return None
    n = 2 if len(words) > 2 and words[-1] in _PARTICLES else 1
    return ([w for w in query_terms(" ".join(words[:-n])) if w not in _NO_SUBJECT],
            [w for w in query_terms(" ".join(words[-n:])) if w not in _PARTICLES])


#: what a yes/no question may end on that asks how things stand ("is the strike over?",
#: "has the railway reopened?", "are the dock workers back at work?")
STATE_ENDS = frozenset("""over open opened reopened closed shut ended finished resolved settled
lifted restored continuing ongoing back""".split())


def state_subject(question: str) -> list[str] | None:
    """Of a yes/no question asking how things stand now, the words of what it asks about
    (``["strike"]`` of "is the strike over?", ``["railway"]`` of "has the railway
    reopened?"); ``None`` for any other question."""
    parts = yes_no_parts(question)
    if parts is None:
        return None
    words = _WORD.findall(question.lower())
    if not STATE_WORDS.isdisjoint(words):
        return parts[0]
    m = YES_NO.match(question)
    rest = _WORD.findall(question[m.end():].lower()) if m else []
    end = next((i for i, w in enumerate(rest) if w in STATE_ENDS), None)
    if end is None:
        return None
    return [w for w in query_terms(" ".join(rest[:end])) if w not in _NO_SUBJECT]


def _root(word: str) -> str:
    """``word`` without an inflection ("died", "dies": "die"; "rising", "rise": "ris")."""
    for suffix in ("ing", "ed", "es", "s", "d", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)][:5]
    return word[:5]


def _settles(parts: tuple[list[str], list[str]], top: Candidate, title: str) -> bool:
    """Whether ``top`` is the evidence a yes/no question asks for, though the reranker
    (trained on questions for a fact) scores it low, as in a small library: ``top`` (with
    the sentence it leans on and its title) names every word of the question's subject; a
    question with no subject ("did anyone die?") needs its predicate in ``top`` itself. The
    predicate may be missing otherwise: "has the railway reopened?" is settled by "the
    railway will stay closed"."""
    subject, predicate = parts
    if subject:
        have = _stems(f"{top.sentence.text} {top.previous} {title}")
        return all(_key(w) in have for w in subject)
    roots = {_root(w) for w in _WORD.findall(top.sentence.text.lower())}
    return bool(predicate) and all(_root(w) in roots for w in predicate)
