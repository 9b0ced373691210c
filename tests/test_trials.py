"""New users' trials, kept as tests: ten invented reports each (``fixtures/velmora``: a ferry
capsizing and a currency crisis; ``fixtures/brackenford``: a wildfire and a takeover fight;
five days, three outlets, written for this project by helpers trying the product as new
users would; every name, place and figure is made up) and the questions that went wrong on
them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from index.embedder import Embedder
from index.library import Library
from index.loaders import load_inputs
from index.models import Answer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2027, 11, 12)  # after the Velmora reports
BRACKENFORD_NOW = datetime(2027, 5, 9)


def _trial(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, name: str
           ) -> Iterator[Library]:
    with Library(tmp_path_factory.mktemp(name), embedder) as lib:
        lib.ingest(load_inputs([str(FIXTURES / name)]))
        yield lib


@pytest.fixture(scope="module")
def velmora(tmp_path_factory: pytest.TempPathFactory, int8_embedder: Embedder
            ) -> Iterator[Library]:
    yield from _trial(tmp_path_factory, int8_embedder, "velmora")


@pytest.fixture(scope="module")
def brackenford(tmp_path_factory: pytest.TempPathFactory, int8_embedder: Embedder
                ) -> Iterator[Library]:
    yield from _trial(tmp_path_factory, int8_embedder, "brackenford")


def ask(lib: Library, question: str) -> Answer:
    return lib.ask(question, now=NOW)


def test_rates_prices_and_the_currency_develop(velmora: Library) -> None:
    """"what's the exchange rate", "inflation rate" had no development and led with another
    sentence or the older figure; "what's the interest rate now?" bolded the old rate."""
    rate = ask(velmora, "what's the exchange rate")
    assert rate.highlight == "43.8" and [p.value for p in rate.timeline][-1] == "43.8"
    assert len(rate.timeline) >= 4
    inflation = ask(velmora, "inflation rate")
    assert inflation.highlight == "26.1 percent"
    assert [p.value for p in inflation.timeline] == ["23.4 percent", "26.1 percent"]
    assert ask(velmora, "what's the interest rate now?").highlight == "18 percent"


def test_the_rescued_by_any_words_and_each_quote_bolds_its_own(velmora: Library) -> None:
    """"how many were pulled out alive?" gave one report's figure with no development; "how
    many rescued according to the coastguard?" bolded the missing's 25 in "It said 174 people
    had been rescued and 25 were still missing"."""
    alive = ask(velmora, "how many were pulled out alive?")
    assert [p.value for p in alive.timeline] == ["143", "171", "174", "168"]
    coastguard = ask(velmora, "how many rescued according to the coastguard?")
    assert "25" not in {q.highlight for q in coastguard.quotes}
    assert any(q.highlight == "174" for q in coastguard.quotes if q.text.startswith("It said"))


def test_a_length_is_no_count_and_an_age_no_answer_to_how_many(velmora: Library) -> None:
    """"how long will the inquiry take" led with the death toll and its development; "how
    many survivors per the tribune?" bolded "9-year-old"."""
    inquiry = ask(velmora, "how long will the inquiry take")
    assert inquiry.timeline == () and inquiry.highlight == "six months"
    survivors = ask(velmora, "how many survivors per the tribune?")
    assert "9-year-old" not in {q.highlight for q in survivors.quotes}


def test_the_first_count_of_the_dead_and_sums_shown_once(velmora: Library) -> None:
    """"what was the first count of dead?" quoted the operator's later 30: "six bodies had
    been recovered" was read as six recoveries; the digest's change of reserves read
    "$6.8 billion → $5.9 billion dlrs"."""
    from index.digest import compose_digest

    first = ask(velmora, "what was the first count of dead?")
    assert first.highlight == "six"
    digest = compose_digest(velmora, "2027-11-09", "2027-11-10", previous_since="2027-11-07")
    moved = [str(m) for e in digest.events for m in e.moved_figures]
    assert not any("dlrs" in m for m in moved if "$" in m)


def test_context_is_quoted_when_it_tells_who(velmora: Library) -> None:
    """"fx reserves?" was "not found" ("fx" in no report), then quoted "The central bank's
    foreign exchange reserves stood at ..." with "(context: Fuel and bread have led the
    increase.)", which tells nothing of whose reserves they are; "It said 174 people had been
    rescued" keeps the sentence naming the coastguard."""
    reserves = ask(velmora, "fx reserves?")
    quoted = [q for q in reserves.quotes if "foreign exchange reserves stood" in q.text]
    assert quoted and quoted[0].context is None
    rescued = ask(velmora, "how many rescued according to the coastguard?")
    it_said = [q for q in rescued.quotes if q.text.startswith("It said")]
    assert it_said and it_said[0].context is not None and "coastguard" in it_said[0].context


def test_containment_keeps_to_its_own_figures(brackenford: Library) -> None:
    """"has containment improved?" quoted the takeover's "improved offer of $43.50" beside
    the fire's containment figures."""
    answer = brackenford.ask("has containment improved?", now=BRACKENFORD_NOW)
    assert answer.found and [p.value for p in answer.timeline][-1] == "65 percent"
    assert not any("$" in q.text for q in answer.quotes)


def test_an_offer_is_the_bidders_own(brackenford: Library) -> None:
    """"how much did orrin offer" led with Corvane's $43.50 among both bidders' offers."""
    orrin = brackenford.ask("how much did orrin offer", now=BRACKENFORD_NOW)
    assert "$43.50" not in {p.value for p in orrin.timeline}
    assert orrin.highlight == "$42"
