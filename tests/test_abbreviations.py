"""A question's abbreviation meets a sentence's words for it, and the other way round."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.abbreviations import also_meant, other_forms
from index.embedder import Embedder
from index.library import Library


def test_forms_of_the_same_thing() -> None:
    assert also_meant(["ceo"]) >= {"chief", "executive"}
    assert "ceo" in also_meant("its chief executive mira santos".split())
    assert "ceo" not in also_meant(["chief"])  # an expansion counts only whole
    assert also_meant(["mln", "dlrs"]) >= {"million", "dollars"}
    assert also_meant(["percent"]) == {"pct"}
    assert also_meant(["harbour"]) == set()
    assert other_forms("break") == {"broke", "broken"}  # a verb's irregular forms
    assert "leader" in other_forms("leads")  # "who leads the union?"
    assert other_forms("won") == other_forms("found") == set()  # also other words
    assert also_meant(["break"]) == set()  # not in the lexical query
    # tried as a new user would: "new cases in the last 24h", "corvalis boss" and "how many
    # got the jab" were "not found"
    assert "24h" in also_meant("119 new cases in the previous 24 hours".split())
    assert "24h" not in also_meant(["24"])
    assert also_meant(["boss"]) == {"chief"} and also_meant(["jab"]) >= {"vaccination"}
    # "who quit as finance minister" quoted the acting minister named after the resignation
    assert also_meant(["quit"]) >= {"resigned"}
    # "who leads the rail safety probe" and "payout per victim family" were "not found": the
    # reports said "inquiry" and "would pay 25,000 ... to the family"
    assert also_meant(["probe"]) >= {"inquiry", "investigation"}
    assert "pay" in other_forms("payout")
    assert also_meant(["evac"]) == {"evacuation"}  # "ppl in evac centres now"


@pytest.mark.model
@pytest.mark.parametrize("question", ["who is the CEO of the port authority?",
                                      "port authority ceo"])
def test_an_abbreviation_in_a_question_finds_its_words(real_sample_dir: Path,
                                                      real_embedder: Embedder,
                                                      question: str) -> None:
    """Tried as a new user would: "who is the CEO of the port authority?" quoted the union
    leader first; the report calls Mira Santos the authority's "chief executive"."""
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask(question)
    assert answer.found and "Mira Santos" in answer.citations[0].sentence
