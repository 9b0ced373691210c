"""Who a sentence says gives its figure (:mod:`index.attribution`)."""

from __future__ import annotations

import pytest

from index.attribution import asked_claimant, claimant, names_claimant


@pytest.mark.parametrize(("sentence", "who"), [
    ("Relief groups working in Marenthal province said on Friday that some 23,000 people "
     "have been displaced by the Varn floods.", "relief groups"),
    ("The provincial emergency office said it stood by its count of 18,500 displaced "
     "people.", "provincial emergency office"),
    ("The number of people displaced by the Varn floods has risen to about 12,000, the "
     "provincial emergency office said on Tuesday.", "provincial emergency office"),
    ("Around 4,000 people have left their homes, according to the provincial emergency "
     "office.", "provincial emergency office"),
    ("The office now puts the number of displaced people at 18,500.", "office"),
    ("At least 30 homes were damaged in Orrin, officials said.", "officials"),
    ("The UNHCR estimated that 40,000 people had fled.", "UNHCR"),
    ("Statistics Canada said output rose 0.2 pct.", "Statistics Canada"),
    ("Union leader Joao Pereira said the 1,200 striking workers would not return.",
     "union leader Joao Pereira"),
    ("Reuters reported 40 dead in the blast.", "Reuters"),  # a name keeps its capital
    ("Analysts put the shortfall at 2 bln dlrs.", "analysts"),
])
def test_the_claimant_of_a_figure(sentence: str, who: str) -> None:
    assert claimant(sentence) == who


@pytest.mark.parametrize("sentence", [
    "The death toll has risen to 11 after two bodies were recovered near Dorvik.",
    "He said 300 people were evacuated.",  # a pronoun names no one
    "Rescue crews evacuated 320 patients from the hospital.",
    "The 12,000 people who said they had left were counted twice.",
    "",
])
def test_no_claimant(sentence: str) -> None:
    assert claimant(sentence) is None


def test_whom_a_question_asks_the_figure_of() -> None:
    assert asked_claimant("how many cases according to Red Lantern?") == {"red", "lante"}
    assert asked_claimant("ACCORDING TO THE CLINIC, how many sick") == {"clini"}
    assert names_claimant({"red", "lante"}, "The charity Red Lantern said 95 people ...")
    assert not names_claimant({"red", "lante"}, "Red Cross volunteers said 95 people ...")
    # bad inputs: nothing named, markup and figures only, a question of 100,000 words
    for asked in ("how many cases?", "according to", "according to ?", "according to the",
                  "according to 123, how many", "", "according to \x00\ufffd"):
        assert asked_claimant(asked) == set(), asked
    assert not names_claimant(set(), "anything at all")
    huge = "cases " * 100_000 + "according to Red Lantern"
    assert asked_claimant(huge) == {"red", "lante"}
