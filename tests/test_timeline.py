"""Figures over time: latest first, the development, same-date disagreements, corrections,
time words, and the command-line contract."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.ask import point_json
from index.embedder import Embedder
from index.entities import Entity
from index.library import Library
from index.models import Answer, ReportDraft
from index.timeline import headline_names, headline_pairs, holder
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.backends  # the library tests here run on both backends

FERRY = Path(__file__).resolve().parent / "fixtures" / "ferry"


def test_samples_died_latest_first_with_the_development(sample_library: Library) -> None:
    answer = sample_library.ask("how many people died?")
    assert answer.highlight == "11" and "11" in answer.quotes[0].text
    assert answer.development == ("Four (2 Mar, Marenthal Courier) → Nine (3 Mar, Marenthal "
                                  "Courier, Northern Herald) → 11 (5 Mar, Northern Herald)")
    assert answer.figures == () and "Reports differ" not in answer.text
    assert answer.as_of == "2026-03-05"


def test_samples_died_asked_on_4_march_is_nine_up_from_four(sample_library: Library) -> None:
    answer = sample_library.ask("how many people died?", now=datetime(2026, 3, 4, 9))
    # either of the 3 March sentences that state it ("Nine people have now died", "... and
    # that nine people had died")
    assert answer.highlight in ("Nine", "nine") and "ine people ha" in answer.quotes[0].text
    assert [p.number for p in answer.timeline] == [4.0, 9.0, 9.0]
    assert "4" not in answer.development.split("→")[-1]
    assert answer.figures == () and answer.as_of == "2026-03-03"


def test_time_words_restrict_the_evidence(sample_library: Library) -> None:
    saturday = datetime(2026, 3, 7, 12)
    answer = sample_library.ask("how many were missing on Monday?", now=saturday)
    assert answer.highlight == "two" and answer.as_of == "2026-03-02"
    answer = sample_library.ask("how many people died as of 3 March?", now=saturday)
    assert answer.highlight in ("Nine", "nine") and answer.as_of == "2026-03-03"
    answer = sample_library.ask("what happened since Thursday?", now=saturday)
    assert answer.found and {c.date for c in answer.citations} <= {"2026-03-05", "2026-03-06"}
    assert answer.as_of == "2026-03-06"


@pytest.mark.parametrize(("question", "value", "as_of"), [
    ("death toll on Wednesday", "Nine", "2026-03-03"),
    ("what was the death toll on Monday?", "Four", "2026-03-02"),
    ("death toll on Thursday", "11", "2026-03-05"),
])
def test_a_figure_asked_on_a_day_is_the_one_standing_then(sample_library: Library,
                                                          question: str, value: str,
                                                          as_of: str) -> None:
    """Tried as a new user would: "death toll on Wednesday" (no report that day) and "on
    Monday" (whose report says "Four people are confirmed dead") were "Nothing in the
    reports answers that"; "how many had died by Wednesday?" was answered."""
    embedder = sample_library.embedder
    assert isinstance(embedder, FakeEmbedder)
    calls = embedder.calls
    answer = sample_library.ask(question, now=datetime(2026, 3, 7, 12))
    assert answer.found and answer.highlight == value and answer.as_of == as_of
    assert all(p.date <= as_of for p in answer.timeline)
    assert embedder.calls - calls == 1  # searched twice (with the day, then without), encoded once
    # cited like any quote: every outlet of the report, the quote naming each citation
    assert answer.quotes[0].citations == tuple(c.n for c in answer.citations)
    assert not sample_library.ask("death toll of the ferry on Wednesday",
                                  now=datetime(2026, 3, 7, 12)).found


def draft(text: str, date: str, source: str, rid: str) -> ReportDraft:
    return ReportDraft(title=f"Quake in Norvel: {rid}", text=text, date=date, source=source,
                       report_id=rid)


def test_a_correction_wins_over_older_figures(library: Library) -> None:
    library.ingest([
        draft("The Norvel quake displaced 18,500 people in Tarsk, officials said.",
              "2026-05-01", "Courier", "a"),
        draft("Officials in Tarsk revised the number of displaced from the Norvel quake to "
              "14,500.", "2026-05-02", "Herald", "b"),
        draft("Some 18,500 people were displaced by the Norvel quake in Tarsk.", "2026-05-02",
              "Radio", "c"),
    ])
    answer = library.ask("how many people were displaced by the Norvel quake?")
    assert answer.highlight == "14,500"
    assert answer.figures == ()  # the stale repeat is not a disagreement with the correction
    assert [(p.date, p.value) for p in answer.timeline] == [
        ("2026-05-01", "18,500"), ("2026-05-02", "14,500")]
    # the reader sees that the fall is a revision, not a change on the ground
    assert answer.development == "18,500 (1 May, Courier) → 14,500 (2 May, Herald, revised)"
    assert run_json_point(answer)["correction"] is True


def test_a_follow_up_naming_the_story_only_in_its_headline_is_in_it(library: Library
                                                                      ) -> None:
    """Tried as a new user would, on five reports of one storm: "death toll?" showed the
    development only up to the second report, because the later ones name the storm only in
    their headlines ("Agency revises Veda figures") and no one else in their text."""
    library.ingest([
        ReportDraft(title="Storm Veda reaches the coast near Ostrel", date="2026-06-01",
                    source="Ostrel Post", report_id="v1",
                    text="Storm Veda reached the coast near Ostrel on Monday. At least three "
                         "people were killed by falling trees, police said."),
        ReportDraft(title="Veda toll climbs in Ostrel", date="2026-06-02", source="Tribune",
                    report_id="v2", text="The death toll from Storm Veda rose to 17 on "
                                         "Tuesday, the Ostrel disaster agency said."),
        ReportDraft(title="Agency revises Veda figures", date="2026-06-03", source="Ostrel Post",
                    report_id="v3", text="The death toll stands at 22, agency director "
                                         "Lina Varga said."),
        ReportDraft(title="Veda: waters recede", date="2026-06-05", source="Tribune",
                    report_id="v4", text="The death toll rose to 24 after two fishermen were "
                                         "found dead off the coast."),
        # another story in the same town: a place in both headlines joins nothing
        ReportDraft(title="Bus crash in Ostrel kills five", date="2026-06-04", source="Radio",
                    report_id="bus", text="Five people died when a bus overturned on the "
                                          "Ostrel ring road, Police Chief Arne Dahl said."),
    ])
    answer = library.ask("what is the death toll from storm veda?")
    assert answer.highlight == "24" and answer.figures == ()
    assert [(p.report_id, p.value) for p in answer.timeline] == [
        ("v1", "At least three"), ("v2", "17"), ("v3", "22"), ("v4", "24")]


