"""Hostile input, one fault at a time: a bad record costs that record only, decompression
is capped while it streams, the fetch deadline covers headers too, bad text in a question
is no traceback."""

from __future__ import annotations

import gzip
import io
import json
import re
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from bot.cli import main
from index import loaders
from index.embedder import Embedder
from index.errors import FetchTimeout, FetchTooLarge
from index.feeds import FeedStore, parse_feed, poll_feed
from index.fetch import Fetcher
from index.library import Library, content_hash
from index.loaders import load_bytes, load_inputs
from index.models import LoadProblem, ReportDraft
from tests.fakes import FakeEmbedder
from tests.webserver import Page, serve, trickled_headers


def line(i: int, text: str | None = None) -> str:
    return json.dumps({"id": f"r{i}", "title": f"Report {i}",
                       "text": text or f"Harbour crane {i} was repaired on Monday."})


def run(argv: list[str], stdin: io.TextIOBase | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, embedder_factory=lambda m: FakeEmbedder(), stdin=stdin or io.StringIO(""),
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- one bad record --------------------------------------------------------------------------


def test_lone_surrogate_costs_its_line_only(tmp_path: Path) -> None:
    lines = [line(i) for i in range(5)]
    lines.insert(3, '{"id": "bad", "title": "Cocoa", "text": "Prices \\ud800 rose."}')
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Second file\n\nThe ferry sailed at noon.\n",
                                   encoding="utf-8")
    code, out, err = run(["ingest", "--data-dir", str(tmp_path / "d"),
                          str(tmp_path / "a.jsonl"), str(tmp_path / "b.md")])
    assert code == 0, err
    assert "added 6 report(s)" in out
    [problem] = err.strip().splitlines()
    assert "a.jsonl line 4" in problem and "surrogate" in problem


def test_content_hash_survives_surrogates() -> None:
    assert len(content_hash("t", "a \ud800 b")) == 64


def test_a_draft_with_a_surrogate_is_a_problem_not_a_crash(library: Library) -> None:
    good = ReportDraft(title="Fine", text="The bridge opened today.", origin="ok")
    bad = ReportDraft(title="Bad", text="Cocoa \udcff prices rose.", origin="bad")
    result = library.ingest([bad, good])
    assert len(result.added) == 1
    [problem] = result.problems
    assert problem.origin == "bad" and "surrogate" in problem.reason


def test_raw_nul_line_costs_that_line_only() -> None:
    data = (line(1) + "\n").encode() + b"\x00\x00\x00\x00\n" + (line(2) + "\n").encode()
    out = list(load_bytes(data, "n.jsonl"))
    assert [d.report_id for d in out if isinstance(d, ReportDraft)] == ["r1", "r2"]
    [problem] = [p for p in out if isinstance(p, LoadProblem)]
    assert problem.origin == "n.jsonl line 2" and "NUL" in problem.reason


