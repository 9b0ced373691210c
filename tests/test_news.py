"""A question asking for the news of a subject ("latest on the strike") quotes the newest
reports first; any other question keeps the reranker's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library

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


def test_a_question_for_a_fact_keeps_the_best_match_first(real_sample_dir: Path,
                                                          real_embedder: Embedder) -> None:
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask("who declared a state of emergency?")
    assert "Tomas Lerch, declared" in answer.quotes[0].text  # 2 Mar, the oldest report
