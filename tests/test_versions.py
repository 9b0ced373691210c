"""Idempotent ingest and report versions: the same inputs any number of times give the same
store (exact copies under other ids included); a new text at the same id or canonical URL is
a new version of the report, not a copy of itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.library import Library
from index.loaders import load_inputs
from index.models import ReportDraft
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.backends  # the library tests here run on both backends


def snapshot(library: Library) -> list[tuple[object, ...]]:
    """Everything a re-ingest could change, without ingestion stamps."""
    rows = library.store.query(
        "SELECT id, title, date, published_at, date_only, source, url, content_hash, text "
        "FROM reports ORDER BY id")
    sources = library.store.query(
        "SELECT report_id, source, url FROM report_sources ORDER BY report_id, url")
    versions = library.store.query(
        "SELECT report_id, version, content_hash FROM report_versions ORDER BY 1, 2")
    sentences = library.store.query(
        "SELECT report_id, position, text FROM sentences ORDER BY 1, 2")
    return [*rows, *sources, *versions, *sentences, ("vectors", len(library.vectors))]


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


DAM = ("Water broke through the Kessel dam wall on Monday night. Engineers said the "
       "breach was about 20 metres wide.")


def test_exact_copies_under_other_ids_do_not_come_back_on_reingest(library: Library,
                                                                  tmp_path: Path) -> None:
    # Two records of identical content under different ids, plus an ordinary one.
    feed = write_jsonl(tmp_path / "wire.jsonl", [
        {"id": "w1", "title": "Kessel dam breached", "date": "2026-11-24", "text": DAM},
        {"id": "w2", "title": "Kessel dam breached", "date": "2026-11-24", "text": DAM},
        {"id": "w3", "title": "Ferry resumes", "date": "2026-11-24",
         "text": "The ferry to Vessin resumed on Tuesday after three days."},
    ])
    library.ingest(load_inputs([str(feed)]))
    first = snapshot(library)
    assert library.stats().reports == 2
    for _ in range(2):
        again = library.ingest(load_inputs([str(feed)]))
        assert again.added == () and again.updated == ()
        assert library.stats().reports == 2
        assert snapshot(library) == first


def test_reingest_of_a_folder_with_versions_and_copies_changes_nothing(
        library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Dam breach: 27 killed\nSource: Valley Post\nURL: https://post.example/dam\n"
        "2026-11-25\n\nAt least 27 people were killed when the Kessel dam broke.\n")
    (folder / "b.txt").write_text(
        "Dam breach: 29 killed\nSource: Valley Post\nURL: https://post.example/dam?utm_source=x\n"
        "2026-11-26\n\nAt least 29 people were killed when the Kessel dam broke, officials "
        "said on Thursday.\n")
    (folder / "c.txt").write_text(
        "Dam breach: 27 killed\nSource: Coastal Wire\nURL: https://wire.example/1\n"
        "2026-11-25\n\nAt least 27 people were killed when the Kessel dam broke.\n")
    library.ingest(load_inputs([str(folder)]))
    first = snapshot(library)
    (report,) = library.reports()
    assert report.versions == 2 and "29" in report.title
    assert [a.source for a in report.also_reported_by] == ["Coastal Wire"]
    for _ in range(2):
        library.ingest(load_inputs([str(folder)]))
        assert snapshot(library) == first


def test_edit_at_the_same_url_is_version_two_and_answers_see_it(library: Library) -> None:
    url = "https://post.example/news/dam.html"
    library.ingest([ReportDraft(
        title="Dam breach kills 27", source="Valley Post", url=url, date="2026-11-25",
        text="At least 27 people were killed when the Kessel dam broke on Monday.")])
    result = library.ingest([ReportDraft(
        title="Dam breach kills 29", source="Valley Post", url=url + "#update",
        date="2026-11-26T09:30:00-05:00",
        text="At least 29 people were killed when the Kessel dam broke on Monday.")])
    assert len(result.updated) == 1 and result.merged == ()
    (report,) = library.reports()
    assert report.also_reported_by == ()  # not "also reported by" itself
    assert report.title == "Dam breach kills 29" and report.versions == 2
    assert report.date == "2026-11-26T14:30:00+00:00"
    assert [(v.version, v.date) for v in library.versions(report.id)] == [
        (1, "2026-11-25"), (2, "2026-11-26T14:30:00+00:00")]
    answer = library.ask("how many people were killed when the dam broke?")
    assert [c.sentence for c in answer.citations] == [
        "At least 29 people were killed when the Kessel dam broke on Monday."]


def test_an_older_text_arriving_later_keeps_the_newer_one(library: Library) -> None:
    new = ReportDraft(title="Dam toll 29", text="The toll rose to 29 dead.", report_id="d1",
                      date="2026-11-26")
    old = ReportDraft(title="Dam toll 27", text="The toll stood at 27 dead.", report_id="d1",
                      date="2026-11-25")
    library.ingest([new])
    library.ingest([old])
    (report,) = library.reports()
    assert report.title == "Dam toll 29" and report.versions == 2
    assert library.ingest([new, old]).updated == ()


def test_updates_within_one_run_are_versions(library: Library) -> None:
    url = "https://post.example/live"
    result = library.ingest([
        ReportDraft(title="Live: dam", text="Five people are missing.", url=url,
                    date="2026-11-25T08:00:00Z"),
        ReportDraft(title="Live: dam", text="Seven people are missing.", url=url,
                    date="2026-11-25T10:00:00Z")])
    (report,) = library.reports()
    assert report.versions == 2 and result.merged == ()
    assert [s.text for s in library.report_sentences(report.id)] == [
        "Seven people are missing."]


def test_versions_survive_reopening(tmp_path: Path, backend: str | None) -> None:
    with Library(tmp_path, FakeEmbedder(), url=backend) as lib:
        lib.ingest([ReportDraft(title="T", text="One.", report_id="x")])
        lib.ingest([ReportDraft(title="T", text="Two.", report_id="x")])
    with Library(tmp_path, FakeEmbedder(), url=backend) as lib:
        assert lib.reports()[0].versions == 2
