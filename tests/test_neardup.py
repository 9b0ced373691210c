"""Near-duplicate detection: MinHash estimates, syndicated copies merged as further sources,
same-outlet rewrites and different stories kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.library import Library
from index.models import ReportDraft
from index.neardup import RunIndex, estimate, same_report, shingles, signature
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.backends  # the library tests here run on both backends

STORY = (
    "Rescue teams in Dorvik evacuated about 2,300 residents from the lower town on Tuesday "
    "after the river Mar burst its banks for the second time this month. The regional "
    "governor, Ilse Brandt, said three schools had been turned into shelters and that army "
    "engineers were reinforcing the levee near the old rail bridge. Forecasters expect the "
    "water to peak on Thursday morning. Power was cut to some 4,000 homes as a precaution, "
    "and the main road to Vessin remains closed to all traffic until further notice.")
COPY = (
    "By Marta Quist. Rescue teams in Dorvik evacuated about 2,300 residents from the lower "
    "town on Tuesday after the river Mar burst its banks for the second time this month. The "
    "regional governor, Ilse Brandt, said three schools had been converted into shelters and "
    "that army engineers were reinforcing the levee near the old rail bridge. Power was cut to "
    "some 4,000 homes as a precaution, and the main road to Vessin remains closed to all "
    "traffic until further notice.")
OTHER = (
    "Dock workers at Port Calder walked out on Monday in a dispute over night-shift pay, "
    "leaving 14 container ships waiting at anchor outside the harbour. The union said the "
    "strike would last until the port authority reopened talks, while the authority said it "
    "had offered a 4 percent rise and would not negotiate under pressure from a stoppage.")


def test_signature_estimates_jaccard() -> None:
    a, b, c = shingles(STORY), shingles(COPY), shingles(OTHER)
    assert estimate(signature(a), signature(b)) > 0.5
    assert estimate(signature(a), signature(c)) < 0.1
    assert same_report(STORY, COPY) and not same_report(STORY, OTHER)


def test_run_index_finds_earlier_copies() -> None:
    run = RunIndex()
    run.add("story", "Flood", STORY, "Dorvik Herald")
    run.add("other", "Strike", OTHER, "Calder Gazette")
    found = run.find("Flood copy", COPY)
    assert [k for k, _, _ in found] == ["story"]


def test_copy_from_another_outlet_becomes_a_further_source(library: Library) -> None:
    first = library.ingest([ReportDraft("Dorvik evacuates lower town", STORY, "2026-03-03",
                                        "Dorvik Herald", "https://herald.test/flood")])
    second = library.ingest([ReportDraft("Thousands leave Dorvik as river rises", COPY,
                                         "2026-03-03", "Nordic Wire", "https://wire.test/1")])
    assert second.merged == first.added and not second.added
    (report,) = library.reports()
    assert [(a.source, a.url) for a in report.also_reported_by] == [
        ("Nordic Wire", "https://wire.test/1")]
    answer = library.ask("how many residents were evacuated from Dorvik?")
    assert {(c.source, c.url) for c in answer.citations} >= {
        ("Dorvik Herald", "https://herald.test/flood"), ("Nordic Wire", "https://wire.test/1")}


def test_copies_in_one_run_are_merged_too(library: Library) -> None:
    result = library.ingest([
        ReportDraft("Dorvik evacuates", STORY, source="Dorvik Herald", url="https://h.test/1"),
        ReportDraft("Dorvik flood", COPY, source="Nordic Wire", url="https://w.test/1"),
        ReportDraft("Strike", OTHER, source="Calder Gazette", url="https://g.test/1")])
    assert len(result.added) == 2 and len(result.merged) == 1
    merged = next(r for r in library.reports() if r.id == result.merged[0])
    assert [a.source for a in merged.also_reported_by] == ["Nordic Wire"]


def test_same_outlet_rewrite_and_other_stories_stay_separate(library: Library) -> None:
    library.ingest([ReportDraft("Dorvik evacuates", STORY, source="Dorvik Herald")])
    result = library.ingest([ReportDraft("Dorvik update", COPY, source="dorvik herald"),
                             ReportDraft("Strike", OTHER, source="Nordic Wire")])
    assert len(result.added) == 2 and not result.merged


@pytest.mark.parametrize("damage", ["no signatures", "another scheme"])
def test_reports_stored_before_get_signatures(tmp_path: Path, fake_embedder: FakeEmbedder,
                                              damage: str) -> None:
    data = tmp_path / "d"
    with Library(data, fake_embedder) as lib:
        lib.ingest([ReportDraft("Dorvik evacuates", STORY, source="Dorvik Herald")])
        with lib.store.transaction() as conn:
            if damage == "no signatures":
                conn.execute("DELETE FROM neardup_sigs")
                conn.execute("DELETE FROM neardup_bands")
            else:  # band keys of an older scheme never match today's
                conn.execute("UPDATE neardup_bands SET key = key + 1")
                conn.execute("UPDATE meta SET value = 'minhash-128-42x3-k3' "
                             "WHERE key = 'neardup_scheme'")
    with Library(data, fake_embedder) as lib:
        result = lib.ingest([ReportDraft("Flood", COPY, source="Nordic Wire")])
        assert len(result.merged) == 1


def test_a_copy_that_dropped_a_sentence_is_still_a_copy_but_a_brief_is_not() -> None:
    story = ("The Varn river broke through the levee at Dorvik on Tuesday night, flooding "
             "the lower town. About 300 homes were evacuated before the water arrived. "
             "Officials said the pumping station at Kessby would run through the weekend. "
             "Schools in the district will stay closed until Friday at the earliest.")
    sentences = story.split(". ")
    copy = ". ".join(sentences[:1] + sentences[2:]).replace("Tuesday", "Tuesday's")
    assert same_report(story, "By Staff Writer. " + copy)
    long_story = story + " " + " ".join(
        f"Relief point {n} at the {n}th district office handed out {n * 40} blankets."
        for n in range(1, 12))
    assert not same_report(long_story, sentences[0] + ".")  # a brief quoting one line


def test_next_days_templated_update_with_new_figures_is_not_a_copy() -> None:
    day1 = ("The provincial emergency office said on Monday that 4,000 people had left their "
            "homes along the Varn river and that 4 people had died. Shelters in Dorvik and "
            "Kessby were open and relief flights continued from Halden airport.")
    day2 = day1.replace("4,000", "12,000").replace("4 people", "9 people").replace(
        "Monday", "Tuesday")
    assert not same_report(day1, day2)  # news: the figures moved
    assert same_report(day1, "By Staff Writer. " + day1.replace("Monday", "Monday,"))
