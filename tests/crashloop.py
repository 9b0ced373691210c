"""The kill loop of the crash-safety test, run in a process of its own (it forks).

``python -m tests.crashloop WORKDIR POINT RUNS`` writes RUNS small reports, then RUNS times
forks a child that ingests the first i+1 of them with ``BRIEFBOT_KILL_AT=POINT`` (the child
SIGKILLs itself right there, see :mod:`index.faults`), and after each kill opens the data
directory and checks it. Prints one JSON object per run, then one for a clean rerun."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from pathlib import Path

from bot.cli import main
from index.faults import ENV
from index.library import Library
from tests.fakes import FakeEmbedder


def write_reports(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"r{i:02d}.md"
        path.write_text(f"Crane {i} repaired\n\nMonday, 2 Mar, 2026\n\nCrane number {i} at "
                        f"berth {i + 40} was repaired overnight. Dockers {i * 7} returned to "
                        f"work. The port said {i + 3} ships wait.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def ingest(data: Path, files: list[str]) -> int:
    out, err = io.StringIO(), io.StringIO()
    return main(["ingest", "--data-dir", str(data), "--no-progress", *files],
                embedder_factory=lambda m: FakeEmbedder(), stdout=out, stderr=err)


def check(data: Path) -> dict[str, object]:
    """What the store and the vector index hold, after opening as the next run would."""
    with Library(data, FakeEmbedder()) as library:
        import faiss

        reports, sentences, _, _ = library.store.counts()
        hashes = library.store.query("SELECT COUNT(DISTINCT content_hash) FROM reports")[0][0]
        titles = sorted(str(r[0]) for r in library.store.query("SELECT title FROM reports"))
        stored_ids = sorted(int(str(r[0])) for r in library.store.query(
            "SELECT id FROM sentences"))
        index = library.vectors._index
        faiss_ids = sorted(int(i) for i in faiss.vector_to_array(index.id_map))
        return {"reports": reports, "distinct": hashes, "titles": titles,
                "sentences": sentences, "vectors_match": faiss_ids == stored_ids}


def run(work: Path, point: str, runs: int) -> None:
    files = write_reports(work / "in", runs)
    data = work / "data"
    for i in range(runs):
        pid = os.fork()
        if pid == 0:  # the child: ingest, die at the kill point
            code = 3
            try:
                os.environ[ENV] = point
                ingest(data, files[: i + 1])
            finally:
                os._exit(code)  # reached only when the kill did not happen
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print(json.dumps({"run": i, "killed": killed, **check(data)}), flush=True)
    code = ingest(data, files)
    print(json.dumps({"run": "rerun", "exit": code, **check(data)}), flush=True)


if __name__ == "__main__":
    run(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
