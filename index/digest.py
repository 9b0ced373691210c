"""Daily digests: what is new in a window of report dates, grouped into events.

:func:`compose_digest` takes the reports of a window (optionally only those about some topic
words), groups them into events (average-linkage clustering of report vectors built from the
stored sentence vectors; two reports apart unless they share key names, :func:`key_terms`),
orders the events by coverage and recency with close events taking turns, and picks for each
a headline that stands on its own (the central report's title, else a sentence that names
its subject: :mod:`index.headlines`) and a few more sentences that cover the event without
repeating each other (:func:`select_sentences`, MMR with a position prior). Every sentence is
verbatim from a report and carries its citation. Figures that moved since the previous window
(``12,000 → 18,500 people displaced``) are flagged per event.

Nothing here knows about Telegram; front ends render :class:`Digest`.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from index.dates import bound_instant, utc_iso
from index.embedder import Vectors
from index.figures import QUANTITY, parse_number
from index.headlines import results_line, standalone_sentence, usable_title
from index.library import Library
from index.models import Report, Sentence
from index.retrieve import STOPWORDS

log = logging.getLogger(__name__)


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSentence:
    """One verbatim sentence of a digest and the report it comes from; a headline may be the
    report's title instead (then ``sentence_id`` is 0)."""

    text: str
    report_id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    sentence_id: int = 0


@dataclass(frozen=True)
class MovedFigure:
    """A figure that changed since the previous window: ``before → after unit``."""

    unit: str
    before: str
    after: str
    before_value: float
    after_value: float
    report_id: str

    def __str__(self) -> str:
        return f"{self.before} → {self.after} {self.unit}".strip()


@dataclass(frozen=True)
class DigestEvent:
    """One story: its headline sentence, further sentences (not repeating the headline), the
    reports behind it (newest first) and the figures that moved."""

    headline: DigestSentence
    sentences: tuple[DigestSentence, ...]
    report_ids: tuple[str, ...]
    sources: tuple[str, ...] = ()
    moved_figures: tuple[MovedFigure, ...] = ()
    latest: str = ""


@dataclass(frozen=True)
class Digest:
    """What is new in ``since <= date < until``; ``empty`` when no report is."""

    since: str
    until: str
    events: tuple[DigestEvent, ...]
    topic: str | None = None
    n_reports: int = 0

    @property
    def empty(self) -> bool:
        return not self.events


# -- parameters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectParams:
    """Sentence selection: ``score = centrality + position_weight / (1 + position_decay *
    position)`` (news is lead-heavy), then MMR ``score - redundancy * max_sim``; never two
    sentences above ``max_similarity``. The defaults were first chosen on CNN/DM SummEval-100
    (REALSumm-100 held out); on the Reuters tuning split they tie with the best grid point.
    See ``tests/bench/eval_digest.py`` and BENCHMARKS.md."""

    position_weight: float = 1.0
    position_decay: float = 0.5
    redundancy: float = 0.6
    max_similarity: float = 0.8
    min_words: int = 5
    max_words: int = 60


@dataclass(frozen=True)
class ClusterParams:
    """Report similarity = ``(1 - entity_weight) * cosine + entity_weight * entity overlap``,
    less ``unshared_penalty`` for two reports that share fewer than ``min_shared`` key terms
    (one in a window of fewer than ``busy`` reports): the names of one's title and first
    ``key_sentences`` (:func:`key_terms`) that the other mentions (in its title and first
    ``mention_sentences``, 0 for all) and at most ``max(key_df, key_share * n)`` of the
    window's ``n`` reports mention. ``linkage`` (``average`` or
    ``complete``) merging stops below ``threshold``; events close in meaning form sections
    that take turns in the digest (``section_threshold``). Chosen on the Reuters tuning days
    (before 1987-04-01) for one story per event (BENCHMARKS.md,
    ``tests/bench/event_purity.md``)."""

    threshold: float = 0.55
    entity_weight: float = 0.0
    lead_sentences: int = 3
    unshared_penalty: float = 1.0
    key_df: int = 8
    key_share: float = 0.03
    linkage: str = "average"
    min_shared: int = 2
    key_sentences: int = 1
    mention_sentences: int = 3
    busy: int = 50
    section_threshold: float = 0.4


@dataclass(frozen=True)
class DigestParams:
    max_events: int = 5
    sentences_per_event: int = 3
    topic_similarity: float = 0.45
    #: ... of a one-word topic ("wildfire", "takeover"), whose vector is less specific: on
    #: Reuters' topic labels (tuning days) 0.35 gave the best mean F1 of 13 one-word topics
    topic_word_similarity: float = 0.35
    select: SelectParams = field(default_factory=SelectParams)
    cluster: ClusterParams = field(default_factory=ClusterParams)


