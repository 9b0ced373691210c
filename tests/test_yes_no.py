"""A yes/no question ("has the railway reopened?") is answered by the sentences about its
subject, and "not found" when its subject is in no report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library
from index.models import ReportDraft
from index.notfound import state_subject, yes_no_parts
from index.qtype import expected_types
from tests.conftest import samples_and

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


STRIKE_ENDS = ReportDraft(
    title="Port Calder strike ends", date="2026-03-09", source="Coastal Wire",
    url="https://coastalwire.example.com/calder-strike-ends",
    text="Dock workers at Port Calder returned to work on Monday after the Calder Dockworkers "
         "Union accepted a 7% pay rise over two years.\n\nThe queue of container ships "
         "outside the harbour, which had grown to 52, began to shrink, the port authority "
         "said.")


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Library:
    """The samples and a later report that names the strike only in its headline."""
    return samples_and(tmp_path_factory.mktemp("later"), real_embedder, STRIKE_ENDS)


@pytest.mark.parametrize("question", ["is the strike over?", "has the strike ended?",
                                      "are the dock workers back at work?",
                                      "latest on the strike"])
def test_how_things_stand_quotes_the_newest_report(later: Library, question: str) -> None:
    """Tried as a new user would: once "Port Calder strike ends" (9 March) was in, "is the
    strike over?" and "latest on the strike" still quoted only the 5-6 March reports: the
    new one names the strike only in its headline, and "is ... over?" was not taken for a
    question of how things stand."""
    answer = later.ask(question, now=datetime(2026, 3, 10, tzinfo=UTC))
    assert answer.found
    assert answer.citations[0].date[:10] == "2026-03-09", [q.text for q in answer.quotes]


def test_what_a_question_of_how_things_stand_is_about() -> None:
    assert state_subject("is the strike over?") == ["strike"]
    assert state_subject("has the railway reopened?") == ["railway"]
    assert state_subject("is the river still rising?") == ["river"]
    assert state_subject("did the river rise?") is None  # a fact, not a state
    assert state_subject("how many ships are waiting?") is None
    assert state_subject("is over?") == []


def test_a_figure_in_a_clause_on_its_subject_is_read(later: Library) -> None:
    """Tried as a new user would: "how many ships are waiting?" said "As of 6 Mar: 47" after
    "The queue of container ships ..., which had grown to 52, began to shrink" was in."""
    answer = later.ask("how many ships are waiting?", now=datetime(2026, 3, 10, tzinfo=UTC))
    assert answer.highlight == "52" and answer.as_of == "2026-03-09"
    assert [p.number for p in answer.timeline] == [31, 47, 52]
