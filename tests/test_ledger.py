"""The figure ledger: what each figure counts, its value, and the table kept with reports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index import ledger
from index.entities import Entity
from index.ledger import asks_change, asks_figure, extract, question_measure
from index.library import DB_NAME, Library
from index.loaders import load_inputs
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.backends  # the library tests here run on both backends


def figs(sentence: str) -> list[tuple[str, str, float, str]]:
    return [(e.measure, e.value, e.number, e.role) for e in extract(sentence)]


def test_died_killed_and_death_toll_meet_as_dead() -> None:
    assert figs("Nine people have now died, among them a volunteer.") == [
        ("dead", "Nine", 9.0, "level")]
    assert figs("The death toll has risen to 11 after two bodies were found.")[0] == (
        "dead", "11", 11.0, "level")
    assert figs("At least 14 people were killed.") == [("dead", "At least 14", 14.0, "level")]
    assert figs("The death toll in Dorvik, Marenthal, has risen to 11.") == [
        ("dead", "11", 11.0, "level")]
    assert question_measure("how many people died?") == "dead"
    assert question_measure("what is the death toll?") == "dead"


def test_an_age_is_no_toll_and_a_running_total_is_the_level() -> None:
    """Tried as a new user would, on a wildfire's reports: "a 71-year-old man died" made 71
    the death toll, and in "Two firefighters were killed ..., bringing the death toll ...
    to three, officials said" the two led as the toll (three was read as a change, in
    "officials")."""
    assert figs("A 71-year-old man died at his home, the coroner said.") == []
    assert figs("The man, 71 years old, refused to leave.") == []
    assert [(e.measure, e.unit, e.value, e.role) for e in extract(
        "Two firefighters were killed on Thursday when flames overran their engine, "
        "bringing the death toll from the fire to three, officials said.")] == [
        ("dead", "firefighters", "Two", "change"), ("dead", "people", "three", "level")]
    # ... and orders lifted for some are no count of those still out
    assert figs("Evacuation orders were lifted for about 2,000 residents.")[0][3] == "change"


def test_no_one_some_of_them_and_things_are_no_count_of_people() -> None:
    """Tried as a new user would, on a quake's and a strike's reports: "No one was hurt" and
    "Three of the injured were flown out" joined the injured's development as one and
    three, and "a strike that left dozens of ships stranded" led "how many on strike"."""
    assert figs("No one was hurt, the ministry said.") == []
    assert figs("None of the 40 passengers was hurt.") == []
    assert figs("Three of the injured were flown to the capital.") == [
        ("injured", "Three", 3.0, "part")]
    assert figs("Four of the 12 crew were rescued.")[0] == ("rescued", "Four", 4.0, "level")
    assert figs("It ended a strike that left dozens of ships stranded.") == [
        ("ships", "dozens", 24.0, "level")]
    # ... and "listed as missing" is missing, "in shelters" sheltered, "four days after" none
    assert figs("The toll rose to 131, while 20 people were still listed as missing.")[1] == (
        "missing", "20", 20.0, "level")
    assert figs("More than 17,000 people were in shelters, four days after the quake.") == [
        ("sheltered", "More than 17,000", 17000.0, "level")]


def test_rates_inflation_exchange_and_survivors() -> None:
    assert figs("The bank raised its benchmark interest rate from 12 percent to 18 percent.") == [
        ("rate", "12 percent", 12.0, "prior"), ("rate", "18 percent", 18.0, "level")]
    assert figs("Consumer prices rose 23.4 percent from a year earlier.") == [
        ("inflation", "23.4 percent", 23.4, "level")]
    assert figs("The crown closed at 43.8 to the dollar.") == [("exchange", "43.8", 43.8, "level")]
    assert figs("Higher interest rates take six to nine months to work.") == []  # a length
    assert figs("Rescuers have pulled 171 people from the water alive.") == [
        ("rescued", "171", 171.0, "level")]
    assert figs("The coastguard revised the number rescued down to 168, saying six survivors "
                "had been counted twice.")[1][3] == "change"


def test_a_distance_or_a_sum_beside_an_evacuation_counts_no_evacuees() -> None:
    """Tried as a new user would, on a derailment's reports: "how many people were evacuated"
    led with "800" crowns a day and traced 2 → 1,200 → 5 → 3,400 → 1 (the zone's radius in
    kilometres among the people)."""
    assert figs("Authorities set up an evacuation zone with a radius of 2 kilometres.") == [
        ("kilometres", "2", 2.0, "level")]
    assert figs("The zone was reduced from 5 kilometres to 1 kilometre at noon.") == [
        ("kilometres", "5", 5.0, "prior"), ("kilometres", "1", 1.0, "level")]
    assert figs("It raised its compensation for evacuated households to 800 crowns a day.")[0][
        0] == "compensation"  # a sum of its own, no evacuees
    assert figs("About 1,200 people were evacuated.") == [
        ("evacuated", "About 1,200", 1200.0, "level")]
    # ... and a deficit is a measure of its own, also in a clause on it
    assert figs("Kestria's deficit, which it put at 5.2% of GDP, was the highest.") == [
        ("deficit", "5.2%", 5.2, "level")]
    # tried as a new user would: "latest cost estimate of the hack" was "not found", this
    # sum being "euros" of no measure
    assert figs("The company revised the cost of the attack, which it now estimates at "
                "between 23 million and 26 million euros.") == [
        ("cost", "between 23 million and 26 million", 24.5e6, "level")]


def test_an_earlier_events_figure_an_unmeasure_and_a_third_arrest() -> None:
    """Tried as a new user would: "how many dead from cholera" answered with a 2019
    outbreak's 31, a fire's development took in "the last major fire there, in 2024, burned
    900 hectares", "fire containment" bolded "45 percent uncontained", and "how many hacker
    suspects arrested so far" stopped at two when "a third suspect ... has been arrested"."""
    assert figs("The last cholera outbreak here, in 2019, killed 31 people.") == []
    assert figs("The last major fire there, in 2024, burned 900 hectares.") == []
    assert figs("It has burned 900 hectares since it began.") == [
        ("hectares", "900", 900.0, "level")]
    assert figs('"A fire 55 percent contained is 45 percent uncontained," he said.') == [
        ("contained", "55 percent", 55.0, "level")]
    assert figs("Three people remain unaccounted for.") == [
        ("missing", "Three", 3.0, "level")]
    assert figs("A third suspect in the attack has been arrested in Pellin.") == [
        ("arrested", "third suspect", 3.0, "level")]


def test_a_change_beside_its_level() -> None:
    """Tried as a new user would: "how much did suspected cases jump on wednesday" bolded the
    498 reached: "rose by 151 to 498" was one range, "an increase of 151" no figure."""
    assert [(e.value, e.role) for e in ledger.extract("Cases rose by 151 to 498.")] == [
        ("151", "change"), ("498", "level")]
    assert [(e.measure, e.value, e.role) for e in ledger.extract(
        "Cases rose to 498 on Wednesday, the ministry said, an increase of 151 in a day.")] == [
        ("cases", "498", "level"), ("cases", "151", "change")]
    assert [e.value for e in ledger.extract("Output was 10 to 12 tonnes.")] == ["10 to 12"]
    assert ledger.asks_change("how much did suspected cases jump on wednesday")
    assert ledger.asks_change("by how much did the toll rise?")
    assert not ledger.asks_change("how many suspected cases")
    assert not ledger.asks_change("how many people were killed when the river rose")
    assert not ledger.asks_change("how much did " + "x " * 20_000)  # huge: no, and no error