def test_headline_names_are_not_places_nor_common_words() -> None:
    assert headline_names("Agency revises Veda figures", "The agency said.") == {"veda"}
    assert headline_names("Bus crash in Ostrel kills five", "A bus overturned in Ostrel.") \
        == set()
    assert headline_names("Veda's toll", "The toll rose.") == {"veda"}
    assert headline_names("China buys wheat", "It said.", {"china"}) == set()  # a place nearby
    assert headline_names("CHINA BUYS WHEAT", "China said.") == set()  # capitals tell nothing
    assert headline_names("", "") == set()


def test_a_later_figure_of_another_company_does_not_lead(library: Library) -> None:
    """Seen on Reuters wires: two companies' offerings share the regulator and the
    underwriter, so the later report's figure of the same unit led the answer about the
    first company, whose name the analyst typed in lower case."""
    library.ingest([
        ReportDraft(title="ORVANE MINING FILES FOR DEBENTURE OFFERING", date="2026-04-01",
                    source="Wire", report_id="orvane",
                    text="Orvane Mining Corp said it filed a registration statement with the "
                         "Securities and Exchange Commission for a proposed offering of 60 mln "
                         "dlrs of convertible debentures. The offering will be underwritten by "
                         "Halden Brothers and Co."),
        ReportDraft(title="KESTREL FOODS IN SHARE OFFERING", date="2026-04-03", source="Wire",
                    report_id="kestrel",
                    text="Kestrel Foods Inc said it filed with the Securities and Exchange "
                         "Commission for an offering of four mln shares. The underwriters, "
                         "Halden Brothers and Co, said Kestrel will use the offering's proceeds "
                         "to redeem about 90 mln dlrs of debentures."),
    ])
    answer = library.ask("how big is orvane's debenture offering")
    assert answer.citations[0].report_id == "orvane"
    assert answer.highlight is not None and answer.highlight.startswith("60 mln")
    assert {p.report_id for p in answer.timeline} == {"orvane"}


def test_a_later_sum_of_another_story_sharing_names_does_not_lead(library: Library) -> None:
    """Seen on three days of Reuters wires: "qantas 747-400 cost per plane" was answered
    with an army's air defence cost (a later report that names the same plane maker and its
    city, so the two were taken for one story)."""
    library.ingest([
        ReportDraft(title="VELDAN AIRWAYS ORDERS FOUR JETS", date="2026-04-01", source="Wire",
                    report_id="veldan",
                    text="Veldan Airways has placed a firm order with Boeing Co of Seattle for "
                         "four 747-400 aircraft at a cost of 250 mln dlrs each, chairman Jim "
                         "Lesk said. The aircraft will be financed by foreign borrowings."),
        ReportDraft(title="ARMY PLANS AIR DEFENCE SYSTEM", date="2026-04-03", source="Wire",
                    report_id="army",
                    text="The Army later expanded its air defence plan with Boeing Co of "
                         "Seattle, dividing it into five parts at a cost of more than 10 "
                         "billion dlrs. Officials said the aircraft of the system would be "
                         "financed by the Treasury."),
    ])
    answer = library.ask("veldan 747-400 cost per plane")
    assert answer.citations[0].report_id == "veldan"
    assert answer.highlight == "250 mln dlrs"
    assert {p.report_id for p in answer.timeline} == {"veldan"}


def test_a_shareholders_stake_develops(library: Library) -> None:
    """Tried as a new user would, on a takeover battle: "norvant stake" quoted the first
    filing's 14.2 percent, with no development."""
    library.ingest([
        ReportDraft(title="Norvant bids for Aerolin", date="2026-03-03", source="Post",
                    report_id="s1", text="Norvant, an investment group, holds a 9.5 percent "
                                         "stake in Aerolin and bid for the rest on Monday."),
        ReportDraft(title="Norvant lifts Aerolin stake", date="2026-03-04", source="Wire",
                    report_id="s2", text="Norvant raised its stake in Aerolin to 14.2 percent "
                                         "from 9.5 percent through market purchases."),
        ReportDraft(title="Aerolin battle heats up", date="2026-03-06", source="Post",
                    report_id="s3", text="Norvant's stake in Aerolin now stands at 21.3 "
                                         "percent, the company said in a filing."),
    ])
    for question in ("norvant stake", "what is norvant's stake in aerolin?"):
        answer = library.ask(question)
        assert answer.highlight == "21.3 percent", question
        assert [p.value for p in answer.timeline][-2:] == ["14.2 percent", "21.3 percent"]


def test_a_total_asked_bolds_the_running_total(library: Library) -> None:
    """Tried as a new user would: "total helicopter sorties" quoted "flew a final five
    sorties on Friday, bringing the total for the operation to 63" with "five" bold."""
    library.ingest([
        ReportDraft(title="Kornau avalanche search resumes", date="2026-03-01",
                    source="Wire", report_id="h1",
                    text="Helicopters flew 22 sorties on Tuesday, bringing the total since "
                         "Sunday to 36, the air force said."),
        ReportDraft(title="Kornau avalanche search ends", date="2026-03-02", source="Wire",
                    report_id="h2",
                    text="Helicopters flew a final five sorties on Friday, bringing the total "
                         "for the operation to 63."),
    ])
    answer = library.ask("total helicopter sorties")
    assert answer.highlight == "63" and "63" in answer.quotes[0].text
    assert library.ask("how many sorties on friday").highlight in ("five", "five sorties")


