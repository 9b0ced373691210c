"""Loaders: turn files, folders, stdin and bytes into :class:`ReportDraft` objects.

Formats: ``.txt``/``.md`` (first line the title, a date line near the top, optional
``Source:``/``URL:`` lines, then the body; or YAML front matter with ``title``, ``date``,
``source``, ``url``/``link``), ``.html`` (main text, title and date through
trafilatura), ``.jsonl``/``.jsonl.gz`` (one report a line: ``id``, ``title``, ``date``,
``source``, ``url``, ``text``; other fields ignored). A bad input becomes a
:class:`LoadProblem` naming it; loading goes on with the rest.

JSONL is read as a stream, one line at a time, each line decoded and validated on its own:
a bad line (invalid JSON, NUL bytes, a lone surrogate, wrongly typed fields, longer than
``MAX_REPORT_BYTES``) costs that line only. Gzip is inflated as a stream too, with a cap on
the inflated size (``MAX_INFLATED_BYTES``, and ``MAX_INFLATE_RATIO`` times the compressed
size) so a decompression bomb is refused with bounded memory.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urldefrag

from index.dates import parse_date
from index.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedInput,
    UndecodableInput,
    UnsupportedFormat,
)
from index.mastheads import Dateline, masthead_line, outlet_name, read_dateline, title_outlet
from index.models import LoadProblem, ReportDraft
from index.textcheck import check_text

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
MAX_REPORT_BYTES = 20_000_000      # a file, or one JSONL line
MAX_INFLATED_BYTES = 1_000_000_000  # what a .gz may inflate to, at most ...
MAX_INFLATE_RATIO = 20              # ... and at most this many times its compressed size
                                    # (news JSONL: 3-10 times; a bomb: hundreds)
MIN_INFLATE_CAP = 64_000_000        # (the ratio applies above this)
_SKIP_CHUNK = 1 << 20

Loaded = ReportDraft | LoadProblem


class Reader(Protocol):
    """A binary stream: an open file, ``io.BytesIO``, a buffered :class:`_Gunzip`."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def decode_text(data: bytes, origin: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else UTF-16 with BOM, else cp1252.

    Raises :class:`EmptyInput`, :class:`BinaryInput` or :class:`UndecodableInput`.
    """
    if not data.strip():
        raise EmptyInput(f"{origin} is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableInput(f"{origin} is not valid UTF-16 text") from exc
        if _unwritten_ratio(text[:4096]) > 0.10:
            raise BinaryInput(f"{origin} looks like a binary file, not text")
        return text
    sample = data[:8192]
    if b"\x00" in sample or _control_ratio(sample) > 0.10:
        raise BinaryInput(f"{origin} looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UndecodableInput(f"{origin} is neither UTF-8 nor Windows-1252 text") from exc
    return text


def _unwritten_ratio(sample: str) -> float:
    """The share of ``sample``'s characters no script writes: controls other than white space,
    unassigned and private-use code points (binary bytes read as UTF-16 are full of them)."""
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs")
              and c not in "\t\n\r\f")
    return bad / len(sample)


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


_HEADER = re.compile(r"^(source|url|link|date|by|author)\s*:\s*(.+)$", re.IGNORECASE)


#: how an outlet signs a report off on its last line: a dash before its name, or its name
#: in emphasis ("— The Dunmore Ledger", "*Ombrava Wire Service*")
_SIGNED = re.compile(r"^(?:[—–]+|-{1,2})\s*\S|^([*_]{1,2})[^*_]+\1$")


def _sign_off(paragraph: str) -> str | None:
    """The outlet a report's last paragraph signs it off with, or ``None``."""
    line = paragraph.strip()
    return outlet_name(line) if "\n" not in line and _SIGNED.match(line) else None