def test_a_plan_is_no_count_of_now() -> None:
    """Tried as a new user would: "how many firefighters" led with "will reduce its strength
    ... to around 500 firefighters from Saturday"."""
    assert [e.role for e in ledger.extract(
        "The service will reduce its strength to around 500 firefighters from Saturday.")] == [
        "forecast"]
    assert [e.role for e in ledger.extract("Corvane will raise its offer to 8.5 percent.")] == [
        "level"]  # an offer stated is the offer


def test_people_among_a_toll_are_a_part_of_it() -> None:
    """Tried as a new user would: "how many firefighters" traced "among them 13
    firefighters" (of the injured) beside the firefighters deployed."""
    assert [(e.measure, e.unit, e.value, e.role) for e in ledger.extract(
        "The number of injured rose to 19, among them 13 firefighters.")] == [
        ("injured", "people", "19", "level"), ("injured", "firefighters", "13", "part")]


def test_those_the_counted_are_made_of_are_parts_of_them() -> None:
    """Tried as a new user would: "injured firefighters" and "how many kids have died" were
    answered with all the injured and the whole death toll: "of whom eight are
    firefighters", "Of the dead, five were children" and "Of the 17, 12 are firefighters"
    (after the 17 injured) were read as no figure."""
    def parts(text: str) -> list[tuple[str, str, str]]:
        return [(e.measure, e.unit, e.value) for e in ledger.extract(text) if e.role == "part"]

    assert parts("Eleven people have been injured, of whom eight are firefighters.") == [
        ("injured", "firefighters", "eight")]
    assert parts("Of the dead, five were children under the age of ten.") == [
        ("dead", "children", "five")]
    assert parts("About 44,000 people fled, of whom 12,500 are at Velsk.") == []  # a place
    before = "The prefecture corrected its tally of injured to 17, from 19 on Thursday."
    after = "Of the 17, 12 are firefighters."
    assert ledger.extract(after) == []  # alone it says not of what
    read = ledger.in_context([before, after], [ledger.extract(before), ledger.extract(after)])
    assert [(e.measure, e.unit, e.value, e.role) for e in read[1]] == [
        ("injured", "firefighters", "12", "part")]
    other = "Seven people were evacuated."  # another 17 is not the one it is of
    assert ledger.in_context([other, after], [ledger.extract(other), []])[1] == []


def test_new_users_figures_of_a_quake_a_ferry_and_a_currency() -> None:
    """Tried as a new user would: the toll "from last week's earthquake has risen to 149" was
    read as another period's (so "four" who died in a gym led the toll); "Drevnik has lost
    86 people" was no count of its dead; "18.4 per dollar" a percentage; "14 crew" and the
    reserves no figure of anything."""
    def read(text: str) -> list[tuple[str, str, str]]:
        return [(e.measure, e.value, e.role) for e in ledger.extract(text)]

    assert read("The death toll from last week's earthquake has risen to 149.") == [
        ("dead", "149", "level")]
    assert read("The gymnasium in Drevnik, where four people died, was built in 2004.") == [
        ("dead", "four", "part")]
    assert read("The quake hit Vellmark, where the death toll rose to 149.") == [
        ("dead", "149", "level")]
    assert read("Drevnik has lost 86 people, Kastel Voda 39 and Brin 24.") == [
        ("dead", "86", "part"), ("dead", "39", "part"), ("dead", "24", "part")]
    assert read("The company has lost 5 percent of its value.") == [("pct", "5 percent", "change")]
    assert read("The crown weakened to 18.4 per dollar.") == [("exchange", "18.4", "level")]
    assert read("Unemployment fell to 7.1 per cent.") == [("pct", "7.1 per cent", "level")]
    assert ("crew", "14", "level") in read("The manifest lists 233 passengers and 14 crew.")
    assert read("Reserves fell to 7.8 billion dollars.") == [("reserves", "7.8 billion", "level")]
    assert [question_measure(q) for q in ("crown rate now", "reserves", "how many crew")] == [
        "exchange", "reserves", "crew"]
    # "Of the 139 survivors, 11 remain in hospital": those asked are the 11
    assert [question_measure(q) for q in ("how many survivors still in hospital",
                                          "how many injured are in intensive care",
                                          "how many injured", "how many seriously hurt")] == [
        "hospitalised", "icu", "injured", "critical"]


def test_what_a_level_was_and_what_may_come() -> None:
    """Tried as a new user would: "initial magnitude reading" could not find the 6.4 of
    "revised to magnitude 6.8, up from an initial reading of 6.4"; "original pay demand"
    missed "demanding a pay rise of 18 percent" (read as a change) and "down from 18
    percent" (a bare percentage); "a tremor above magnitude 6 could not be ruled out" was
    the quake's magnitude; "about 420 lev a month" counted "amounts"."""
    def read(text: str) -> list[tuple[str, str, str, str]]:
        return [(e.measure, e.unit, e.value, e.role) for e in ledger.extract(text)]

    assert read("It revised the quake to magnitude 6.8, up from an initial reading of 6.4.") == [
        ("magnitude", "", "6.8", "level"), ("magnitude", "", "6.4", "prior")]
    assert read("The demand now stands at 15 percent, down from 18 percent.") == [
        ("demand", "pct", "15 percent", "level"), ("demand", "pct", "18 percent", "prior")]
    assert read("The union is demanding a pay rise of 18 percent.") == [
        ("demand", "pct", "18 percent", "level")]
    assert read("The union raised its demand by 2 percent.") == [
        ("demand", "pct", "2 percent", "change")]
    assert [e.role for e in ledger.extract(
        "A tremor above magnitude 6 could not be ruled out, he said.")] == ["forecast"]
    assert read("It amounts to about 420 lev a month.")[0][1] == "lev"


def test_compensation_is_a_sum_of_its_own() -> None:
    """Tried as a new user would: "compensation per death" bolded the 51 dead and
    "compensation for survivors" the 139 survivors, beside "offered compensation of 1.2
    million crowns to the family of each person who died ..., and 150,000 crowns to each
    survivor"."""
    assert [(e.measure, e.value) for e in ledger.extract(
        "The operator offered compensation of 1.2 million crowns to the family of each person "
        "who died, and 150,000 crowns to each survivor.")] == [
        ("compensation", "1.2 million"), ("compensation", "150,000")]
    assert [question_measure(q) for q in ("compensation per death", "compensation for survivors",
                                          "how many survivors got compensation",
                                          "rival bid value", "offer per share")] == [
        "compensation", "compensation", "rescued", "value", "offer"]


