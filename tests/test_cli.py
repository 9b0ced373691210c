"""The command line through ``main(argv)``: ingest, ask (one and many, text and JSON), chat."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import command_log_level, main
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, embedder_factory=lambda model: FakeEmbedder(), stdin=io.StringIO(stdin),
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    code, out, _ = run(["ingest", "--data-dir", str(d), str(SAMPLES)])
    assert code == 0 and "added 7 report(s)" in out
    return d


def test_reingest_changes_nothing(data: Path) -> None:
    code, out, _ = run(["ingest", "--data-dir", str(data), str(SAMPLES)])
    assert code == 0 and "added 0 report(s)" in out and "unchanged 7" in out


def test_ask_json_contract(data: Path) -> None:
    code, out, _ = run(["ask", "--data-dir", str(data), "--json",
                        "how many container ships waiting outside Port Calder?"])
    assert code == 0
    obj = json.loads(out)
    assert set(obj) >= {"question", "found", "answer", "highlight", "citations"}
    assert obj["found"] is True
    cite = obj["citations"][0]
    assert set(cite) == {"n", "sentence", "report_id", "title", "date", "source", "url",
                         "score", "context"}
    assert cite["n"] == 1 and isinstance(cite["score"], float)
    assert obj["highlight"] in cite["sentence"]


@pytest.mark.parametrize("dash", [[], ["-"]])
def test_ask_many_questions_from_stdin(data: Path, dash: list[str]) -> None:
    """Omitted, or ``-`` as for ``ingest -`` (it was asked as the question "-")."""
    code, out, _ = run(["ask", "--data-dir", str(data), "--json", *dash],
                       stdin="how many ships waiting?\n\nwho is the mayor of Dorvik?\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [o["question"] for o in lines] == [
        "how many ships waiting?", "who is the mayor of Dorvik?"]


def test_many_answers_in_text_each_follow_their_question(data: Path) -> None:
    """Tried as a new user would: 30 questions piped into ``briefbot ask`` printed 30
    answers back to back, with nothing to tell which answered what."""
    code, out, _ = run(["ask", "--data-dir", str(data)],
                       stdin="how many ships waiting?\nwho is the mayor of Dorvik?\n")
    assert code == 0
    first, second = out.index("Q: how many ships waiting?"), out.index(
        "Q: who is the mayor of Dorvik?")
    assert first == 0 and "Ilse Brandt" in out[second:]
    _, one, _ = run(["ask", "--data-dir", str(data), "who is the mayor of Dorvik?"])
    assert not one.startswith("Q:")  # one question asked: its answer alone
    # tried as a new user would: a refused line ("????") vanished from the answers, its
    # reason printed apart, out of line with them
    code, out, err = run(["ask", "--data-dir", str(data)],
                         stdin="how many ships waiting?\n????\nwho is the mayor of Dorvik?\n")
    assert code == 1 and err == ""
    refused = out.index("Q: ????")
    assert out.index("Q: how many ships waiting?") < refused < out.index("Q: who is the mayor")
    assert "Ask a question with some words in it." in out[refused:]


def test_one_shot_commands_log_only_warnings_by_default() -> None:
    """Tried as a new user would: every command printed "INFO bot.services: opened ..." and
    "INFO ... loaded ONNX embedding model" above its answer."""
    assert command_log_level("ask", "INFO") == "WARNING"
    assert command_log_level("ingest", "INFO") == "WARNING"
    assert command_log_level("run", "INFO") == "INFO"  # the bot, a service, logs its work
    assert command_log_level("ask", "DEBUG") == "DEBUG"  # what the config asks for


def test_ask_text_output_cites(data: Path) -> None:
    code, out, _ = run(["ask", "--data-dir", str(data), "who is the mayor of Dorvik?"])
    assert code == 0 and "Ilse Brandt" in out and "[1]" in out and "Marenthal Courier" in out


def test_empty_question_is_a_clear_error(data: Path) -> None:
    """... with the exit status of every other input the command cannot use (was 1)."""
    code, _, err = run(["ask", "--data-dir", str(data), "   "])
    assert code == 2 and "question" in err.lower()
    code, _, err = run(["ask", "--data-dir", str(data), "how many?"])
    assert code == 2 and err.startswith("briefbot: ")


def test_bad_k(data: Path) -> None:
    code, _, err = run(["ask", "--data-dir", str(data), "-k", "0", "x"])
    assert code == 2 and "-k" in err


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_bad_sources_limit(data: Path, limit: str) -> None:
    """Tried as a new user would: ``--limit 0`` printed "No reports yet." of a full index,
    and ``--limit -3`` listed every report."""
    code, out, err = run(["sources", "--data-dir", str(data), "--limit", limit])
    assert code == 2 and "--limit" in err and "No reports" not in out


def test_ingest_bad_file_named_rest_ingested(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.md").write_text("Title\n\nGood body sentence.")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    code, out, err = run(["ingest", "--data-dir", str(tmp_path / "d"), str(tmp_path / "in")])
    assert code == 0 and "added 1 report(s)" in out and "bad.txt" in err


def test_ingest_names_the_reports_it_found_no_date_in(tmp_path: Path) -> None:
    """Tried as a new user would: a report whose masthead was not read was stored dated by
    its ingest, without a word."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dated.md").write_text("# Title\n\nPublished 3 March 2031\n\nA body.")
    (tmp_path / "in" / "undated.md").write_text("# Title two\n\nAnother body.")
    code, out, err = run(["ingest", "--data-dir", str(tmp_path / "d"), str(tmp_path / "in")])
    assert code == 0 and "added 2 report(s)" in out and not err
    assert "No date found in 1 report(s)" in out and "undated.md" in out
    assert out.count("dated.md") == out.count("undated.md") == 1


