"""Figures over time: the ferry scenario's questions, and weekly figures on Reuters.

Usage::

    python -m tests.bench.eval_timeline [--scenario tests/fixtures/ferry] \\
        [--reuters ../shared/data/reuters21578.jsonl.gz]

(a) The scenario (our own invented reports, ``tests/fixtures/ferry``: a ferry sinking over six
days, three outlets, figures that rise, fall, are corrected and disagree once, plus a coach
crash and a harvest report with figures of their own) is ingested with the real model and
each question of ``questions.jsonl`` asked with its ``now``. Per question: the figure quoted
first is the expected latest one; the timeline's (date, number) points equal the expected
ones; ``as_of`` is the expected date; the expected disagreement dates are found; any other
disagreement date is a false one (a development shown as a disagreement, or a figure of
another story).

(b) Reuters, tuning split only (reports dated before 1987-04-01): the reports that mention a
weekly series (money supply, bank reserves, crop estimates) are ingested and a question per
series asked; reported per series: points, distinct dates, and of the points, how many come
from a sentence naming the series (a point that does not is counted wrong), plus disagreement
dates; the points are printed for hand-checking.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from index.embedder import SentenceTransformerEmbedder
from index.library import Library
from index.loaders import load_inputs
from index.models import Answer, ReportDraft
from index.timeline import disagreements

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "ferry"


def _lead_number(answer: Answer) -> float | None:
    if not answer.timeline or not answer.quotes:
        return None
    first = answer.quotes[0].text
    last = answer.timeline[-1].date
    for p in answer.timeline:
        if p.sentence == first and p.date == last:
            return p.number
    return None


def scenario(directory: Path, embedder: SentenceTransformerEmbedder) -> dict[str, Any]:
    questions = [json.loads(line) for line in
                 (directory / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    counts = {"questions": len(questions), "latest_asked": 0, "latest_ok": 0,
              "points_asked": 0, "points_ok": 0, "as_of_ok": 0, "time_asked": 0,
              "time_ok": 0, "disagreements_expected": 0, "disagreements_found": 0,
              "false_disagreements": 0}
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp), embedder) as lib:
        lib.ingest(load_inputs([str(directory)]))
        for q in questions:
            answer = lib.ask(q["question"], now=datetime.fromisoformat(q["now"]))
            got_latest = _lead_number(answer)
            timed = bool(re.search(r"\b(as of|on|since|before|after|yesterday|last week)\b",
                                   q["question"])) or q["now"] != questions[0]["now"]
            if q["latest"] is not None:
                counts["latest_asked"] += 1
                if got_latest is not None and abs(got_latest - q["latest"]) < 1e-6:
                    counts["latest_ok"] += 1
                else:
                    failures.append(f"latest {got_latest} != {q['latest']}: {q['question']}")
            points = sorted({(p.date, p.number) for p in answer.timeline})
            if q["points"] is not None:
                counts["points_asked"] += 1
                want = sorted({(d, float(n)) for d, n in q["points"]})
                if points == want:
                    counts["points_ok"] += 1
                else:
                    failures.append(f"points {points} != {want}: {q['question']}")
            as_of_ok = answer.as_of == q["as_of"]
            counts["as_of_ok"] += as_of_ok
            if not as_of_ok:
                failures.append(f"as_of {answer.as_of} != {q['as_of']}: {q['question']}")
            if timed:
                counts["time_asked"] += 1
                counts["time_ok"] += as_of_ok and (q["points"] is None
                                                   or points == sorted(
                                                       {(d, float(n)) for d, n in q["points"]}))
            found = {d.date for d in disagreements(answer.timeline)}
            counts["disagreements_expected"] += len(q["disagreements"])
            counts["disagreements_found"] += len(found & set(q["disagreements"]))
            false = found - set(q["disagreements"])
            counts["false_disagreements"] += len(false)
            if false:
                failures.append(f"false disagreement {sorted(false)}: {q['question']}")
    return {"counts": counts, "failures": failures}


SERIES = {
    "M-1 money supply": (re.compile(r"money supply|\bM-?1\b", re.I),
                         "what was the U.S. M-1 money supply?", re.compile(r"\bM-?1\b")),
    "bank reserves": (re.compile(r"\breserves\b", re.I),
                      "how much were the bank reserves?", re.compile(r"reserves", re.I)),
    "wheat crop estimate": (re.compile(r"wheat .{0,40}(?:crop|harvest|production)", re.I),
                            "how many tonnes of wheat is the crop estimate?",
                            re.compile(r"wheat", re.I)),
}


def reuters(path: Path, embedder: SentenceTransformerEmbedder, per_series: int = 150
            ) -> dict[str, Any]:
    rows: dict[str, list[ReportDraft]] = {name: [] for name in SERIES}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            date = str(obj.get("date") or "")
            if not date or date[:10] >= "1987-04-01":
                continue
            text = str(obj.get("text") or "")
            for name, (pattern, _q, _n) in SERIES.items():
                if len(rows[name]) < per_series and pattern.search(text):
                    rows[name].append(ReportDraft(
                        title=str(obj.get("title") or "untitled"), text=text, date=date,
                        source="Reuters", report_id=str(obj.get("id"))))
    out: dict[str, Any] = {}
    for name, drafts in rows.items():
        _pattern, question, naming = SERIES[name]
        with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp), embedder) as lib:
            lib.ingest(drafts)
            answer = lib.ask(question, now=datetime(1987, 4, 1))
            pts = answer.timeline
            out[name] = {
                "reports": len(drafts), "question": question, "points": len(pts),
                "dates": len({p.date for p in pts}),
                "naming_sentence": sum(1 for p in pts if naming.search(p.sentence)),
                "disagreement_dates": [d.date for d in disagreements(pts)],
                "first_quote": answer.quotes[0].text if answer.quotes else None,
                "as_of": answer.as_of,
                "listing": [f"{p.date} {p.value} | {p.sentence[:110]}" for p in pts],
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", type=Path, default=HERE)
    parser.add_argument("--reuters", type=Path)
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    result = scenario(args.scenario, embedder)
    print(json.dumps(result["counts"], indent=1))
    for line in result["failures"]:
        print("FAIL", line)
    if args.reuters:
        for name, res in reuters(args.reuters, embedder).items():
            listing = res.pop("listing")
            print(f"\n== {name}: {json.dumps(res)}")
            for line in listing:
                print("  ", line)


if __name__ == "__main__":
    main()