# -- sentence selection ----------------------------------------------------------------------


def _unit(vectors: Vectors) -> Vectors:
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = v / norms
    return out


def select_sentences(sentences: Sequence[str], vectors: Vectors, k: int, *,
                     positions: Sequence[float] | None = None,
                     params: SelectParams | None = None,
                     centroid: Vectors | None = None,
                     avoid: Vectors | None = None) -> list[int]:
    """Indices of up to ``k`` sentences that together cover ``sentences``, best first.

    Each sentence scores its cosine to the centroid plus a prior for coming early in its
    report (``positions``; default the order given), then is picked greedily by MMR; a
    sentence more similar than ``max_similarity`` to one already chosen is never picked.
    Sentences shorter than ``min_words`` are used only when nothing else is left. Rows of
    ``avoid`` (sentences already chosen elsewhere) count as chosen.
    """
    p = params or SelectParams()
    n = len(sentences)
    if n == 0 or k <= 0:
        return []
    vecs = _unit(vectors)
    pos = np.asarray(positions if positions is not None else range(n), dtype=np.float32)
    center = _unit(vecs.mean(axis=0) if centroid is None else np.asarray(centroid))
    score = vecs @ center + p.position_weight / (1.0 + p.position_decay * pos)
    words = np.asarray([len(s.split()) for s in sentences])
    prose = np.asarray([usable(s) for s in sentences])
    ok = (words >= p.min_words) & (words <= p.max_words) & prose
    if not ok.any():
        ok = words > 0
    score = np.where(ok, score, score - 10.0)
    chosen: list[int] = []
    seen_text: set[str] = set()
    max_sim = np.full(n, -1.0, dtype=np.float32)
    blocked = np.zeros(n, dtype=bool)
    for i, s in enumerate(sentences):
        if not s.strip():
            blocked[i] = True
    if avoid is not None and len(avoid):
        prior = (vecs @ _unit(avoid).T).max(axis=1)
        max_sim = np.maximum(max_sim, prior)
        blocked |= prior > p.max_similarity
    while len(chosen) < min(k, n):
        mmr = score - p.redundancy * np.maximum(max_sim, 0.0)
        mmr = np.where(blocked, -np.inf, mmr)
        best = int(np.argmax(mmr))
        if not np.isfinite(mmr[best]):
            break
        blocked[best] = True
        key = re.sub(r"\s+", " ", sentences[best]).strip().lower()
        if key in seen_text:
            continue
        seen_text.add(key)
        chosen.append(best)
        sims = vecs @ vecs[best]
        max_sim = np.maximum(max_sim, sims)
        blocked |= sims > p.max_similarity
    return chosen


# -- named entities --------------------------------------------------------------------------

_NOT_ENTITIES = frozenset("""
the a an in on at it he she they we this that but and however after before when while if as
its their his her there these those then so for of to by with from said says monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
mr mrs ms dr i you our some many most all one two three four five note shr net revs qtr
""".split())
_CAPS = re.compile(r"\b[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+)*")


_POSSESSIVE = re.compile(r"['’]s?$")


def entities(text: str) -> set[str]:
    """Capitalised names of ``text`` (single words and their runs), lower-cased."""
    out: set[str] = set()
    for m in _CAPS.finditer(text):
        words = [w for w in m.group(0).split() if w.lower() not in _NOT_ENTITIES]
        starts = m.start() == 0 or text[max(0, m.start() - 2):m.start()].strip() in {".", "\""}
        if starts and len(words) == 1 and m.group(0) == words[0]:
            continue  # a capital that only starts the sentence is not a name
        if not words:
            continue
        for w in words:
            if len(w) > 2:
                out.add(_POSSESSIVE.sub("", w.lower()))
        if len(words) > 1:
            out.add(" ".join(w.lower() for w in words))
    return out


_TERM = re.compile(r"[A-Za-z][A-Za-z0-9&'’.-]*[A-Za-z0-9]")
_NOT_KEY = _NOT_ENTITIES | frozenset("""
not no new over out into up down off about more less than up says say seen sees see set sets
will would can could may might has have had was were are is be been being who what why how
year years month week day today yesterday report reports official officials government
pay payable record prior qtly div dividend div note avg shrs oper mths corp inc ltd plc
""".split())


