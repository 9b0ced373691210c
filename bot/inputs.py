"""Expand the command line's INPUT arguments (paths, ``-``, URLs) into loaded reports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bot.config import Config
from index.loaders import Loaded, load_inputs
from index.models import LoadProblem


def expand_inputs(inputs: Sequence[str], config: Config, stdin: bytes | None = None
                  ) -> Iterator[Loaded]:
    """Drafts from every input in order: files, folders, ``-`` and http(s) URLs."""
    for item in inputs:
        if "://" in item:
            yield LoadProblem(item, "fetching URLs is not available yet")
        else:
            yield from load_inputs([item], stdin=stdin)
