"""The sentence splitter on the cases news text throws at it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.sentences import split_sentences


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. Smith arrived. He left.", ["Mr. Smith arrived.", "He left."]),
    ("Output rose 1.5 mln dlrs in 1986. It fell later.",
     ["Output rose 1.5 mln dlrs in 1986.", "It fell later."]),
    ('"We are safe," he said. Then they left.', ['"We are safe," he said.', "Then they left."]),
    ('Gen. Votel said "no." It ended.', ['Gen. Votel said "no."', "It ended."]),
    ("The U.S. Treasury said so. Prices fell.", ["The U.S. Treasury said so.", "Prices fell."]),
    ("Dr. J. R. Smith agreed. See No. 5 now.", ["Dr. J. R. Smith agreed.", "See No. 5 now."]),
    ("He came at 5 p.m. on Monday. It rained.", ["He came at 5 p.m. on Monday.", "It rained."]),
    ("BEIRUT (Reuters) - Hundreds fled the town. Aid arrived.",
     ["Hundreds fled the town.", "Aid arrived."]),
    ("NEW YORK, March 3 - Shares rose 2.5 pct. Bonds fell.",
     ["Shares rose 2.5 pct.", "Bonds fell."]),
    ("Is it over? Nobody knows! Wait.", ["Is it over?", "Nobody knows!", "Wait."]),
    ("A heading without a stop\n\nThe body starts here.",
     ["A heading without a stop", "The body starts here."]),
    ("- first item\n- second item", ["first item", "second item"]),
    ("", []),
    ("  ...  \n\n --- ", []),
])
def test_splits(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_run_on_text_is_capped() -> None:
    text = "word, " * 600
    pieces = split_sentences(text)
    assert len(pieces) > 1
    assert all(len(p) <= 1001 for p in pieces)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_every_sentence_is_a_piece_of_the_text(text: str) -> None:
    folded = " ".join(text.split())
    for sentence in split_sentences(text):
        assert sentence == sentence.strip()
        assert sentence in folded or sentence.replace(" ", "") in folded.replace(" ", "")
