"""Our Reuters development set (``tests/bench/reuters_dev.jsonl``) keeps the shape issue 10
asks for: at least 200 answerable questions of mixed types, a third or so figures, at least
40 whose answering sentence does not name the subject, at least 30 about nothing any report
covers, and gold reports named for every answer (reviewed extra reports apart from them)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DEV = Path(__file__).parent / "bench" / "reuters_dev.jsonl"
FIGURES = {"money", "percent", "quantity"}


def test_the_development_set_has_the_shape_the_issue_asks_for() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    answerable = [r for r in rows if r["answers"]]
    types = Counter(r["type"] for r in answerable)
    assert len(answerable) >= 200 and len(rows) - len(answerable) >= 30
    assert 0.25 <= sum(types[t] for t in FIGURES) / len(answerable) <= 0.6
    assert {"person", "org", "place", "date", "what", "why"} <= set(types)
    assert sum(r["subject_elsewhere"] for r in answerable) >= 40
    assert {r["split"] for r in rows} == {"tuning", "tuning-2", "heldout"}
    for r in answerable:
        assert r["reports"] and all(a.strip() for a in r["answers"]), r
        reviewed = set(r.get("reviewed", ()))
        assert not reviewed & set(r["reports"]), r
        assert all(rid.startswith("reuters21578/") for rid in [*r["reports"], *reviewed]), r
    assert all(not r["reports"] and not r.get("reviewed") for r in rows if not r["answers"])
    # what is tuned on never asks about a held-out report
    held = {rid for r in rows if r["split"] == "heldout" for rid in r["reports"]}
    assert not any(set(r["reports"]) & held for r in rows if r["split"] != "heldout")