# Words of many organisations' names (stems), no key to one story.
_GENERIC = frozenset(w[:5] for w in """
international bank banks american financial exchange securities minister ministry commission
united industries industry group national system systems associates association state states
union communications federal board computer holdings products motor motors services trust
chemical organisation organization president central secretary investment investors agency
house chairman technology technologies management capital stock first department agriculture
reserve general company corporation partners fund energy resources electric power savings
insurance reuter reuters york west south north east western eastern northern southern
swiss swi switzerland franc francs canadian luxembourg dollar dlr eurobond sterling yen
""".split())
# Third parties of many stories: regulators, agencies, rating firms, underwriters.
_THIRD_PARTIES = frozenset("""
sec ccc usda fed commo credi standa poor moody wood gundy merri lynch salom broth goldm sachs
morga stanl drexe burnh lambe shear lehma first bosto credi suiss nomur secur pierc fenne
smith senat congr publi utili kidde peabo
""".split())


def key_terms(title: str, lead: Sequence[str], names: set[str]) -> set[str]:
    """What a report is about, for telling stories apart: the names (capitalised inside a
    sentence) of its title and of its lead sentences that are prose, not results lines, each
    name one key (``nippon steel`` and ``nippon lace`` differ); of an all-capitals title (a
    wire headline) the words that ``names`` (the names of the whole text) hold. Words are
    lower-cased and cut to five letters (``japanese`` → ``japan``); words of many names
    (``international``, ``bank``) are dropped."""
    prose = [s for s in lead if not results_line(s)]
    keys: set[str] = set()
    if any(c.islower() for c in title):
        prose.insert(0, title)
    else:
        name_words = {w for e in names for w in e.split()}
        keys = {w for w in (t.lower().rstrip(".").removesuffix("'s").removesuffix("’s")
                            for t in _TERM.findall(title)) if w in name_words}
    keys |= {e for s in prose for e in entities(s)}
    out = set()
    for key in keys:
        words = [w.removesuffix("'s").removesuffix("’s")[:5] for w in key.split()
                 if len(w) > 2 and w not in _NOT_KEY and not w[0].isdigit()]
        words = [w for w in words if w not in _GENERIC]
        if words and not set(words) <= _THIRD_PARTIES:
            out.add(" ".join(words))
    in_phrases = {w for key in out if " " in key for w in key.split()}
    return {key for key in out if key not in in_phrases}


# -- clustering ------------------------------------------------------------------------------


@dataclass
class _Item:
    report: Report
    sentences: list[Sentence]
    vectors: Vectors
    vector: Vectors
    entities: set[str]
    terms: set[str]
    mentions: set[str]


def _report_vector(vectors: Vectors, lead: int) -> Vectors:
    if len(vectors) == 0:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    whole = _unit(vectors.mean(axis=0))
    head = _unit(vectors[:lead].mean(axis=0))
    return _unit(head + whole)


def _entity_matrix(sets: Sequence[set[str]]) -> Vectors:
    n = len(sets)
    df: Counter[str] = Counter(e for s in sets for e in s)
    vocab = {e: i for i, e in enumerate(sorted(e for e, c in df.items() if c > 1))}
    mat = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
    for row, s in enumerate(sets):
        for e in s:
            if e in vocab:
                mat[row, vocab[e]] = math.log(1.0 + (n + 1) / df[e])
    return _unit(mat)


def shared_key_terms(term_sets: Sequence[set[str]], params: ClusterParams,
                     mention_sets: Sequence[set[str]] | None = None
                     ) -> npt.NDArray[np.bool_]:
    """Which pairs of reports share ``min_shared`` (in a window of fewer than ``busy``
    reports: one) key terms that are not common in the
    window (mentioned by at most ``max(key_df, key_share * n)`` of the ``n`` reports): the
    key terms of one that the other mentions (``mention_sets``, default the key terms)."""
    mentions = term_sets if mention_sets is None else mention_sets
    n = len(term_sets)
    df: Counter[str] = Counter(t for s in mentions for t in s)
    limit = max(params.key_df, params.key_share * n)
    keys = {t for s in term_sets for t in s}
    vocab = {t: i for i, t in enumerate(sorted(t for t in keys if df[t] <= limit))}

    def matrix(sets: Sequence[set[str]]) -> Vectors:
        mat = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
        for row, s in enumerate(sets):
            for t in s:
                if t in vocab:
                    mat[row, vocab[t]] = 1.0
        return mat

    keys_mat, mentions_mat = matrix(term_sets), matrix(mentions)
    # Distinct names that are a key of one and mentioned by the other (keys are mentions).
    one_way = keys_mat @ mentions_mat.T
    shared = one_way + one_way.T - keys_mat @ keys_mat.T
    need = params.min_shared if n >= params.busy else 1
    out: npt.NDArray[np.bool_] = shared >= need
    return out


