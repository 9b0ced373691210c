"""Property tests: whatever bytes or text come in, the loaders, the feed parser, ingest and
the question path raise nothing but the library's own errors (:mod:`index.errors`)."""

from __future__ import annotations

import contextlib
import gzip
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.embedder import Embedder
from index.entities import merge
from index.errors import BriefbotError, EmptyQuestion
from index.feeds import parse_feed
from index.ledger import extract
from index.library import Library
from index.loaders import load_bytes
from index.models import LoadProblem, ReportDraft
from tests.fakes import FakeEmbedder

NAMES = ["x.txt", "x.md", "x.html", "x.jsonl", "x.jsonl.gz", "x.ndjson", "x.pdf", "-"]
# Text that reaches us: any code point, lone surrogates and NUL included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8)
RECORDS = st.dictionaries(st.sampled_from(["id", "title", "date", "source", "url", "text"]),
                          JSON_VALUES, max_size=6)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _jsonl(records: list[dict[str, object]], raw: list[bytes]) -> bytes:
    lines = [json.dumps(r).encode() for r in records] + raw
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def fake_library() -> Iterator[Library]:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp), FakeEmbedder()) as lib:
        yield lib


@SETTINGS
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_loaders_take_any_bytes(data: bytes, name: str) -> None:
    for item in load_bytes(data, name):
        assert isinstance(item, ReportDraft | LoadProblem)


@SETTINGS
@given(records=st.lists(RECORDS, max_size=5), raw=st.lists(st.binary(max_size=80), max_size=3),
       zipped=st.booleans(), cut=st.integers(0, 400))
def test_jsonl_of_any_shape_goes_in_or_is_named(fake_library: Library,
                                                records: list[dict[str, object]],
                                                raw: list[bytes], zipped: bool,
                                                cut: int) -> None:
    data = _jsonl(records, raw)
    if zipped:
        data = gzip.compress(data)
        data = data[: max(1, len(data) - cut)] if cut % 2 else data
    items = list(load_bytes(data, "p.jsonl.gz" if zipped else "p.jsonl"))
    assert all(isinstance(i, ReportDraft | LoadProblem) for i in items)
    result = fake_library.ingest(items)  # never raises: bad drafts are problems
    assert len(result.problems) >= sum(isinstance(i, LoadProblem) for i in items)


@SETTINGS
@given(title=ANY_TEXT, body=ANY_TEXT, junk=st.binary(max_size=200))
def test_feed_parser_raises_only_our_errors(title: str, body: str, junk: bytes) -> None:
    xml = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
           f"<item><title>{title}</title><description>{body}</description></item>"
           "</channel></rss>").encode("utf-8", "surrogatepass") + junk
    try:
        feed = parse_feed(xml, "p")
    except BriefbotError:
        return
    for entry in feed.entries:
        entry.summary.encode("utf-8")  # valid Unicode, whatever came in
        entry.title.encode("utf-8")


@SETTINGS
@given(question=ANY_TEXT)
def test_any_question_is_answered_or_refused_by_our_errors(fake_library: Library,
                                                           question: str) -> None:
    try:
        answer = fake_library.ask(question)
    except EmptyQuestion:
        return
    answer.question.encode("utf-8")


@pytest.fixture(scope="module")
def real_library(real_sample_dir: Path, real_embedder: Embedder) -> Iterator[Library]:
    with Library(real_sample_dir, real_embedder) as library:
        yield library


@pytest.mark.model
@settings(max_examples=10, deadline=None,  # each ask runs the real model: keep it short
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=ANY_TEXT.filter(lambda q: any(c.isalnum() for c in q)))
def test_any_question_reaches_the_real_tokenizer_clean(real_library: Library,
                                                       question: str) -> None:
    with contextlib.suppress(BriefbotError):
        real_library.ask(question)


#: words the figure and entity rules key on, so that generated sentences reach them
_RULE_WORDS = st.sampled_from(["which", "that", "who", "after", "including", "of", "the",
                               "death", "toll", "rose", "to", "from", "12", "3\u00a0000",
                               "1,200", "two", "dead", "queue", "ships", ",", ";", "pct",
                               "mln", "dlrs", "between", "and", "-", "<", ">", "revised"])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_RULE_WORDS, max_size=14), tail=st.text(max_size=20))
def test_reading_figures_and_counts_never_raises(words: list[str], tail: str) -> None:
    """Every stored sentence passes through these at ingest and when a store opens: one
    that raised ("which had grown to 52 ships") stopped both."""
    sentence = " ".join(words) + tail
    for entry in extract(sentence):
        assert sentence[entry.start:].startswith(entry.value)
    for e in merge(sentence, []):
        assert sentence[e.start:e.end] == e.text
