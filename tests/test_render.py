"""Rendering to Telegram HTML: escaping and splitting keep every message within Telegram's
limits and lose no text (property tests), and answers split between whole citations."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli.ask import answer_json
from bot.cli.terminal import render_answer_terminal
from bot.notes import answer_notes
from bot.telegram.render import (
    MAX_ENTITIES,
    MAX_UTF16,
    entity_count,
    escape,
    plain,
    render_answer,
    split_items,
    split_plain,
    utf16_len,
)
from index.models import Answer, Citation, Quote, TimelinePoint, span_at

# Text with the characters that make escaping and counting hard: markup, entities,
# astral-plane emoji (two UTF-16 units), combining marks, newlines.
tricky = st.lists(st.sampled_from([*"ab <>&\"'\n/;#x", "😀", "é", "\u0301", "𝔸", "&amp;"]),
                  max_size=300).map("".join)
any_text = st.one_of(tricky, st.text(max_size=300))


@given(any_text)
def test_escape_round_trips_and_leaves_no_markup(text: str) -> None:
    escaped = escape(text)
    assert html.unescape(escaped) == text
    assert "<" not in escaped and ">" not in escaped
    assert re.fullmatch(r"(?:[^&]|&(?:lt|gt|amp);)*", escaped, flags=re.S)


@settings(max_examples=150)
@given(any_text, st.integers(min_value=8, max_value=400))
def test_split_plain_keeps_limits_and_loses_nothing(text: str, limit: int) -> None:
    messages = split_plain(text, limit)
    assert all(0 < utf16_len(m) <= limit for m in messages)
    assert "".join(plain(m) for m in messages) == text


def test_split_plain_at_telegram_size_and_on_a_huge_input() -> None:
    text = ("<b>" + "😀 & word " * 2000 + "\n") * 3
    messages = split_plain(text)
    assert len(messages) > 1 and all(utf16_len(m) <= MAX_UTF16 for m in messages)
    assert "".join(plain(m) for m in messages) == text


items_strategy = st.lists(
    st.builds(lambda t, bold: f"<b>{escape(t)}</b>" if bold else escape(t), any_text,
              st.booleans()),
    max_size=60)


@settings(max_examples=150)
@given(items_strategy, st.integers(min_value=20, max_value=600))
def test_split_items_keeps_limits_and_order(items: list[str], limit: int) -> None:
    messages = split_items(items, limit=limit, max_entities=5)
    assert all(utf16_len(m) <= limit and entity_count(m) <= 5 for m in messages)
    # Nothing is lost: the plain text of all messages holds every item's text, in order.
    joined = "".join(plain(m) for m in messages).replace("\n", "")
    assert joined == "".join(plain(i) for i in items).replace("\n", "")
    # Never inside a tag: every message's tags are balanced.
    for m in messages:
        assert m.count("<b>") == m.count("</b>")


def _answer(n_citations: int, sentence: str = "A sentence with 12 figures & <odd> marks.",
            ) -> Answer:
    citations = tuple(Citation(n=i, sentence=sentence, report_id=f"r{i}",
                               title=f"Report {i} " + "title words " * 15,
                               date="2026-03-05", source="Outlet & Co",
                               url=f"https://news.example.org/{i}?a=1&b=2", score=1.0)
                      for i in range(1, n_citations + 1))
    quotes = (Quote(sentence, tuple(range(1, n_citations + 1)), "12 figures"),)
    return Answer("q", True, quotes, citations, "12 figures")


def test_long_answer_splits_between_whole_citations() -> None:
    messages = render_answer(_answer(150))  # 150 links: over 100 entities and 4096 units
    assert len(messages) >= 2
    for m in messages:
        assert utf16_len(m) <= MAX_UTF16 and entity_count(m) <= MAX_ENTITIES
        assert m.count("<a ") == m.count("</a>")
        assert all(line == "" or re.match(r"^(“|\[\d+\] )", line) for line in m.splitlines())
    cited = [int(n) for m in messages for n in re.findall(r"^\[(\d+)\] ", m, flags=re.M)]
    assert cited == list(range(1, 151))


def test_answer_marks_the_figure_and_escapes_everything() -> None:
    [message] = render_answer(_answer(1))
    assert message.startswith("“A sentence with <b>12 figures</b> &amp; &lt;odd&gt; marks.” [1]")
    assert '<a href="https://news.example.org/1?a=1&amp;b=2">' in message
    assert "Outlet &amp; Co" in message


def test_a_figure_of_one_date_has_no_development_line() -> None:
    """Tried as a new user would: "how long will the railway stay closed?" ended with "As
    of 5 Mar. How it developed: at least two (5 Mar, Northern Herald)": one report's figure
    restated, cut from its unit. A development needs two dates."""
    def point(day: str, value: str) -> TimelinePoint:
        number = 1.0 if value == "one" else 2.0
        return TimelinePoint(day, value, number, "r1", "Herald", f"Closed for {value} weeks.")

    one = replace(_answer(1), timeline=(point("2026-03-05", "at least two"),))
    two = replace(one, timeline=(point("2026-03-04", "one"), *one.timeline))
    for render in (lambda a: "\n".join(render_answer(a)),
                   lambda a: render_answer_terminal(a, color=False)):
        assert "How it developed" not in render(one)
        assert "one (4 Mar, Herald) → at least two (5 Mar, Herald)" in render(two)


def test_an_unchanged_figure_is_no_development() -> None:
    """Tried as a new user would: "how many shelters?" ended with "How it developed: 14 (3 Mar,
    Marenthal Courier, Northern Herald) → 14 (6 Mar, Valley Radio)": no change at all."""
    def point(day: str, value: str, number: float, source: str) -> TimelinePoint:
        return TimelinePoint(day, value, number, "r1", source, f"{value} shelters.")

    flat = replace(_answer(1), timeline=(point("2026-03-03", "14", 14, "Courier"),
                                         point("2026-03-06", "Fourteen", 14, "Radio")))
    assert not flat.developed
    assert flat.development == "14 (3 Mar–6 Mar, Courier, Radio)"
    rose = replace(flat, timeline=(*flat.timeline, point("2026-03-07", "16", 16, "Herald")))
    assert rose.developed
    assert rose.development == "14 (3 Mar–6 Mar, Courier, Radio) → 16 (7 Mar, Herald)"
    back = replace(rose, timeline=(*rose.timeline, point("2026-03-08", "14", 14, "Radio")))
    assert back.development.endswith("→ 16 (7 Mar, Herald) → 14 (8 Mar, Radio)")
    for render in (lambda a: "\n".join(render_answer(a)),
                   lambda a: render_answer_terminal(a, color=False)):
        assert "How it developed" not in render(flat)
        assert "How it developed" in render(rose)


