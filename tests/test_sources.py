"""``briefbot sources``: reports newest first, with the outlets that also carried them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.fakes import FakeEmbedder
from tests.test_neardup import COPY, OTHER, STORY

pytestmark = pytest.mark.backends  # the library tests here run on both backends


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, embedder_factory=lambda m: FakeEmbedder(), stdin=io.StringIO(""),
                stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def database(backend: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands here run on each backend (``BRIEFBOT_DATABASE_URL`` names PostgreSQL)."""
    if backend is not None:
        monkeypatch.setenv("BRIEFBOT_DATABASE_URL", backend)


def test_sources_json_lists_other_outlets(tmp_path: Path) -> None:
    lines = [
        {"title": "Dorvik evacuates", "text": STORY, "date": "2026-03-03",
         "source": "Dorvik Herald", "url": "https://herald.test/flood"},
        {"title": "Strike", "text": OTHER, "date": "2026-03-05", "source": "Calder Gazette",
         "url": "https://gazette.test/strike"},
        {"title": "Thousands leave Dorvik", "text": COPY, "date": "2026-03-03",
         "source": "Nordic Wire", "url": "https://wire.test/1?utm_source=x"},
    ]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    data = str(tmp_path / "d")
    assert run(["ingest", "--data-dir", data, str(f)])[0] == 0
    code, out = run(["sources", "--data-dir", data, "--json"])
    reports = json.loads(out)
    assert code == 0 and [r["title"] for r in reports] == ["Strike", "Dorvik evacuates"]
    assert set(reports[0]) == {"id", "title", "date", "source", "url", "also_reported_by",
                               "versions"}
    assert [r["versions"] for r in reports] == [1, 1]
    assert reports[1]["also_reported_by"] == [
        {"source": "Nordic Wire", "url": "https://wire.test/1?utm_source=x"}]
    code, out = run(["ask", "--data-dir", data, "--json",
                     "how many residents were evacuated from Dorvik?"])
    cites = json.loads(out)["citations"]
    assert {c["url"] for c in cites} >= {"https://herald.test/flood",
                                        "https://wire.test/1?utm_source=x"}
    code, out = run(["sources", "--data-dir", data])
    assert code == 0 and "also reported by Nordic Wire" in out


def test_sources_json_counts_versions(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    for n, killed in enumerate(("27", "29"), 1):
        f = tmp_path / f"v{n}.jsonl"
        f.write_text(json.dumps({
            "id": "dam-1", "title": f"Dam breach: {killed} killed", "date": f"2026-11-2{4 + n}",
            "source": "Valley Post", "url": "https://post.test/dam",
            "text": f"At least {killed} people were killed when the Kessel dam broke."}),
            encoding="utf-8")
        assert run(["ingest", "--data-dir", data, str(f)])[0] == 0
        assert run(["ingest", "--data-dir", data, str(f)])[0] == 0  # again: no change
    code, out = run(["sources", "--data-dir", data, "--json"])
    assert code == 0
    (report,) = json.loads(out)
    assert report["versions"] == 2 and report["date"] == "2026-11-26"
    assert report["title"] == "Dam breach: 29 killed" and report["also_reported_by"] == []
    assert "(2 versions)" in run(["sources", "--data-dir", data])[1]


def test_sources_show_the_hour_a_report_gives(tmp_path: Path) -> None:
    """Tried as a new user would: two reports of one day, published at 07:40 and 18:20,
    were listed with the day alone and read the same."""
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "a.md").write_text("# Morning\n\n*Harbour Wire* — Published 9 June 2032 07:40\n\n"
                                  "Eleven miners were trapped on Monday.\n")
    (reports / "b.md").write_text("# Evening\n\nPublished 9 June 2032 18:20\n\n"
                                  "Nine miners were brought out alive.\n")
    (reports / "c.md").write_text("# Undated hour\n\n10 June 2032\n\nThe shaft was sealed.\n")
    data = str(tmp_path / "data")
    assert run(["ingest", "--data-dir", data, str(reports)])[0] == 0
    code, out = run(["sources", "--data-dir", data])
    assert code == 0
    assert "Harbour Wire, 2032-06-09 07:40 UTC" in out
    assert "2032-06-09 18:20 UTC" in out and "[2032-06-10]" in out


@pytest.mark.parametrize(("date", "shown"), [
    (None, ""), ("", ""), ("2032-06-10", "2032-06-10"),
    ("2032-06-09T07:40:00+00:00", "2032-06-09 07:40 UTC"),
    ("2032-06-09T07:40:00+02:00", "2032-06-09T07:40"),  # (stored dates are UTC; as written)
])
def test_the_date_shown(date: str | None, shown: str) -> None:
    from bot.cli.sources import _when

    assert _when(date) == shown