def test_a_ferry_toll_holds_no_lives_saved_nor_a_count_of_errors() -> None:
    """Tried as a new user would: the ferry's death toll developed "Nine / at least forty → 21
    → ... → 51 / one": boats that "had saved 'at least forty lives'" and "one body had been
    counted twice" were read as dead; "bodies recovered on friday" was "not found" (asked as
    patients recovered)."""
    def read(text: str) -> list[tuple[str, str, str]]:
        return [(e.measure, e.value, e.role) for e in ledger.extract(text)]

    assert read('Boats had saved "at least forty lives".') == [
        ("rescued", "at least forty", "level")]
    assert read("The fire claimed 40 lives.") == [("dead", "40", "level")]
    assert read("One body had been counted twice.") == [("dead", "One", "change")]  # no level
    before = "An earlier version of this report said 46 bodies had been recovered."
    after = "The coast guard later revised that figure to 45."
    assert read(before) == [("dead", "46", "prior")]
    assert [(e.measure, e.value, e.role) for e in ledger.in_context(
        [before, after], [ledger.extract(before), ledger.extract(after)])[1]] == [
        ("dead", "45", "prior")]  # a correction of an earlier report's figure
    toll = "The death toll rose to 46."
    assert [(e.measure, e.value, e.role, e.correction) for e in ledger.in_context(
        [toll, after], [ledger.extract(toll), ledger.extract(after)])[1]] == [
        ("dead", "45", "level", True)]
    assert question_measure("bodies recovered on friday") == "dead"
    assert ledger.asks_new("bodies recovered on friday")
    assert not ledger.asks_new("where were the bodies found on wednesday")  # a place asked
    assert question_measure("how many recovered from cholera") == "recovered"


def test_a_few_words_asking_a_total_count_the_plural_before_it() -> None:
    """Tried as a new user would: "aftershocks so far" asked no figure (the sentence quoted
    said "strong aftershocks were likely", not "had recorded 38 aftershocks")."""
    assert asks_figure("aftershocks so far") and question_measure("aftershocks so far") == \
        "aftershocks"
    assert question_measure("arrests so far") == "arrested"  # a measure's own word first
    assert not asks_figure("news so far")
    assert not asks_figure("aftershocks " * 20_000 + "so far")  # huge: no, and no error


@pytest.mark.parametrize(("sentences", "counts"), [
    ([], []),
    (["Of the 17, 12 are firefighters."], [0]),  # nothing before it to be of
    (["The toll rose to 17.", "Of the " + "9" * 50_000 + ", 12 are firefighters."], [1, 0]),
    (["The toll rose to 17.", "Later revised that figure to " + "x" * 50_000 + "."], [1, 0]),
    (["Seven were hurt.", "Of the 17, " + "are " * 10_000 + "firefighters."], [1, 0]),
    # a running total of no figure before, of a figure that is none, said 5,000 times over
    (["That brings the total to 9,450."], [0]),
    (["The toll rose to 17.", "That brings the total to " + "x" * 50_000 + "."], [1, 0]),
    (["The toll rose to 17.", "That brings the total to 40. " * 200], [1, 1]),
])
def test_bad_input_to_reading_a_sentence_with_the_one_before(
        sentences: list[str], counts: list[int]) -> None:
    """Empty, a first sentence, a huge whole, a correction of no figure: nothing is read
    that the sentences do not say, and nothing breaks."""
    read = ledger.in_context(sentences, [ledger.extract(t) for t in sentences])
    assert [len(r) for r in read] == counts


def test_new_ones_asked_are_a_change_of_the_count() -> None:
    """Tried as a new user would: "new cases in the last 24h" bolded nothing in the
    sentence "... at 590, with 119 new suspected cases in the previous 24 hours", and "how
    many new cases in the past 24 hours" led with the confirmed cases' level."""
    assert ledger.asks_new("new cases in the last 24h") and asks_figure("new cases in the last 24h")
    assert ledger.asks_new("how many new suspected cases")
    assert not ledger.asks_new("what is the new death toll")
    assert not ledger.asks_new("new " * 20_000)  # huge: no, and no error


def test_a_speed_is_no_distance() -> None:
    """Tried as a new user would: a digest's "changed:" line read "about 40 → 15 kilometres"
    of winds in km/h."""
    assert [(e.measure, e.unit) for e in ledger.extract("Gusts reached 70 km/h.")] == [
        ("wind", "km/h")]
    assert [e.unit for e in ledger.extract("Winds eased to 15 kilometres an hour.")] == ["km/h"]
    assert [e.unit for e in ledger.extract("Winds of 90 mph were recorded.")] == ["mph"]
    assert [e.unit for e in ledger.extract("The zone was widened to 5 km.")] == ["kilometres"]


def test_losses_are_a_sum_of_their_own() -> None:
    """Tried as a new user would: "kestavo estimated losses" traced share prices, withdrawals
    and a fine together (losses named no measure)."""
    assert figs("The bank raised its estimate of losses to 2.6 billion reals.") == [
        ("losses", "2.6 billion", 2.6e9, "level")]
    assert question_measure("kestavo estimated losses") == "losses"
    assert question_measure("q4 net loss") == "losses"


def test_a_percentage_of_things_is_a_share_of_them() -> None:
    """Tried as a new user would: "share of ferronord systems restored" quoted Tuesday's 10
    percent first and traced no development (a percentage of no measure word)."""
    assert figs("About 10 percent of its affected systems had been restored.") == [
        ("share of systems", "About 10 percent", 10.0, "level")]
    assert figs("It said 85 percent of the network's core systems were back.") == [
        ("share of systems", "85 percent", 85.0, "level")]
    assert figs("It restored 40 systems.") == [("systems", "40", 40.0, "level")]  # a count
    assert figs("The party won 5 percent of the vote.")[0][0] != "share of vote"
    assert question_measure("share of ferronord systems restored") == "share of systems"
    assert question_measure("what percentage of schools are closed") == "share of schools"
    assert asks_figure("share of ferronord systems restored")


def test_containment_is_a_measure_of_its_own() -> None:
    """Tried as a new user would: "what percent contained" bolded the acreage beside
    "containment reached 65 percent" and traced no development."""
    assert figs("The fire is 5 percent contained.") == [
        ("contained", "5 percent", 5.0, "level")]
    assert figs("Containment reached 65 percent and the spread stopped at 13,400 acres.") == [
        ("contained", "65 percent", 65.0, "level"), ("acres", "13,400", 13400.0, "level")]
    # tried as a new user would: "fire containment" was "not found" on the first day
    assert figs('"We are at zero percent containment," the prefect said.') == [
        ("contained", "zero percent", 0.0, "level")]
    assert figs("It has zero tolerance for delays.") == []
    assert question_measure("what percent contained") == "contained"
    assert asks_figure("containment?")


def test_measures_word_numbers_and_ranges() -> None:
    assert figs("Four people are confirmed dead and two are missing.") == [
        ("dead", "Four", 4.0, "level"), ("missing", "two", 2.0, "level")]
    assert figs("Around 4,000 people have left their homes.") == [
        ("displaced", "Around 4,000", 4000.0, "level")]
    got = extract("Between 10 and 12 people were injured and 20-25 were rescued.")
    assert [(e.measure, e.value, e.low, e.high) for e in got] == [
        ("injured", "Between 10 and 12", 10.0, 12.0), ("rescued", "20-25", 20.0, 25.0)]
    assert figs("The ferry had 212 passengers aboard.")[0][0] == "aboard"
    assert figs("Exports reached 1.5 mln tonnes.") == [("tonnes", "1.5 mln", 1.5e6, "level")]


def test_wire_fractions_are_read_whole() -> None:
    """Seen on Reuters copy: "4-3/4 pct" went into the ledger as 4 pct."""
    assert figs("The Orla Mines bond carries a coupon of 4-3/4 pct.") == [
        ("pct", "4-3/4 pct", 4.75, "level")]
    (measure, value, number, _), = figs("Kestrel Foods is raising its dividend 33-1/3 pct.")
    assert (measure, value) == ("pct", "33-1/3 pct") and number == pytest.approx(100 / 3)