def test_a_question_read_with_its_typos_fixed_says_so() -> None:
    read = replace(_answer(1), read_as="who is the <governor>")
    assert render_answer(read)[0].startswith("<i>Read as: who is the &lt;governor&gt;</i>")
    assert render_answer_terminal(read, color=False).startswith(
        "(Read as: who is the <governor>)\n“A sentence")
    missed = Answer("who is the govenor", False, read_as="who is the governor")
    assert "Read as: who is the governor" in render_answer(missed)[0]
    assert render_answer_terminal(missed, color=False).splitlines() == [
        "(Read as: who is the governor)", "Nothing in the reports answers that."]
    assert "Read as" not in render_answer(_answer(1))[0]
    assert answer_json(read)["read_as"] == "who is the <governor>"


def test_nothing_in_the_days_asked_says_which_days_the_reports_cover() -> None:
    def note(window: tuple[str | None, str | None], held: tuple[str, str] | None) -> str:
        missed = Answer("q", False, empty_window=window, held=held)
        notes = answer_notes(missed)
        assert len(notes) == 1
        assert render_answer_terminal(missed, color=False).splitlines()[0] == f"({notes[0]})"
        assert render_answer(missed)[0].startswith(f"<i>{html.escape(notes[0])}</i>\n")
        return notes[0]

    held = ("2026-03-02", "2026-03-06")
    assert note(("2026-12-02", "2026-12-03"), held) == (
        "No report is dated Wed 2 Dec 2026; the reports run from Mon 2 Mar 2026 to Fri 6 Mar "
        "2026.")
    assert note(("2026-11-30", "2026-12-07"), held).startswith(
        "No report is dated from Mon 30 Nov 2026 to Sun 6 Dec 2026;")
    assert note(("2026-03-10", None), held).startswith("No report is dated on or after Tue 10")
    as_json = answer_json(Answer("q", False, empty_window=("2026-03-10", None), held=held))
    assert as_json["empty_window"] == ["2026-03-10", None]
    # tried as a new user would: the JSON carried the days but not the line the text shows,
    # and said "No report I have answers that." where the text said other words
    assert as_json["notes"] == [note(("2026-03-10", None), held)]
    assert as_json["answer"] == render_answer_terminal(Answer("q", False), color=False)
    assert note((None, "2026-03-01"), None) == (
        "No report is dated before Sun 1 Mar 2026; there are no reports yet.")


