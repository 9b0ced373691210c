"""Questions that name an outlet: answered from what that outlet reported."""

from __future__ import annotations

import pytest

from index.library import Library
from index.models import ReportDraft
from index.outlets import named_outlets

NAMES = ["Northern Herald", "Marenthal Courier", "Valley Radio", "Calder Business Daily",
         "Coastal Wire"]
IN_TEXT = {"marenthal", "calder", "port", "valley"}  # words the reports' sentences use


def names(question: str) -> tuple[list[str], str]:
    return named_outlets(question, NAMES, lambda w: w in IN_TEXT)


def test_an_outlet_is_named_by_its_name_or_a_word_only_it_has() -> None:
    assert names("what did the Herald report on Thursday?") == (
        ["Northern Herald"], "what did the on Thursday?")
    assert names("how many displaced according to Valley Radio?") == (
        ["Valley Radio"], "how many displaced ?")
    assert names("what does the Courier say about the railway") == (
        ["Marenthal Courier"], "news about the railway")
    assert names("Calder Business Daily on the strike")[0] == ["Calder Business Daily"]
    # words the reports use name a subject, not an outlet
    assert names("how many ships are waiting outside Port Calder?") == (
        [], "how many ships are waiting outside Port Calder?")
    assert names("floods in the Varn valley") == ([], "floods in the Varn valley")
    # names with markup and regex characters, blank names, a question of 100,000 words
    odd = ["C++ Weekly (Beta)", "[Wire] *Live*", "", "   ", "?"]
    assert named_outlets("what did C++ Weekly Beta report?", odd, lambda w: False)[0] == [
        "C++ Weekly (Beta)"]
    assert named_outlets("how much vitamin c is in a lemon?", odd, lambda w: False)[0] == []
    assert named_outlets("what does *Live* say (twice)?", odd, lambda w: False)[0] == [
        "[Wire] *Live*"]
    huge = "strike " * 100_000 + "according to Valley Radio?"
    found, rest = named_outlets(huge, NAMES, lambda w: w in IN_TEXT)
    assert found == ["Valley Radio"] and rest.count("strike") == 100_000
    # an outlet named only by generic words ("News", a feed's title) is never matched
    assert named_outlets("any news on the floods?", ["News", "The Times"],
                         lambda w: False) == ([], "any news on the floods?")


pytestmark = pytest.mark.backends  # the library tests below run on both backends


def test_what_an_outlet_reported(sample_library: Library) -> None:
    """Tried as a new user would: "what did the Herald report?" was "Nothing in the reports
    answers that", though the answers cite the Northern Herald."""
    answer = sample_library.ask("what did the Herald report?")
    assert answer.found and {c.source for c in answer.citations} == {"Northern Herald"}
    dates = [c.date for c in answer.citations]
    assert dates == sorted(dates, reverse=True)


def test_a_question_about_one_outlets_figure(sample_library: Library) -> None:
    answer = sample_library.ask("how many people were displaced according to Valley Radio?")
    assert answer.found and answer.citations[0].source == "Valley Radio"
    assert {c.source for c in answer.citations} == {"Valley Radio"}
    answer = sample_library.ask("what does the Courier say about the railway?")
    assert answer.found and {c.source for c in answer.citations} == {"Marenthal Courier"}
    assert "railway" in answer.quotes[0].text


def test_an_outlet_its_own_reports_name_is_still_the_outlet(library: Library) -> None:
    """Tried as a new user would: "what does the tribune say about containment" was "not
    found": the Tribune's own reports say "told the Tribune", so "tribune" was taken for a
    word of the news rather than the outlet."""
    library.ingest([
        ReportDraft(title="Ridge fire 40 percent contained", date="2026-05-07",
                    source="Coast Tribune", report_id="t1",
                    text="Crews raised containment of the ridge fire to 40 percent. \"We are "
                         "winning,\" the fire chief told the Tribune."),
        ReportDraft(title="Ridge fire containment at 55 percent", date="2026-05-08",
                    source="Hill Radio", report_id="h1",
                    text="Containment of the ridge fire reached 55 percent on Friday.\n\n"
                         "Containment of the fire had been 40 percent a day earlier.")])
    answer = library.ask("what does the tribune say about containment")
    assert answer.found and {c.source for c in answer.citations} == {"Coast Tribune"}
    assert "40 percent" in answer.quotes[0].text


def test_an_outlets_reports_are_listed_however_many_others_are_newer(library: Library) -> None:
    """The store filters by outlet itself: the Herald's one report is found behind 30 newer
    ones of another outlet, and so is a report another outlet also ran."""
    library.ingest([ReportDraft(title="Dam holds", text="The Kessby dam held overnight.",
                                date="2026-03-01", source="Northern Herald")])
    library.ingest([ReportDraft(title=f"Tide {i}", text=f"The tide rose {i} cm at Linmouth.",
                                date=f"2026-03-{i + 2:02d}", source="Coastal Wire")
                    for i in range(1, 29)])
    library.ingest([ReportDraft(title="Dam holds", text="The Kessby dam held overnight.",
                                date="2026-03-01", source="Valley Radio")])  # a copy
    assert library.stats().reports == 29  # the copy is recorded as a further outlet
    for outlet in ("Northern Herald", "Valley Radio"):
        [report] = library.store.list_reports(limit=3, outlets=[outlet])
        assert report.title == "Dam holds"
    answer = library.ask("what did the Herald report?")
    assert answer.found and [c.source for c in answer.citations][:1] == ["Northern Herald"]
