"""Text from outside, checked for what a Python string allows but UTF-8 does not.

A lone surrogate (U+D800-U+DFFF on its own) reaches a ``str`` from a ``"\\ud800"`` escape in
JSON, a ``&#xD800;`` reference in XML or HTML, or undecodable bytes in ``sys.argv`` (Python
keeps them as surrogate escapes). Such a string cannot be encoded as UTF-8, so hashing,
storing it in SQLite or tokenizing it fails far from where it came in. Reports are checked
here and refused by name (:func:`check_text`, :func:`check_draft`); questions are repaired
(:func:`scrub`), and markup pasted into one is no part of what it asks (:func:`unmarked`).
"""

from __future__ import annotations

import html
import re

from index.errors import InputError, UndecodableInput
from index.models import LoadProblem, ReportDraft

_SURROGATE = re.compile("[\ud800-\udfff]")
# Numeric character references to surrogates or NUL in XML/HTML bytes: ``&#xD800;``,
# ``&#55296;``, ``&#0;``. XML parsers either raise on them or hand back broken strings.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
REPLACEMENT = "\ufffd"
# a script's or style's body is code, a comment is hidden; any other tag goes, its text stays
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)",
                     re.I | re.S)
_TAG = re.compile(r"</?[a-z][a-z0-9-]*\b[^<>]*>", re.I)


def first_surrogate(text: str) -> int | None:
    """Where the first lone surrogate in ``text`` is, or ``None``."""
    match = _SURROGATE.search(text)
    return match.start() if match else None


def check_text(text: str, what: str) -> str:
    """``text`` unchanged when it is valid Unicode; else :class:`UndecodableInput` saying
    where (``what`` names the field and the input)."""
    at = first_surrogate(text)
    if at is not None:
        raise UndecodableInput(
            f"{what} holds a lone surrogate (\\u{ord(text[at]):04x} at character {at}), "
            "which is not valid Unicode")
    return text


def check_draft(draft: ReportDraft) -> ReportDraft | LoadProblem:
    """``draft``, or the problem that keeps it out (text that is not valid Unicode cannot be
    hashed, stored or embedded; the loaders check this too, other callers may not)."""
    try:
        for name in ("title", "text", "source", "url", "report_id", "date"):
            value = getattr(draft, name)
            if value is not None:
                check_text(value, f"{draft.origin or 'a report'}: {name}")
    except InputError as exc:
        return LoadProblem(scrub(draft.origin or draft.title[:60]), str(exc))
    return draft


def scrub(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD and NUL characters dropped."""
    return _SURROGATE.sub(REPLACEMENT, text).replace("\x00", "")


def unmarked(text: str) -> str:
    """``text`` without HTML markup: scripts, styles and comments whole, other tags alone,
    and character references read ("&lt;i&gt;" is markup too)."""
    for _ in range(2):  # "&lt;b&gt;" is a tag once read
        text = _TAG.sub(" ", _HIDDEN.sub(" ", text))
        text = html.unescape(text)
    return text


def scrub_char_refs(data: bytes) -> bytes:
    """XML/HTML bytes with references to surrogates and NUL replaced by ``&#xFFFD;``."""
    def fix(match: re.Match[bytes]) -> bytes:
        hex_digits, digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        return b"&#xFFFD;" if code == 0 or 0xD800 <= code <= 0xDFFF else match.group(0)

    if b"&#" not in data:
        return data
    return _CHAR_REF.sub(fix, data)
