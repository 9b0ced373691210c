"""Fault injection for the crash-safety tests: :func:`kill_point` names a moment (right after
a batch commit, right after the vector index is saved) where a test can have the process
kill itself with SIGKILL, so the kill lands exactly there, not after a guessed sleep.

Inert unless the environment variable ``BRIEFBOT_KILL_AT`` names the point (read at each
call, nothing at import). ``BRIEFBOT_KILL_AT=after_commit:2`` kills at the second time the
point is reached.
"""

from __future__ import annotations

import os
import signal

ENV = "BRIEFBOT_KILL_AT"
_reached: dict[str, int] = {}


def kill_point(name: str) -> None:
    """SIGKILL this process when ``BRIEFBOT_KILL_AT`` names ``name`` (and the count is due)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