def similarity_matrix(vectors: Vectors, entity_sets: Sequence[set[str]],
                      params: ClusterParams,
                      term_sets: Sequence[set[str]] | None = None,
                      mention_sets: Sequence[set[str]] | None = None) -> Vectors:
    """Pairwise report similarity: vector cosine blended with IDF-weighted shared names, less
    ``unshared_penalty`` where two reports share no key term (when ``term_sets`` given)."""
    cos = vectors @ vectors.T
    ent = _entity_matrix(entity_sets)
    ents = ent @ ent.T
    out: Vectors = (1 - params.entity_weight) * cos + params.entity_weight * ents
    if term_sets is not None and params.unshared_penalty:
        unshared = ~shared_key_terms(term_sets, params, mention_sets)
        out = (out - params.unshared_penalty * unshared).astype(np.float32)
    return out


def cluster(sim: Vectors, threshold: float, linkage: str = "average") -> list[list[int]]:
    """Agglomerative clusters of a similarity matrix: merge while the mean (``average``) or
    the least (``complete``) pairwise similarity of two clusters is at least ``threshold``."""
    if linkage not in ("average", "complete"):
        raise ValueError(f"unknown linkage {linkage!r}")
    n = sim.shape[0]
    s = np.array(sim, dtype=np.float64)
    np.fill_diagonal(s, -np.inf)
    sizes = np.ones(n)
    members: list[list[int]] = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    while alive.sum() > 1:
        flat = int(np.argmax(s))
        i, j = divmod(flat, n)
        if s[i, j] < threshold:
            break
        if linkage == "complete":
            merged = np.minimum(s[i], s[j])
        else:
            merged = (sizes[i] * s[i] + sizes[j] * s[j]) / (sizes[i] + sizes[j])
        s[i, :] = merged
        s[:, i] = merged
        s[i, i] = -np.inf
        s[j, :] = -np.inf
        s[:, j] = -np.inf
        sizes[i] += sizes[j]
        members[i].extend(members[j])
        members[j] = []
        alive[j] = False
    return [sorted(m) for m in members if m]


# -- figures ---------------------------------------------------------------------------------

_QUALIFIERS = {
    "displaced": "displaced", "evacuated": "evacuated", "homeless": "homeless",
    "dead": "dead", "died": "dead", "killed": "dead", "death": "dead", "deaths": "dead",
    "toll": "dead", "injured": "injured", "wounded": "injured", "hurt": "injured",
    "missing": "missing", "arrested": "arrested", "detained": "arrested",
    "waiting": "waiting", "queue": "waiting", "striking": "striking", "rescued": "rescued",
}
_PEOPLE_QUALIFIERS = frozenset("displaced evacuated homeless dead injured missing arrested "
                               "rescued".split())
_STOP_AFTER = frozenset("of the a an and or to in on at by for was were is are had have has "
                        "said says after before from with as since than this that who which "
                        "would will could may".split())
_CLAUSE = re.compile(r"[,;:]|\band\b|\bbut\b|\bwhile\b|\bafter\b|\bas\b")
_PLURAL_NOUNS = frozenset("people children staff personnel police cattle livestock".split())
_YEAR = re.compile(r"(?:in\s+)?(1[5-9]|20)\d\d")


def _plural(word: str) -> bool:
    w = word.lower()
    return w in _PLURAL_NOUNS or (len(w) > 3 and w.endswith("s") and not w.endswith("ss"))


@dataclass(frozen=True)
class _Fig:
    key: tuple[str, str]
    text: str
    value: float


def usable(sentence: str) -> bool:
    """False for lines that are not prose: a markdown heading, a by-line with a URL."""
    s = sentence.lstrip()
    return not (s.startswith("#") or "http://" in s or "https://" in s or "URL:" in s)


