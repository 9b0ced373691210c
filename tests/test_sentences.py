"""The sentence splitter on the cases news text throws at it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.sentences import is_stamp, split_paragraph, split_sentences


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. Smith arrived. He left.", ["Mr. Smith arrived.", "He left."]),
    ("Output rose 1.5 mln dlrs in 1986. It fell later.",
     ["Output rose 1.5 mln dlrs in 1986.", "It fell later."]),
    ('"We are safe," he said. Then they left.', ['"We are safe," he said.', "Then they left."]),
    ('Gen. Votel said "no." It ended.', ['Gen. Votel said "no."', "It ended."]),
    ("The U.S. Treasury said so. Prices fell.", ["The U.S. Treasury said so.", "Prices fell."]),
    ("Dr. J. R. Smith agreed. See No. 5 now.", ["Dr. J. R. Smith agreed.", "See No. 5 now."]),
    ("He came at 5 p.m. on Monday. It rained.", ["He came at 5 p.m. on Monday.", "It rained."]),
    # tried as a new user would: "... at 2 p.m. Motorists were told ..." was one sentence
    ("Police shut the road at 2 p.m. Drivers took the coast road.",
     ["Police shut the road at 2 p.m.", "Drivers took the coast road."]),
    ("It opens at 10 a.m. Tuesday, at 9 a.m. GMT and at 8 a.m. 4 March.",
     ["It opens at 10 a.m. Tuesday, at 9 a.m. GMT and at 8 a.m. 4 March."]),
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


def test_a_publication_stamp_is_no_sentence() -> None:
    """Tried as a new user would: a web page's "Published Sunday 5 April 2026" line was
    quoted as the news of "latest on ..." and in the digest."""
    assert split_sentences("Published Sunday 5 April 2026\n\nEleven people have died.") == [
        "Eleven people have died."]
    assert is_stamp("Updated: 14:05 GMT, 6 Apr 2026")
    assert is_stamp("Last updated 5 April 2026 at 10:30 am")
    # ... a sentence that only begins like one is news
    assert not is_stamp("Updated figures were published on Monday showing 40 deaths.")
    assert not is_stamp("Published reports say 40 died on 5 April.")
    assert not is_stamp("Published Sunday")  # no date in it: left as it is


def test_a_letter_naming_a_zone_ends_the_sentence() -> None:
    """Tried as a new user would: "About 85 people live in Zone C. In total, some 725 people
    have now been moved" was one sentence ("C." read as an initial), so "how many people in
    zone a" was answered with Zone C's 85."""
    assert split_paragraph("About 85 people live in Zone C. In total, 725 people were moved.") \
        == ["About 85 people live in Zone C.", "In total, 725 people were moved."]
    assert split_paragraph("Plan B. Officials said it failed.") == ["Plan B.",
                                                                     "Officials said it failed."]
    # initials stay inside a name
    assert split_paragraph("John F. Kennedy spoke. Then J. Smith left.") == [
        "John F. Kennedy spoke.", "Then J. Smith left."]
