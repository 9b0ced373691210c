"""A question asking for the news of a subject ("latest on the strike") quotes the newest
reports first; any other question keeps the reranker's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import newest_first
from index.embedder import Embedder
from index.library import Library
from index.models import Sentence
from index.retrieve import Candidate

pytestmark = pytest.mark.model


@pytest.mark.parametrize("question", ["latest on the strike", "what happened in Kessby?",
                                      "any news on the floods?",
                                      "give me a summary of the strike",  # were not found
                                      "brief me on Kessby", "summarize the floods"])
def test_news_of_a_subject_comes_newest_first(real_sample_dir: Path, real_embedder: Embedder,
                                              question: str) -> None:
    """Tried as a new user would: "latest on the strike" led with Thursday's walk-out, though
    Friday's report on the resumed talks was in the library."""
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask(question)
    assert answer.found and len(answer.quotes) >= 2
    days = [answer.citations[q.citations[0] - 1].date[:10] for q in answer.quotes]
    assert days == sorted(days, reverse=True)
    assert days[0] == answer.as_of


def test_news_sentences_about_the_subject_come_before_others() -> None:
    """Tried as a new user would (int8 model): "what happened to the dam?" quoted Thursday's
    death toll, which names no dam, before Tuesday's "Army engineers began building a
    temporary dam"."""
    def cand(sid: int, report: str, text: str) -> Candidate:
        return Candidate(Sentence(sid, report, 0, text), 0.5, 0.5, 0.5)

    held = cand(1, "thu", "The temporary dam north of Kessby held overnight.")
    toll = cand(2, "thu", "The death toll has risen to 11.")
    built = cand(3, "tue", "Army engineers began building a temporary dam.")
    days = {"thu": "2026-03-05", "tue": "2026-03-03"}
    assert newest_first([held, toll, built], days, ["dam"]) == [held, built, toll]
    assert newest_first([built, toll, held], days, []) == [toll, held, built]


def test_a_question_for_a_fact_keeps_the_best_match_first(real_sample_dir: Path,
                                                          real_embedder: Embedder) -> None:
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask("who declared a state of emergency?")
    assert "Tomas Lerch, declared" in answer.quotes[0].text  # 2 Mar, the oldest report
