"""The terminal chat's input: line editing and a history kept across sessions when a person
types at a terminal; plain line reading when the input is a pipe or a file.

At a terminal, ``readline`` (imported only then) gives the usual editing keys (arrows,
Ctrl-A/E, Ctrl-R) and the history, read from and saved to a file (``chat_history`` in the
data directory). Without a terminal, or without ``readline``, lines are read as they come.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import IO

log = logging.getLogger(__name__)

HISTORY_NAME = "chat_history"
HISTORY_LENGTH = 1000


class Prompt:
    """Reads one question at a time; use as a context manager so the history is saved."""

    def __init__(self, stdin: IO[str], stdout: IO[str], history: Path | None,
                 text: str = "? ") -> None:
        self.stdin, self.stdout, self.history, self.text = stdin, stdout, history, text
        self._readline: ModuleType | None = None

    @property
    def interactive(self) -> bool:
        """A person at a terminal: ``input()`` (and so readline) reads the real stdin."""
        return self.stdin is sys.stdin and _isatty(self.stdin)

    def __enter__(self) -> Prompt:
        if not self.interactive:
            return self
        reconfigure = getattr(self.stdin, "reconfigure", None)
        if reconfigure is not None:  # bad bytes typed or pasted become U+FFFD, not an error
            reconfigure(errors="replace")
        try:
            import readline
        except ImportError:  # a Python built without it: plain input, still at a prompt
            log.debug("readline is not available: no line editing or history")
            return self
        self._readline = readline
        readline.set_history_length(HISTORY_LENGTH)
        if self.history is not None and self.history.is_file():
            try:
                readline.read_history_file(self.history)
            except OSError as exc:
                log.warning("could not read the chat history %s: %s", self.history, exc)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._readline is None or self.history is None:
            return
        try:
            self._readline.write_history_file(self.history)
            self.history.chmod(0o600)  # questions may be private
        except OSError as exc:
            log.warning("could not save the chat history %s: %s", self.history, exc)

    def read(self) -> str | None:
        """The next line without its newline; ``None`` at the end of input (Ctrl-D)."""
        if self.interactive:
            try:
                return input(self.text)
            except EOFError:
                print(file=self.stdout, flush=True)
                return None
        buffer = getattr(self.stdin, "buffer", None)
        line = (buffer.readline().decode("utf-8", "replace") if buffer is not None
                else self.stdin.readline())  # each line decoded on its own: bad bytes in
        return line.rstrip("\n") if line else None  # one never end the chat


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
