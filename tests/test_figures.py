"""Key spans: the number, date, name or place a question asks for."""

from __future__ import annotations

import sqlite3

import pytest

from index import entities as entity_table
from index.dates import parse_date
from index.entities import Entity, merge
from index.figures import QUANTITY, find_quantities, key_span, parse_number, question_kind


@pytest.mark.parametrize(("question", "kind"), [
    ("how many foreign fighters captured?", "quantity"),
    ("How much aid was pledged", "quantity"),
    ("What was the death toll?", "quantity"),
    ("When did the dam break?", "date"),
    ("who is the mayor of Dorvik", "person"),
    ("where were the patients taken?", "place"),
    ("tell me about the floods", None),
])
def test_question_kind(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


def test_key_span_picks_the_counted_figure() -> None:
    s = ("A regional official said the militia had captured around 800 foreign insurgents "
         "since 2017.")
    assert key_span("how many foreign fighters captured?", s) == "around 800"


def test_key_span_prefers_the_number_near_all_question_words() -> None:
    s = "The office said about 12,000 people had been displaced and that nine people had died."
    assert key_span("how many people died?", s) == "nine"
    assert key_span("how many people displaced?", s) == "about 12,000"


def test_key_span_skips_numbers_from_the_question() -> None:
    s = "In 2019 the river flooded 14 villages."
    assert key_span("how many villages flooded in 2019?", s) == "14"


def test_key_span_dates_and_names() -> None:
    assert key_span("when did the strike start?",
                    "Workers went on strike on Thursday after talks failed.") == "on Thursday"
    assert key_span("who is the mayor?", "The mayor, Ilse Brandt, spoke.") == "Ilse Brandt"


def test_no_span_when_none_of_that_kind() -> None:
    assert key_span("how many ships?", "Ships waited outside the harbour.") is None


@pytest.mark.parametrize(("text", "value"), [
    ("about 12,000", 12000), ("2.5 mln", 2_500_000), ("Thirty-one", 31), ("9%", 9),
    ("some 23,000", 23000), ("eleven", 11), ("$4.5 billion", 4.5e9),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_quantities_carry_their_noun() -> None:
    qs = find_quantities("Thirty-one container ships waited and about 12,000 people fled.")
    assert [(q.value, q.unit) for q in qs] == [(31, "ships"), (12000, "people")]


@pytest.mark.parametrize(("text", "iso"), [
    ("Saturday, 23 Feb, 2019", "2019-02-23"), ("23 February 2019", "2019-02-23"),
    ("Feb 23, 2019", "2019-02-23"), ("2019-02-23", "2019-02-23"),
    ("2019-02-23T10:30:00Z", "2019-02-23T10:30:00+00:00"),
    ("Sat, 23 Feb 2019 10:30:00 GMT", "2019-02-23T10:30:00+00:00"),
    ("31 Feb 2019", None), ("Hello there", None), ("", None),
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_a_number_word_inside_a_longer_word_is_no_figure() -> None:
    """Tried as a new user would: "how many tents arrived" bolded "*ten*ts"."""
    text = "A convoy carrying 900 tents, ten trucks and tens of thousands of tenders arrived."
    assert [m.group(0) for m in QUANTITY.finditer(text)] == ["900", "ten", "tens of thousands"]
    assert [e.text for e in merge(text, [])] == ["900", "ten", "tens of thousands"]
    # what an older pattern stored is not shown either
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE sentences(id INTEGER PRIMARY KEY)")
    entity_table.ensure_schema(db)
    stored = [Entity("quantity", 18, 21, "900"), Entity("quantity", 22, 25, "ten"),
              Entity("quantity", 29, 32, "ten")]
    entity_table.put(db, [1], [stored])  # type: ignore[arg-type]
    assert entity_table.load(db, {1: text}) == {1: [stored[0], stored[2]]}  # type: ignore[arg-type]
