"""The bot token kept out of everything the process writes.

:func:`install` sets up one :class:`Redactor` for the whole process: ``sys.stdout`` and
``sys.stderr`` are replaced by :class:`RedactingStream` wrappers (and the log handlers that
wrote to them now write through them), every root log handler gets a :class:`RedactFilter`
(the message, its arguments and the formatted traceback), and ``sys.excepthook`` /
``threading.excepthook`` print uncaught exceptions through the redactor. The token is
matched in any case (a server may echo a lower-cased request path) and URL-encoded
(``%3A`` for the colon); its secret half is matched on its own too.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any, cast
from urllib.parse import quote

log = logging.getLogger(__name__)

MASK = "<token>"


class Redactor:
    """Replaces every form of the given secrets in a text by ``<token>``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms.update({secret, quote(secret, safe=""), quote(secret)})
            _, _, tail = secret.partition(":")
            if len(tail) >= 8:
                forms.add(tail)
        ordered = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) \
            if ordered else None

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)


class RedactFilter(logging.Filter):
    """Redacts a log record in place: message, arguments, traceback and stack."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class RedactingStream(io.TextIOBase):
    """A text stream that redacts whole lines before passing them on (a token split over
    two ``write`` calls is still caught)."""

    def __init__(self, inner: IO[str], redact: Redactor) -> None:
        super().__init__()
        self.inner = inner
        self._redact = redact
        self._pending = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            if "\n" in self._pending:
                done, _, self._pending = self._pending.rpartition("\n")
                self.inner.write(self._redact(done + "\n"))
            if len(self._pending) > 65536:
                self.inner.write(self._redact(self._pending))
                self._pending = ""
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self.inner.write(self._redact(self._pending))
                self._pending = ""
        self.inner.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.inner, "encoding", "utf-8"))


@dataclass
class Installed:
    """What :func:`install` changed, so that :meth:`undo` can put it back."""

    redact: Redactor
    stdout: IO[str]
    stderr: IO[str]
    excepthook: Callable[[type[BaseException], BaseException, TracebackType | None], object]
    thread_hook: Callable[[threading.ExceptHookArgs], object]
    streams: dict[logging.StreamHandler[Any], Any] = field(default_factory=dict)
    filters: list[logging.Handler] = field(default_factory=list)
    log_filter: RedactFilter | None = None

    def wrap(self, stream: IO[str]) -> IO[str]:
        """``stream`` through the redactor (the process's own wrapper for stdout/stderr)."""
        if stream is self.stdout:
            return sys.stdout
        if stream is self.stderr:
            return sys.stderr
        return cast(IO[str], RedactingStream(stream, self.redact))

    def undo(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = self.stdout, self.stderr
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_hook
        for stream_handler, original in self.streams.items():
            stream_handler.setStream(original)
        for handler in self.filters:
            if self.log_filter is not None:
                handler.removeFilter(self.log_filter)


def install(secrets: Iterable[str]) -> Installed:
    """Redact ``secrets`` from every line this process writes from now on."""
    redact = Redactor(secrets)
    state = Installed(redact, sys.stdout, sys.stderr, sys.excepthook, threading.excepthook)
    out = RedactingStream(sys.stdout, redact)
    err = RedactingStream(sys.stderr, redact)
    sys.stdout, sys.stderr = cast(IO[str], out), cast(IO[str], err)
    state.log_filter = RedactFilter(redact)
    for handler in logging.getLogger().handlers:
        handler.addFilter(state.log_filter)
        state.filters.append(handler)
        if isinstance(handler, logging.StreamHandler):
            if handler.stream is state.stderr:
                state.streams[handler] = handler.setStream(err)
            elif handler.stream is state.stdout:
                state.streams[handler] = handler.setStream(out)

    def excepthook(kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, exc, tb))))
        sys.stderr.flush()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    return state