TARVEL = [
    ReportDraft(title="Floods force thousands from homes in Tarvel valley", date="2026-03-05",
                source="Valley Courier", report_id="tarvel-1",
                text="Floods in the Tarvel valley have displaced 12,000 people, the regional "
                     "governor said on Thursday. At least 40 people were injured when a bridge "
                     "collapsed near Ostra. Rescue teams evacuated 2,300 residents from the "
                     "lower town overnight."),
    ReportDraft(title="Tarvel valley flood toll rises", date="2026-03-06",
                source="Northern Herald", report_id="tarvel-2",
                text="The number of people displaced by the Tarvel floods rose to 18,500 on "
                     "Friday, according to the relief agency. Some 300 people were rescued by "
                     "boat from rooftops in Ostra. Officials said 65 people had been injured "
                     "since the rains began."),
]


@pytest.mark.model
def test_quotes_beside_a_figure_are_of_the_measure_asked(tmp_path: Path,
                                                         real_embedder: object) -> None:
    """Tried as a new user would: "how many people were displaced?" quoted the injured
    count third. A sentence whose figures all count something else is no evidence."""
    with Library(tmp_path / "d", real_embedder) as lib:  # type: ignore[arg-type]
        lib.ingest(TARVEL)
        answer = lib.ask("how many people were displaced?")
        assert answer.highlight == "18,500"
        assert [p.value for p in answer.timeline] == ["12,000", "18,500"]
        assert all("injured" not in c.sentence and "rescued" not in c.sentence
                   for c in answer.citations), [c.sentence for c in answer.citations]
        injured = lib.ask("how many people were injured?")
        assert [p.value for p in injured.timeline] == ["At least 40", "65"]
        assert all("displaced" not in c.sentence for c in injured.citations)


def run_json_point(answer: Answer) -> dict[str, object]:
    """The ``ask --json`` timeline entry of the answer's latest point."""
    return point_json(answer.timeline[-1])


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, embedder_factory=lambda model: FakeEmbedder(), stdout=out,
                stderr=io.StringIO())
    return code, out.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    assert run(["ingest", "--data-dir", str(d), str(SAMPLES)])[0] == 0
    return d


def test_ask_json_has_as_of_and_the_timeline(data: Path) -> None:
    code, out = run(["ask", "--data-dir", str(data), "--json", "--now", "2026-03-07",
                     "how many people died?"])
    obj = json.loads(out)
    assert code == 0 and obj["as_of"] == "2026-03-05" and obj["figures"] == []
    assert [p["date"] for p in obj["timeline"]] == sorted(p["date"] for p in obj["timeline"])
    first = obj["timeline"][0]
    assert set(first) == {"date", "value", "number", "report_id", "source", "sentence",
                          "correction", "claimant"}
    assert (first["value"], first["number"], first["source"]) == ("Four", 4.0,
                                                                   "Marenthal Courier")
    code, out = run(["ask", "--data-dir", str(data), "--json", "who is the mayor of Dorvik?"])
    obj = json.loads(out)
    assert obj["timeline"] == [] and obj["as_of"] == "2026-03-02"