def test_a_time_ago_is_no_figure() -> None:
    """Seen on wire copy: "two months ago" became a figure in months, and a "how long"
    question then led with it."""
    assert figs("As recently as two months ago the minister said the dam was safe.") == []
    assert figs("Three days later 40 people were rescued.") == [
        ("rescued", "40", 40.0, "level")]
    assert figs("Rates rose 3/0 pct.") == []  # a fraction over nothing is no figure


def test_changes_and_earlier_figures_are_not_levels() -> None:
    assert figs("M-1 money supply rose 1.2 billion dlrs in the week ended March 2 to 736.7 "
                "billion dlrs.") == [("dlrs", "1.2 billion", 1.2e9, "change"),
                                     ("dlrs", "736.7 billion", 736.7e9, "level")]
    assert figs("The toll rose from 9 to 11 dead.") == [("dead", "9", 9.0, "prior"),
                                                        ("dead", "11", 11.0, "level")]


def test_a_figure_explaining_the_level_is_no_second_level() -> None:
    """Tried as a new user would: "The death toll rose to 24 after two fishermen were found
    dead" showed as a disagreement "24 / two" on one date, from one report."""
    assert figs("The death toll rose to 24 after two fishermen were found dead.") == [
        ("dead", "24", 24.0, "level"), ("dead", "two", 2.0, "change")]
    assert figs("The death toll stands at 22, including four children killed.") == [
        ("dead", "22", 22.0, "level"), ("dead", "four", 4.0, "part")]
    # two measures, or two levels not explaining one another, stay levels
    assert figs("Four people are confirmed dead and two are missing.") == [
        ("dead", "Four", 4.0, "level"), ("missing", "two", 2.0, "level")]
    assert [r for *_, r in figs("Police said 12 died; the hospital said 14 died.")] == [
        "level", "level"]


def test_a_figure_in_a_clause_on_the_one_before_counts_what_that_names() -> None:
    assert figs("The queue of container ships, which had grown to 52, began to shrink.") == [
        ("waiting", "52", 52.0, "level")]
    assert figs("The death toll, which rose to 12 on Monday, may rise.") == [
        ("dead", "12", 12.0, "level")]
    assert figs(", which had grown to 52") == []  # nothing before it names a measure
    # bad input: a relative word with no clause before it (this crashed the ledger)
    assert figs("which had grown to 52 ships") == [("ships", "52", 52.0, "level")]
    assert figs("That 5 died.") == [("dead", "5", 5.0, "level")]
    assert figs("who 7") == []


def test_thousands_grouped_by_narrow_spaces_are_one_figure() -> None:
    """Tried as a new user would: a page's "3&nbsp;000 homes" was read as two figures, "3"
    and "000", listed as reports that differ."""
    for space in ("\u00a0", "\u202f", "\u2009"):
        assert figs(f"Some 3{space}000 homes were damaged.") == [
            ("damaged", f"Some 3{space}000", 3000.0, "level")]
    assert [n for _, _, n, _ in figs("In 2015 300 homes were damaged.")] == [300.0]


def test_corrections_are_marked() -> None:
    [e] = [e for e in extract("The ministry revised the number of displaced to 14,500.")]
    assert (e.measure, e.number, e.correction) == ("displaced", 14500.0, True)
    assert not extract("About 12,000 people have been displaced.")[0].correction


def test_ledger_is_written_at_ingest_and_follows_a_new_version(library: Library) -> None:
    library.ingest(load_inputs([str(SAMPLES)]))
    rows = library.store.query(
        "SELECT f.value, r.source, r.date FROM figures f JOIN reports r ON r.id = f.report_id "
        "WHERE f.measure = 'dead' AND f.role = 'level' ORDER BY r.date, f.value")
    assert [tuple(r) for r in rows] == [
        ("Four", "Marenthal Courier", "2026-03-02"), ("Nine", "Marenthal Courier", "2026-03-03"),
        ("nine", "Northern Herald", "2026-03-03"), ("11", "Northern Herald", "2026-03-05")]
    from index.models import ReportDraft

    library.ingest([ReportDraft(title="Toll", text="Twelve people died in the floods.",
                                date="2026-03-07", report_id="r1")])
    library.ingest([ReportDraft(title="Toll", text="Thirteen people died in the floods.",
                                date="2026-03-07", report_id="r1")])
    got = library.store.query("SELECT value FROM figures WHERE report_id = 'r1'")
    assert [r[0] for r in got] == ["Thirteen"]