def test_ingest_only_bad_input_fails(tmp_path: Path) -> None:
    code, _, err = run(["ingest", "--data-dir", str(tmp_path / "d"), str(tmp_path / "nope.md")])
    assert code == 1 and "does not exist" in err


def test_ingest_stdin(tmp_path: Path) -> None:
    code, out, _ = run(["ingest", "--data-dir", str(tmp_path / "d"), "-"],
                       stdin="Stdin title\n\nA body from standard input.")
    assert code == 0 and "added 1 report(s)" in out


def test_chat_answers_until_empty_line(data: Path) -> None:
    code, out, _ = run(["chat", "--data-dir", str(data)],
                       stdin="who is the mayor of Dorvik?\n\nnot asked\n")
    assert code == 0 and "7 reports" in out and "Ilse Brandt" in out


def test_chat_answers_a_greeting_as_one(data: Path) -> None:
    """Tried as a new user would: ``make run`` without a token opens this chat, and its
    first "hi" was answered "Nothing in the reports answers that"."""
    code, out, _ = run(["chat", "--data-dir", str(data)], stdin="hi\nthanks!\n\n")
    assert code == 0 and "Hello!" in out and "welcome" in out
    assert "Nothing in the reports" not in out


def test_chat_points_a_question_for_all_the_news_to_the_digest(data: Path) -> None:
    """Tried as a new user would: "what's new?" in the chat was "Nothing in the reports
    answers that" although seven reports were loaded."""
    code, out, _ = run(["chat", "--data-dir", str(data)],
                       stdin="what's new?\nwho is the mayor of Dorvik?\n\n")
    assert code == 0 and "briefbot digest" in out and "Nothing in the reports" not in out
    assert "Ilse Brandt" in out.split("briefbot digest", 1)[1]  # the next is answered


def test_chat_takes_help_quit_and_says_what_an_unknown_command_is(data: Path) -> None:
    """Tried as a new user would, after the Telegram bot: "/help" in the terminal chat was
    answered "Nothing in the reports answers that"."""
    code, out, _ = run(["chat", "--data-dir", str(data)],
                       stdin="/help\n/sources\nwho is the mayor of Dorvik?\n/quit\nnot asked\n")
    assert code == 0 and "Nothing in the reports" not in out
    assert "Ask a question in plain words" in out
    assert "/sources is not a command here: use briefbot sources" in out
    assert "Ilse Brandt" in out and "not asked" not in out


def test_unknown_command_and_bad_config(tmp_path: Path) -> None:
    code, _, _ = run(["frobnicate"])
    assert code == 2
    bad = tmp_path / "c.toml"
    bad.write_text("[digest]\ndefault_timezone = 'Mars/Olympus'\n")
    code, _, err = run(["ask", "--config", str(bad), "x"])
    assert code == 2 and "Mars/Olympus" in err


def test_start_ingests_samples_then_chats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    code, out, _ = run(["start", "--data-dir", str(tmp_path / "d")], stdin="\n")
    assert code == 0 and "ingesting the sample reports" in out and "terminal chat" in out


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(data: Path) -> None:
    """``briefbot sources | head``: the reader leaving is no traceback."""
    err = io.StringIO()
    code = main(["sources", "--data-dir", str(data)], stdout=_ClosedPipe(), stderr=err)
    assert code == 141 and "Traceback" not in err.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ingest_in_a_terminal_shows_sentences_embedded(tmp_path: Path) -> None:
    big = tmp_path / "log.txt"
    big.write_text(" ".join(f"Barge {i} reached the lock at dawn." for i in range(50)))
    err = Terminal()
    code = main(["ingest", "--data-dir", str(tmp_path / "d"), str(big)],
                embedder_factory=lambda model: FakeEmbedder(), stdout=io.StringIO(), stderr=err)
    assert code == 0
    assert "1/1" in err.getvalue() and "50 sentences embedded" in err.getvalue()


def test_chat_reads_a_follow_up_with_the_question_before(data: Path) -> None:
    code, out, _ = run(["chat", "--data-dir", str(data)],
                       stdin="how many container ships are waiting?\nand at Linmouth?\n\n")
    assert code == 0 and "(Read as: how many container ships are waiting at Linmouth?)" in out


def test_follow_ups() -> None:
    from bot.followup import follow_up

    assert follow_up("how many cases in vellmoor?", "and deaths?") == \
        "how many deaths in vellmoor?"
    assert follow_up("how many cases in vellmoor?", "and in Eastbank?") == \
        "how many cases in Eastbank?"
    assert follow_up("who is the mayor of Dorvik?", "what about of Kessby") == \
        "who is the mayor of Kessby?"
    assert follow_up("how many people died?", "and injured?") is None  # not read: as typed
    assert follow_up(None, "and deaths?") is None
    assert follow_up("how many cases in vellmoor?", "and who is the mayor?") is None
    # bad input: nothing after "and", nothing at all, no previous question worth reading
    for typed in ("and?", "", "   ", "what about", "and \x00?"):
        assert follow_up("how many cases in vellmoor?", typed) is None, typed
    assert follow_up("", "and deaths?") is None
    assert follow_up("how many cases?", "how many deaths were there in the north?") is None