def sentence_figures(sentence: str) -> list[_Fig]:
    """Quantities of a sentence keyed by (unit noun, qualifier such as ``dead``)."""
    out: list[_Fig] = []
    if not usable(sentence):
        return out
    for m in QUANTITY.finditer(sentence):
        span = m.group(0).strip()
        if _YEAR.fullmatch(span) or "%" in span or "pct" in span.lower() or "percent" in span:
            continue
        value = parse_number(span)
        if value is None:
            continue
        after = sentence[m.end():m.end() + 80]
        before = sentence[max(0, m.start() - 80):m.start()]
        unit = ""
        for word in re.findall(r"[A-Za-z][A-Za-z-]*", after)[:2]:
            if word.lower() in _STOP_AFTER:
                break
            if _plural(word):
                unit = word.lower()
                break
        ahead = _CLAUSE.split(after, maxsplit=1)[0]
        behind = _CLAUSE.split(before)[-1]
        qualifier = ""
        for word in re.findall(r"[a-z]+", ahead.lower())[:6]:
            if word in _QUALIFIERS:
                qualifier = _QUALIFIERS[word]
                break
        if not qualifier:
            for word in reversed(re.findall(r"[a-z]+", behind.lower())[-6:]):
                if word in _QUALIFIERS:
                    qualifier = _QUALIFIERS[word]
                    break
        numbered = re.search(r"(?:number|count) of ([a-z]+)(?: ([a-z]+))?|death toll", before,
                             re.I)
        if not qualifier and numbered:
            for word in numbered.group(0).lower().split():
                qualifier = qualifier or _QUALIFIERS.get(word, "")
        if not unit and numbered:
            unit = next((w.lower() for w in numbered.groups() if w and _plural(w)), "")
        if not unit and qualifier in _PEOPLE_QUALIFIERS:
            unit = "people"
        if not unit:
            back = re.findall(r"[A-Za-z][A-Za-z-]*", behind)[-4:]
            unit = next((w.lower() for w in reversed(back) if _plural(w) and w[0].islower()),
                        "")
        if unit == "bodies" and qualifier in _PEOPLE_QUALIFIERS:
            unit = "people"
        if not unit:
            continue
        out.append(_Fig((unit, qualifier), span, value))
    return out


def moved_figures(previous: Sequence[tuple[str, str, Sequence[str]]],
                  current: Sequence[tuple[str, str, Sequence[str]]],
                  titles: Mapping[str, str] | None = None) -> list[MovedFigure]:
    """Figures whose newest value in ``current`` differs from the newest in ``previous``.

    Each argument is a list of ``(date, report_id, sentences)``. Figures are read as the
    figure ledger reads them (:func:`index.ledger.extract`: the same normalised measure,
    ``died``/``death toll`` → ``dead``, and only stated levels, not changes or earlier
    figures quoted for comparison), and a pair is only the same measure in the same unit
    from reports of the same story (sharing two names, or all of a report's names when it
    has fewer, a headline's name and word counting as one: :func:`index.timeline.
    headline_pairs`, with ``titles`` by report id): never a number of one story against
    another's. The newest report's first mention wins within a window.
    """
    from index.ledger import CURRENCY_SIGNS, extract, is_vague
    from index.timeline import headline_pairs, story_names

    titles = titles or {}

    def newest(reports: Sequence[tuple[str, str, Sequence[str]]]) -> dict[
            tuple[str, str], list[tuple[str, str, float, set[str], set[str], set[str]]]]:
        found: dict[tuple[str, str],
                    list[tuple[str, str, float, set[str], set[str], set[str]]]] = {}
        for _date, rid, sents in reversed(sorted(reports, key=lambda r: r[0])):
            names = story_names(" ".join(sents)) | headline_pairs(titles.get(rid, ""))
            seen: set[tuple[str, str]] = set()
            for text in sents:
                if not usable(text):
                    continue
                for e in extract(text):
                    key = (e.unit, e.measure)
                    if e.role != "level" or e.unit == "pct" or key in seen or is_vague(e.value):
                        continue  # (lengths of time, "for 30 days", the ledger never records;
                        # "dozens of ships" moved no count: "31 → dozens")
                    seen.add(key)  # a report's first mention of a figure counts
                    found.setdefault(key, []).append(
                        (rid, e.value, e.number, names, story_names(text),
                         _counted_words(text, e.start)))
        return found

    def same_story(a: set[str], b: set[str]) -> bool:
        if not a or not b:
            return True  # nothing to tell them apart: the event grouping decides
        return len(a & b) >= min(2, len(a), len(b))

    def same_figure(key: tuple[str, str], a: tuple[str, str, float, set[str], set[str],
                                                   set[str]],
                    b: tuple[str, str, float, set[str], set[str], set[str]]) -> bool:
        if not same_story(a[3], b[3]):
            return False
        if key[0] not in _GENERIC_UNITS:
            return True  # the unit names what is counted: fighters, ships, dead people
        # "26 mln bags" (a crop) and "10.5 mln bags" (another country's stocks) share only
        # a unit: the words that say what is counted, the sentence's own names and the
        # order of magnitude must agree too.
        if not a[5] & b[5] or (a[4] and b[4] and not a[4] & b[4]):
            return False
        low, high = sorted((abs(a[2]), abs(b[2])))
        return low > 0 and high / low <= 10

    before = newest(previous)
    moved = []
    for key, figs in newest(current).items():
        now = figs[0]
        match = next((f for f in before.get(key, []) if same_figure(key, now, f)), None)
        if match is None or math.isclose(match[2], now[2], rel_tol=0.005):
            continue
        # "Six → Eleven people dead", "131 → 160 cases" (not "people cases")
        unit = key[1] if key[0] == "people" and key[1] in _NOUN_MEASURES else \
            " ".join(dict.fromkeys(x for x in key if x))
        sign = re.search(r"[$€£¥]", now[1])
        if sign and unit.split(" ")[0] == CURRENCY_SIGNS[sign.group(0)]:
            unit = " ".join(unit.split(" ")[1:])  # "$6.8 billion → $5.9 billion", no "dlrs"
        unit = _SHOWN.get(unit, unit)
        moved.append(MovedFigure(unit, match[1], now[1], match[2], now[2], now[0]))
    return moved