def test_not_found_is_said_plainly() -> None:
    [message] = render_answer(Answer("q", False))
    assert message.startswith("Nothing in the reports")


def test_days_are_the_readers_not_utc() -> None:
    late = Citation(1, "Crews reached the dam.", "r1", "Dam update", "2026-03-03T04:30:00+00:00",
                    "Courier", None, 1.0)
    day_only = Citation(2, "Roads shut.", "r2", "Roads", "2026-03-02", "Herald", None, 1.0)
    answer = Answer("q", True, quotes=(Quote(late.sentence, (1,), None),),
                    citations=(late, day_only))
    [new_york] = render_answer(answer, "America/New_York")   # 23:30 on 2 March there
    [tokyo] = render_answer(answer, "Asia/Tokyo")              # 13:30 on 3 March there
    assert "Dam update — 2026-03-02, Courier" in new_york
    assert "Dam update — 2026-03-03, Courier" in tokyo
    assert "Roads — 2026-03-02, Herald" in new_york and "Roads — 2026-03-02, Herald" in tokyo


def test_digest_citations_show_the_subscribers_day() -> None:
    from bot.telegram.digests import render_event
    from index.digest import DigestEvent, DigestSentence

    head = DigestSentence("Dam holds", "r1", "Dam holds", "2026-03-03T04:30:00+00:00",
                          "Courier", None)
    event = DigestEvent(head, (), ("r1",))
    assert "(Courier, 2026-03-02)" in render_event(1, event, "America/New_York")
    assert "(Courier, 2026-03-03)" in render_event(1, event, "Europe/Berlin")



def test_the_bold_span_is_the_whole_figure_not_its_tail_in_another() -> None:
    """"2 billion dollar" was bolded inside the "1.2 billion dollars" before it
    ("1.*2 billion dollar*s of the central bank's 2 billion dollar emergency loan")."""
    bank = "The bank has drawn 1.2 billion dollars of the central bank's"
    sentence = f"{bank} 2 billion dollar loan."
    c = Citation(1, sentence, "r1", "Loan drawn", "2029-10-04", None, None, 1.0)
    answer = Answer("how big was the loan?", True, citations=(c,), highlight="2 billion dollar",
                    quotes=(Quote(sentence, (1,), "2 billion dollar"),))
    assert f"{bank} *2 billion dollar* loan." in render_answer_terminal(answer, color=False)
    assert f"{escape(bank)} <b>2 billion dollar</b> loan." in render_answer(answer)[0]
    # a span found only inside a word is bolded where it stands; one found nowhere, not at all
    assert Quote("Shares of Kestrun's bank", (1,), "Kestrun").highlight_at == 10
    assert Quote("1.2 billion", (1,), "2 billion").highlight_at == 2
    assert Quote("no such figure", (1,), "12").highlight_at == -1


@pytest.mark.parametrize(("text", "span", "at"), [
    ("", "12", -1), ("12", "", -1), ("a", "a longer span", -1),
    ("ends with 2 billion", "2 billion", 10), ("1,200 and 200", "200", 10),
    ("Zoë Ünal said", "Ünal", 4), ("x" * 10_000 + " 7 y", "7", 10_001),
])
def test_the_bold_span_on_bad_inputs(text: str, span: str, at: int) -> None:
    assert span_at(text, span) == at
