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

(b) Reuters, tuning split only (reports dated before 1987-04-01): every report whose title
names money supply, reserves or crops (one index, so each series is the others' distractor)
is ingested; questions about two weekly series (U.S. and Canadian M-1) are asked, plain and
with time words, and each timeline compared with the weekly levels read by hand from the
reports: points right / expected, wrong points, the latest level quoted first, as_of, and
disagreement dates (each one false: a week has one level).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
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


# Weekly series of the tuning split, levels read by hand from the reports (billion dlrs).
US_M1 = {"1987-02-26": 736.7, "1987-03-05": 738.5, "1987-03-12": 738.0, "1987-03-19": 738.7,
         "1987-03-26": 740.2}
CA_M1 = {"1987-03-06": 32.80, "1987-03-13": 33.36, "1987-03-20": 32.94, "1987-03-27": 32.42}
REUTERS_QUESTIONS: list[tuple[str, dict[str, float]]] = [
    ("how much was the U.S. M-1 money supply?", US_M1),
    ("how much was the U.S. M-1 money supply as of 15 March?",
     {d: v for d, v in US_M1.items() if d <= "1987-03-15"}),
    ("how much was the U.S. M-1 money supply since 15 March?",
     {d: v for d, v in US_M1.items() if d >= "1987-03-15"}),
    ("how much was the Canadian M-1 money supply?", CA_M1),
    ("how much was the Canadian M-1 money supply before 15 March?",
     {d: v for d, v in CA_M1.items() if d < "1987-03-15"}),
    ("how much was the Canadian M-1 money supply on 20 March?",
     {d: v for d, v in CA_M1.items() if d <= "1987-03-20"}),
]
# The Fed's daily customer repurchase agreements (billion dlrs), one report a day.
FED_REPOS = {"1987-03-02": 1.5, "1987-03-03": 1.5, "1987-03-09": 2.5, "1987-03-11": 2.0,
             "1987-03-12": 2.0, "1987-03-17": 2.0, "1987-03-19": 1.5, "1987-03-20": 1.5,
             "1987-03-23": 1.5, "1987-03-27": 1.0, "1987-03-30": 2.0, "1987-03-31": 1.5}
REUTERS_QUESTIONS += [
    ("how much did the Fed add in customer repurchase agreements?", FED_REPOS),
    ("how much did the Fed add in customer repurchase agreements since 25 March?",
     {d: v for d, v in FED_REPOS.items() if d >= "1987-03-25"}),
    ("how many tonnes is China's estimated wheat crop?", {"1987-03-27": 0.087}),
]
_TITLES = re.compile(r"MONEY SUPPLY|RESERVES|CROP|WHEAT|M-1|M-3")


def _right(gold: dict[str, float], day: str, number: float) -> bool:
    return day in gold and math.isclose(number, gold[day] * 1e9, rel_tol=0.001)


def reuters(path: Path, embedder: SentenceTransformerEmbedder) -> dict[str, Any]:
    """The tuning split's reports about money supply, reserves and crops in one index (each
    series the others' distractors); each question's timeline against the hand-read levels."""
    drafts: list[ReportDraft] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            date = str(obj.get("date") or "")
            if not date or date[:10] >= "1987-04-01":
                continue
            if _TITLES.search(str(obj.get("title") or "")):
                drafts.append(ReportDraft(
                    title=str(obj.get("title") or "untitled"), text=str(obj.get("text") or ""),
                    date=date, source="Reuters", report_id=str(obj.get("id"))))
    out: dict[str, Any] = {"reports": len(drafts), "questions": []}
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp), embedder) as lib:
        lib.ingest(drafts)
        for question, gold in REUTERS_QUESTIONS:
            answer = lib.ask(question, now=datetime(1987, 4, 1))
            got = {(p.date, p.number) for p in answer.timeline}
            latest = _lead_number(answer)
            newest = max(gold)
            out["questions"].append({
                "question": question,
                "points_right": len({d for d, n in got if _right(gold, d, n)}),
                "points_expected": len(gold),
                "points_wrong": sorted((d, n / 1e9) for d, n in got if not _right(gold, d, n)),
                "latest_ok": latest is not None and _right(gold, newest, latest),
                "as_of": answer.as_of, "as_of_ok": answer.as_of == newest,
                "disagreements": [d.date for d in disagreements(answer.timeline)]})
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
        res = reuters(args.reuters, embedder)
        print(f"\nReuters tuning split: {res['reports']} reports")
        for q in res["questions"]:
            print(json.dumps(q))


if __name__ == "__main__":
    main()