#: measures shown in other words than the ledger's names ("51.7 → 46.9 to the dollar")
_SHOWN = {"exchange": "to the dollar", "people sheltered": "people in shelters",
          "customers outage": "customers without power", "homes outage": "homes without power",
          "customers restored": "customers with power back",
          "people hospitalised": "people in hospital", "people icu": "people in intensive care"}

#: measures that are nouns themselves: shown without their unit of "people"
_NOUN_MEASURES = frozenset({"cases", "recovered"})

# Units that do not say what they count (money, weight, volume, shares): a figure in one of
# them moves only when the words before it say it counts the same thing.
_GENERIC_UNITS = frozenset(
    "dlrs cents bags tonnes tons barrels bushels shares lbs ounces euros yen marks francs "
    "stg pounds pesos lire rands crowns kilos units points".split())
_NOT_COUNTED = frozenset(
    "the a an at of was were is are be been had have has put stood said says say to from by "
    "about some over around nearly almost estimated quoted totalled totaled rose fell with "
    "and its their his her which held this that for on in up down now today yesterday "
    "than more less least most mln billion million trade sources".split())


def _counted_words(text: str, start: int) -> set[str]:
    """The content words just before a figure ("the crop at", "stockpiles of"): what it
    counts, as far as a sentence says so."""
    words = re.findall(r"[a-z][a-z'-]+", text[:start].lower())[-4:]
    return {w.rstrip("s")[:7] for w in words if w not in _NOT_COUNTED and len(w) > 2}