def parse_text(text: str, origin: str = "", *, source: str | None = None,
               url: str | None = None) -> ReportDraft:
    """A plain-text or Markdown report: title, date line, ``Source:``/``URL:`` lines, body."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    meta: dict[str, str] = {}
    if (front := _front_matter(lines)) is not None:
        meta, lines = front
        while lines and not lines[0].strip():
            lines.pop(0)
    if not lines or not any(line.strip() for line in lines):
        raise EmptyInput(f"{origin or 'the report'} "
                         + ("has front matter but no text" if front else "is empty"))
    if "title" in meta and not lines[0].lstrip().startswith("#"):
        title, rest = meta["title"], lines  # the body starts at once
    else:
        title = meta.get("title") or re.sub(r"^#+\s*", "", lines[0]).strip().strip("*_ ").strip()
        rest = lines[1:]
    title, outlet = title_outlet(title)  # "Toll rises to nine | Calloway Post"
    source = source or meta.get("source") or outlet
    url = url or meta.get("url")
    date: str | None = parse_date(meta["date"]) if "date" in meta else None
    head_end = 0
    # Metadata lives in the first few non-empty lines after the title: "Source:" lines, and
    # a masthead's (:mod:`index.mastheads`), whose outlet lines count only beside a date
    # ("NORTHGATE POST" above "MARCH 4, 2031 — 09:15"; alone it may be the text's own line).
    seen, maybe_end = 0, 0
    outlets: list[str] = []
    clock: str | None = None  # a time of day above a date the text's dateline gives
    for i, line in enumerate(rest):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > 6:
            break
        header = _HEADER.match(stripped)
        if header:
            key, value = header.group(1).lower(), header.group(2).strip()
            if key == "source" and source is None:
                source = value
            elif key in ("url", "link") and url is None:
                url = value
            elif key == "date":
                date = parse_date(value) or date
            head_end = maybe_end = i + 1
            continue
        said = masthead_line(stripped)
        if not said.any:
            break
        date = date or said.date
        clock = clock or said.clock
        if said.clock and date and len(date) == 10:  # "Mar. 4, 2031", then "6:50 p.m."
            date = parse_date(f"{date} {said.clock}") or date
        outlets += [said.outlet] if said.outlet else []
        maybe_end = i + 1
        if said.date or said.byline or said.clock:
            head_end = maybe_end
    # the outlet lines above a date are the masthead's, that date on a line of its own or
    # in the dateline opening the text ("MERIDIAN NEWS", then "PORT SELLAN, MARCH 4, 2031 —")
    opening = _opening(rest[maybe_end:])
    if date is not None or opening.date is not None:
        head_end = maybe_end
        source = source or (outlets[0] if outlets else None)
    elif head_end != maybe_end:
        opening = _opening(rest[head_end:])
    body = opening.text
    if date is None and opening.date is not None and len(opening.date) == 10 and clock:
        # "By Estrian Wire staff · 16:40 CET", then "KORNAU, MARCH 6, 2031 — ..."
        date = parse_date(f"{opening.date} {clock}")
    date, source = date or opening.date, source or opening.outlet
    # a byline under the lead paragraph ("By Meridian Wire staff · 10:15 CET"): the outlet
    # and the hour it gives, and no line of the text
    paragraphs = re.split(r"\n\s*\n", body)
    if len(paragraphs) > 2 and len(under := paragraphs[1].strip()) <= 100 and "\n" not in under \
            and (said := masthead_line(under)).byline:
        body = "\n\n".join([paragraphs[0], *paragraphs[2:]])
        source = source or said.outlet
        if said.clock and date and len(date) == 10:
            date = parse_date(f"{date} {said.clock}") or date
    if len(paragraphs) > 1 and (signed := _sign_off(paragraphs[-1])) is not None:
        # "— The Dunmore Ledger" or "*Ombrava Wire Service*" under the text: who published
        # it, and no line of the text
        body = re.sub(r"\n\s*\n[^\n]*\s*$", "", body.rstrip())
        source = source or signed
    if not body and lines[0].lstrip().startswith("#"):  # a Markdown heading and no more
        raise EmptyInput(f"{origin or 'the report'} has a heading but no text")
    if not body:
        # A one-paragraph file: the first line is the text, not a title.
        body = text.strip()
        title = _title_from(body)
    return ReportDraft(title=title or _title_from(body), text=_strip_markdown(body), date=date,
                       source=source, url=url, origin=origin)


def _opening(lines: list[str]) -> Dateline:
    """The text of ``lines``, its opening dateline read (:func:`index.mastheads.read_dateline`)."""
    first, _, others = "\n".join(lines).strip().partition("\n")
    opening = read_dateline(first)
    under, _, after = others.partition("\n")
    if opening.date is not None and not opening.text and opening.outlet is None \
            and (outlet := outlet_name(under)) is not None:
        # "JULY 10, 2039, 9:15 PM —" over "Nordwire": the outlet, and no line of the text
        return Dateline(after.strip(), opening.date, outlet)
    return Dateline(f"{opening.text}\n{others}".strip(), opening.date, opening.outlet)


#: front-matter keys (lower case) and the report field each fills
_FRONT_KEYS = {"title": "title", "date": "date", "published": "date", "pubdate": "date",
               "source": "source", "publisher": "source", "site": "source", "url": "url",
               "link": "url", "canonical": "url", "permalink": "url"}
_FRONT_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """YAML front matter (``---``, ``key: value`` lines, ``---``) as the report fields it
    names, and the lines after it; ``None`` when the text does not open with it."""
    if not lines or lines[0].strip() != "---":
        return None
    for end in range(1, min(len(lines), 80)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return None
    inner = [line for line in lines[1:end] if line.strip()]
    if not inner or not _FRONT_LINE.match(inner[0]):
        return None  # a horizontal rule, not front matter
    meta: dict[str, str] = {}
    for line in inner:
        m = _FRONT_LINE.match(line)
        key = _FRONT_KEYS.get(m.group(1).lower()) if m else None
        value = m.group(2).strip().strip("'\"").strip() if m else ""
        if key and value:
            meta.setdefault(key, value)
    return meta, lines[end + 1:]


def _title_from(body: str) -> str:
    first = body.strip().split("\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "..."


def _strip_markdown(body: str) -> str:
    body = re.sub(r"^#{1,6}\s*", "", body, flags=re.MULTILINE)
    body = re.sub(r"\[([^\]]+)\]\((?:[^)]+)\)", r"\1", body)  # [text](link) -> text
    body = re.sub(r"(\*\*|__)(.+?)\1", r"\2", body)
    # "*Correction: ...*": emphasis, not part of the words
    body = re.sub(r"(?<![\w*])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![\w*])", r"\1", body)
    return re.sub(r"(?<![\w_])_(?![\s_])([^_\n]+?)(?<!\s)_(?![\w_])", r"\1", body)


def parse_html(data: bytes | str, origin: str = "", *, url: str | None = None,
               source: str | None = None) -> ReportDraft:
    """Main text, title, date and canonical URL of an HTML page (trafilatura).

    The text is verbatim: each paragraph, heading or list item of the page is a paragraph of
    its own (never glued to the next), and the headline is left out. The outlet is the one
    the page names (:mod:`index.pages`), else ``source``, else the host of ``url``. A
    canonical link that cannot be parsed, or that names the site's home page, is ignored.
    Dates come from the page's metadata and markup only (no guessing from a copyright
    year).

    trafilatura's ``deduplicate`` stays off: its cache is process-wide and drops paragraphs
    seen a few times before (a page fetched again, a syndicated copy would lose its text)."""
    import trafilatura

    from index.pages import drop_headline, host_outlet, read_page

    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    if not raw.strip():
        raise EmptyInput(f"{origin or 'the page'} is empty")
    if b"\x00" in raw[:8192]:
        raise BinaryInput(f"{origin or 'the page'} looks like a binary file, not HTML")
    try:
        doc = trafilatura.bare_extraction(
            raw, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # lxml raises a zoo of errors on hostile markup
        raise MalformedInput(f"{origin or 'the page'} could not be parsed as HTML: {exc}") from exc
    meta = read_page(raw, getattr(doc, "sitename", None) if doc is not None else None,
                     (url, getattr(doc, "url", None)))
    lines = ((getattr(doc, "text", None) or "") if doc is not None else "").split("\n")
    text = "\n\n".join(line.strip() for line in drop_headline(lines, meta.headlines)
                        if line.strip())
    if not text:
        raise EmptyInput(f"{origin or 'the page'} has no readable article text")
    title = (getattr(doc, "title", None) or "").strip() or _title_from(text)
    date = parse_date(getattr(doc, "date", None) or "")
    page_url = getattr(doc, "url", None)
    if page_url and (host_outlet(page_url) is None
                     or (_site_root(page_url) and page_url != url)):
        # malformed, or a site that names its home page the canonical link of every article
        log.info("%s: ignoring the canonical link %r", origin or "page", page_url)
        page_url = None
    page_url = urldefrag(page_url or url or "").url or None  # "#top" names no other page
    site = meta.outlet or source or host_outlet(page_url)
    return ReportDraft(title=title, text=text, date=date, source=site or None,
                       url=page_url or None, origin=origin)


def _site_root(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def parse_jsonl_line(line: str, origin: str) -> ReportDraft:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInput(f"{origin}: not valid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise MalformedInput(f"{origin}: JSON nested too deeply") from exc
    if not isinstance(obj, dict):
        raise MalformedInput(f"{origin}: a line must be a JSON object")
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise MalformedInput(f"{origin}: 'text' must be a string, not {_json_type(text)}")
    if not isinstance(text, str) or not text.strip():
        raise MalformedInput(f"{origin}: no 'text' field")
    fields: dict[str, str | None] = {}
    for key in ("id", "title", "date", "source", "url"):
        value = obj.get(key)
        # an id or a date may be a number (an export's row number, 20260302); the rest are
        # text
        if isinstance(value, (dict, list, bool)) or (
                key not in ("id", "date") and value is not None and not isinstance(value, str)):
            raise MalformedInput(f"{origin}: '{key}' must be a string, not {_json_type(value)}")
        fields[key] = None if value is None or value == "" else str(value)
    for key, value in (("text", text), *fields.items()):
        if value is not None:
            check_text(value, f"{origin}: '{key}'")
    title = (fields["title"] or "").strip() or _title_from(text)
    raw_date = fields["date"]
    return ReportDraft(
        title=title, text=text.strip(),
        date=parse_date(raw_date) if raw_date else None,
        source=_str_or_none(fields["source"]), url=_str_or_none(fields["url"]),
        report_id=fields["id"], origin=origin)


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", bool: "true/false", int: "a number",
             float: "a number"}
    return names.get(type(value), type(value).__name__)


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def load_bytes(data: bytes, name: str, origin: str | None = None) -> Iterator[Loaded]:
    """Drafts (or problems) from the bytes of a file called ``name``."""
    yield from load_stream(io.BytesIO(data), name, origin, size=len(data))


def load_stream(stream: Reader, name: str, origin: str | None = None, *,
                size: int | None = None) -> Iterator[Loaded]:
    """Drafts (or problems) from an open binary file called ``name`` of ``size`` bytes.
    JSONL (plain or gzipped) is read line by line; other formats at most
    ``MAX_REPORT_BYTES`` of them."""
    origin = origin or name
    lower = name.lower()
    try:
        gzipped = lower.endswith(".gz")
        if gzipped:
            lower = lower[:-3]
            cap = MAX_INFLATED_BYTES
            if size is not None:
                cap = min(cap, max(MIN_INFLATE_CAP, MAX_INFLATE_RATIO * size))
            stream = io.BufferedReader(_Gunzip(stream, cap, origin))
        if lower.endswith((".jsonl", ".ndjson")):
            yield from _jsonl(stream, origin)
            return
        data = _read_capped(stream, origin, gzipped)
        if lower.endswith(HTML_SUFFIXES):
            decode_text(data, origin)  # rejects binary and empty input with a clear reason
            yield parse_html(data, origin)
        elif lower.endswith(TEXT_SUFFIXES) or lower in ("-", "<stdin>"):
            text = decode_text(data, origin)
            if _looks_like_html(text):
                yield parse_html(data, origin)
            else:
                yield parse_text(check_text(text, origin), origin)
        else:
            raise UnsupportedFormat(
                f"{origin}: unsupported file type (use .txt, .md, .html, .jsonl or .jsonl.gz)")
    except InputError as exc:
        yield LoadProblem(origin, str(exc))


def _read_capped(stream: Reader, origin: str, gzipped: bool) -> bytes:
    try:
        data = stream.read(MAX_REPORT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        if not gzipped:
            raise MalformedInput(f"{origin} cannot be read: {exc}") from exc
        raise MalformedInput(f"{origin} is not a valid gzip file ({_gzip_reason(exc)})") from exc
    if len(data) > MAX_REPORT_BYTES:
        raise MalformedInput(f"{origin} is larger than {MAX_REPORT_BYTES // 1_000_000} MB")
    return data


def _gzip_reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "truncated"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class _Gunzip(io.RawIOBase):
    """The inflated bytes of a gzip stream (members one after another), a bounded piece at a
    time; :class:`MalformedInput` once more than ``cap`` bytes came out, ``EOFError`` when
    the stream stops inside a member (after everything before the cut was returned)."""

    def __init__(self, inner: Reader, cap: int, origin: str) -> None:
        super().__init__()
        self._inner = inner
        self._cap = cap
        self._origin = origin
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""
        self._in_member = False
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while True:
            data = self._pending or self._inner.read(1 << 16)
            if not data:
                if self._in_member:
                    raise EOFError("the gzip stream is truncated")
                return 0
            out = self._decoder.decompress(data, len(buffer))
            self._in_member = True
            self._pending = self._decoder.unconsumed_tail
            if self._decoder.eof:  # a member ended; another may follow
                self._pending = self._decoder.unused_data.lstrip(b"\x00")
                self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._in_member = False
            if out:
                self.total += len(out)
                if self.total > self._cap:
                    raise MalformedInput(
                        f"{self._origin} inflates to more than {self._cap // 1_000_000} MB "
                        "(a decompression bomb?): the rest is not read; gunzip it to ingest "
                        "it whole")
                buffer[:len(out)] = out
                return len(out)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _jsonl(raw: Reader, origin: str) -> Iterator[Loaded]:
    """One draft or problem per non-empty line; a line is decoded and checked on its own."""
    stream = raw
    number = 0
    any_line = False
    try:
        while True:
            line = stream.readline(MAX_REPORT_BYTES + 1)
            if not line:
                break
            number += 1
            where = f"{origin} line {number}"
            if number == 1:
                if line.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: read it whole
                    rest = line + stream.read(MAX_REPORT_BYTES + 1 - len(line))
                    text = decode_text(rest, origin)
                    stream = io.BufferedReader(io.BytesIO(text.encode("utf-8", "replace")))
                    number = 0
                    continue
                if line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                elif _control_ratio(line[:8192]) > 0.10 and b"{" not in line[:8192]:
                    raise BinaryInput(f"{origin} looks like a binary file, not JSONL")
            if len(line) > MAX_REPORT_BYTES:
                _skip_line(stream)
                any_line = True
                yield LoadProblem(where, f"{where}: longer than "
                                         f"{MAX_REPORT_BYTES // 1_000_000} MB, not read")
                continue
            if not line.strip():
                continue
            any_line = True
            try:
                yield parse_jsonl_line(_decode_line(line, where), where)
            except InputError as exc:
                yield LoadProblem(where, str(exc))
    except InputError as exc:
        yield LoadProblem(origin, str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield LoadProblem(origin, f"{origin} is not a valid gzip file ({_gzip_reason(exc)})"
                          + (f" after line {number}" if number else ""))
        return
    if not any_line:
        yield LoadProblem(origin, f"{origin} is empty")


def _skip_line(stream: Reader) -> None:
    """Read past the rest of an overlong line, a chunk at a time."""
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _decode_line(line: bytes, where: str) -> str:
    if b"\x00" in line:
        raise BinaryInput(f"{where}: holds NUL bytes (binary data), not a JSON object")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", "replace")  # JSON's own escapes are ASCII anyway


def iter_files(path: Path) -> Iterator[Path]:
    """``path`` itself, or every readable report file below a folder, in name order."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.name.lower().endswith(SUFFIXES) \
                    and not any(p.startswith(".") for p in child.relative_to(path).parts):
                yield child
    else:
        yield path