def test_existing_data_dir_is_backfilled_and_rebuilt_when_the_scheme_changes(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Library(data, FakeEmbedder()) as lib:
        lib.ingest(load_inputs([str(SAMPLES)]))
        n = lib.store.query("SELECT COUNT(*) FROM figures")[0][0]
    assert isinstance(n, int) and n > 20
    # A data dir from before the ledger: no table, no scheme.
    db = sqlite3.connect(data / DB_NAME)
    db.execute("DROP TABLE figures")
    db.execute("DELETE FROM meta WHERE key = 'ledger_scheme'")
    db.commit()
    db.close()
    with Library(data, FakeEmbedder()) as lib:
        assert lib.store.query("SELECT COUNT(*) FROM figures")[0][0] == n
        lib.store.set_meta("ledger_scheme", "ledger-0")
    with Library(data, FakeEmbedder()) as lib:
        assert lib.store.get_meta("ledger_scheme") == ledger.SCHEME
        assert lib.store.query("SELECT COUNT(*) FROM figures")[0][0] == n
        assert lib.store.rebuild_ledger(force=True) == n


def test_an_outbreak_and_a_vote_have_their_measures() -> None:
    """Tried as a new user would, on an outbreak's and an election's reports: "rose to 84"
    of "the number of cholera cases" was no figure, "23 new cases" was taken for the count,
    recoveries counted "patients", and the turnout was only a percentage."""
    assert figs("The number of fever cases in Tamsin rose to 48 on Tuesday, with three "
                "deaths and 9 patients recovered.") == [
        ("cases", "48", 48.0, "level"), ("dead", "three", 3.0, "level"),
        ("recovered", "9", 9.0, "level")]
    assert figs("14 new cases were recorded overnight.") == [("cases", "14", 14.0, "change")]
    assert figs("Turnout was 68 percent, the commission said.") == [
        ("turnout", "68 percent", 68.0, "level")]
    assert question_measure("how many people are sick?") == "cases"
    assert question_measure("how many have recovered?") == "recovered"
    assert asks_figure("what was the turnout?")
    assert figs("About 3,000 supporters gathered outside the commission.") == [
        ("gathered", "About 3,000", 3000.0, "level")]
    assert question_measure("how many people marched?") == "gathered"


def test_running_totals_margins_capacities_and_left_out_units() -> None:
    """Tried as new users would, on a refugee crisis and a disputed count: "bringing the
    total to 9,400" was no figure, so "how many in total?" got the day's arrivals; "leads by
    just 312 votes" and "with room for 8,000 people" were counts of votes and of people;
    "Aldane with 30,455" had no unit; "in 2016, when 19 people died" joined this death toll."""
    assert figs("About 2,100 refugees crossed on Monday, bringing the total to 9,400.") == [
        ("refugees", "About 2,100", 2100.0, "level"), ("refugees", "9,400", 9400.0, "total")]
    assert figs("That brought the total to 14,000, the agency said.") == []
    assert ledger.asks_total("how many refugees have arrived in total?")
    assert not ledger.asks_total("how many refugees crossed on Monday?")
    assert figs("Berrin leads the count by just 312 votes.") == [
        ("margin", "312", 312.0, "level")]
    assert figs("The recount left her 95 votes behind Berrin.") == [
        ("margin", "95", 95.0, "level")]
    assert figs("Berrin finished with 30,767 votes and Aldane with 30,455.") == [
        ("votes", "30,767", 30767.0, "level"), ("votes", "30,455", 30455.0, "level")]
    assert figs("The Farmers' League took 12 seats and the Greens three.") == [
        ("seats", "12", 12.0, "level"), ("seats", "three", 3.0, "level")]
    assert figs("A camp with room for 8,000 people was sheltering 6,100 people.") == [
        ("capacity", "8,000", 8000.0, "level"), ("sheltered", "6,100", 6100.0, "level")]
    assert question_measure("how many people can the camp hold?") == "capacity"
    assert question_measure("what is the margin?") == "margin" and asks_figure(
        "what is the margin?")
    assert figs("The town last saw typhoid in 2016, when 19 people died.") == []
    assert question_measure("how has the case count changed?") == "cases"
    assert question_measure("how has the number of arrivals changed?") == "arrivals"


def test_a_part_counts_and_its_whole_does_not() -> None:
    """"The attack hit six of its 14 hospitals" recorded 14 hospitals (hit), not six; so a
    chain's size showed as a second count of the hospitals hit, "reports differing"."""
    assert figs("The attack hit six of its 14 hospitals.") == [
        ("hospitals", "six", 6.0, "level"), ("hospitals", "14", 14.0, "whole")]
    assert figs("Tully's party won 22 of the 45 seats.") == [
        ("seats", "22", 22.0, "level"), ("seats", "45", 45.0, "whole")]


def test_power_cuts_strikes_winds_times_of_day_and_comparisons() -> None:
    """Tried as a new user would, on a hurricane and a nurses' strike: "restored power to
    31,000 customers" joined the count of customers without power (and a "disagreement"
    with it); "walked out" counted no strikers; "at 7 a.m." was a figure; "higher than the
    1.8 metres first reported" a second surge height; wind speeds were no measure."""
    assert figs("Some 96,000 customers were still without power on Tuesday.") == [
        ("outage", "Some 96,000", 96000.0, "level")]
    assert figs("Crews had restored power to 31,000 customers since Monday.") == [
        ("restored", "31,000", 31000.0, "level")]
    assert question_measure("how many homes are without electricity?") == "outage"
    assert question_measure("how many customers have had power restored?") == "restored"
    assert figs("About 4,100 teachers walked out at 7 a.m. on Monday.") == [
        ("striking", "About 4,100", 4100.0, "level")]
    assert figs("A surge of 2.4 metres, higher than the 1.8 metres first reported.") == [
        ("metres", "2.4", 2.4, "level"), ("metres", "1.8", 1.8, "prior")]
    assert [e.measure for e in extract("It hit land with sustained winds of 160 km/h.")] == [
        "wind"]
    assert question_measure("what was the top wind speed?") == "wind"
    assert asks_figure("what were the wind speeds?")
    # "5K resolution" names a kind of camera: it counted five cameras against the 36
    assert figs("For the final, the cameras were upgraded to 5K resolution.") == []


def test_which_figure_is_a_part_of_which() -> None:
    """One rule says it, for the ledger and the bold span alike."""
    s = "The attack hit six of its 14 hospitals and one of the 3 clinics."
    six, fourteen = s.index("six"), s.index("14")
    assert ledger.is_part_of(s, six + 3, fourteen, "six")
    one, three = s.index("one"), s.index("3 clinics")
    assert not ledger.is_part_of(s, one + 3, three, "one")  # one of them: the 3 counts
    assert not ledger.is_part_of(s, fourteen + 2, one, "14")  # " hospitals and ": no "of"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Customers withdrew 310 million dollars on Tuesday.", [("withdrawn", "level", False)]),
    ("The central bank granted it an emergency loan of 2 billion dollars.",
     [("loan", "level", False)]),
    ("Deposits are guaranteed up to 100,000 dollars per customer.",
     [("guarantee", "level", False)]),
    ("Withdrawals eased to 150 million dollars on Friday, bringing the total withdrawn since "
     "Tuesday to 1.51 billion dollars.", [("withdrawn", "level", False),
                                          ("withdrawn", "total", False)]),
    ("The fund pledged 6 million dollars, bringing total aid pledges to 48 million dollars.",
     [("pledged", "level", False), ("pledged", "total", False)]),
    ("Acme agreed to buy Borel for 640 million dollars.", [("value", "level", False)]),
    ("The toll rose to 41, and the institute revised the magnitude to 7.1 from an initial 6.8.",
     [("dead", "level", False), ("magnitude", "level", True), ("magnitude", "prior", False)]),
    ("A magnitude 5.4 aftershock shook the town.", [("aftershock", "level", False)]),
    ("The toll was revised to 37 on Friday.", [("dead", "level", True)]),
    ("Six hundred and twenty firefighters were at work.", [("firefighters", "level", False)]),
])
def test_sums_magnitudes_and_corrections_by_clause(sentence: str,
                                                  expected: list[tuple[str, str, bool]]) -> None:
    assert [(e.measure, e.role, e.correction) for e in extract(sentence)] == expected
    if "hundred" in sentence:
        assert [e.number for e in extract(sentence)] == [620.0]


def test_a_magnitude_is_asked_as_a_figure() -> None:
    assert asks_figure("what magnitude was the quake?")
    assert question_measure("what magnitude was the quake?") == "magnitude"


def test_votes_for_and_against_and_an_agent_by() -> None:
    assert [(e.measure, e.role) for e in extract(
        "Members backed the deal by 3,120 votes to 940.")] == [("votes", "level")] * 2
    assert [(e.measure, e.role) for e in extract(
        "Crews worked on, supported by eleven aircraft.")] == [("aircraft", "level")]
    assert [(e.measure, e.role) for e in extract(
        "The union lowered its pay demand to seven per cent.")] == [("demand", "level")]
    assert not extract("The union lowered its pay demand to seven per cent.")[0].correction


def test_a_count_that_fell_to_none_and_ships_at_anchor() -> None:
    assert [(e.measure, e.value, e.number) for e in extract(
        "No one is now listed as missing.")] == [("missing", "No one", 0.0)]
    assert extract("No one was hurt.") == []  # what befell no one: no count
    assert [e.measure for e in extract("Thirty ships were at anchor.")] == ["waiting"]
    assert question_measure("deposits insured up to how much?") == "guarantee"
    assert asks_figure("quake deaths") and not asks_figure("latest on the strike")


@pytest.mark.parametrize(("sentence", "expected"), [
    ('"Nobody wins a strike like this one," she said.', []),
    ("About 2,000 dead fish were found.", [("fish", "level")]),
    ("The count of dead fish rose again, to 5,200.", [("fish", "level")]),
    ("Eleven children remain in hospital, one of them in intensive care.",
     [("hospitalised", "level"), ("icu", "level")]),
    ("The strike was costing the airline €4.5 million a day.", [("cost", "level")]),
    ("The guild is asking for 11 percent.", [("demand", "level")]),
    ("The guild is demanding a 14 percent pay rise.", [("demand", "level")]),
    ("Corvane raised its offer again, to 8.5 percent.", [("offer", "level")]),
    ("About 900 pilots joined the walkout.", [("striking", "level")]),
])
def test_what_a_figure_counts_in_outbreaks_strikes_and_spills(
        sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.measure, e.role) for e in extract(sentence)] == expected


