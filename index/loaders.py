"""Loaders: turn files, folders, stdin and bytes into :class:`ReportDraft` objects.

Formats: ``.txt``/``.md`` (first line the title, a date line near the top, optional
``Source:``/``URL:`` lines, then the body), ``.html`` (main text, title and date through
trafilatura), ``.jsonl``/``.jsonl.gz`` (one report a line: ``id``, ``title``, ``date``,
``source``, ``url``, ``text``; other fields ignored). A bad input becomes a
:class:`LoadProblem` naming it; loading goes on with the rest.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.dates import find_date_line, parse_date
from index.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedInput,
    UndecodableInput,
    UnsupportedFormat,
)
from index.models import LoadProblem, ReportDraft

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
MAX_REPORT_BYTES = 20_000_000

Loaded = ReportDraft | LoadProblem


def decode_text(data: bytes, origin: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else UTF-16 with BOM, else cp1252.

    Raises :class:`EmptyInput`, :class:`BinaryInput` or :class:`UndecodableInput`.
    """
    if not data.strip():
        raise EmptyInput(f"{origin} is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableInput(f"{origin} is not valid UTF-16 text") from exc
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


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


_HEADER = re.compile(r"^(source|url|link|date|by|author)\s*:\s*(.+)$", re.IGNORECASE)


def parse_text(text: str, origin: str = "", *, source: str | None = None,
               url: str | None = None) -> ReportDraft:
    """A plain-text or Markdown report: title, date line, ``Source:``/``URL:`` lines, body."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or not any(line.strip() for line in lines):
        raise EmptyInput(f"{origin or 'the report'} is empty")
    title = re.sub(r"^#+\s*", "", lines[0]).strip().strip("*_ ").strip()
    rest = lines[1:]
    date: str | None = None
    head_end = 0
    # Metadata lives in the first few non-empty lines after the title.
    seen = 0
    for i, line in enumerate(rest):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > 5:
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
            head_end = i + 1
            continue
        if date is None and (found := find_date_line(stripped)):
            date = found
            head_end = i + 1
            continue
        break
    body = "\n".join(rest[head_end:]).strip()
    if not body:
        # A one-paragraph file: the first line is the text, not a title.
        body = text.strip()
        title = _title_from(body)
    return ReportDraft(title=title or _title_from(body), text=_strip_markdown(body), date=date,
                       source=source, url=url, origin=origin)


def _title_from(body: str) -> str:
    first = body.strip().split("\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "..."


def _strip_markdown(body: str) -> str:
    body = re.sub(r"^#{1,6}\s*", "", body, flags=re.MULTILINE)
    body = re.sub(r"\[([^\]]+)\]\((?:[^)]+)\)", r"\1", body)  # [text](link) -> text
    body = re.sub(r"(\*\*|__)(.+?)\1", r"\2", body)
    return body


def parse_html(data: bytes | str, origin: str = "", *, url: str | None = None,
               source: str | None = None) -> ReportDraft:
    """Main text, title, date and canonical URL of an HTML page (trafilatura).

    The text is verbatim: each paragraph, heading or list item of the page is a paragraph of
    its own (never glued to the next), and the headline is left out. The outlet is the one
    the page names (:mod:`index.pages`), else ``source``, else the host of ``url``. A
    canonical link that cannot be parsed is ignored. Dates come from the page's metadata and
    markup only (no guessing from a copyright year).

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
    if page_url and host_outlet(page_url) is None:
        log.info("%s: ignoring the malformed canonical link %r", origin or "page", page_url)
        page_url = None
    page_url = page_url or url
    site = meta.outlet or source or host_outlet(page_url)
    return ReportDraft(title=title, text=text, date=date, source=site or None,
                       url=page_url or None, origin=origin)


def parse_jsonl_line(line: str, origin: str) -> ReportDraft:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInput(f"{origin}: not valid JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise MalformedInput(f"{origin}: a line must be a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedInput(f"{origin}: no 'text' field")
    title = obj.get("title")
    title = title.strip() if isinstance(title, str) and title.strip() else _title_from(text)
    rid = obj.get("id")
    raw_date = obj.get("date")
    return ReportDraft(
        title=title, text=text.strip(),
        date=parse_date(str(raw_date)) if raw_date not in (None, "") else None,
        source=_str_or_none(obj.get("source")), url=_str_or_none(obj.get("url")),
        report_id=str(rid) if rid not in (None, "") else None, origin=origin)


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def load_bytes(data: bytes, name: str, origin: str | None = None) -> Iterator[Loaded]:
    """Drafts (or problems) from the bytes of a file called ``name``."""
    origin = origin or name
    lower = name.lower()
    try:
        if len(data) > MAX_REPORT_BYTES and not lower.endswith(JSONL_SUFFIXES):
            raise MalformedInput(f"{origin} is larger than {MAX_REPORT_BYTES // 1_000_000} MB")
        if lower.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise MalformedInput(f"{origin} is not a valid gzip file") from exc
            lower = lower[:-3]
        if lower.endswith((".jsonl", ".ndjson")):
            yield from _jsonl(decode_text(data, origin), origin)
        elif lower.endswith(HTML_SUFFIXES):
            decode_text(data, origin)  # rejects binary and empty input with a clear reason
            yield parse_html(data, origin)
        elif lower.endswith(TEXT_SUFFIXES) or lower in ("-", "<stdin>"):
            text = decode_text(data, origin)
            if _looks_like_html(text):
                yield parse_html(data, origin)
            else:
                yield parse_text(text, origin)
        else:
            raise UnsupportedFormat(
                f"{origin}: unsupported file type (use .txt, .md, .html, .jsonl or .jsonl.gz)")
    except InputError as exc:
        yield LoadProblem(origin, str(exc))


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _jsonl(text: str, origin: str) -> Iterator[Loaded]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin} line {number}"
        try:
            yield parse_jsonl_line(line, where)
        except InputError as exc:
            yield LoadProblem(where, str(exc))


def iter_files(path: Path) -> Iterator[Path]:
    """``path`` itself, or every readable report file below a folder, in name order."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.name.lower().endswith(SUFFIXES) \
                    and not any(p.startswith(".") for p in child.relative_to(path).parts):
                yield child
    else:
        yield path


def load_inputs(inputs: Iterable[str], stdin: bytes | None = None) -> Iterator[Loaded]:
    """Drafts from paths (files or folders) and ``-`` (stdin). URLs are fetched elsewhere."""
    for item in inputs:
        if item == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            name = "<stdin>.jsonl" if data.lstrip()[:1] == b"{" else "<stdin>"
            yield from load_bytes(data, name, "<stdin>")
            continue
        path = Path(item)
        if not path.exists():
            yield LoadProblem(item, f"{item} does not exist")
            continue
        for file in iter_files(path):
            try:
                data = file.read_bytes()
            except OSError as exc:
                yield LoadProblem(str(file), f"{file} cannot be read: {exc.strerror}")
                continue
            yield from load_bytes(data, file.name, str(file))


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