def test_wrongly_typed_fields_are_named() -> None:
    data = "\n".join([json.dumps({"text": 5}), json.dumps({"text": "ok.", "title": ["x"]}),
                      json.dumps({"text": "Fine text.", "id": 7, "date": 20260302}),
                      # tried as a new user would: a number for a title was taken as "123"
                      json.dumps({"text": "ok.", "title": 123}),
                      json.dumps({"text": "ok.", "source": True})])
    out = list(load_bytes(data.encode(), "t.jsonl"))
    assert isinstance(out[0], LoadProblem) and "'text' must be a string" in out[0].reason
    assert isinstance(out[1], LoadProblem) and "'title' must be a string" in out[1].reason
    assert isinstance(out[2], ReportDraft) and out[2].report_id == "7"
    assert isinstance(out[3], LoadProblem) and "'title' must be a string, not a number" in \
        out[3].reason
    assert isinstance(out[4], LoadProblem) and "'source' must be a string" in out[4].reason


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Good one</title><link>http://a.test/1</link><description>Fine text.</description>
</item><item><title>Bad &#xD800; one</title><link>http://a.test/2</link>
<description>Bad &#55296; text &#0;.</description></item>
<item><title>Good two</title><link>http://a.test/3</link><description>More text.</description>
</item></channel></rss>"""


def test_feed_with_a_surrogate_reference_keeps_its_entries() -> None:
    feed = parse_feed(RSS, "wire")
    assert [e.title for e in feed.entries] == ["Good one", "Bad \ufffd one", "Good two"]
    assert "\ud800" not in feed.entries[1].summary


def test_unparsable_feed_is_a_failure_with_backoff(tmp_path: Path, library: Library,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    def boom(*args: object, **kwargs: object) -> object:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(feedparser, "parse", boom)
    with serve() as site:
        site.routes["/feed"] = Page(RSS, "application/rss+xml")
        store = FeedStore(tmp_path)
        store.add(site.url("/feed"), 600)
        result = poll_feed(site.url("/feed"), Fetcher(allow_private=True), library, store)
        state = store.get(site.url("/feed"))
        store.close()
    assert result.error and "could not be parsed" in result.error
    assert state is not None and state.failures == 1 and state.next_try is not None


# -- decompression bombs ---------------------------------------------------------------------


def gzip_members(member: bytes, count: int) -> bytes:
    """``count`` gzip members of ``member`` one after another: a big inflated size from a
    small file, made in no time."""
    return gzip.compress(member, compresslevel=9) * count


def test_gzip_bomb_of_zeros_is_refused_while_streaming(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MIN_INFLATE_CAP", 2_000_000)
    monkeypatch.setattr(loaders, "MAX_REPORT_BYTES", 1_000_000)
    bomb = tmp_path / "zeros.jsonl.gz"
    bomb.write_bytes(gzip.compress((line(1) + "\n").encode())
                     + gzip_members(b"\x00" * 4_000_000, 25))  # 100 MB inflated
    draft, problem = list(load_inputs([str(bomb)]))
    assert isinstance(draft, ReportDraft) and draft.report_id == "r1"
    assert isinstance(problem, LoadProblem)
    assert re.search(r"inflates to more than \d MB \(a decompression bomb\?\)", problem.reason)


def test_gzip_bomb_of_valid_lines_keeps_what_came_before_the_cap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MIN_INFLATE_CAP", 1_000_000)
    body = "".join(line(i) + "\n" for i in range(3)).encode()
    bomb = tmp_path / "lines.jsonl.gz"
    bomb.write_bytes(gzip_members(body * 20_000, 10))  # ~40 MB of lines from ~0.5 MB
    out = list(load_inputs([str(bomb)]))
    assert isinstance(out[0], ReportDraft)
    assert isinstance(out[-1], LoadProblem) and "decompression bomb" in out[-1].reason
    assert sum(isinstance(o, ReportDraft) for o in out) < 300_000  # of 600,000: stopped


def test_one_huge_jsonl_record_is_refused_by_the_record_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as f:
        f.write(b'{"title": "Huge", "text": "')
        for _ in range(50):
            f.write(b"word " * 200_000)  # 1 MB
        f.write(b'"}\n')
        f.write((line(1) + "\n").encode())
    out = list(load_inputs([str(path)]))
    assert isinstance(out[0], LoadProblem) and "longer than 20 MB" in out[0].reason
    assert isinstance(out[1], ReportDraft) and out[1].report_id == "r1"


def test_truncated_gzip_keeps_the_lines_before(tmp_path: Path) -> None:
    data = gzip.compress("".join(line(i) + "\n" for i in range(200)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    out = list(load_inputs([str(path)]))
    assert isinstance(out[0], ReportDraft)
    assert isinstance(out[-1], LoadProblem) and "truncated" in out[-1].reason


def test_fetched_gzip_gzip_bomb_stops_at_the_cap() -> None:
    inner = gzip.compress(b"<p>" + b"a" * 50_000_000 + b"</p>", compresslevel=9)
    body = gzip.compress(inner, compresslevel=9)
    with serve() as site:
        site.routes["/bomb"] = Page(body, headers={"Content-Encoding": "gzip, gzip"})
        fetcher = Fetcher(allow_private=True, max_bytes=1_000_000)
        tracemalloc.start()
        try:
            with pytest.raises(FetchTooLarge, match="larger than 1 MB"):
                fetcher.fetch(site.url("/bomb"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 10_000_000  # decoding stopped at the cap, not after 50 MB
        site.routes["/ok"] = Page(gzip.compress(gzip.compress(b"<p>fine</p>")),
                                  headers={"Content-Encoding": "gzip, gzip"})
        assert fetcher.fetch(site.url("/ok")).body == b"<p>fine</p>"
        site.routes["/deflate"] = Page(zlib.compress(b"<p>plain deflate</p>"),
                                       headers={"Content-Encoding": "deflate"})
        assert fetcher.fetch(site.url("/deflate")).body == b"<p>plain deflate</p>"


# -- the fetch deadline ----------------------------------------------------------------------


def test_deadline_cuts_a_server_trickling_its_headers() -> None:
    with serve() as site:
        site.routes["/slow"] = trickled_headers(site, 0.05)
        start = time.monotonic()
        with pytest.raises(FetchTimeout, match=r"longer than 0\.5 s"):
            Fetcher(allow_private=True, timeout=0.5).fetch(site.url("/slow"))
        assert time.monotonic() - start < 5  # the trickle would take 20 s


# -- bad text in a question ------------------------------------------------------------------


@pytest.mark.model
def test_question_with_undecodable_bytes_reaches_the_real_tokenizer_clean(
        real_sample_dir: Path, real_embedder: Embedder) -> None:
    question = b"how many people were displaced \xff by the floods".decode(
        "utf-8", "surrogateescape")  # what Python makes of $'\xff' in argv
    with Library(real_sample_dir, real_embedder) as library:
        answer = library.ask(question)
    assert answer.found and "18,500" in answer.text


def test_bad_stdin_line_does_not_end_the_batch(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    (tmp_path / "c.md").write_text("Cocoa\n\nCocoa prices rose by 4 percent.\n")
    assert run(["ingest", "--data-dir", data, str(tmp_path / "c.md")])[0] == 0
    raw = b"cocoa \xff prices\n\xed\xa0\x80 surrogate\ncocoa prices\n"
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    _, out, err = run(["ask", "--data-dir", data, "--json"], stdin=stdin)
    answers = [json.loads(x) for x in out.splitlines()]
    assert len(answers) == 3, err
    assert answers[2]["found"] is True and "Traceback" not in err