def test_animals_are_asked_as_themselves() -> None:
    assert question_measure("how many fish died?") == "fish"
    assert question_measure("fish deaths") == "fish"
    assert question_measure("how many workers died?") == "dead"


def test_a_spill_and_a_deals_value() -> None:
    assert [e.measure for e in extract("The oil spill is now estimated at 210 tonnes.")] \
        == ["spilled"]
    assert [e.measure for e in extract("The ship was carrying 62,000 tonnes of oil.")] \
        == ["tonnes"]  # its cargo
    assert question_measure("how much compensation for the spill?") == "compensation"  # not
    # what was spilled
    assert question_measure("rival bid value") == "value"  # the last of a few words
    assert question_measure("deposit guarantee") == "guarantee"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The last person missing in the floods was found alive on Friday.",
     [("missing", "The last person missing", 0.0)]),
    ("Rescuers ended the search after finding the last of the missing.",
     [("missing", "the last of the missing", 0.0)]),
    ("A second person has died.", [("dead", "A second person", 2.0)]),
    ("The first death of the flood was confirmed on Tuesday.", [("dead", "The first death", 1.0)]),
    ("She was the first woman to lead the union.", []),
    ("The second man was injured.", []),
])
def test_counts_told_without_a_number(sentence: str,
                                      expected: list[tuple[str, str, float]]) -> None:
    assert [(e.measure, e.value, e.number) for e in extract(sentence)] == expected


def test_a_few_words_naming_things_and_what_befell_them_ask_a_count() -> None:
    assert asks_figure("roads closed") and asks_figure("homes flooded")
    assert not asks_figure("talks stalled") and not asks_figure("who closed the roads")


def test_an_ordinal_found_alive_is_no_death() -> None:
    assert [e.value for e in extract("The toll stood at nine, and a sixth person was found "
                                     "alive in a hut after the death of his brother.")] \
        == ["nine"]



@pytest.mark.parametrize("question", ["", "   ", "???", "\x00\x01", "how many " * 200,
                                      "a" * 5_000, "fish " * 50, "roads closed " * 50])
def test_question_readers_on_bad_inputs(question: str) -> None:
    assert isinstance(asks_figure(question), bool)
    assert isinstance(question_measure(question), str)
    assert not asks_figure("") and question_measure("") == ""


def test_how_many_never_asks_a_sum() -> None:
    assert question_measure("how many A320s is all nippon buying?") == ""
    assert question_measure("how many loans were made?") == "loans"
    assert question_measure("how much is the loan?") == "loan"


@pytest.mark.parametrize(("sentence", "read"), [
    # a toll split by town: parts of a whole, each read (the later ones say no measure)
    ("Nine people died in Harrowgate, four in Pellin and two in Oster.",
     [("Nine", "dead", "part"), ("four", "dead", "part"), ("two", "dead", "part")]),
    ("Ketterby has recorded 40 cases, Alder Vale 22 and the Roan Coast nine.",
     [("40", "cases", "part"), ("22", "cases", "part"), ("nine", "cases", "part")]),
    # islands' shares said with "on" (it was read as one toll of 17)
    ("The relief office said 17 people had died on Velloa Island, 8 on Quarn and two on Tesk.",
     [("17", "dead", "part"), ("8", "dead", "part"), ("two", "dead", "part")]),
    # the whole the parts are "of" stays the level and gives them its measure
    ("The office said about 30,000 people are now displaced, of whom 9,000 are at Kessing "
     "and 4,100 at a camp near Dorrow.",
     [("about 30,000", "displaced", "level"), ("9,000", "displaced", "part"),
      ("4,100", "displaced", "part")]),
    # no split: an earlier figure, a range, one holder's figure per party, another measure
    ("Confirmed cases in Ketterby reached 89 on Friday, up from 81 on Thursday.",
     [("89", "cases", "level")]),
    ("Between 41,000 and 45,000 people remain displaced in Kessing.",
     [("Between 41,000 and 45,000", "displaced", "level")]),
    ("The Harbour Party won 22 seats and the Field Bloc 13.",
     [("22", "seats", "level"), ("13", "seats", "level")]),
    ("Sustained winds reached 210 km/h in Pellin, with a peak gust of 248 km/h in Oster.",
     [("210", "wind", "level"), ("248", "wind", "level")]),
    # (a later part with a unit of its own is another figure: "how many tonnes is China's
    # wheat crop?" traced the CCC's sales to China as the crop)
    ("The agency covered sales of 340,000 tonnes of hard wheat and 210,000 tonnes of soft "
     "wheat to Rellia.", [("340,000", "tonnes", "level"), ("210,000", "tonnes", "level")]),
    # what a correction says the report got wrong is the figure it withdraws
    ("Correction: An earlier version of this report said the shaft was 640 metres deep.",
     [("640", "metres", "prior")]),
])
def test_a_figure_split_by_place(sentence: str, read: list[tuple[str, str, str]]) -> None:
    assert [(e.value, e.measure, e.role) for e in extract(sentence)] == read


def test_the_place_asked_picks_its_share_of_a_split() -> None:
    from index.entities import EntityTagger
    from index.highlight import figure_of_named, highlight

    def tag(sentence: str) -> list[Entity]:
        return EntityTagger().tag([sentence])[0]

    toll = "Nine people died in Harrowgate, four in Pellin and two in Oster."
    assert figure_of_named("storm deaths in pellin", toll) == "four"
    # ... and the bold of a question asked of the sentence says it (it bolded the 8 after
    # "Velloa Island", nearer its name than its own 17)
    islands = "The relief office said 17 people had died on Velloa Island, 8 on Quarn."
    assert highlight("deaths on velloa", islands, tag(islands)) == "17"
    assert highlight("how many died on quarn", islands, tag(islands)) == "8"
    assert figure_of_named("how many died", toll) is None
    # a name the figure is of is no place of a split ("Rellia's wheat crop": not its share
    # of a list of buyers, which made China's wheat crop the sales to China)
    buyers = "Exporters sold 20,000 tonnes to Rellia and 35,000 to Ostar."
    assert figure_of_named("how many tonnes went to rellia", buyers) == "20,000"
    assert figure_of_named("how many tonnes is Rellia's wheat crop?", buyers) is None
    assert figure_of_named("deaths in pellin", "Pellin won 22 seats (500 votes), boasting six "
                           "Field Bloc members.") is None  # figures of two measures
    # a common word of a name is no name asked ("still in hospital" of "Kessel Municipal
    # Hospital" bolded 15 of 48); two words of it are ("green harvest")
    clinics = ("In all, 48 people were still in hospital on Tuesday, 15 at Kessel Municipal "
               "Hospital and 33 at the Ostrava Clinic.")
    assert figure_of_named("how many still in hospital", clinics) is None
    assert figure_of_named("how many at the ostrava clinic", clinics) == "33"
    assert figure_of_named("votes for green harvest", "The Green Harvest Party had 412,000 "
                           "votes and the Freedom Bloc 380,000.") == "412,000"