def load_inputs(inputs: Iterable[str], stdin: Reader | bytes | None = None
                ) -> Iterator[Loaded]:
    """Drafts from paths (files or folders) and ``-`` (stdin: JSONL read a line at a time,
    anything else as one report). URLs are fetched elsewhere."""
    for item in inputs:
        if item == "-":
            yield from _load_stdin(sys.stdin.buffer if stdin is None else stdin)
            continue
        path = Path(item)
        if not path.exists():
            yield LoadProblem(item, f"{item} does not exist")
            continue
        for file in iter_files(path):
            try:
                stream = file.open("rb")
                size = file.stat().st_size
            except OSError as exc:
                yield LoadProblem(str(file), f"{file} cannot be read: {exc.strerror}")
                continue
            with stream:
                yield from load_stream(stream, file.name, str(file), size=size)


def _load_stdin(source: Reader | bytes) -> Iterator[Loaded]:
    """Stdin is JSONL when its first non-blank byte is ``{`` (then streamed a line at a time,
    so a pipe of millions of records never sits in memory whole), else one report."""
    raw = io.BytesIO(source) if isinstance(source, bytes) else source
    stream = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(Any, raw))
    while True:  # leading blank space starts nothing: drop it until a byte that decides
        peeked = stream.peek(4096)
        if not peeked or peeked.lstrip():
            break
        stream.read(len(peeked))
    first = stream.peek(1).lstrip()[:1]
    yield from load_stream(stream, "<stdin>.jsonl" if first == b"{" else "<stdin>", "<stdin>")


def count_files(inputs: Iterable[str]) -> int | None:
    """How many reports :func:`load_inputs` will yield, when that is known without reading
    them: ``None`` when a JSONL file, stdin or a URL is among the inputs."""
    total = 0
    for item in inputs:
        if item == "-" or "://" in item:
            return None
        path = Path(item)
        for file in iter_files(path) if path.exists() else [path]:
            if file.name.lower().endswith(JSONL_SUFFIXES):
                return None
            total += 1
    return total
