""""When did the floods begin?" is answered from the first report of them, and a "when"
question never bolds a length of time ("30 days") as its answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from index.entities import Entity
from index.highlight import highlight
from index.library import Library
from index.qtype import began_subject


@pytest.mark.parametrize(("question", "subject"), [
    ("when did the floods begin?", "the floods"),
    ("When did the strike start", "the strike"),
    ("what day did the fighting break out?", "the fighting"),
    ("when did it begin?", None),  # names nothing to look for
    ("when does the new crop year start", None),  # a schedule
    ("when did the volcano last erupt?", None),  # the latest time, not the first
    ("when did the talks resume?", None),
    ("who started the fire?", None),
])
def test_began_subject(question: str, subject: str | None) -> None:
    assert began_subject(question) == subject


@pytest.mark.model
@pytest.mark.parametrize(("question", "day", "span"), [
    ("when did the floods begin?", "2026-03-02", "Monday"),
    ("when did the flooding start?", "2026-03-02", "Monday"),
    ("when did the strike start?", "2026-03-05", "Thursday"),
])
def test_when_something_began_quotes_its_first_report(
        real_sample_dir: Path, real_embedder: Embedder, question: str, day: str,
        span: str) -> None:
    """Tried as a new user would: "when did the floods begin?" quoted Tuesday's displacement
    figure (bold "Tuesday") and Friday's before the 2 March report of the river bursting its
    banks."""
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask(question)
    assert answer.found
    first = answer.citations[answer.quotes[0].citations[0] - 1]
    assert first.date is not None and first.date[:10] == day
    assert answer.highlight == span


def _dates(sentence: str, *texts: str) -> list[Entity]:
    return [Entity("date", sentence.index(t), sentence.index(t) + len(t), t) for t in texts]


def test_a_when_question_does_not_bold_a_length_of_time() -> None:
    """Tried as a new user would: "when was the state of emergency declared?" bolded "30
    days" in "declared a state of emergency for 30 days"."""
    q = "when was the state of emergency declared?"
    s = "The provincial governor, Tomas Lerch, declared a state of emergency for 30 days."
    assert highlight(q, s, _dates(s, "30 days")) is None
    s = "On Monday the governor declared a state of emergency for two weeks."
    assert highlight(q, s, _dates(s, "Monday", "two weeks")) == "Monday"
    # tried as a new user would: "when did the railway close?" bolded "at least two weeks"
    rail = "The railway will stay closed for at least two weeks, the rail operator said."
    assert highlight("when did the railway close?", rail,
                     _dates(rail, "at least two weeks")) is None
    # asked for a length of time, it is the answer
    assert highlight("how long will the state of emergency last?", s,
                     _dates(s, "Monday", "two weeks")) == "two weeks"
    # a day before a time of day, unless the time is asked
    s = "Heavy rain overnight flooded nine villages, officials said on Monday."
    assert highlight("when did the floods begin?", s, _dates(s, "overnight", "Monday")) \
        == "Monday"
    assert highlight("what time did the floods begin?", s,
                     _dates(s, "overnight", "Monday")) == "overnight"


@pytest.mark.parametrize("question", ["", "when did", "when did " + "the floods " * 30_000
                                      + "again begin?", "when did <b>x</b>\x00 begin" * 1000])
def test_bad_input_to_began_subject(question: str) -> None:
    """Empty, huge (no quadratic backtracking), markup: a subject or ``None``, never an
    error; "again" before the verb is not a first beginning."""
    subject = began_subject(question)
    assert subject is None or subject in question


def test_bad_input_to_a_when_highlight() -> None:
    s = "On Monday " + "for 30 days " * 20_000
    assert highlight("when was it declared?", s, _dates(s, "Monday", "30 days")) == "Monday"
    assert highlight("when " * 20_000, "", []) is None