@pytest.mark.parametrize(("question", "measure"), [
    ("harbour party seats", "seats"), ("aid trucks", "trucks"),
    ("km of coastline oiled", "kilometres"), ("how many km of coast are oiled", "kilometres"),
    ("foreign fighters captured", "fighters"), ("names of the workers killed", "dead"),
])
def test_a_few_words_name_what_they_count(question: str, measure: str) -> None:
    assert question_measure(question) == measure
    assert asks_figure(question) == (not question.startswith("names"))


def test_a_sum_in_another_currency_is_money() -> None:
    """Tried as a new user would: "45 million lev" was a count of lev, and "how much will
    the deal cost" found no sum in zlotys."""
    [cost] = ledger.extract("The deal will cost 2.1 billion zlotys over two years.")
    assert (cost.measure, cost.unit, cost.value) == ("cost", "zlotys", "2.1 billion")
    [leva] = ledger.extract("The bonus will cost 890 million leva in the first year.")
    assert (leva.measure, leva.unit) == ("cost", "lev")


@pytest.mark.parametrize(("sentence", "measure"), [
    ("Norvant raised its stake in Aerolin to 14.2 percent from 9.5 percent.", "stake"),
    ("The state owns 18 percent of Aerolin through the transport ministry.", "stake"),
    ("The state-owned carrier cut 5 percent of its flights.", "share of flights"),
])
def test_a_shareholders_part_is_a_stake(sentence: str, measure: str) -> None:
    assert ledger.extract(sentence)[0].measure == measure


def test_how_many_things_someone_owns_asks_no_stake() -> None:
    assert ledger.question_measure("norvant stake") == "stake"
    assert ledger.question_measure("how many regional carriers does norvant own") != "stake"


def test_a_measure_the_figure_cannot_be_of_gives_way_to_one_before_it() -> None:
    """Tried as a new user would: "latest government offer" quoted the first day's 4% offer,
    as the next day's "raised its pay offer to striking teachers to 6%" was read as a share
    of strikers, not an offer."""
    [offer] = ledger.extract("The government raised its pay offer to striking teachers to 6% "
                             "on Tuesday.")
    assert (offer.measure, offer.value) == ("offer", "6%")
    [strikers] = ledger.extract("Some 4,000 striking workers were counted.")
    assert strikers.measure == "striking"


@pytest.mark.parametrize(("sentence", "read"), [
    # the figure between splits "ordered ... to leave": read by the words after it
    ("Police ordered about 1,400 residents to leave their homes.",
     [("about 1,400", "evacuated", "level")]),
    ("He wants 30 people to leave the party.", [("30", "people", "level")]),
    # a correction's withdrawn figure, said of "a report on Friday"
    ("Correction: A report on Friday said 380 millimetres of rain fell on Tesk.",
     [("380", "millimetres", "prior")]),
    # a damage estimate is a sum of its own (not the storm's wind or any sum of dollars)
    ("The minister raised the damage estimate to $610 million.",
     [("$610 million", "damage", "level")]),
    # the strike dates the running total: the total is of the day's figure
    ("Another 3,450 operations were postponed on Saturday, bringing the total since the "
     "strike began to 6,550.", [("3,450", "operations", "level"),
                                ("6,550", "operations", "total")]),
    # ... and so do the protests (counted things), and those who left hospital are discharged
    ("Police made four arrests, bringing the total since the protests began to 41.",
     [("four", "arrested", "level"), ("41", "arrested", "total")]),
    ("Police counted 12 protests on Monday, bringing the total of protests to 40.",
     [("12", "protests", "change"), ("40", "protests", "level")]),
    ("Of the four men rescued on Wednesday, three have left hospital.",
     [("four", "rescued", "level"), ("three", "discharged", "level")]),
    # "two dozen" is 24, not two and a dozen (the digest read "Fourteen → two ships")
    ("By early evening two dozen ships had passed through the canal.",
     [("two dozen", "ships", "level")]),
    ("Half a dozen tugs and a dozen dredgers came.",
     [("Half a dozen", "tugs", "level"), ("a dozen", "dredgers", "level")]),
    # a time of day is no figure ("05 metres" was read from "at 05:00")
    ("The shaft stood at 205 metres at 05:00 on Friday, after 57 metres of drilling.",
     [("205", "metres", "level"), ("57", "metres", "change")]),
])
def test_evacuation_orders_corrections_damage_and_totals_since(
        sentence: str, read: list[tuple[str, str, str]]) -> None:
    assert [(e.value, e.measure, e.role) for e in extract(sentence)] == read


def test_that_brings_the_total_to_of_the_sentence_before() -> None:
    sentences = ["Some 2,900 operations were postponed on Sunday.",
                 "That brings the three-day total to 9,450."]
    read = ledger.in_context(sentences, [extract(s) for s in sentences])
    assert [(e.value, e.measure, e.role) for e in read[1]] == [("9,450", "operations",
                                                                "total")]
    alone = ["That brings the three-day total to 9,450."]  # nothing before: no figure
    assert ledger.in_context(alone, [extract(s) for s in alone]) == [[]]
    plain = ["Some 2,900 operations were postponed.", "That brings the total to 9,450."]
    assert [(e.value, e.measure, e.role) for e in ledger.in_context(
        plain, [extract(s) for s in plain])[1]] == [("9,450", "operations", "total")]
    assert question_measure("how many hospitals hit by the strike") == "hospitals"
    assert question_measure("how many doctors are on strike") == "striking"
    assert question_measure("latest damage estimate for the storm") == "damage"
    assert question_measure("quarnair total debts") == "debt"
    assert question_measure("refund claims so far") == "claims"
    assert question_measure("how many rescued miners are out of hospital") == "discharged"


@pytest.mark.parametrize(("sentence", "read"), [
    # a utility's cut "to" households is an outage (it was a count of households, so "how
    # many households still without power" traced none of the later outages after it)
    ("Tesk Power said supply had been cut to roughly 210,000 households.",
     [("roughly 210,000", "outage", "households")]),
    ("Tesk Power said 30,000 households were still w/o power.",
     [("30,000", "outage", "households")]),
    # passengers flown home are stranded no more; those stuck overseas are
    ("Eleven flights had now brought 2,700 stranded passengers home.",
     [("Eleven", "flights", "flights"), ("2,700", "passengers", "passengers")]),
    ("About 6,100 Quarnair passengers are stuck overseas.",
     [("About 6,100", "trapped", "passengers")]),
    ("The ministry said about 4,800 travellers were still waiting abroad.",
     [("about 4,800", "trapped", "travellers")]),
    # those flown home are people brought home, the flights that did it flights
    ("In total, 6,300 travellers have been flown home on 29 repatriation flights.",
     [("6,300", "returned", "travellers"), ("29", "flights", "flights")]),
    ("The first two flights landed on Saturday, carrying 410 passengers home.",
     [("two", "flights", "flights"), ("410", "returned", "passengers")]),
    # a zone round a leaking tanker is no spill
    ("They widened the zone round the leaking tanker from 2 kilometres to 3.5 kilometres.",
     [("2", "kilometres", "kilometres"), ("3.5", "kilometres", "kilometres")]),
    # what a company owes is a sum of its own
    ("Total liabilities now stood at $1.02 billion, up from the $915 million he cited.",
     [("$1.02 billion", "debt", "dlrs"), ("$915 million", "debt", "dlrs")]),
])
def test_outages_said_as_cuts_and_passengers_brought_home(
        sentence: str, read: list[tuple[str, str, str]]) -> None:
    assert [(e.value, e.measure, e.unit) for e in extract(sentence)] == read


