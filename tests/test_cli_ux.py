"""The command line says what is wrong instead of guessing: a data directory without an
index, unknown config keys, ``-k`` bounding every list of quotes, ``--version``."""

from __future__ import annotations

import io
import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.cli import main
from index.library import Library
from index.models import IngestResult
from tests.fakes import FakeEmbedder
from tests.test_cli import data, run

__all__ = ["data"]


@pytest.mark.parametrize("command", [["ask", "how many?"], ["digest"], ["sources"],
                                     ["chat"]])
def test_missing_data_dir_is_an_error_and_not_created(tmp_path: Path, command: list[str]
                                                      ) -> None:
    missing = tmp_path / "typo"
    code, out, err = run([*command, "--data-dir", str(missing)])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert str(missing) in err and "no index" in err and "briefbot ingest" in err
    assert not missing.exists()


@pytest.mark.parametrize("command", [["ask", "how many?"], ["digest"], ["sources"]])
def test_data_dir_without_an_index_is_an_error(tmp_path: Path, command: list[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run([*command, "--data-dir", str(empty)])
    assert code == 2 and "no index" in err
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize(("toml", "key", "nearest"), [
    ("[digest]\ndefault_tme = '07:00'\n", "digest.default_tme", "digest.default_time"),
    ("data_dri = 'x'\n", "data_dri", "data_dir"),
    ("[telegram]\nadmin = [1]\n", "telegram.admin", "telegram.admins"),
    ("[fetch]\ntimout = 3\n", "fetch.timout", "fetch.timeout"),
    ("[[feeds]]\nurl = 'https://x.example/f'\nevry = '1h'\n", "feeds.evry", "feeds.every"),
    ("[telegam]\ntoken = 'x'\n", "telegam", "telegram"),
])
def test_unknown_config_key_names_the_nearest(tmp_path: Path, toml: str, key: str,
                                              nearest: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml)
    code, _, err = run(["sources", "--config", str(cfg), "--data-dir", str(tmp_path / "d")])
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"'{key}'" in err and f"'{nearest}'" in err


def disagreeing(data_dir: Path) -> None:
    """Five reports of the same day that each give another death toll (a disagreement:
    figures of different days would be the toll's development)."""
    with Library(data_dir, FakeEmbedder()) as lib:
        from index.models import ReportDraft

        texts = [
            "The earthquake killed 10 people in Varnholm, the mayor said on Monday.",
            "Officials said 20 people were killed by the earthquake near Varnholm harbour.",
            "At least 30 people were killed in Varnholm when the quake struck at dawn.",
            "The quake in Varnholm killed 40 people, according to the regional governor.",
            "Rescuers in Varnholm said 50 people had been killed by the earthquake so far.",
        ]
        result: IngestResult = lib.ingest([
            ReportDraft(title=f"Varnholm quake, wire {n}", date="2026-04-01",
                        source=f"Wire {n}", text=text + f" Story {n} of a series.")
            for n, text in enumerate(texts, 1)])
        assert len(result.added) == 5


@pytest.mark.parametrize("k", [1, 2, 3])
def test_k_bounds_quotes_and_figures(tmp_path: Path, k: int) -> None:
    d = tmp_path / "d"
    disagreeing(d)
    q = "how many people did the earthquake kill in Varnholm?"
    code, out, _ = run(["ask", "--data-dir", str(d), "--json", "-k", str(k), q])
    obj = json.loads(out)
    assert code == 0 and obj["found"]
    assert len({c["sentence"] for c in obj["citations"]}) <= k
    assert 1 <= len(obj["figures"]) <= k
    code, out, _ = run(["ask", "--data-dir", str(d), "-k", str(k), q])
    quotes = [line for line in out.splitlines() if line.startswith("“")]
    figures = [line for line in out.splitlines() if line.startswith("  ") and " — " in line]
    assert 1 <= len(quotes) <= k and 1 <= len(figures) <= k
    assert "reports differ" in out.lower()


def test_k_default_still_lists_several_figures(tmp_path: Path) -> None:
    d = tmp_path / "d"
    disagreeing(d)
    code, out, _ = run(["ask", "--data-dir", str(d), "--json", "-k", "10",
                        "how many people did the earthquake kill in Varnholm?"])
    assert code == 0 and len(json.loads(out)["figures"]) >= 3


def test_version() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--version"], stdout=out, stderr=err)
    assert code == 0 and out.getvalue().strip() == f"briefbot {version('briefbot')}"


# -- the terminal chat at a real terminal (a pseudo-terminal) ---------------------------

CHAT = ("import sys; from bot.cli import main; from tests.fakes import FakeEmbedder; "
        "sys.exit(main(['chat', '--data-dir', sys.argv[1]], "
        "embedder_factory=lambda m: FakeEmbedder()))")


class Terminal:
    """``briefbot chat`` in a child process whose stdin and stdout are a pseudo-terminal."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        import os
        import pty
        import subprocess
        import sys

        self.master, slave = pty.openpty()
        env = {**(env or os.environ), "TERM": "xterm", "NO_COLOR": "1", "PYTHONFAULTHANDLER": "1"}
        self.proc = subprocess.Popen([sys.executable, "-c", CHAT, str(data_dir)],
                                     stdin=slave, stdout=slave, stderr=slave, env=env,
                                     cwd=Path(__file__).resolve().parent.parent)
        os.close(slave)
        self.output, self.seen = "", 0

    def type(self, keys: str) -> None:
        self.os_write(keys.encode())

    def os_write(self, raw: bytes) -> None:
        import os

        os.write(self.master, raw)

    def expect(self, text: str, timeout: float = 60.0) -> None:
        """Read the terminal until ``text`` shows after what was expected before (fails
        after ``timeout`` seconds)."""
        import os
        import select
        import time

        deadline = time.monotonic() + timeout
        while text not in self.output[self.seen:]:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never appeared in {self.output[-3000:]!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # the child closed the terminal
                    assert text in self.output[self.seen:], self.output[-3000:]
        self.seen = self.output.index(text, self.seen) + len(text)

    def close(self) -> int:
        import os
        import signal
        import subprocess

        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGABRT)  # faulthandler shows where it hung
            self.proc.wait(timeout=60)
            self.expect("\x00never", timeout=5)  # fails, showing the traceback
            raise
        os.close(self.master)
        return code


def test_chat_has_line_editing_and_history_across_sessions(data: Path) -> None:
    term = Terminal(data)
    term.expect("Ctrl-D quits.\r\n? ")
    # Ctrl-A goes to the start of the line: the question is completed in front.
    term.type("is the mayor of Dorvik?\x01who \r")
    term.expect("Ilse Brandt")
    term.expect("\n? ")  # keys typed before the prompt are not for readline
    term.type("\r")
    assert term.close() == 0
    history = (data / "chat_history").read_text()
    assert "who is the mayor of Dorvik?" in history
    # A new session: the up arrow brings the last question back.
    term = Terminal(data)
    term.expect("Ctrl-D quits.\r\n? ")
    term.type("\x1b[A\r")
    term.expect("Ilse Brandt")
    term.expect("\n? ")
    term.type("\x04")
    assert term.close() == 0


def test_chat_reads_a_pipe_without_a_terminal(data: Path) -> None:
    code, out, _ = run(["chat", "--data-dir", str(data)],
                       stdin="who is the mayor of Dorvik?\n")
    assert code == 0 and "Ilse Brandt" in out and "? " not in out
    assert not (data / "chat_history").exists()


def test_chat_survives_bad_bytes_from_a_pipe_and_a_terminal(data: Path) -> None:
    import os
    import subprocess
    import sys

    # A UTF-8 locale other than C.UTF-8 reads stdin strictly: bad bytes would raise.
    strict = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    proc = subprocess.run([sys.executable, "-c", CHAT, str(data)], capture_output=True,
                          env=strict, input=b"cocoa \xff prices\nwho is the mayor of Dorvik?\n",
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "Ilse Brandt" in out, proc.stderr.decode()[-2000:]
    assert "Traceback" not in proc.stderr.decode()
    term = Terminal(data, strict)
    term.expect("Ctrl-D quits.\r\n? ")
    term.os_write(b"cocoa \xff prices\r")
    term.expect("\n? ")
    term.type("who is the mayor of Dorvik?\r")
    term.expect("Ilse Brandt")
    term.expect("\n? ")
    term.type("\x04")
    assert term.close() == 0
    assert "Traceback" not in term.output


def test_figures_beyond_k_lead_the_further_evidence(tmp_path: Path) -> None:
    d = tmp_path / "d"
    disagreeing(d)
    with Library(d, FakeEmbedder()) as lib:
        q = "how many people did the earthquake kill in Varnholm?"
        full = lib.ask(q, k=10)
        one = lib.ask(q, k=1)
    assert len(full.figures) >= 3 and [f.value for f in one.figures] == [full.figures[0].value]
    shown = {c.sentence for c in one.citations}
    further = {c.sentence for c in one.more}
    assert len(shown) == 1 and not shown & further
    # Every figure the reports give is quoted or one press of "more evidence" away.
    assert all(any(f.value in s for s in shown | further) for f in full.figures)


def test_empty_digest_of_reports_dated_ahead_says_where_they_are(tmp_path: Path) -> None:
    """Tried as a new user would: reports of an exercise dated 2032, then ``digest``: "Nothing
    new since ..." with no hint (the hint named only reports dated before the window)."""
    report = tmp_path / "drill.md"
    report.write_text("# Drill toll rises\n\nPublished 13 October 2032 14:05\n\nThe toll "
                      "of the drill rose to nine.", encoding="utf-8")
    d = tmp_path / "d"
    assert run(["ingest", "--data-dir", str(d), str(report)])[0] == 0
    code, out, _ = run(["digest", "--data-dir", str(d)])
    assert code == 0 and "newest report is dated 2032-10-13" in out
    assert "--since 2032-10-13" in out


def test_digest_as_of_a_moment_like_ask_and_timeline(tmp_path: Path) -> None:
    """Tried as a new user would: ``digest --now 2032-10-14T09:00`` was refused ("unrecognized
    arguments") though ``ask`` and ``timeline`` take ``--now``: the 24 hours up to it."""
    for name, day, toll in (("a.md", "13 October 2032 14:05", "nine"),
                            ("b.md", "15 October 2032 10:00", "twelve")):
        (tmp_path / name).write_text(f"# Drill toll\n\nPublished {day}\n\nThe toll of the "
                                     f"drill rose to {toll}.", encoding="utf-8")
    d = tmp_path / "d"
    assert run(["ingest", "--data-dir", str(d), str(tmp_path / "a.md"),
                str(tmp_path / "b.md")])[0] == 0
    code, out, _ = run(["digest", "--data-dir", str(d), "--now", "2032-10-14T09:00"])
    assert code == 0 and "rose to nine" in out and "twelve" not in out
    code, out, _ = run(["digest", "--data-dir", str(d), "--now", "2032-10-16T09:00"])
    assert code == 0 and "twelve" in out and "nine" not in out
    assert run(["digest", "--data-dir", str(d), "--now", "yesterday"])[0] == 2  # argparse's


def test_empty_digest_of_an_archive_says_where_the_reports_are(data: Path) -> None:
    """Tried as a new user would: ingest last March's reports, run ``digest``, and read only
    "Nothing new since 2026-12-05T10:58:32+00:00". The window bounds report dates, so the
    command says how the newest report is dated and how to ask for it."""
    code, out, _ = run(["digest", "--data-dir", str(data)])
    assert code == 0
    assert "+00:00" not in out and not re.search(r"\dT\d", out)
    assert "newest report is dated 2026-03-0" in out and "--since 2026-03-0" in out
    hinted = out.split("--since ", 1)[1].split()[0].rstrip(".")
    code, out, _ = run(["digest", "--data-dir", str(data), "--since", hinted])
    assert code == 0 and out.startswith(f"Digest {hinted} .. ")
    assert not re.search(r"\dT\d|\+00:00", out.splitlines()[0])  # bounds as a reader writes them
