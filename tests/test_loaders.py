"""Loaders: every format, and bad input reported by name without losing the rest."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from index.errors import EmptyInput
from index.loaders import load_bytes, load_inputs, parse_text
from index.models import LoadProblem, ReportDraft


def test_text_report_title_date_source_and_body() -> None:
    draft = parse_text("# Floods cut off villages\n\nMonday, 2 Mar, 2026\nSource: Courier\n"
                       "URL: https://c.example/a\n\nThe river rose. People fled.\n", "a.md")
    assert draft.title == "Floods cut off villages"
    assert draft.date == "2026-03-02"
    assert draft.source == "Courier"
    assert draft.url == "https://c.example/a"
    assert draft.text == "The river rose. People fled."


def test_markdown_front_matter_is_metadata_not_text() -> None:
    """Markdown from a static-site or notes tool opens with YAML front matter: its title,
    date, source and link are the report's, and none of it is quoted as text."""
    draft = parse_text("---\ntitle: \"Floods force thousands from homes\"\ndate: 2026-03-05\n"
                       "source: Valley Courier\nlink: https://vc.example/floods\n"
                       "tags: [floods, tarvel]\n---\n\nFloods in the Tarvel valley have "
                       "displaced 12,000 people. Roads are closed.\n", "a.md")
    assert draft.title == "Floods force thousands from homes"
    assert draft.date == "2026-03-05"
    assert draft.source == "Valley Courier"
    assert draft.url == "https://vc.example/floods"
    assert draft.text == ("Floods in the Tarvel valley have displaced 12,000 people. "
                          "Roads are closed.")
    # a heading after the front matter is the title line, and the front matter's title wins
    headed = parse_text("---\ntitle: Tarvel toll rises\n---\n# Toll rises\n\n"
                        "Monday, 9 Mar, 2026\n\nThe toll rose.\n", "b.md")
    assert (headed.title, headed.date, headed.text) == ("Tarvel toll rises", "2026-03-09",
                                                        "The toll rose.")
    # a rule that opens a file without key: value lines under it is text, not front matter
    with pytest.raises(EmptyInput, match="front matter but no text"):
        parse_text("---\ntitle: Only the header\n---\n\n", "d.md")
    # tried as a new user would: a file holding only "# Title only" became a report titled
    # "# Title only"; a heading with a date line under it and no more is no report either
    for only_heading in ("# Title only\n", "## Toll rises\n\nMonday, 9 Mar, 2026\n"):
        with pytest.raises(EmptyInput, match="a heading but no text"):
            parse_text(only_heading, "e.md")
    assert parse_text("Just one line of notes.\n", "n.txt").text == "Just one line of notes."
    ruled = parse_text("---\nA note\n---\nThe river rose.\n", "c.md")
    assert "The river rose." in ruled.text and "A note" in ruled.title + ruled.text


def test_single_paragraph_file_keeps_its_text() -> None:
    draft = parse_text("Only one line of text here.", "x.txt")
    assert draft.text == "Only one line of text here."


def test_jsonl_reads_known_fields_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": "r1", "title": "T", "date": "2026-03-02", "source": "S",
                    "url": "https://x.example/1", "text": "Body one.", "extra": 1}),
        "{not json",
        json.dumps({"id": "r2", "title": "No text"}),
        json.dumps(["a list"]),
        "",
    ]
    out = list(load_bytes("\n".join(lines).encode(), "feed.jsonl"))
    drafts = [o for o in out if isinstance(o, ReportDraft)]
    problems = [o for o in out if isinstance(o, LoadProblem)]
    assert [d.report_id for d in drafts] == ["r1"]
    assert drafts[0].date == "2026-03-02" and drafts[0].source == "S"
    assert [p.origin for p in problems] == ["feed.jsonl line 2", "feed.jsonl line 3",
                                            "feed.jsonl line 4"]
    # the message names the line once (it used to read "feed.jsonl line 2: feed.jsonl ...")
    assert all(p.message.startswith(p.origin) and p.message.count(p.origin) == 1
               for p in problems), [p.message for p in problems]


def test_jsonl_gz() -> None:
    data = gzip.compress(json.dumps({"title": "T", "text": "Hello world."}).encode())
    (draft,) = load_bytes(data, "x.jsonl.gz")
    assert isinstance(draft, ReportDraft) and draft.text == "Hello world."


def test_html_main_text_title_and_date() -> None:
    html = b"""<html><head><title>Dam holds | Herald</title>
    <meta property="article:published_time" content="2026-03-05T08:00:00Z"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Dam holds as rain eases</h1>
    <p>The temporary dam north of Kessby held overnight, officials said on Thursday morning.</p>
    <p>The death toll has risen to 11 after two bodies were recovered near Dorvik village.</p>
    </article><footer>Copyright 2026 Herald. All rights reserved.</footer></body></html>"""
    (draft,) = load_bytes(html, "dam.html")
    assert isinstance(draft, ReportDraft)
    assert "Dam holds" in draft.title
    assert draft.date is not None and draft.date.startswith("2026-03-05")
    assert "death toll has risen to 11" in draft.text
    assert "All rights reserved" not in draft.text