@pytest.mark.parametrize(("sentence", "read"), [
    # a word a month's name begins is no month: the figure beside it stands
    ("Airline losses have reached 30 million marks.", [("30 million", "losses", "marks")]),
    ("Shares declined 12 percent on Tuesday.", [("12 percent", "pct", "pct")]),
    ("Police said 12 mayors attended.", [("12", "gathered", "mayors")]),
    # ... while a date's number is no figure
    ("It happened on 12 May, when 40 people died.", [("40", "dead", "people")]),
    ("On Dec. 3 the council approved 300 new homes.", [("300", "homes", "homes")]),
])
def test_words_a_month_begins_leave_the_figure(sentence: str,
                                               read: list[tuple[str, str, str]]) -> None:
    assert [(e.value, e.measure, e.unit) for e in extract(sentence)] == read


@pytest.mark.parametrize(("sentence", "read"), [
    # an earlier event's toll, recalled for comparison, is none of this one's ("ferry death
    # toll" had bolded the 61 of a sinking twelve years before)
    ("It is the worst ferry accident since the sinking of the Morrow Star in 2029, in which "
     "61 people died.", []),
    ("The last storm of comparable strength to reach Brevane, Hurricane Teodor in 2031, "
     "killed 23 people.", []),
    ("Storm Ilsa has killed at least seven people in Brevane.",
     [("at least seven", "dead", "people")]),
])
def test_an_earlier_events_figure_is_none_of_this_ones(sentence: str,
                                                      read: list[tuple[str, str, str]]) -> None:
    assert [(e.value, e.measure, e.unit) for e in extract(sentence) if e.role == "level"] == read


@pytest.mark.parametrize(("sentence", "read"), [
    # a rate moves by basis points ("size of the second rate rise" had bolded the 14 percent
    # the rate stood at)
    ("The central bank raised interest rates again on Wednesday, adding another 250 basis "
     "points.", [("250", "rate", "bp", "change")]),
    ("The bank raised its benchmark rate by 300 basis points to 11.5 percent.",
     [("300", "rate", "bp", "change"), ("11.5 percent", "rate", "pct", "level")]),
    # ... a spread in them is no rate
    ("The spread widened to 450 basis points.", [("450", "bp", "bp", "level")]),
])
def test_basis_points_move_a_rate(sentence: str, read: list[tuple[str, str, str, str]]) -> None:
    assert [(e.value, e.measure, e.unit, e.role) for e in extract(sentence)] == read
    assert asks_change("size of the second rate rise") and asks_change("how big was the hike")
    assert not asks_change("how big is the crowd")


def test_that_figure_moved_listed_as_missing_and_all_but() -> None:
    """Tried as a new user would: "customers without power now" gave the peak, not "that
    figure had fallen to 141,000" in the next sentence; "how many still missing" an older
    count than "It now lists 185 people as missing"; "homes still without electricity" an
    older count than "restored to all but 38,000 customers"."""
    pair = ["At the height of the storm, 186,000 Brevane Grid customers were without "
            "electricity.", "By 07:00 on Sunday that figure had fallen to 141,000, the "
                            "company said."]
    moved = ledger.in_context(pair, [extract(s) for s in pair])[1]
    assert [(e.value, e.measure, e.role) for e in moved] == [("141,000", "outage", "level")]
    assert [(e.value, e.measure) for e in extract("It now lists 185 people as missing.")] \
        == [("185", "missing")]
    assert [(e.value, e.measure) for e in extract(
        "Brevane Grid said power had been restored to all but 38,000 customers.")] \
        == [("38,000", "outage")]


@pytest.mark.parametrize(("sentence", "read"), [
    # "waiting list size now" had bolded the 618,000 the list stood at before it rose
    ("The national waiting list, which stood at 618,000 at the end of October, rose to an "
     "estimated 624,000 after the strike.",
     [("618,000", "prior"), ("an estimated 624,000", "level")]),
    # "annual inflation" had quoted August's figure, recalled in September's report
    ("Annual inflation had been 9.4 percent in August.", [("9.4 percent", "prior")]),
    ("Twelve people had been killed in the blast.", [("Twelve", "level")]),
])
def test_what_a_figure_stood_at_and_had_been_is_an_earlier_one(
        sentence: str, read: list[tuple[str, str]]) -> None:
    assert [(e.value, e.role) for e in extract(sentence)] == read


@pytest.mark.parametrize(("sentence", "read"), [
    # rain in millimetres was no figure ("total rain at sellin" quoted an older total)
    ("The weather station at Sellin recorded 412 mm of rain in 36 hours.",
     [("412", "millimetres", "level")]),
    ("Another 38 mm of rain fell on Wednesday.", [("38", "millimetres", "level")]),
    ("The crack had widened to about 40 centimetres.", [("about 40", "centimetres", "level")]),
])
def test_millimetres_and_centimetres(sentence: str, read: list[tuple[str, str, str]]) -> None:
    assert [(e.value, e.measure, e.role) for e in extract(sentence)] == read


def test_the_unit_a_question_asks_in() -> None:
    assert ledger.units_named("ransom in euros") == {"euros"}
    assert ledger.units_named("how much did it cost in dollars?") == {"dlrs"}
    # a currency the question is about is no unit asked ("crown rate" traced no rate)
    assert ledger.units_named("crown rate now") == frozenset()
    assert ledger.units_named("how many died in the blast") == frozenset()


@pytest.mark.parametrize("text", [
    "", " ", "nine in ten " * 3000, "Tarn hills " * 2000, "(" * 5000 + "Wire, 06:30)",
    "About 31,000: " * 2000, "that figure had fallen to " * 2000 + "141,000.",
    "Of the 21 people, " * 1000, "restored to all but " * 2000 + "38,000 customers.",
    "\x00\ufffd" * 500 + " 12 mm", "Zone C. " * 3000, "in euros " * 3000, "size of " * 3000,
])
def test_the_new_readers_on_bad_input(text: str) -> None:
    """Bad input through this session's readers: the ratio, the landform, the sign-off, a
    list after a colon, "that figure had fallen to", "all but", millimetres, a zone's letter,
    the unit asked, the size of a change. Each gives a plain answer and loses nothing."""
    from index.entities import merge
    from index.mastheads import read_dateline
    from index.qtype import expected_types
    from index.sentences import split_paragraph

    entries = extract(text)
    assert all(e.value and e.value in text for e in entries)
    assert not any(e.measure == "nine" for e in entries)  # "nine in ten" is no count
    parts = ledger.split_parts(text)
    assert all(p.value in text for p in parts)
    pair = [text, text]
    assert len(ledger.in_context(pair, [entries, entries])) == 2
    assert ledger.units_named(text) <= {"euros"}
    assert isinstance(asks_change(text), bool)
    assert all(e.text == text[e.start:e.end] for e in merge(text, []))
    line = read_dateline(text)
    assert line.date is None and line.outlet is None  # no dateline: the paragraph as it was
    assert "".join(split_paragraph(text)).replace(" ", "") == " ".join(text.split()).replace(
        " ", "")
    assert isinstance(expected_types(text), frozenset)
