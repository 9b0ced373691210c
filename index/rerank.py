"""A learned reranker over the retrieved candidates of one question.

:func:`features` turns the candidates' signals (:class:`index.retrieve.Signals`) plus what
is stored about each sentence — its entities (:mod:`index.entities`), the sentence before it
and its report's title (:mod:`index.context`) — into one row of :data:`FEATURES` per
candidate. Besides dense and lexical scores and type agreement, rows hold the question
words' coverage weighted by how rare each is among the candidates (in the sentence, and with
its context), the cosine of the question with the sentence and the one before taken
together, how near an answer of the asked type sits to the question's words, and, for "why"
or "what caused", whether the sentence gives a cause ("because", "after", "pushed").
:class:`Reranker` scores the rows with a linear model trained listwise (softmax
over each question's candidates) by ``make train`` (``tests/bench/eval_rerank.py --train``) on
SQuAD articles 1-24 and the tuning part of our Reuters development set; its parameters are
the small committed file ``rerank_model.json`` next to this module.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.abbreviations import also_meant
from index.context import Neighbours, leans_on_previous
from index.entities import Entity, merge
from index.qtype import FIGURE_LABELS, asks_cause, expected_types, gives_cause, is_figure

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).with_name("rerank_model.json")

FEATURES = (
    "dense", "lexical", "fused", "report", "dense_gap", "lexical_rank",
    "typed", "type_match", "type_miss", "type_match_dense", "figure_q_no_figure",
    "coverage", "entity_overlap", "context_coverage", "title_coverage", "prev_dense",
    "leans", "leans_prev_dense", "position", "first", "has_figure", "n_entities", "length",
    "idf_coverage", "idf_context", "context_dense", "dense_rank", "answer_near", "n_answers",
    "unit_match", "match_idf_context", "cause_given",
)

_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=16384)
def _stems(text: str) -> frozenset[str]:
    """The 5-letter stems of ``text``'s words and of the forms they stand for ("chief
    executive": also "ceo"; :mod:`index.abbreviations`), cached: one question's features
    ask for the same sentence, title and previous sentence several times."""
    words = [w for w in _WORD.findall(text.lower()) if len(w) > 1]
    return frozenset(w[:5] for w in (*words, *also_meant(words)))


def _coverage(terms: Sequence[str], stems: AbstractSet[str]) -> float:
    return sum(1 for t in terms if t in stems) / len(terms) if terms else 0.0


def _weighted(weights: dict[str, float], stems: AbstractSet[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in stems) / total if total > 0 else 0.0


def pool_idf(terms: Sequence[str], candidate_stems: Sequence[AbstractSet[str]]
             ) -> dict[str, float]:
    """How much each question stem tells the candidates apart: its inverse frequency among
    them (a word in every candidate says nothing, a name in two says a lot)."""
    n = len(candidate_stems)
    return {t: math.log((n + 1) / (0.5 + sum(1 for s in candidate_stems if t in s)))
            for t in dict.fromkeys(terms)}


def _ranks(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """1 / (1 + rank) of each value, best first."""
    order = np.argsort(-values, kind="stable")
    out = np.empty(len(values), dtype=np.float32)
    out[order] = 1.0 / (1.0 + np.arange(len(values), dtype=np.float32))
    return out


def _nearness(text: str, stems: Sequence[str], found: Sequence[Entity]) -> float:
    """How close (in characters, scaled) the nearest answer entity sits to a question word
    in the sentence: 1 when adjacent, towards 0 far away or when none is there."""
    places = [m.start() for m in _WORD.finditer(text) if m.group(0).lower()[:5] in stems]
    if not places or not found:
        return 0.0
    gap = min(min(abs(p - e.start), abs(p - e.end)) for p in places for e in found)
    return 1.0 / (1.0 + gap / 30.0)


@dataclass(frozen=True)
class Candidates:
    """What :func:`features` needs besides the retrieval signals, aligned with them."""

    entities: list[list[Entity]]
    neighbours: Neighbours


_DURATION = re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve|a few|several)\b.*\b(?:seconds?|minutes?|hours?|days?|"
                       r"weeks?|months?|years?)\b", re.I)


def _of_type(e: Entity, labels: frozenset[str]) -> bool:
    """Whether ``e`` can answer a question asking for ``labels``: its label is asked, or it
    is a duration ("12 or 13 minutes", tagged a date) and a quantity is asked."""
    return e.label in labels or (e.label == "date" and "quantity" in labels
                                 and bool(_DURATION.search(e.text)))


def answer_entities(question: str, entities: Sequence[Entity], labels: frozenset[str]
                    ) -> list[Entity]:
    """The entities of the asked type that the question does not already name."""
    q = _stems(question)
    return [e for e in entities if _of_type(e, labels)
            and not (_stems(e.text) and _stems(e.text) <= q)]


def features(question: str, terms: Sequence[str], texts: Sequence[str],
             positions: Sequence[int], dense: npt.NDArray[np.float32],
             lexical: npt.NDArray[np.float32], fused: npt.NDArray[np.float32],
             report_best: npt.NDArray[np.float32], query: npt.NDArray[np.float32],
             extra: Candidates) -> npt.NDArray[np.float32]:
    """One row of :data:`FEATURES` per candidate."""
    labels = expected_types(question)
    typed = float(bool(labels))
    cause = asks_cause(question)
    figure_q = is_figure(labels)
    stems = [t[:5] for t in terms]
    prev_dense = extra.neighbours.previous_vectors @ query
    similarity = extra.neighbours.previous_similarity
    if similarity is None:
        similarity = np.zeros(len(texts), dtype=np.float32)
    has_prev = np.array([bool(p) for p in extra.neighbours.previous], dtype=np.float32)
    # the cosine of the question with the sentence and the one before, taken together
    context_dense = np.where(has_prev > 0, (dense + prev_dense)
                             / np.sqrt(np.maximum(2.0 + 2.0 * similarity, 1e-6)), dense)
    lex_rank = _ranks(lexical)
    lex_rank[lexical <= 0] = 0.0
    dense_rank = _ranks(dense)
    max_dense = float(dense.max(initial=0.0))
    owns = [_stems(text) for text in texts]
    idf = pool_idf(stems, owns)
    q_stems = set(stems)
    rows = np.zeros((len(texts), len(FEATURES)), dtype=np.float32)
    for i, text in enumerate(texts):
        ents = extra.entities[i]
        own = owns[i]
        prev = extra.neighbours.previous[i]
        title = extra.neighbours.titles[i]
        found = answer_entities(question, ents, labels) if labels else []
        match = float(bool(found))
        ent_stems = {s for e in ents for s in _stems(e.text)}
        around = _stems(prev) | _stems(title)
        leans = float(bool(prev) and leans_on_previous(text))
        has_figure = float(any(e.label in FIGURE_LABELS for e in ents))
        idf_context = _weighted(idf, own | around)
        unit = float(any(_stems(e.text) & q_stems for e in found))
        rows[i] = (
            dense[i], lexical[i], fused[i], report_best[i], dense[i] - max_dense, lex_rank[i],
            typed, match, typed * (1.0 - match), match * dense[i],
            float(figure_q and not has_figure),
            _coverage(stems, own), _coverage(stems, ent_stems),
            _coverage([t for t in stems if t not in own], around),
            _coverage(stems, _stems(title)), float(prev_dense[i]),
            leans, leans * float(prev_dense[i]),
            1.0 / (1.0 + positions[i]), float(positions[i] == 0), has_figure,
            math.log1p(len(ents)), math.log1p(len(text.split())),
            _weighted(idf, own), idf_context, float(context_dense[i]), dense_rank[i],
            _nearness(text, stems, found), math.log1p(len(found)), unit, match * idf_context,
            float(cause and gives_cause(text)),
        )
    return rows


def fallback_entities(text: str) -> list[Entity]:
    """For a sentence stored before entities were (its figures only, by pattern)."""
    return merge(text, [])


class Reranker:
    """A linear scorer over standardised :data:`FEATURES`."""

    def __init__(self, weights: npt.NDArray[np.float64], mean: npt.NDArray[np.float64],
                 scale: npt.NDArray[np.float64]) -> None:
        self.weights = weights
        self.mean = mean
        self.scale = scale

    def score(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        z = (rows.astype(np.float64) - self.mean) / self.scale
        out: npt.NDArray[np.float32] = (z @ self.weights).astype(np.float32)
        return out

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Reranker | None:
        """The trained model, or ``None`` when the file is absent or for other features."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("no reranker model at %s; using the fused score", path)
            return None
        if tuple(data.get("features", ())) != FEATURES:
            log.warning("reranker model %s was trained on other features; ignored", path)
            return None
        return cls(np.array(data["weights"], dtype=np.float64),
                   np.array(data["mean"], dtype=np.float64),
                   np.array(data["scale"], dtype=np.float64))

    def save(self, path: Path, command: str, note: str = "") -> None:
        path.write_text(json.dumps({
            "command": command, "note": note, "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
        }, indent=1) + "\n", encoding="utf-8")