def test_bad_inputs_become_problems(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("Title\n\nA good report body.")
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "broken.html").write_bytes(b"<html><body><div><p>\x00\x01</div>")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 report\n\nThe caf\xe9 reopened.".encode(
        "latin-1"))
    (tmp_path / "tags.html").write_bytes(b"<html><body><script>alert(1)</script></body></html>")
    (tmp_path / "gz.jsonl.gz").write_bytes(b"not gzip")
    out = list(load_inputs([str(tmp_path), str(tmp_path / "missing.md")]))
    drafts = {Path(o.origin).name: o for o in out if isinstance(o, ReportDraft)}
    problems = {Path(o.origin).name: o.reason for o in out if isinstance(o, LoadProblem)}
    assert set(drafts) == {"good.md", "latin1.txt"}
    assert drafts["latin1.txt"].text == "The café reopened."
    assert "empty" in problems["empty.txt"]
    assert "binary" in problems["binary.txt"]
    assert "binary" in problems["broken.html"]
    assert "no readable article text" in problems["tags.html"]
    assert "gzip" in problems["gz.jsonl.gz"]
    assert "does not exist" in problems["missing.md"]


def test_unknown_extension_in_explicit_path(tmp_path: Path) -> None:
    p = tmp_path / "report.pdf"
    p.write_bytes(b"%PDF-1.4")
    (problem,) = load_inputs([str(p)])
    assert isinstance(problem, LoadProblem) and "unsupported" in problem.reason


def test_stdin_text_and_jsonl() -> None:
    (d,) = load_inputs(["-"], stdin=b"Title line\n\nSome body text.")
    assert isinstance(d, ReportDraft) and d.title == "Title line"
    out = list(load_inputs(["-"], stdin=b'{"title": "A", "text": "B c."}\n'))
    assert isinstance(out[0], ReportDraft) and out[0].title == "A"


class _PipeOnly(io.RawIOBase):
    """A pipe that hands out at most 64 KiB a read and fails a request for everything."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 65536))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def readall(self) -> bytes:
        raise AssertionError("stdin was read whole")


def test_stdin_jsonl_is_streamed_a_line_at_a_time_not_read_whole() -> None:
    lines = b"\n\n" + b"".join(
        json.dumps({"id": f"r{i}", "title": f"Report {i}", "text": "Crews cleared the road. " * 40}
                   ).encode() + b"\n" for i in range(500))
    stream = io.BufferedReader(_PipeOnly(lines), buffer_size=65536)
    drafts = list(load_inputs(["-"], stdin=stream))
    assert [d.title for d in drafts if isinstance(d, ReportDraft)] == [
        f"Report {i}" for i in range(500)]


def test_stdin_that_is_not_jsonl_is_one_report_and_empty_stdin_is_a_problem() -> None:
    text = io.BufferedReader(_PipeOnly(b"  \nFlood update\n\nThe river rose 2 metres overnight."))
    (draft,) = load_inputs(["-"], stdin=text)
    assert isinstance(draft, ReportDraft) and "2 metres" in draft.text
    (problem,) = load_inputs(["-"], stdin=io.BufferedReader(_PipeOnly(b"")))
    assert isinstance(problem, LoadProblem) and "empty" in problem.reason


def test_binary_behind_a_utf16_mark_is_refused(tmp_path: Path) -> None:
    """Random bytes behind a UTF-16 byte-order mark decode without error (no lone
    surrogate), to a soup of unassigned and private-use characters: binary, not a report."""
    import random

    rng = random.Random(7)
    units = [rng.randrange(0x0000, 0xD800) if rng.random() < 0.5 else
             rng.randrange(0xE000, 0x10000) for _ in range(3000)]
    data = b"\xff\xfe" + b"".join(u.to_bytes(2, "little") for u in units)
    (tmp_path / "soup.txt").write_bytes(data)
    (tmp_path / "soup.jsonl").write_bytes(data)
    chinese = "\ufeff标题\n\n地震造成至少十二人死亡，救援工作仍在进行。" * 20
    (tmp_path / "zh.txt").write_bytes(chinese.encode("utf-16"))
    out = list(load_inputs([str(tmp_path)]))
    problems = {Path(o.origin).name: o.reason for o in out if isinstance(o, LoadProblem)}
    drafts = {Path(o.origin).name for o in out if isinstance(o, ReportDraft)}
    assert "binary" in problems["soup.txt"]
    assert "binary" in problems["soup.jsonl"]
    assert drafts == {"zh.txt"}
