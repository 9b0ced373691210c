"""BM25 leaves out a question's most common words only when they would cost too much."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index import postings
from index.library import Library
from index.models import ReportDraft
from index.retrieve import fts_query
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.backends  # both stores count alike


@pytest.fixture
def lib(tmp_path: Path, backend: str | None) -> Iterator[Library]:
    drafts = [ReportDraft(title=f"Harbour {i}", report_id=f"h{i}", source="Port Desk",
                          text=f"The harbour crane number {i} moved grain at dawn. "
                               f"Tugs {i} waited outside.")
              for i in range(60)]
    drafts.append(ReportDraft(title="Ferry", report_id="ferry", source="Port Desk",
                              text="The harbour ferry Osprey ran aground near the levee."))
    with Library(tmp_path / "data", FakeEmbedder(), url=backend) as library:
        library.ingest(drafts)
        yield library


def test_words_are_counted_as_fts_tokenises_them(lib: Library) -> None:
    assert lib.store.term_frequency("harbour", 1000) == 61
    assert lib.store.term_frequency("harbour", 10) == 10  # counting stops at the cap
    assert lib.store.term_frequency("cranes", 1000) == 60  # porter stems alike
    assert lib.store.term_frequency('osprey"', 1000) == 1  # a quote in a word is dropped
    # all of a question's words at once (one round trip on PostgreSQL), the same counts
    assert lib.store.term_frequencies(["harbour", "cranes", "osprey", "zebra"], 20) == {
        "harbour": 20, "cranes": 20, "osprey": 1, "zebra": 0}


def test_common_words_are_left_out_only_over_the_budget(lib: Library,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["harbour", "osprey", "levee", "crane"]
    assert postings.affordable(lib.store, words, budget=200) == words  # 61+1+1+60: fits
    assert postings.affordable(lib.store, words, budget=70) == ["osprey", "levee", "crane"]
    assert postings.affordable(lib.store, words, budget=5) == ["osprey", "levee"]
    assert postings.affordable(lib.store, ["harbour", "crane"], budget=60) == ["crane"]
    question = "What happened to the harbour ferry Osprey?"
    assert fts_query(question, lib.store) == '"happened" OR "harbour" OR "ferry" OR "osprey"'
    monkeypatch.setattr(postings, "BUDGET", 10)
    assert fts_query(question, lib.store) == '"happened" OR "ferry" OR "osprey"'
    assert lib.ask(question).citations[0].sentence.startswith("The harbour ferry Osprey")


def test_a_replaced_report_leaves_no_words_behind(lib: Library) -> None:
    """PostgreSQL keeps its postings by triggers: a report's old sentences stop counting."""
    assert [t[:5] for t in lib.store.terms_starting("ospr", 5)] == ["ospre"]  # stemmed
    lib.ingest([ReportDraft(title="Ferry", report_id="ferry", source="Port Desk",
                            text="The harbour ferry Kestrel was refloated at noon.")])
    assert lib.store.term_frequencies(["osprey", "kestrel", "refloated"], 20) == {
        "osprey": 0, "kestrel": 1, "refloated": 1}
    assert lib.store.terms_starting("ospr", 5) == []
    assert lib.store.terms_starting("kestr", 5) == ["kestrel"]
    assert lib.store.terms_starting("refl", 5) == ["refloat"]  # as the index holds it
    assert lib.store.term_frequency("harbour", 1000) == 61
    top = lib.ask("Which ferry was refloated?").citations[0]
    assert top.sentence == "The harbour ferry Kestrel was refloated at noon."
