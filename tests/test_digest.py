"""Digest composition (index/digest.py): events, sentence selection, topics, moved figures,
the empty window, and ``briefbot digest --json`` through ``bot.cli.main``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from index.digest import (
    ClusterParams,
    DigestParams,
    SelectParams,
    cluster,
    compose_digest,
    moved_figures,
    select_sentences,
    sentence_figures,
)
from index.embedder import Embedder
from index.library import Library
from index.models import ReportDraft
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.backends  # the library tests here run on both backends


def ids_by_title(library: Library) -> dict[str, str]:
    return {r.title: r.id for r in library.reports()}


def find(library: Library, words: str) -> str:
    return next(rid for title, rid in ids_by_title(library).items() if words in title)


def test_same_story_clusters_across_outlets(sample_library: Library) -> None:
    digest = compose_digest(sample_library, "2026-03-02", "2026-03-07")
    courier = find(sample_library, "Thousands more evacuated")
    herald = find(sample_library, "12,000 displaced, army builds")
    strike = find(sample_library, "walk out over pay")
    talks = find(sample_library, "talks resume")
    events = [set(e.report_ids) for e in digest.events]
    by_report = {rid: i for i, ids in enumerate(events) for rid in ids}
    assert by_report[courier] == by_report[herald]
    assert by_report[strike] == by_report[talks]
    assert by_report[strike] != by_report[courier]
    # Coverage first: the flood event (most reports and outlets) leads.
    assert courier in digest.events[0].report_ids
    assert not digest.empty and digest.n_reports == 7


def test_digest_sentences_are_verbatim_and_cited(sample_library: Library) -> None:
    digest = compose_digest(sample_library, "2026-03-02", "2026-03-07")
    texts = {p.name: p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.md")}
    for event in digest.events:
        chosen = [event.headline, *event.sentences]
        assert len(chosen) <= 3
        assert len({s.text for s in chosen}) == len(chosen)
        for s in chosen:
            assert s.report_id in event.report_ids
            assert any(s.text in t for t in texts.values())
            assert s.url and s.source and s.date


def test_empty_window(sample_library: Library) -> None:
    digest = compose_digest(sample_library, "2027-01-01", "2027-01-02")
    assert digest.empty and digest.events == ()


def test_topic_filter_keeps_matching_reports(sample_library: Library) -> None:
    strike = {find(sample_library, "walk out over pay"), find(sample_library, "talks resume")}
    digest = compose_digest(sample_library, "2026-03-02", "2026-03-07", topic="dock strike")
    got = {rid for e in digest.events for rid in e.report_ids}
    assert got and got <= strike
    floods = compose_digest(sample_library, "2026-03-02", "2026-03-07", topic="Varn floods")
    got = {rid for e in floods.events for rid in e.report_ids}
    assert got and not got & strike
    none = compose_digest(sample_library, "2026-03-02", "2026-03-07", topic="volcano eruption")
    assert none.empty


def test_a_topic_keeps_the_whole_story_of_a_report_on_it(tmp_path: Path,
                                                          int8_embedder: Embedder) -> None:
    """Tried as a new user would: "digest --topic wildfire" left out the day's fire report
    that said only "fire" (its story's other report, which says "wildfire", was kept)."""
    from tests.test_timeline import WILDFIRE

    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(WILDFIRE)
        fire = compose_digest(lib, "2026-08-04", "2026-08-07", topic="wildfire")
        assert {rid for e in fire.events for rid in e.report_ids} == {"w2", "w3"}
        assert fire.n_reports == 2
        # ... and a topic's word is its own: "currency" is not the start of "current"
        assert compose_digest(lib, "2026-08-04", "2026-08-07", topic="currency").empty


def test_moved_figures_flagged_against_previous_window(sample_library: Library) -> None:
    digest = compose_digest(sample_library, "2026-03-05", "2026-03-06",
                            previous_since="2026-03-03")
    dam = find(sample_library, "Kessby dam holds")
    event = next(e for e in digest.events if dam in e.report_ids)
    moved = {str(m) for m in event.moved_figures}
    assert "Nine → 11 people dead" in moved
    assert "about 12,000 → 18,500 people displaced" in moved
    strike_event = next(e for e in digest.events if dam not in e.report_ids)
    assert strike_event.moved_figures == ()  # nothing about the strike before 5 Mar


def test_moved_figures_same_unit_only() -> None:
    prev = [("2026-01-01", "a", ["Some 300 fighters held the bridge and 12 tanks."])]
    cur = [("2026-01-02", "b", ["About 250 fighters remain, with 12 tanks."])]
    moved = moved_figures(prev, cur)
    assert [str(m) for m in moved] == ["Some 300 → About 250 fighters"]
    assert moved_figures(prev, prev) == []


def test_dozens_is_no_count_that_moved() -> None:
    """Tried as a new user would: the digest said "changed: 31 → dozens ships"."""
    prev = [("2029-04-12", "a", ["Saltmere port said 31 ships were stuck outside the harbour."])]
    cur = [("2029-04-13", "b", ["The Saltmere port strike left dozens of ships stuck outside "
                                "the harbour."])]
    assert moved_figures(prev, cur) == []
    precise = [("2029-04-13", "b", ["The Saltmere port strike left dozens of ships stuck; "
                                    "22 ships were still outside the harbour."])]
    assert [str(m) for m in moved_figures(prev, precise)] == ["31 → 22 ships"]


def test_how_long_is_no_figure_that_moved() -> None:
    """Tried as a new user would: the digest said "changed: 30 → four days", the 30 days of
    a state of emergency against "the first time in four days" the river fell."""
    prev = [("2026-03-02", "a", ["Governor Lerch of Marenthal declared a state of emergency "
                                 "for 30 days."])]
    cur = [("2026-03-05", "b", ["In Marenthal the Varn began to fall for the first time in "
                                "four days, Governor Lerch said."])]
    assert moved_figures(prev, cur) == []


def test_moved_figures_in_a_generic_unit_need_the_same_thing_counted() -> None:
    """On a wire, one coffee event holds a crop, stockpiles, a price and lost revenue, all in
    bags or dlrs: only the same thing counted moves (invented figures)."""
    shared = "Delegates of the International Coffee Organization met in London again."
    prev = [("2026-01-01", "a", [
        shared,
        "Traders put the Brazilian coffee crop at about 26 mln bags this season.",
        "Colombian coffee was quoted at 1.14 dlrs a lb in New York on Monday."])]
    cur = [("2026-01-02", "b", [
        shared,
        "Colombia held stockpiles of 10.5 mln bags at the start of the coffee year.",
        "Officials put the lost Brazilian export revenue at 1.76 billion dlrs in Rio."])]
    assert moved_figures(prev, cur) == []
    cur = [("2026-01-02", "c", [
        shared,
        "Traders now put the Brazilian coffee crop at 28 mln bags.",
        "Colombian coffee was quoted at 1.20 dlrs a lb in New York on Tuesday."])]
    assert sorted(str(m) for m in moved_figures(prev, cur)) == [
        "1.14 → 1.20 dlrs", "about 26 mln → 28 mln bags"]


def test_sentence_figures_units() -> None:
    keys = {f.key: f.value for f in sentence_figures(
        "The office now puts the number of displaced people at 18,500.")}
    assert keys == {("people", "displaced"): 18500.0}
    keys = {f.key: f.value for f in sentence_figures(
        "Thirty-one container ships were waiting outside the harbour.")}
    assert keys == {("ships", "waiting"): 31.0}


def test_select_sentences_avoids_repetition() -> None:
    emb = FakeEmbedder()
    sents = ["Floods hit the Varn valley on Monday after heavy rain.",
             "Floods hit the Varn valley on Monday after heavy rain fell.",
             "The army built a sandbag dam north of Kessby town.",
             "Officials counted 12,000 displaced people in the province.",
             "Short one."]
    vecs = emb.encode(sents)
    picked = select_sentences(sents, vecs, 3, params=SelectParams(max_similarity=0.8))
    assert len(picked) == 3 and 4 not in picked
    assert not {0, 1} <= set(picked)
    chosen = vecs[picked]
    sims = chosen @ chosen.T
    np.fill_diagonal(sims, 0)
    assert sims.max() <= 0.8
    assert select_sentences([], np.zeros((0, 256), dtype=np.float32), 3) == []


def test_select_sentences_position_prior() -> None:
    sents = [f"Sentence number {i} talks about topic {w} here today." for i, w in
             enumerate(["alpha", "beta", "gamma", "delta", "epsilon"])]
    vecs = np.eye(5, dtype=np.float32)  # all equally central: the prior decides
    assert select_sentences(sents, vecs, 3, params=SelectParams(position_weight=0.5)) == [0, 1, 2]


def test_cluster_average_linkage() -> None:
    sim = np.array([[1, .9, .1, .1], [.9, 1, .2, .1], [.1, .2, 1, .8], [.1, .1, .8, 1]],
                   dtype=np.float32)
    assert sorted(cluster(sim, 0.5)) == [[0, 1], [2, 3]]
    assert len(cluster(sim, 0.95)) == 4
    assert cluster(sim, 0.0) == [[0, 1, 2, 3]]


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, embedder_factory=lambda m: FakeEmbedder(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_digest_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli(["ingest", "--data-dir", str(data), str(SAMPLES)])[0] == 0
    code, out, _ = run_cli(["digest", "--data-dir", str(data), "--since", "2026-03-02",
                            "--until", "2026-03-07", "--json"])
    assert code == 0
    obj = json.loads(out)
    # a date ends the window with its own last moment: the 7th is in it
    assert obj["since"] == "2026-03-02" and obj["until"] == "2026-03-08"
    assert obj["empty"] is False and len(obj["events"]) >= 2  # the fake embedder splits more
    event = obj["events"][0]
    assert set(event) >= {"headline", "sentences", "report_ids"}
    sent = event["headline"]
    assert set(sent) >= {"text", "report_id", "title", "date", "source", "url"}
    assert sent["report_id"] in event["report_ids"]
    texts = " ".join(p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.md"))
    assert all(s["text"] in texts for e in obj["events"] for s in [e["headline"],
                                                                   *e["sentences"]])
    code, out, _ = run_cli(["digest", "--data-dir", str(data), "--since", "2026-03-06",
                            "--until", "2026-03-07", "--topic", "dock strike", "--json"])
    obj = json.loads(out)
    assert code == 0 and len(obj["events"]) == 1
    assert "Calder" in obj["events"][0]["headline"]["text"]
    code, out, _ = run_cli(["digest", "--data-dir", str(data), "--since", "2030-01-01",
                            "--until", "2030-01-02T08:00", "--json"])
    obj = json.loads(out)
    assert code == 0 and obj["empty"] is True and obj["events"] == []
    assert obj["until"] == "2030-01-02T08:00:00+00:00"
    code, out, _ = run_cli(["digest", "--data-dir", str(data), "--since", "2026-03-02",
                            "--until", "2026-03-07"])
    assert code == 0 and "1." in out and "Marenthal" in out
    assert out.startswith("Digest 2026-03-02 .. 2026-03-07")
    # tried as a new user would: "--since D --until D" was refused ("--since must be before
    # --until") and "--until D" left out D's reports
    code, out, _ = run_cli(["digest", "--data-dir", str(data), "--since", "2026-03-06",
                            "--until", "2026-03-06", "--json"])
    obj = json.loads(out)
    assert code == 0 and obj["events"]
    assert {e["headline"]["date"][:10] for e in obj["events"]} == {"2026-03-06"}


def test_cli_digest_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(["digest", "--data-dir", str(tmp_path), "--since", "yesterday"])
    assert code == 2 and "ISO date" in capsys.readouterr().err


@pytest.mark.model
def test_real_model_clusters_samples(real_sample_dir: Path) -> None:
    from index.embedder import SentenceTransformerEmbedder

    with Library(real_sample_dir, SentenceTransformerEmbedder()) as lib:
        digest = compose_digest(lib, "2026-03-02", "2026-03-07")
        flood_ids = {r.id for r in lib.reports() if "Calder" not in r.title
                     and "Dock" not in r.title}
        strike_ids = {r.id for r in lib.reports()} - flood_ids
        events = [set(e.report_ids) for e in digest.events]
        # Every event is pure, the strike is one event, the 3 Mar reports share one.
        assert all(ev <= flood_ids or ev <= strike_ids for ev in events)
        assert strike_ids in events
        courier = find(lib, "Thousands more evacuated")
        herald = find(lib, "12,000 displaced, army builds")
        assert any({courier, herald} <= ev for ev in events)
        assert max(len(ev) for ev in events) >= 4  # most flood reports in one event
        loose = compose_digest(lib, "2026-03-02", "2026-03-07",
                               params=DigestParams(
                                   cluster=ClusterParams(threshold=0.99)))
        assert len(loose.events) == 5  # max_events caps the seven singletons


def test_moved_figures_never_pair_two_stories() -> None:
    """Issue 8: "six → 7,507,000 losses" paired numbers of unrelated stories."""
    prev = [("2026-01-01", "a", ["Harbor Savings of Ohio reported six losses on commercial "
                                 "loans, chairman John Reed told Reuters."])]
    cur = [("2026-01-02", "b", ["Midland Foods of Quebec booked 7,507,000 losses at its "
                                "Canadian unit, president Ann Morel told Reuters."])]
    assert moved_figures(prev, cur) == []


def test_moved_figures_pair_the_same_measure_only() -> None:
    """Dead pairs with dead ("people died" and "death toll" meet), never with evacuated."""
    prev = [("2026-03-03", "a", ["In Dorvik, Marenthal, nine people died and 2,300 residents "
                                 "were evacuated."])]
    cur = [("2026-03-05", "b", ["The death toll in Dorvik, Marenthal, has risen to 11, and "
                                "40 residents were injured."])]
    assert [str(m) for m in moved_figures(prev, cur)] == ["nine → 11 people dead"]


def test_moved_figures_of_an_outbreak_follow_its_headlines() -> None:
    """Tried as a new user would: the digest said "Six → Eleven people dead; 79 → 160
    cases", skipping the day before's "131 cases, with nine deaths": that report shared
    only the town's name with the newer one in its text, and counted "deaths", not people."""
    prev = [
        ("2026-05-05", "f2", ["Six people have died of the fever in Tamsin, clinic director "
                              "Ivo Brandt said, and cases rose to 50."]),
        ("2026-05-06", "f3", ["The outbreak has now reached 70 cases, with nine deaths, "
                              "health minister Rosa Lind said in Tamsin."])]
    cur = [("2026-05-07", "f4", ["Eleven people have died of the fever in Tamsin, and 83 "
                                 "cases have been recorded, aid worker Lena Holm said."])]
    titles = {"f2": "Tamsin clinic overwhelmed", "f3": "Tamsin fever reaches 70 cases",
              "f4": "Spraying begins in Tamsin as fever toll reaches 11"}
    assert sorted(str(m) for m in moved_figures(prev, cur, titles)) == [
        "70 → 83 cases", "nine → Eleven people dead"]


BORDER = [
    ReportDraft(title="Thousands cross at Drel as Orsk's main camp overflows",
                date="2036-05-05T08:00:00", source="Wire", report_id="b1",
                text="Some 3,100 people crossed into Orsk through the Drel border post on "
                     "Monday, border police said. The main camp at Velm is full."),
    ReportDraft(title="Drel arrivals climb again; second camp opens",
                date="2036-05-06T08:00:00", source="Post", report_id="b2",
                text="Border police recorded 4,100 arrivals at the Drel crossing on Tuesday. A "
                     "second camp opened at Brisk to take people from Velm."),
    ReportDraft(title="Orsk to shut Drel crossing as defence minister quits",
                date="2036-05-07T08:00:00", source="Herald", report_id="b3",
                text="Orsk will close the Drel border crossing to all but humanitarian cases "
                     "from midnight, the interior minister said. Separately, Defence Minister "
                     "Karol Vesk resigned over the patrol boat contract. Border police "
                     "counted 4,750 arrivals at Drel on Wednesday."),
    ReportDraft(title="Three held in patrol boat bribery probe", date="2036-05-05T09:00:00",
                source="Herald", report_id="p1",
                text="Prosecutors arrested three people in an investigation into bribes paid "
                     "to win a contract for six patrol boats. The contract is worth 240 "
                     "million euros."),
]


def test_a_topic_brings_no_other_story_for_one_report_telling_of_both(
        tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would: "digest --topic 'patrol boats'" showed the whole refugee
    story too, because one of its reports also told of the minister's resignation."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(BORDER)
        boats = compose_digest(lib, "2036-05-05", "2036-05-08", topic="patrol boats")
        assert {rid for e in boats.events for rid in e.report_ids} == {"p1", "b3"}
        border = compose_digest(lib, "2036-05-05", "2036-05-08", topic="drel border crossing")
        assert {"b1", "b2", "b3"} <= {rid for e in border.events for rid in e.report_ids}