def test_timeline_command_json_and_png(data: Path, tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    code, out = run(["timeline", "--data-dir", str(data), "--json", "--png", str(png),
                     "how many people were displaced by the floods?"])
    obj = json.loads(out)
    assert code == 0 and set(obj) == {"question", "as_of", "points", "disagreements"}
    assert obj["as_of"] == "2026-03-06"
    assert [p["number"] for p in obj["points"]][:2] == [4000.0, 12000.0]
    [dis] = obj["disagreements"]
    assert dis["date"] == "2026-03-06"
    assert sorted(v["value"] for v in dis["values"]) == ["18,500", "some 23,000"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out = run(["timeline", "--data-dir", str(data), "who is the mayor of Dorvik?"])
    assert code == 0 and "No figure" in out


def test_ledger_rebuild_command(data: Path) -> None:
    code, out = run(["ledger", "--data-dir", str(data), "--rebuild"])
    assert code == 0 and "rebuilt" in out


@pytest.mark.model
def test_ferry_scenario_with_the_real_model(tmp_path: Path, real_embedder: object) -> None:
    from index.loaders import load_inputs

    with Library(tmp_path / "d", real_embedder) as lib:  # type: ignore[arg-type]
        lib.ingest(load_inputs([str(FERRY)]))
        now = datetime(2026, 4, 16, 9)
        answer = lib.ask("how many people died in the Corran Star sinking?", now=now)
        assert answer.highlight and "24" in answer.highlight
        assert [f.date for f in answer.figures] == ["2026-04-12", "2026-04-12"]  # 19 / 23
        assert {p.report_id for p in answer.timeline}.isdisjoint(
            {r.id for r in lib.reports() if "Darrow" in r.title})
        answer = lib.ask("how many passengers were aboard the Corran Star?", now=now)
        assert answer.highlight == "198" and answer.figures == ()


def test_a_figure_from_a_report_without_a_source_is_in_the_development(
        library: Library) -> None:
    """Tried as a new user would: an uploaded page with no outlet or date gave "As of 6 Dec.
    How it developed:" and nothing after it: a point without a source was dropped."""
    library.ingest([ReportDraft(title="Quake hits Orrin", date="2026-03-08",
                                text="At least 30 homes were damaged in Orrin on Sunday.")])
    answer = library.ask("how many homes were damaged in Orrin")
    assert [p.value for p in answer.timeline] == ["At least 30"]
    assert answer.development == "At least 30 (8 Mar)"


def test_one_outlet_giving_two_figures_says_whose_each_is(library: Library) -> None:
    """Tried as a new user would: "how many displaced?" read "... → some 23,000 (6 Mar,
    Valley Radio) / 18,500 (6 Mar, Valley Radio)", as if the outlet contradicted itself; it
    reported the relief groups' count beside the official one."""
    library.ingest([
        draft("Floods in Tarvel displaced 12,000 people, the regional office said.",
              "2026-03-05", "Courier", "a"),
        ReportDraft(title="Relief groups dispute the count", date="2026-03-06",
                    source="Valley Radio", report_id="b",
                    text="Relief groups said some 23,000 people were displaced by the "
                         "Tarvel floods. The regional office said it stood by its count of "
                         "18,500 displaced people."),
    ])
    answer = library.ask("how many people were displaced?")
    assert answer.development.endswith(
        "some 23,000 (6 Mar, Valley Radio citing relief groups) / 18,500 (6 Mar, Valley "
        "Radio citing regional office)")
    assert answer.development.startswith("12,000 (5 Mar, Courier) → ")  # one figure: as was
    assert {f.claimant for f in answer.figures} == {"relief groups", "regional office"}
    assert {point_json(p)["claimant"] for p in answer.timeline} == {
        "regional office", "relief groups"}


@pytest.mark.model
def test_each_quote_bolds_the_figure_of_what_is_counted(real_sample_dir: Path,
                                                        real_embedder: Embedder) -> None:
    """Tried as a new user would: "how many dead?" quoted "Four people are confirmed dead and
    two are missing" with "two" (the missing) in bold."""
    lib = Library(real_sample_dir, real_embedder)
    answer = lib.ask("how many dead?", now=datetime(2026, 3, 7, 12))
    bold = {q.text: q.highlight for q in answer.quotes}
    four = "Four people are confirmed dead and two are missing."
    assert four in bold and bold[four] == "Four"


OUTBREAK = [
    ReportDraft(title="Fever outbreak confirmed in the hill town of Tamsin", date="2026-05-04",
                source="Valley Post", report_id="f1",
                text="Health officials confirmed 21 cases of dengue fever in Tamsin on Monday, "
                     "and one person has died.\n\nMost of the patients live near the old "
                     "reservoir.\n\nResidents were told to empty standing water."),
    ReportDraft(title="Tamsin fever cases more than double", date="2026-05-05",
                source="Ridge Wire", report_id="f2",
                text="The number of fever cases in Tamsin rose to 48 on Tuesday, with three "
                     "deaths and 9 patients recovered, the district clinic said.\n\nThe health "
                     "minister announced 1.5 million crowns in emergency funds for Tamsin."),
    ReportDraft(title="Tamsin fever: 70 cases as it reaches the lower valley", date="2026-05-06",
                source="Ridge Wire", report_id="f3",
                text="The fever has spread to the lower valley, where 14 new cases were "
                     "recorded overnight.\n\nThe outbreak has now reached 70 cases, with four "
                     "deaths and 20 people recovered, the district clinic said."),
    ReportDraft(title="Spraying begins in Tamsin as fever toll reaches five", date="2026-05-07",
                source="Hill Radio", report_id="f4",
                text="Five people have died of the fever in Tamsin, and 83 cases have been "
                     "recorded since the outbreak began, the clinic said on Thursday."),
]


def test_a_case_count_develops_across_its_outbreak(tmp_path: Path, int8_embedder: Embedder
                                                   ) -> None:
    """Tried as a new user would, on an outbreak's reports: "how many fever cases?" showed one
    point, the first report's 21, and led with it. The others share only the town's name
    with it (a paragraph's first word, "Residents", was taken for a name); "rose to 48" of
    "the number of fever cases" was read as no figure; "14 new cases" is a change, not the
    count; and "death toll" was "not found", its "toll" being in no sentence."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(OUTBREAK)
        cases = lib.ask("how many fever cases?")
        assert cases.highlight is not None and "83" in cases.highlight
        assert [p.value for p in cases.timeline] == ["21", "48", "70", "83"]
        sick = lib.ask("how many people are sick?")
        assert [p.value for p in sick.timeline][-1] == "83"
        recovered = lib.ask("how many patients have recovered?")
        assert [p.value for p in recovered.timeline] == ["9", "20"]
        # ... and as one outlet reported it: its figures only (the newest, Hill Radio's 83,
        # led "according to Ridge Wire")
        wire = lib.ask("how many fever cases according to Ridge Wire?")
        assert [p.value for p in wire.timeline] == ["48", "70"]
        assert wire.citations[0].source == "Ridge Wire"
        toll = lib.ask("death toll")
        assert toll.found and [p.value for p in toll.timeline] == ["one", "three", "four",
                                                                   "Five"]
        # ... and no sum of money is quoted beside a toll ("1.5 million" in bold)
        assert not any("crowns" in q.text for q in lib.ask("death toll tamsin").quotes)


RELIEF = ReportDraft(
    title="Charity disputes Tamsin fever count", date="2026-05-06", source="Valley Post",
    report_id="f5",
    text="The charity Red Lantern disputed the clinic's figures, saying at least 95 people "
         "had been treated for the fever at its tent since Monday.\n\nA spraying campaign "
         "with 5,000 litres of larvicide donated by Red Lantern began on Sunday.")


def test_a_figure_according_to_a_body_is_that_bodys(tmp_path: Path, int8_embedder: Embedder
                                                    ) -> None:
    """Tried as a new user would, on an outbreak's reports: "how much money did <the aid
    agency> give?" bolded the doses it gave and showed them as the money's development;
    "how many cases according to <the agency>" (a body, not an outlet) led with the health
    office's count."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest([*OUTBREAK, RELIEF])
        money = lib.ask("how much money did Red Lantern give?")
        assert money.timeline == () and money.highlight is None  # no sum: nothing in bold
        theirs = lib.ask("how many fever cases according to red lantern?")
        assert theirs.highlight == "at least 95"
        assert "Red Lantern" in theirs.quotes[0].text
        assert [p.value for p in theirs.timeline] in ([], ["at least 95"])
        # ... and the count of an outlet, or of no one, is as before
        assert "83" in (lib.ask("how many fever cases?").highlight or "")


WILDFIRE = [
    ReportDraft(title="Wildfire near Ostrava Ridge forces evacuations", date="2026-08-03",
                source="Ridge Wire", report_id="w1",
                text="A wildfire broke out above Ostrava Ridge on Monday.\n\nThe fire is 5 "
                     "percent contained, the fire service said.\n\nA 64-year-old man died at "
                     "his farm near the ridge, the coroner said."),
    ReportDraft(title="Two crew members killed fighting Ostrava Ridge fire",
                date="2026-08-04", source="Hill Radio", report_id="w2",
                text="Two crew members were killed on Tuesday when the wind turned, bringing "
                     "the death toll from the Ostrava Ridge fire to three, officials said."
                     "\n\nContainment rose to 20 percent.\n\nThe wildfire has burned 4,000 "
                     "acres of forest."),
    ReportDraft(title="Ostrava Ridge fire half contained", date="2026-08-05",
                source="Ridge Wire", report_id="w3",
                text="Crews raised containment of the Ostrava Ridge fire to 50 percent on "
                     "Wednesday as the fire stopped at 9,800 acres."),
    ReportDraft(title="Halvar Foods sweetens offer for Mirren Dairy", date="2026-08-06",
                source="Market Desk", report_id="w4",
                text="Mirren Dairy's board on Wednesday recommended that shareholders "
                     "accept Halvar Foods' improved offer of $31.50 a share, ending a "
                     "two-day standoff.\n\nThe board said the raised offer had improved "
                     "on the first one.\n\nMirren's current chief executive will stay on."),
]


def test_a_wildfires_toll_and_containment(tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would, on a wildfire's reports: the death toll went "64 → Two"
    (a man's age, then the crew killed, not the toll they brought it to); "what percent
    contained" bolded the acreage with no development; "has containment improved?" quoted
    a takeover's "improved offer" beside the fire's figures."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(WILDFIRE)
        toll = lib.ask("how many people died in the fire?")
        assert toll.highlight == "three" and [p.value for p in toll.timeline] == ["three"]
        contained = lib.ask("what percent contained")
        assert contained.highlight == "50 percent"
        assert [p.value for p in contained.timeline] == ["5 percent", "20 percent",
                                                         "50 percent"]
        improved = lib.ask("has containment improved?")
        assert improved.found and not any("Halvar" in q.text for q in improved.quotes)


INJURED = [
    ReportDraft(title="Tessaro fire doubles", date="2031-03-04", source="Post", report_id="i1",
                text="The Tessaro fire has burned 3,100 hectares.\n\nEleven people have been "
                     "injured, of whom eight are firefighters."),
    ReportDraft(title="Tessaro fire slows", date="2031-03-06", source="Post", report_id="i2",
                text="The number of injured in the Tessaro fire rose to 19, among them 13 "
                     "firefighters, the prefecture said."),
    ReportDraft(title="Tessaro fire contained", date="2031-03-07", source="Courier",
                report_id="i3",
                text="The prefecture corrected its tally of injured in the Tessaro fire to 17, "
                     "saying two people had been counted twice. Of the 17, 12 are "
                     "firefighters. The fire is 80 percent contained."),
]


def test_those_the_question_names_are_the_part_of_the_count(tmp_path: Path,
                                                            int8_embedder: Embedder) -> None:
    """Tried as a new user would: "injured firefighters" was answered with all the injured
    (17); the firefighters among them are 8, then 13, then 12 (quoted with the sentence
    saying which 17)."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(INJURED)
        some = lib.ask("injured firefighters", now=datetime(2031, 3, 8))
        assert some.highlight == "12" and some.quotes[0].text == "Of the 17, 12 are firefighters."
        assert some.citations[0].context is not None and "17" in some.citations[0].context
        assert [p.value for p in some.timeline] == ["eight", "13", "12"]
        everyone = lib.ask("how many people injured in the tessaro fire",
                           now=datetime(2031, 3, 8))
        assert everyone.highlight == "17"
        assert [p.value for p in everyone.timeline] == ["Eleven", "19", "17"]


CHOLERA = [
    ReportDraft(title="Cholera in Maravel", date="2031-03-05", source="Post", report_id="c1",
                text="Suspected cholera cases in Maravel rose to 498, an increase of 151 in a "
                     "single day.\n\nLaboratory-confirmed cases reached 97."),
    ReportDraft(title="Cholera in Maravel revised", date="2031-03-06", source="Post",
                report_id="c2",
                text="The ministry revised the number of suspected cholera cases in Maravel "
                     "down to 471 from 498, after tests showed that 27 patients had other "
                     "infections.\n\nLaboratory-confirmed cases reached 143."),
    ReportDraft(title="Cholera in Maravel slows", date="2031-03-07", source="Post",
                report_id="c3",
                text="The bulletin put the cumulative number of suspected cholera cases in "
                     "Maravel at 590, with 119 new suspected cases in the previous 24 hours."
                     "\n\nLaboratory-confirmed cases reached 188."),
]


def test_new_cases_asked_are_the_new_ones(tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would: "new cases in the last 24h" bolded nothing, and asked "how
    many new cases in the past 24 hours" the answer was the 188 confirmed; the 27 patients a
    revision took out are no new cases."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(CHOLERA)
        for question in ("new cases in the last 24h", "how many new cases in maravel"):
            new = lib.ask(question, now=datetime(2031, 3, 10))
            assert new.highlight == "119" and "119 new" in new.quotes[0].text
            assert [p.value for p in new.timeline] == ["151", "119"]
        assert lib.ask("how many suspected cases in maravel",
                       now=datetime(2031, 3, 10)).highlight == "590"


STRIKE = [
    ReportDraft(title="Orsova teachers strike", date="2032-10-14", source="Wire", report_id="s1",
                text="The Orsova government has offered teachers 6 percent. The quake that "
                     "hit Vellmark measured magnitude 6.4."),
    ReportDraft(title="Orsova strike talks fail", date="2032-10-15", source="Wire",
                report_id="s2",
                text="The Orsova government improved its offer to teachers to 9 percent. The "
                     "institute revised the Vellmark quake to magnitude 6.8, up from an initial "
                     "reading of 6.4. The Vellmark quake struck at a depth of about 12 "
                     "kilometres."),
    ReportDraft(title="Orsova strike talks resume", date="2032-10-17", source="Wire",
                report_id="s3",
                text="The Orsova government is now offering teachers 10.5 percent. A further "
                     "Vellmark tremor above magnitude 6 could not be ruled out, the institute "
                     "said. Some 312 buildings in Vellmark collapsed. The ministry said 2,870 "
                     "of Orsova's 5,100 state schools were shut. The minister put the "
                     "cost of the Orsova deal at 890 million lev in the first full year and "
                     "2.1 billion lev over two years."),
]


def test_first_and_latest_asked_in_short_forms_and_lengths(tmp_path: Path,
                                                          int8_embedder: Embedder) -> None:
    """Tried as a new user would: "govt latest offer" traced nothing ("govt" was no word of
    the reports'); "initial magnitude reading" bolded the revised 6.8; "what magnitude was
    the quake" the 6 a tremor might reach; "how deep was the quake" quoted no depth."""
    now = datetime(2032, 10, 20)
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(STRIKE)
        latest = lib.ask("govt latest offer", now=now)
        assert latest.highlight == "10.5 percent"
        assert [p.value for p in latest.timeline] == ["6 percent", "9 percent", "10.5 percent"]
        assert lib.ask("first govt offer", now=now).highlight == "6 percent"
        assert lib.ask("initial magnitude reading", now=now).highlight == "6.4"
        assert lib.ask("what magnitude was the vellmark quake", now=now).highlight == "6.8"
        deep = lib.ask("how deep was the vellmark quake", now=now)
        assert deep.highlight == "about 12 kilometres"
        # what befell a part of a whole befell the part ("schools closed": 2,870, not 5,100)
        assert lib.ask("orsova schools closed", now=now).highlight == "2,870"
        assert (lib.ask("how many state schools are there in orsova",
                        now=now).highlight or "").startswith("5,100")
        # of two costs in one sentence, the one the question's words point at
        assert "2.1 billion" in (lib.ask("how much will the orsova deal cost over two years",
                                         now=now).highlight or "")
        assert "890 million" in (lib.ask("orsova deal cost in the first full year",
                                         now=now).highlight or "")


TAKEOVER = [
    ReportDraft(title="Halvar Foods bids for Mirren Dairy", date="2026-08-10",
                source="Market Desk", report_id="t1",
                text="Halvar Foods on Monday offered to buy Mirren Dairy for $24 a share in "
                     "cash, valuing the dairy at about $900 million.\n\nMirren shares jumped "
                     "18 percent to $22.40."),
    ReportDraft(title="Brisk Capital makes rival bid for Mirren Dairy", date="2026-08-11",
                source="Farm Wire", report_id="t2",
                text="Brisk Capital made a rival bid of $26 a share for Mirren Dairy on "
                     "Tuesday.\n\nMirren shares closed at $25.10."),
    ReportDraft(title="Halvar raises Mirren offer", date="2026-08-12", source="Market Desk",
                report_id="t3",
                text="Halvar Foods raised its offer for Mirren Dairy to $27.50 a share on "
                     "Wednesday, hours after Brisk Capital's bid of $26 a share was made "
                     "public.\n\nThe new Halvar offer values Mirren at about $1.03 billion."),
]


def test_offers_are_traced_by_bidder_and_prices_apart(tmp_path: Path,
                                                      int8_embedder: Embedder) -> None:
    """Tried as a new user would, on a takeover fight: "how much is the offer" bolded a share
    price, "how much did <the rival> offer" the other bidder's sum, "how much did <the
    bidder> first offer" the deal's value, and no offer or price had a development: a sum
    written "$38" was in no figure's record at all."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(TAKEOVER)
        halvar = lib.ask("how much is halvar offering?")
        assert halvar.highlight == "$27.50"
        assert [p.value for p in halvar.timeline] == ["$24", "$27.50"]
        assert lib.ask("how much did halvar first offer?").highlight == "$24"
        brisk = lib.ask("how much did brisk offer?")
        assert brisk.highlight == "$26" and "$27.50" not in {p.value for p in brisk.timeline}
        price = lib.ask("mirren share price")
        assert price.highlight == "$25.10"
        assert [p.value for p in price.timeline] == ["$22.40", "$25.10"]


CURRENCY = [
    ReportDraft(title="Marlan crown hits record low", date="2026-09-07", source="Radio Osk",
                report_id="m1",
                text="The Marlan crown fell to a record low of 48.2 to the dollar on Sunday."
                     "\n\nConsumer prices rose 23.4 percent in August from a year earlier, "
                     "the statistics office said."),
    ReportDraft(title="Marlan central bank raises rates", date="2026-09-08",
                source="Osk Ledger", report_id="m2",
                text="The central bank of Marlan raised its benchmark interest rate from 12 "
                     "percent to 18 percent on Monday.\n\nThe crown steadied at 50.4 to the "
                     "dollar by the close."),
    ReportDraft(title="Marlan inflation at 26.1 percent", date="2026-09-10",
                source="Osk Ledger", report_id="m3",
                text="Inflation in Marlan rose to 26.1 percent in the year to early "
                     "September.\n\nThe Marlan crown gained for a third day, closing at 43.8 "
                     "to the dollar."),
]


def test_rates_inflation_and_a_currency_develop(tmp_path: Path, int8_embedder: Embedder
                                                ) -> None:
    """Tried as a new user would, on a currency crisis: "what's the exchange rate", "inflation
    rate" and "what is the interest rate?" had no development ("No figure for that"), and
    inflation led with the older figure."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(CURRENCY)
        inflation = lib.ask("inflation rate")
        assert inflation.highlight == "26.1 percent"
        assert [p.value for p in inflation.timeline] == ["23.4 percent", "26.1 percent"]
        crown = lib.ask("what's the exchange rate")
        assert crown.highlight == "43.8"
        assert [p.value for p in crown.timeline] == ["48.2", "50.4", "43.8"]
        assert lib.ask("what is the interest rate?").highlight == "18 percent"


def test_headline_pairs_tie_a_place_and_a_topic() -> None:
    one = headline_pairs("Fever outbreak confirmed in the hill town of Tamsin")
    assert one & headline_pairs("Spraying begins in Tamsin as fever toll reaches five")
    assert not one & headline_pairs("Bus crash in Tamsin kills five")  # a place alone
    assert headline_pairs("TAMSIN FEVER CASES RISE") == set()


COUNT = [
    ReportDraft(title="Morrow leads early count in Lennox vote", date="2026-06-01",
                source="Lennox Wire", report_id="e1",
                text="Governor Ilka Morrow took 52.1 percent of the vote in early results, the "
                     "election board said on Monday."),
    ReportDraft(title="Lennox board gives final count", date="2026-06-03",
                source="Lennox Wire", report_id="e2",
                text="The election board said on Wednesday that Governor Ilka Morrow had won "
                     "50.6 percent of the vote and Daniel Petrie 45.2 percent."),
    ReportDraft(title="Lennox recount pushes Morrow below half", date="2026-06-05",
                source="Coast Radio", report_id="e3",
                text="After the recount, Ilka Morrow's share of the vote fell to 49.7 percent "
                     "and Daniel Petrie's rose to 46.0 percent, the election board said."),
]


def test_a_share_of_the_vote_is_the_candidate_asked(tmp_path: Path, int8_embedder: Embedder
                                                    ) -> None:
    """Tried as a new user would, on an election's reports: "what percent did Vaskova get?"
    bolded the other candidate's share, and the development mixed both candidates' shares as
    if the reports disagreed; "what share of the vote did Tully get?" was "not found" (its
    "get" in no report) and "Tully vote share" asked no figure."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(COUNT)
        morrow = lib.ask("what share of the vote did morrow get?")
        assert morrow.highlight == "49.7 percent" and morrow.figures == ()
        assert [p.value for p in morrow.timeline] == ["52.1 percent", "50.6 percent",
                                                      "49.7 percent"]
        petrie = lib.ask("petrie vote share")
        assert petrie.quotes[0].highlight == "46.0 percent"
        assert [p.value for p in petrie.timeline] == ["45.2 percent", "46.0 percent"]


def test_the_holder_of_a_figure() -> None:
    text = "Ilka Morrow had won 50.6 percent of the vote and Daniel Petrie 45.2 percent."
    people = [Entity("person", 0, 11, "Ilka Morrow"), Entity("person", 49, 62, "Daniel Petrie")]
    assert holder(text, "50.6 percent", people) == people[0]
    assert holder(text, "45.2 percent", people) == people[1]
    later = "Morrow's share fell to 49.7 percent and Petrie's rose to 46.0 percent."
    them = [Entity("person", 0, 6, "Morrow"), Entity("person", 40, 46, "Petrie")]
    assert holder(later, "49.7 percent", them) == them[0]  # not the nearer "Petrie"
    assert holder(later, "46.0 percent", them) == them[1]
    assert holder("Turnout was 68 percent.", "68 percent", []) is None


def test_outbreak_and_election_answers_are_the_same_on_postgresql(
        tmp_path: Path, int8_embedder: Embedder, pg_url: str) -> None:
    """This session's figure rules (story joins by headlines, shares of whom asked, an
    outlet's own figures, another story) read the store through its interface only: both
    backends give the same answers."""
    asked = ("how many fever cases?", "death toll", "petrie vote share",
             "how many fever cases according to Ridge Wire?",
             "how many died in the election protests?",
             # ... and the next session's: a body's figure, tolls, containment, offers
             "how many fever cases according to red lantern?",
             "how many people died in the ostrava ridge fire?", "what percent contained",
             "how much is halvar offering?", "how much did brisk offer?", "mirren share price")
    seen = {}
    for name, url in (("sqlite", None), ("postgresql", pg_url)):
        with Library(tmp_path / name, int8_embedder, url=url) as lib:
            lib.ingest([*OUTBREAK, *COUNT, RELIEF, *WILDFIRE, *TAKEOVER])
            seen[name] = [(a.found, a.highlight, [p.value for p in a.timeline])
                          for a in map(lib.ask, asked)]
    assert seen["sqlite"] == seen["postgresql"]
    assert seen["sqlite"][0][2] == ["21", "48", "70", "83"] and not seen["sqlite"][4][0]
    assert [h for _, h, _ in seen["sqlite"][5:]] == [
        "at least 95", "three", "50 percent", "$27.50", "$26", "$25.10"]


MEASLES = [
    ReportDraft(title="Measles outbreak in Port Selby", date="2033-02-01", source="Wire",
                report_id="m1",
                text="The number of confirmed measles cases in Port Selby has reached 140, "
                     "health officials said. Measles spreads fast: an infected person can pass "
                     "it to up to nine in ten unprotected people around them. Airlines said the "
                     "travel warning was costing them about 2 million marks a day."),
    ReportDraft(title="Port Selby measles cases rise", date="2033-02-02", source="Herald",
                report_id="m2",
                text="Cases now stand at 96 in Dockside, 70 in Ferrow and 12 in Highgate. "
                     "Confirmed measles cases in Port Selby rose to 178. For the first time, "
                     "seven cases have also been confirmed in Ansby, a district north of the "
                     "river. Airlines put their losses so far at 9 million marks."),
]


def test_a_district_share_a_ratio_and_a_rate_per_period_stay_out_of_the_citys_count(
        tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would: "measles cases latest" bolded the "nine" cases of one
    district, "how many cases in the city now" the first district of a list ("Cases now
    stand at 121 in Quayside, ..."), the development held "up to nine" and "ten" cases of
    "up to nine in ten unprotected people", and "daily cost to airlines" gave the running
    total. A sum in marks was no figure at all."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(MEASLES)
        now = datetime(2033, 2, 3)
        for question in ("measles cases latest", "how many measles cases in port selby now"):
            latest = lib.ask(question, now=now)
            assert latest.highlight == "178", question
            assert [p.value for p in latest.timeline] == ["140", "178"], question
        assert lib.ask("dockside cases", now=now).highlight == "96"
        daily = lib.ask("daily cost of the warning to airlines", now=now)
        assert daily.highlight == "2 million marks" and not daily.timeline
        losses = lib.ask("airline losses so far", now=now)
        assert losses.highlight == "9 million marks"


CROSSING = [
    ReportDraft(title="Thousands cross at Drel border post", date="2036-05-05T08:00:00",
                source="Wire", report_id="c1",
                text="Some 3,100 people crossed into Orsk through the Drel border post on "
                     "Monday, border police said, pushing the number of arrivals since the "
                     "exodus began to 15,200. The regional governor asked for 40 more police."),
    ReportDraft(title="Drel arrivals slow", date="2036-05-07T09:00:00", source="Herald",
                report_id="c2",
                text="Border police counted 2,750 arrivals on Tuesday. The total number of "
                     "arrivals at Drel now stands at 17,950."),
    ReportDraft(title="Drel border post closes", date="2036-05-08T08:00:00", source="Wire",
                report_id="c3",
                text="Orsk closed the Drel border post at midnight, hours after a record 5,900 "
                     "people crossed on Wednesday in a last rush."),
    ReportDraft(title="Drel figures revised", date="2036-05-09T08:00:00", source="Herald",
                report_id="c4",
                text="Border police said 5,600 people crossed on Wednesday, slightly fewer "
                     "than first reported, taking the total number of arrivals to 23,550."),
]


def test_a_days_figure_is_the_one_told_of_that_day(tmp_path: Path,
                                                   int8_embedder: Embedder) -> None:
    """Tried as a new user would: "how many crossed on wednesday" gave Monday's 3,100, and
    "arrivals on tuesday" Monday's too: the figure of the day asked is told in the next
    day's report ("hours after a record 5,900 people crossed on Wednesday"), and of two
    reports telling it, the later one's (a revision) answers."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(CROSSING)
        now = datetime(2036, 5, 10, 9)
        crossed = lib.ask("how many crossed on wednesday", now=now)
        assert crossed.highlight == "5,600" and "slightly fewer" in crossed.quotes[0].text
        assert lib.ask("arrivals on tuesday", now=now).highlight == "2,750"
        # a total asked is the total, the newest one
        total = lib.ask("how many arrivals in total", now=now)
        assert total.highlight == "23,550"


ILSA = [
    ReportDraft(title="Storm Ilsa: 31,000 told to leave", date="2042-06-13T08:00:00",
                source="Ledger", report_id="i1",
                text="About 31,000 people have now been told to leave their homes: 11,200 in "
                     "Kestrel Bay, 8,600 in Harrowmere and 6,900 in Sellin. At the height of the "
                     "storm, 186,000 Brevane Grid customers were without electricity. By 07:00 "
                     "that figure had fallen to 141,000, the company said."),
    ReportDraft(title="Hackers demand bitcoin from Lundgate water utility",
                date="2042-06-13T19:00:00", source="Wire", report_id="h1",
                text="A group calling itself Grey Lantern is demanding 60 bitcoin from the "
                     "Lundgate Water Authority. Technicians found ransom notes on several "
                     "servers, according to two people familiar with the matter."),
    ReportDraft(title="Grey Lantern raises its demand", date="2042-06-15T17:45:00",
                source="Wire", report_id="h2",
                text="The group raised its ransom demand to 90 bitcoin on Monday, worth about "
                     "5.1 million euros. Its new note gives the utility 72 hours to pay. The "
                     "Lundgate utility said it would not pay. In Brevane, rescuers found two "
                     "more bodies, raising the death toll from Storm Ilsa to 10."),
    ReportDraft(title="Storm Ilsa toll stands at eight", date="2042-06-15T07:30:00",
                source="Ledger", report_id="i2",
                text="The death toll from Storm Ilsa in Brevane stands at eight, officials "
                     "said."),
]


def test_a_list_after_a_colon_a_figure_moved_and_a_toll_in_another_story(
        tmp_path: Path, int8_embedder: Embedder) -> None:
    """Tried as a new user would: "how many evacuated from kestrel bay" bolded the 31,000 of
    the whole (its parts follow a colon), "customers without power now" traced no "that
    figure had fallen to 141,000", and "ilsa toll" left out the storm's toll told at the end
    of a report on the hack."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(ILSA)
        now = datetime(2042, 6, 16, 9)
        assert lib.ask("how many evacuated from kestrel bay", now=now).highlight == "11,200"
        power = lib.ask("customers without power now", now=now)
        assert "141,000" in [p.value for p in power.timeline]
        toll = lib.ask("ilsa toll", now=now)
        assert "10" in [p.value for p in toll.timeline]


def test_a_ransom_is_a_demand_in_the_unit_asked(tmp_path: Path, int8_embedder: Embedder
                                                ) -> None:
    """Tried as a new user would: "how big is the ransom" bolded the "two people familiar
    with the matter"; traced as a demand, "ransom in euros" then gave the bitcoin and "how
    long did they give to pay" the sum."""
    with Library(tmp_path / "d", int8_embedder) as lib:
        lib.ingest(ILSA)
        now = datetime(2042, 6, 16, 9)
        ransom = lib.ask("how big is the ransom", now=now)
        assert ransom.highlight == "90 bitcoin"
        assert [p.value for p in ransom.timeline][-1] == "90"
        assert lib.ask("ransom in euros", now=now).highlight == "5.1 million euros"
        assert lib.ask("how long did the new ransom note give them to pay",
                       now=now).highlight == "72 hours"