# -- composing -------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    """A topic's words as the starts a report's words must have: five letters, or all but
    the last up to seven ("flood" of "floods" finds "flooding"; "currenc" of "currency" does
    not find "current")."""
    return {w[:max(5, min(len(w) - 1, 7))] for w in re.findall(r"[a-z0-9]+", text.lower())
            if len(w) > 2 and w not in STOPWORDS}


def _load(library: Library, reports: Sequence[Report], cp: ClusterParams) -> list[_Item]:
    items = []
    dim = library.embedder.dim
    for r in reports:
        sents = library.report_sentences(r.id)
        if not sents:
            continue
        vecs = library.store.vectors([s.id for s in sents], dim)
        text = " ".join(s.text for s in sents)
        names = entities(text)
        terms = key_terms(r.title, [s.text for s in sents[:cp.key_sentences]], names)
        mentions = key_terms(r.title, [s.text for s in sents[:cp.mention_sentences or None]],
                             names)
        items.append(_Item(r, sents, vecs, _report_vector(vecs, cp.lead_sentences), names,
                           terms, mentions))
    return items


def _matches_topic(item: _Item, topic_words: set[str], topic_vec: Vectors | None,
                   min_sim: float) -> bool:
    """At least half the topic's words (as prefixes: ``dock`` finds ``dockworkers``) are in
    the title or text, or a sentence is close to the topic in meaning."""
    text = f"{item.report.title} " + " ".join(s.text for s in item.sentences)
    text_words = set(re.findall(r"[a-z0-9]+", text.lower()))
    found = sum(1 for t in topic_words if any(w.startswith(t) for w in text_words))
    if topic_words and 2 * found >= len(topic_words):
        return True
    if topic_vec is None or len(item.vectors) == 0:
        return False
    return float((item.vectors @ topic_vec).max()) >= min_sim


def _cite(item: _Item, sentence: Sentence) -> DigestSentence:
    r = item.report
    return DigestSentence(sentence.text, r.id, r.title, r.date, r.source, r.url, sentence.id)


def _sort_key(r: Report) -> str:
    return r.instant


def window_before(since: str, until: str, zone: str = "UTC") -> str:
    """The start of the window of the same length just before ``[since, until)``, as an
    instant (bounds are read as :func:`index.dates.bound_instant` reads them)."""
    try:
        a = datetime.fromisoformat(bound_instant(since, zone))
        b = datetime.fromisoformat(bound_instant(until, zone))
    except ValueError:
        return since
    return utc_iso(a - (b - a))


def compose_digest(library: Library, since: str, until: str, *, topic: str | None = None,
                   previous_since: str | None = None, params: DigestParams | None = None,
                   reports: Sequence[Report] | None = None, by_ingest: bool = False
                   ) -> Digest:
    """The digest of the reports dated in ``[since, until)`` (ISO dates or date-times,
    compared as instants), or with ``by_ingest`` of those *ingested* in it (a subscriber's
    scheduled digest: nothing ingested late is skipped); either way ordered and cited by
    report date.

    ``topic`` keeps only the stories (events) of which half the reports or more hold at
    least half its words, or a sentence close to it in meaning (of another story, only those
    reports).
    Moved figures compare with the reports of ``[previous_since, since)`` (default: a window
    of the same length) that belong to the same event.
    """
    p = params or DigestParams()
    cp = p.cluster
    def window(start: str, end: str) -> list[Report]:
        if by_ingest:
            return library.reports(ingested_since=start, ingested_until=end)
        return library.reports(since=start, until=end)

    rows = list(reports) if reports is not None else window(since, until)
    items = _load(library, rows, cp)
    topic = (topic or "").strip() or None
    on_topic: list[bool] | None = None
    if topic:
        topic_words = _words(topic)
        topic_vec = _unit(library.embedder.encode([topic])[0])
        least = p.topic_word_similarity if len(topic.split()) == 1 else p.topic_similarity
        on_topic = [_matches_topic(it, topic_words, topic_vec, least) for it in items]
        if not any(on_topic):
            items = []
    if not items:
        return Digest(since, until, (), topic, 0)
    prev_rows = window(previous_since or window_before(since, until, library.zone), since)
    prev_items = _load(library, prev_rows, cp)
    all_items = items + prev_items
    vecs = np.stack([it.vector for it in all_items])
    sim = similarity_matrix(vecs, [it.entities for it in all_items], cp,
                            [it.terms for it in all_items], [it.mentions for it in all_items])
    n = len(items)
    groups = cluster(sim[:n, :n], cp.threshold, cp.linkage)
    if on_topic is not None:
        # a story is on the topic when half its reports are at least; of one that is not,
        # only the reports that are (a report on a minister's resignation that also tells of
        # the border closing brings no story of the border to a digest on the patrol boats)
        groups = [g if 2 * len(hits) >= len(g) else hits for g in groups
                  if (hits := [i for i in g if on_topic[i]])]
    # Each earlier report joins the event it is closest to on average, if close enough.
    prev_of: dict[int, list[_Item]] = {g: [] for g in range(len(groups))}
    if prev_items:
        membership = np.zeros((n, len(groups)), dtype=np.float32)
        for g, members in enumerate(groups):
            membership[members, g] = 1.0 / len(members)
        to_group = sim[n:, :n] @ membership  # mean similarity of each earlier report
        for j, prev in enumerate(prev_items):
            best = int(np.argmax(to_group[j]))
            if to_group[j, best] >= cp.threshold:
                prev_of[best].append(prev)

    ranked = []
    for g, members in enumerate(groups):
        group = sorted((items[i] for i in members), key=lambda it: _sort_key(it.report),
                       reverse=True)
        ranked.append((g, group))
    events: list[DigestEvent] = []
    chosen: list[Vectors] = []
    for g, group in _by_section(ranked, cp.section_threshold):
        if len(events) >= p.max_events:
            break
        avoid = np.stack(chosen) if chosen else None
        event = _event(group, prev_of[g], p, avoid)
        if event is None:
            continue
        events.append(event)
        ids = [s.sentence_id for s in (event.headline, *event.sentences) if s.sentence_id]
        chosen.extend(library.store.vectors(ids, library.embedder.dim))
    return Digest(since, until, tuple(events), topic, sum(len(g) for g in groups))


def _coverage(group: Sequence[_Item]) -> tuple[int, int, str]:
    return (len(_sources(group)), len(group), max(_sort_key(it.report) for it in group))


def _by_section(events: list[tuple[int, list[_Item]]], threshold: float
                ) -> list[tuple[int, list[_Item]]]:
    """Events in digest order. Events close in meaning form a section (average linkage of
    their centroids at ``threshold``: the oil stories, the takeovers); sections come by
    coverage (outlets, reports, recency) and the digest takes the best-covered event of each
    section in turn, then the second of each, so one busy area does not fill the digest."""
    if not events:
        return []
    centroids = _unit(np.stack([_unit(np.stack([it.vector for it in group]).mean(axis=0))
                                for _, group in events]))
    sections = cluster(centroids @ centroids.T, threshold)
    rounds: list[tuple[tuple[int, int, str], int, tuple[int, int, str], int]] = []
    for members in sections:
        section_key = _coverage([it for m in members for it in events[m][1]])
        ordered = sorted(members, key=lambda m: _coverage(events[m][1]), reverse=True)
        for turn, m in enumerate(ordered):
            rounds.append((section_key, -turn, _coverage(events[m][1]), m))
    rounds.sort(key=lambda r: (r[1], r[0], r[2]), reverse=True)
    return [events[r[3]] for r in rounds]


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".").lower()


def _sources(group: Sequence[_Item]) -> list[str]:
    sources: list[str] = []
    for it in group:
        for src in (it.report.source, *(a.source for a in it.report.also_reported_by)):
            if src and src not in sources:
                sources.append(src)
    return sources


#: how much less central to its event than the most central report the newest report may be
#: and still give the headline (a cosine to the event's centre)
HEADLINE_MARGIN = 0.1


def _event(group: Sequence[_Item], previous: Sequence[_Item], p: DigestParams,
           avoid: Vectors | None = None) -> DigestEvent | None:
    pool: list[tuple[_Item, Sentence]] = [(it, s) for it in group for s in it.sentences]
    if not pool:
        return None
    vecs = np.concatenate([it.vectors for it in group])
    centroid = _unit(np.stack([it.vector for it in group]).mean(axis=0))
    # A small bonus for the newer reports of the event: the newest figures lead.
    recency = {id(it): 1.0 / (1 + rank) for rank, it in enumerate(group)}
    positions = [s.position + (1 - recency[id(it)]) for it, s in pool]
    texts = [s.text for _, s in pool]

    def pick(candidates: list[str], k: int, seen: Vectors | None) -> list[int]:
        return select_sentences(candidates, vecs, k, positions=positions, params=p.select,
                                centroid=centroid, avoid=seen)

    # The headline: the title of the event's newest report among those about as central as
    # the most central one, when it reads as one ("Fire 80% contained", not the day before's
    # "Fire more than half contained" over bullets of the newest report), else the best
    # sentence that stands on its own.
    closeness = [float(it.vector @ centroid) for it in group]
    near = max(closeness) - HEADLINE_MARGIN
    # (the group is newest first)
    central = next(it for it, c in zip(group, closeness, strict=True) if c >= near)
    if usable_title(central.report.title):
        r = central.report
        headline = DigestSentence(r.title, r.id, r.title, r.date, r.source, r.url)
        title = _plain(r.title)
        texts = ["" if title in _plain(t) or _plain(t) in title else t for t in texts]
    else:
        alone = [t if standalone_sentence(t, min_words=p.select.min_words,
                                          max_words=p.select.max_words) else "" for t in texts]
        first = pick(alone, 1, avoid) or pick(texts, 1, avoid)
        if not first:
            return None
        headline = _cite(*pool[first[0]])
        texts[first[0]] = ""
        avoid = vecs[first] if avoid is None else np.concatenate([avoid, vecs[first]])
    cited = [_cite(*pool[i]) for i in pick(texts, p.sentences_per_event - 1, avoid)]
    sources = _sources(group)
    moved = moved_figures(
        [(_sort_key(it.report), it.report.id, [s.text for s in it.sentences]) for it in previous],
        [(_sort_key(it.report), it.report.id, [s.text for s in it.sentences]) for it in group],
        {it.report.id: it.report.title for it in (*previous, *group)})
    return DigestEvent(headline=headline, sentences=tuple(cited),
                       report_ids=tuple(it.report.id for it in group), sources=tuple(sources),
                       moved_figures=tuple(moved), latest=_sort_key(group[0].report))


def digest_json(digest: Digest) -> dict[str, object]:
    """The stable JSON shape of a digest (see README, ``briefbot digest --json``)."""

    def sent(s: DigestSentence) -> dict[str, object]:
        return {"text": s.text, "report_id": s.report_id, "title": s.title, "date": s.date,
                "source": s.source, "url": s.url}

    return {
        "since": digest.since, "until": digest.until, "empty": digest.empty,
        "topic": digest.topic,
        "events": [
            {"headline": sent(e.headline), "sentences": [sent(s) for s in e.sentences],
             "report_ids": list(e.report_ids), "sources": list(e.sources),
             "moved": [str(m) for m in e.moved_figures]}
            for e in digest.events
        ],
    }
