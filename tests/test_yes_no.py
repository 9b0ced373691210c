"""A yes/no question ("has the railway reopened?") is answered by the sentences about its
subject, and "not found" when its subject is in no report."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library
from index.notfound import yes_no_parts
from index.qtype import expected_types

pytestmark = pytest.mark.model


def test_the_parts_of_a_yes_no_question() -> None:
    assert yes_no_parts("has the railway reopened?") == (["railway"], ["reopened"])
    assert yes_no_parts("are the talks still going on?") == (["talks"], ["going"])
    assert yes_no_parts("did anyone die?") == ([], ["die"])
    assert yes_no_parts("Is the Kessby bridge open") == (["kessby", "bridge"], ["open"])
    assert yes_no_parts("how many people died?") is None
    assert yes_no_parts("is?") is None
    # bad input: punctuation only after the verb, a huge question, markup
    assert yes_no_parts("did ?!?") is None
    assert yes_no_parts("is " + "? " * 20_000 + "open") == ([], ["open"])
    assert yes_no_parts("is <b>the dam</b> open?") == (["dam"], ["open"])


@pytest.mark.parametrize(("question", "quoted"), [
    ("did anyone die?", "died"),
    ("has the railway reopened?", "will stay closed"),
    ("are the talks still going on?", "resumed on Friday"),
    ("did the dam hold?", "held overnight"),
])
def test_a_yes_no_question_quotes_what_settles_it(real_sample_dir: Path,
                                                  real_embedder: Embedder, question: str,
                                                  quoted: str) -> None:
    """Tried as a new user would: "did anyone die?" was answered "Nothing in the reports
    answers that", though three reports give the death toll."""
    answer = Library(real_sample_dir, real_embedder).ask(question)
    assert answer.found
    assert any(quoted in q.text for q in answer.quotes), [q.text for q in answer.quotes]


def test_a_yes_no_question_quotes_the_newest_report_first(real_sample_dir: Path,
                                                          real_embedder: Embedder) -> None:
    """"is the river still rising?" asks how things stand: Thursday's "the Varn river began
    to fall" comes before Tuesday's report of the river breaking its banks."""
    answer = Library(real_sample_dir, real_embedder).ask("is the river still rising?")
    days = [answer.citations[q.citations[0] - 1].date[:10] for q in answer.quotes]
    assert len(days) >= 2 and days == sorted(days, reverse=True)
    assert "began to fall" in answer.quotes[0].text


def test_a_yes_no_question_expects_no_figure_and_quotes_no_other_rise(
        real_sample_dir: Path, real_embedder: Embedder) -> None:
    """Tried as a new user would: "did the river rise?" quoted the dock union's "9% rise"
    over two years beside the river's reports, and put "nine" in bold, as if it asked a
    figure."""
    assert expected_types("did the river rise?") == frozenset()
    assert expected_types("was the deal worth more than 1 bln dlrs?") == frozenset()
    assert expected_types("how much did the river rise?")  # a figure question still
    answer = Library(real_sample_dir, real_embedder).ask("did the river rise?")
    assert answer.found and answer.quotes
    assert all("river" in q.text.lower() for q in answer.quotes), [q.text for q in answer.quotes]
    assert all(q.highlight is None for q in answer.quotes)


@pytest.mark.parametrize("question", [
    "did the pope visit Kessby?", "has the volcano erupted?", "is the airport closed?",
    "did the ferry sink?", "is the river flooding in Lagos?",
])
def test_a_yes_no_question_about_what_no_report_covers_is_not_found(
        real_sample_dir: Path, real_embedder: Embedder, question: str) -> None:
    assert not Library(real_sample_dir, real_embedder).ask(question).found
