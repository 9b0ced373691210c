"""Mastheads and datelines as outlets write them: tried as a new user would, ten reports with
"Published 3 March 2031 07:40", "NORTHGATE POST" over "MARCH 4, 2031 — 09:15" or
"Updated: 2031-03-05 08:30 UTC" under their titles were all stored undated and without a
source, their masthead lines quoted as sentences; "6:45 p.m." was read as 06:45."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from index.dates import parse_date
from index.loaders import load_inputs, parse_text
from index.mastheads import masthead_line, outlet_name, read_dateline, title_outlet
from index.models import ReportDraft
from index.timeq import TimeWindow, until_now


@pytest.mark.parametrize(("text", "iso"), [
    ("Published 9 June 2032 07:40", "2032-06-09T07:40:00"),
    ("Published: 9 June 2032", "2032-06-09"),
    ("Last updated on 9 June 2032 at 18:05", "2032-06-09T18:05:00"),
    ("Updated: 2032-06-10 08:30 UTC", "2032-06-10T08:30:00+00:00"),
    ("JUNE 11, 2032 — 09:15", "2032-06-11T09:15:00"),
    ("June 9, 2032, 6:45 p.m.", "2032-06-09T18:45:00"),
    ("Friday 11 June 2032, 3:30 PM", "2032-06-11T15:30:00"),
    ("Friday 11 June 2032, 12:10 a.m.", "2032-06-11T00:10:00"),
    ("11 June 2032 09:10 GMT", "2032-06-11T09:10:00+00:00"),
    ("June 11, 2032 at 9am EST", "2032-06-11T09:00:00-05:00"),
    ("11 June 2032 14:00 UTC+2", "2032-06-11T14:00:00+02:00"),
    ("11 June 2032 14:00 +05:30", "2032-06-11T14:00:00+05:30"),
    # tried as a new user would: the day in figures, the hour first, a label before ISO
    ("17/06/2032 — 08:15", "2032-06-17T08:15:00"), ("06/17/2032", "2032-06-17"),
    ("05/06/2032", "2032-06-05"), ("17.06.2032", "2032-06-17"), ("31/31/2032", None),
    ("Updated at 21:30 on 19 June 2032", "2032-06-19T21:30:00"),
    ("Last updated 2032-06-11T06:45Z", "2032-06-11T06:45:00+00:00"),
    ("11 June 2032 25:00", None), ("11 June 2032 13:00 p.m.", None),
    ("11 June 2032 was a Friday", None), ("Published by the ministry", None),
])
def test_datelines(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(("line", "date", "outlet", "byline"), [
    ("*Harbour Wire* — Published 9 June 2032 07:40", "2032-06-09T07:40:00", "Harbour Wire",
     False),
    ("**The Kellow Ledger**", None, "The Kellow Ledger", False),
    ("SOUTHWARD POST", None, "Southward Post", False),
    ("COASTAL NEWS SERVICE | Published 9 June 2032 14:05", "2032-06-09T14:05:00",
     "Coastal News Service", False),
    ("PEREL NEWS — 10 June 2032 | 16:45", "2032-06-10T16:45:00", "Perel News", False),
    ("DUNMARCH, June 9, 2032, 6:45 p.m. — The Vale Courier", "2032-06-09T18:45:00",
     "The Vale Courier", False),
    ("By Southward Daily foreign desk", None, "Southward Daily", True),
    ("By Mira Osk", None, None, True),
    ("By Mira Osk, Harbour Post", None, "Harbour Post", True),
    ("By Mira Osk, in Pellin", None, None, True),
    ("By Harbour Wire staff · 16:40 CET", None, "Harbour Wire", True),
    ("By Mira Osk | 9 June 2032", "2032-06-09", None, True),
    ("By the river - a walk", None, None, False),
    ("*The Vale Courier* · Politics", None, "The Vale Courier", False),
    ("By Mira Osk and Tam Rue, The Kellow Ledger", None, "The Kellow Ledger", True),
    # tried as a new user would: a reporter's byline, then the outlet, was no masthead
    ("By Mira Osk, banking correspondent | Harbour Post", None, "Harbour Post", True),
    ("By Mira Osk and Tam Rue | The Kellow Ledger", None, "The Kellow Ledger", True),
    ("By the way | this is text", None, None, False),
    ("(Harbour Wire)", None, "Harbour Wire", False),
    ("Rescuers kept digging through the night.", None, None, False),
    ("By the time rescuers arrived, the roof had gone", None, None, False),
    ("Crews - tired - kept going", None, None, False),
    # tried as a new user would: a section after the date, an hour after the outlet
    ("HARBOUR WIRE | 13 Jun 2032, 16:40 | Business desk", "2032-06-13T16:40:00",
     "Harbour Wire", False),
    ("JUNE 14, 2032 — SOUTHWARD POST, 07:45", "2032-06-14T07:45:00", "Southward Post", False),
    ("Talks resumed | 13 Jun 2032 | and then they stopped again", None, None, False),
    ("Posted 08:00, 17 Jun 2032", "2032-06-17T08:00:00", None, False),  # the hour first
    ("6:15 p.m., June 17, 2032", "2032-06-17T18:15:00", None, False),
    ("8:00 the fire spread", None, None, False),
    # tried as a new user would: a slash before the hour, the outlet after the date in
    # figures, a label before an ISO date, a byline then the outlet then the date
    ("JUNE 9, 2032 / 22:10", "2032-06-09T22:10:00", None, False),
    ("17/06/2032 — 08:15 — Perel Radio News", "2032-06-17T08:15:00", "Perel Radio News",
     False),
    ("SOUTHWARD DISPATCH — Last updated 2032-06-11T06:45Z", "2032-06-11T06:45:00+00:00",
     "Southward Dispatch", False),
    ("By Mira Osk | The Vale Courier | 10 June 2032, 08:05", "2032-06-10T08:05:00",
     "The Vale Courier", True),
    ("By Mira Osk | 10 June 2032 | and more words", None, None, False),
    # tried as a new user would: the day with dots then the outlet and its place, the date
    # then a desk's byline (both were stored with their ingest day, seen at every moment)
    ("Updated: 09.06.2032, 17:55 | Perel Today, Valdro", "2032-06-09T17:55:00",
     "Perel Today", False),
    ("Posted 2032-06-11 at 07:50 by Perel Today staff", "2032-06-11T07:50:00", "Perel Today",
     True),
    ("Posted 2032-06-11 at 07:50 by the river", None, None, False),
    ("By Harbour Wire health desk", None, "Harbour Wire", True),
    ("Talks resumed, Valdro | 13 Jun 2032", None, None, False),
])
def test_masthead_lines(line: str, date: str | None, outlet: str | None,
                        byline: bool) -> None:
    said = masthead_line(line)
    assert (said.date, said.outlet, said.byline) == (date, outlet, byline)


def test_huge_bylines_and_date_openings_lose_nothing() -> None:
    """A byline of thousands of names before the outlet, a date opening a huge paragraph."""
    many = "By " + "Ann Ray, " * 5_000 + "reporter | Harbour Post"
    assert masthead_line(many).outlet in (None, "Harbour Post")
    huge = "JUNE 10, 2032 — " + "The fire spread. " * 10_000
    d = read_dateline(huge)
    assert d.date == "2032-06-10" and d.text == huge[len("JUNE 10, 2032 — "):]


def test_outlet_names_in_capitals_keep_their_acronyms() -> None:
    assert outlet_name("BBC NEWS") == "BBC News"
    assert outlet_name("THE VOICE OF THE VALLEY") == "The Voice of the Valley"
    assert outlet_name("Rescue teams arrive at 9") is None


def test_the_opening_dateline_gives_outlet_and_date_and_keeps_the_place() -> None:
    d = read_dateline("VELSK, Arnor (Harbour Wire) - A truce held through its first day.")
    assert (d.text, d.outlet, d.date) == ("VELSK, Arnor — A truce held through its first day.",
                                          "Harbour Wire", None)
    d = read_dateline("PORT ELLAN, JUNE 10, 2032 — The storm made landfall overnight.")
    assert (d.text, d.date) == ("PORT ELLAN — The storm made landfall overnight.",
                                "2032-06-10")
    # tried as a new user would: a date opening the text, or a dateline on a line of its
    # own, was no dateline (the reports were dated by their ingest, seen at every moment)
    d = read_dateline("JUNE 10, 2032, 7:45 PM — The fire doubled in size.")
    assert (d.text, d.date) == ("The fire doubled in size.", "2032-06-10T19:45:00")
    d = read_dateline("Wednesday, June 11, 2032 — 6:15 p.m. — The hackers raised the ransom.")
    assert (d.text, d.date) == ("The hackers raised the ransom.", "2032-06-11T18:15:00")
    d = read_dateline("12 June 2032 | 11:20 — Crews held the line.")
    assert (d.text, d.date) == ("Crews held the line.", "2032-06-12T11:20:00")
    d = read_dateline("PELLIN, JUNE 10, 2032, 17:20 —")
    assert (d.text, d.date) == ("", "2032-06-10T17:20:00")
    # ... and the outlet in brackets after the hour: kept out of the text, the hour read
    d = read_dateline("DUNMARCH, Vell, JUNE 13, 2032 — 09:40 (Harbour Wire) —")
    assert (d.text, d.date, d.outlet) == ("", "2032-06-13T09:40:00", "Harbour Wire")
    # ... or the hour alone after the outlet and the dash
    d = read_dateline("Brelstad, 8 June 2032 (Harbour Wire) — 19:05")
    assert (d.text, d.date, d.outlet) == ("", "2032-06-08T19:05:00", "Harbour Wire")
    d = read_dateline("DUNMARCH, JUNE 13, 2032 — 09:40 (not an outlet, said) — Rain fell.")
    assert d.date == "2032-06-13" and "09:40 (not an outlet, said)" in d.text
    for plain in ("TESSIN RIDGE, Vell — Eleven miners were trapped.",  # a place alone
                  "2032 — a year of floods, it said.", "June 10 — talks resumed.",
                  "NATO said on Monday - talks would resume.",
                  "A ceasefire - the first in years - began at dawn."):
        assert read_dateline(plain).text == plain


MASTHEADS = {
    "a.md": "# Roof fall traps miners\n\n*Harbour Wire* — Published 9 June 2032 07:40\n\n"
            "TESSIN RIDGE, Vell — Eleven miners were trapped on Monday.\n",
    "b.md": "# Rate rise stuns markets\n\n**The Kellow Ledger**\nPublished 9 June 2032 14:05"
            "\n\nThe central bank raised its rate to 5 percent.\n",
    "c.md": "# Toll rises to five\n\nSOUTHWARD POST\n\nJUNE 10, 2032 — 09:15\n\n"
            "The death toll rose to five on Tuesday.\n",
    "d.md": "# Hackers demand ransom\n\nUpdated: 2032-06-10 08:30 UTC\n\n"
            "By Southward Daily staff\n\nThe gang demanded 85 bitcoin.\n",
    "e.md": "# Storm hits coast\n\nPEREL NEWS\n\nPORT ELLAN, JUNE 10, 2032 — The storm made "
            "landfall overnight.\n",
    "f.md": "# Clinics reopen\n\nDUNMARCH, June 9, 2032, 6:45 p.m. — The Vale Courier\n\n"
            "Four clinics reopened on Wednesday.\n",
    "g.md": "# Truce holds\n\nPublished 11 June 2032 09:20\n\nVELSK, Arnor (Harbour Wire) - "
            "A truce held through its first day.\n",
    "h.md": "# Jet overruns runway\n\nBy Mira Osk, Harbour Post\nPublished 9 June 2032 14:05"
            "\n\nNine people were killed.\n",
    "i.txt": "Blaze put out after 31 hours\n\nJun. 10, 2032\n6:50 p.m.\n\n"
             "By Tam Rue, Harbor Daily Post\n\nKELLMOUTH -- The blaze is out.\n",
    "k.md": "# Toll rises to nine | Vale Post\nUpdated: 2032-06-10 08:30 UTC\n\nNine died.\n",
    "l.md": "# TOLL REACHES 12\n\nHarbour Wire\n\nPELLIN, JUNE 11, 2032 — 18:45 GMT — Divers "
            "found two more bodies.\n",
    "j.md": "# Tariffs announced\n\nPosted on June 9, 2032 at 6:40 pm\n\nVELDHAVEN, June 9 "
            "(Harbour Wire) - Tariffs of up to 40 percent were announced.\n",
    # a desk byline with the hour above the dateline that gives the day (a new user's report
    # was stored undated, dated by its ingest, and shown at every earlier moment)
    "m.md": "# Last missing skier found\n\nBy Harbour Wire staff · 16:40 CET\n\nKORNAU, "
            "JUNE 11, 2032 — The body was recovered on Thursday.\n",
    "n.md": "# Skier found\n\nKORNAU, Estria, JUNE 11, 2032 (Harbour Wire) — The body was "
            "recovered.\n",
    "o.md": "# Bank suspends chief\n\nBy Mira Osk, banking correspondent | Harbour Post\n\n"
            "PELLIN, JUNE 10, 2032, 17:20 —\n\nThe bank suspended its chief executive.\n",
    "p.md": "# Fire doubles\n\nSOUTHWARD POST\n\nJUNE 10, 2032, 7:45 PM — The fire doubled.\n",
    # tried as a new user would: the outlet on the line under a dateline of its own was
    # quoted as the first sentence, and the report had no source
    "q.md": "# Offer raised\n\nJULY 10, 2032, 9:15 PM —\nNordwire\n\nTARROW — The offer rose.\n",
}


def test_reports_with_mastheads_are_dated_and_sourced(tmp_path: Path) -> None:
    for name, text in MASTHEADS.items():
        (tmp_path / name).write_text(text)
    drafts = {Path(d.origin).name: d for d in load_inputs([str(tmp_path)])
              if isinstance(d, ReportDraft)}
    got = {name: (d.date, d.source, d.text) for name, d in drafts.items()}
    assert got == {
        "a.md": ("2032-06-09T07:40:00", "Harbour Wire",
                 "TESSIN RIDGE, Vell — Eleven miners were trapped on Monday."),
        "b.md": ("2032-06-09T14:05:00", "The Kellow Ledger",
                 "The central bank raised its rate to 5 percent."),
        "c.md": ("2032-06-10T09:15:00", "Southward Post",
                 "The death toll rose to five on Tuesday."),
        "d.md": ("2032-06-10T08:30:00+00:00", "Southward Daily",
                 "The gang demanded 85 bitcoin."),
        "e.md": ("2032-06-10", "Perel News", "PORT ELLAN — The storm made landfall overnight."),
        "f.md": ("2032-06-09T18:45:00", "The Vale Courier", "Four clinics reopened on Wednesday."),
        "g.md": ("2032-06-11T09:20:00", "Harbour Wire",
                 "VELSK, Arnor — A truce held through its first day."),
        "h.md": ("2032-06-09T14:05:00", "Harbour Post", "Nine people were killed."),
        "i.txt": ("2032-06-10T18:50:00", "Harbor Daily Post", "KELLMOUTH -- The blaze is out."),
        "k.md": ("2032-06-10T08:30:00+00:00", "Vale Post", "Nine died."),
        "l.md": ("2032-06-11T18:45:00+00:00", "Harbour Wire",
                 "PELLIN — Divers found two more bodies."),
        "j.md": ("2032-06-09T18:40:00", "Harbour Wire",
                 "VELDHAVEN — Tariffs of up to 40 percent were announced."),
        "m.md": ("2032-06-11T16:40:00+01:00", "Harbour Wire",
                 "KORNAU — The body was recovered on Thursday."),
        "n.md": ("2032-06-11", "Harbour Wire", "KORNAU, Estria — The body was recovered."),
        "o.md": ("2032-06-10T17:20:00", "Harbour Post",
                 "The bank suspended its chief executive."),
        "p.md": ("2032-06-10T19:45:00", "Southward Post", "The fire doubled."),
        "q.md": ("2032-07-10T21:15:00", "Nordwire", "TARROW — The offer rose."),
    }


def test_a_short_line_without_a_date_stays_in_the_text() -> None:
    """A subheading or first line in capitals is no masthead without a date beside it."""
    draft = parse_text("# Flood warning\n\nRIVER LEVELS RISING\n\nThe river rose two metres.")
    assert (draft.date, draft.source) == (None, None)
    assert draft.text.startswith("RIVER LEVELS RISING")


def test_markdown_emphasis_is_no_part_of_the_words() -> None:
    draft = parse_text("# Shaft depth\n\nDate: 2032-06-09\n\n*Correction: the shaft is 610 "
                       "metres deep, not 640.*\n\nThe pay_rate field and 2 * 3 stay.")
    assert draft.text.splitlines()[0] == "Correction: the shaft is 610 metres deep, not 640."
    assert "pay_rate field and 2 * 3 stay" in draft.text


def test_a_question_asked_at_an_hour_sees_only_reports_published_by_then() -> None:
    window = until_now(TimeWindow(), datetime(2032, 6, 9, 12, 0, tzinfo=UTC))
    assert window.contains("2032-06-09T07:40:00+00:00")
    assert not window.contains("2032-06-09T14:05:00+00:00")
    assert window.contains("2032-06-09")  # dated by its day alone: all that day
    assert not window.contains("2032-06-10")


@pytest.mark.parametrize("line", [
    "", "   ", "By", "|||", "— — —", "(", "*", "\x00\x01 By \u202e Ann",
    "By " + "word " * 20_000, "Published " + "1" * 50_000, "X — " * 5_000,
    "VELSK, " + "A" * 50_000 + " - text", "31 February 2031 25:99", "March 4, 2031 — 99:99",
    # bylines with parts after them: a review found 5,000 of these recursed past Python's
    # limit
    "By Wire staff · " * 5_000, "By · 16:40", "By Wire staff | | |", "By Ann · 99:99 CET",
    # the hour before the day, with no day or a wrong one
    "Posted 25:61, 17 May 2033", "08:00, 99 May 2033", "08:00,", "12:30 — ",
    "08:00, 17 May 2033 and then", "08:00, " * 5_000,
    # the forms read this session, wrong or huge: a day in figures that is none, a place
    # then a dash again and again, a bracket after a date and a place, a slash, an hour "on"
    "31/31/2034 — 08:15", "00/09/2034", "17/09/20341", "Dunmore — " * 5_000,
    "MARCH 9, 2034 / " * 5_000, "Updated at 99:30 on 19 September 2034",
    "By X | " * 5_000, "Last updated 2034-13-11T06:45Z",
    # the forms read in the eighteenth session, wrong or huge: dots that are no day, a date
    # then "by" and no desk, "by" again and again, an outlet and a place with no date
    "Updated: 39.05.2037, 17:55 | Carvessa Today, Valdro", "Posted 2037-05-11 at 07:50 by",
    "Posted 2037-05-11 by " * 5_000, "Carvessa Today, Valdro | Carvessa Today, Valdro",
])
def test_bad_masthead_lines_give_no_date_and_lose_nothing(line: str) -> None:
    """Empty, huge, control characters, impossible dates: no date is read, and the opening
    paragraph comes back whole when it holds no dateline."""
    assert masthead_line(line).date is None
    assert read_dateline(line).text == line
    title, outlet = title_outlet(line)
    assert outlet is None and title == line


def test_bad_hours_after_a_dateline_lose_nothing() -> None:
    """An hour after the outlet and the dash that is none, or a thousand of them: the day is
    read, no hour, and the words stay in the text; a huge outlet line under a dateline of
    its own is no outlet."""
    d = read_dateline("Brelstad, 8 June 2032 (Harbour Wire) — 99:99")
    assert (d.date, d.text) == ("2032-06-08", "Brelstad — 99:99")
    d = read_dateline("Brelstad, 8 June 2032 (Harbour Wire) — " + "19:05 " * 1_000)
    assert d.date == "2032-06-08" and d.text.count("19:05") == 1_000
    draft = parse_text("# Offer\n\nJULY 10, 2032, 9:15 PM —\n" + "Nordwire " * 5_000
                       + "\n\nTARROW — The offer rose.")
    assert draft.date == "2032-07-10T21:15:00" and draft.source is None
    assert draft.text.startswith("Nordwire Nordwire")


def test_a_title_ending_on_words_is_no_outlet() -> None:
    assert title_outlet("Strike ends | workers return") == ("Strike ends | workers return", None)
    assert title_outlet("Toll rises | Vale Post") == ("Toll rises", "Vale Post")


def test_a_byline_under_the_lead_gives_the_outlet_and_the_hour() -> None:
    """Tried as a new user would: "By Meridian Wire staff · 10:15 CET" under the lead
    paragraph left the report with no outlet, dated by its day alone (so seen by a question
    asked at 06:00 that day), and the byline was quoted in the digest as a line of news."""
    draft = parse_text("# Hopes fade\n\nDREVNIK, Orsova, OCTOBER 16, 2032 —\n\nRescuers "
                       "began scaling back the search on Saturday.\n\nBy Meridian Wire staff "
                       "· 10:15 CET\n\nThe toll stands at 141.")
    assert (draft.date, draft.source) == ("2032-10-16T10:15:00+01:00", "Meridian Wire")
    assert "staff" not in draft.text and "141" in draft.text and "Rescuers" in draft.text
    kept = parse_text("# Hopes fade\n\nRescuers began the search on Saturday.\n\nBy "
                      "Sunday, all were found.\n\nThe toll stands at 141.")
    assert "By Sunday, all were found." in kept.text  # a sentence, no byline


def test_a_place_then_the_date_and_a_sign_off_under_the_text() -> None:
    """Tried as a new user would: "Dunmarch — Monday 18 June 2032 — The minister ..." and
    "Pellin, 10 June (The Vale Courier) — ..." were no datelines (the reports were dated by
    their ingest and quoted with the dateline); "— The Kellow Ledger" and "*Harbour Wire*"
    under the text were quoted as sentences ("who is the president?": "Harbour Wire")."""
    d = read_dateline("Dunmarch — Monday 18 June 2032 — The minister capped the price.")
    assert (d.text, d.date) == ("Dunmarch — The minister capped the price.", "2032-06-18")
    d = read_dateline("Pellin, 10 June (The Vale Courier) — Crews found two more.")
    assert (d.text, d.date, d.outlet) == ("Pellin — Crews found two more.", "--06-10",
                                          "The Vale Courier")
    # the place and the outlet after the date and the hour, on a line of their own (the
    # line was quoted as a sentence, the report credited to no one)
    d = read_dateline("JUNE 10, 2032 — 18:05 — PELLIN (Harbour Wire)")
    assert (d.text, d.date, d.outlet) == ("", "2032-06-10T18:05:00", "Harbour Wire")
    d = read_dateline("JUNE 11, 2032 — PELLIN, Arnor (Harbour Wire) — Lava flowed.")
    assert (d.text, d.date, d.outlet) == ("PELLIN, Arnor — Lava flowed.", "2032-06-11",
                                          "Harbour Wire")
    assert read_dateline("JUNE 11, 2032 — NATO (the alliance) said so.").outlet is None
    # (a "place" of 5,000 words is text: it is kept whole, the date read)
    huge = read_dateline("FEBRUARY 10, 2036 — " + "BRAVENNE " * 5_000 + "(Meridian Wire)")
    assert huge.date == "2036-02-10" and huge.text.count("BRAVENNE") == 5_000
    for plain in ("Talks — in Pellin — resumed on Monday.", "Pellin, the port (Vale) — it "
                  "said.", "Crews — Monday 18 June 2032 was hot — rested."):
        assert read_dateline(plain).text == plain
    signed = parse_text("# Price capped\n\nPublished 18 June 2032 14:05\n\nThe minister "
                        "capped the price.\n\nQueues grew.\n\n— The Kellow Ledger\n")
    assert (signed.source, signed.text) == ("The Kellow Ledger",
                                            "The minister capped the price.\n\nQueues grew.")
    wire = parse_text("# Cases rise\n\nPublished 18 June 2032 14:05\n\nCases rose.\n\n"
                      "*Harbour Wire*\n")
    assert (wire.source, wire.text) == ("Harbour Wire", "Cases rose.")
    kept = parse_text("# Cases rise\n\nPublished 18 June 2032 14:05\n\nCases rose.\n\n"
                      "- Four clinics reopened.\n")  # a list item, no sign-off
    assert "Four clinics reopened" in kept.text
    for last in ("— " + "Word " * 10_000, "**", "— ", "*a*b*", "— the end of it all."):
        text = parse_text("# Cases rise\n\nPublished 18 June 2032 14:05\n\nCases rose.\n\n"
                          + last + "\n").text  # no outlet's name: the text keeps it
        assert text.startswith("Cases rose.") and last.strip() in text, last[:20]


def test_days_without_their_year_on_bad_inputs() -> None:
    """A day that is none, a 29 February far from a leap year, text that is no day: no date
    is made up, and anything else passes through unchanged."""
    from datetime import date

    from index.dates import no_year_date, year_given

    assert no_year_date("31 February") is None and no_year_date("March") is None
    assert no_year_date("10 March 2034") is None and no_year_date("") is None
    assert no_year_date("29 Feb") == "--02-29"
    assert year_given("--02-29", date(2034, 3, 1)) == "--02-29"  # no leap year near
    assert year_given("--02-29", date(2036, 3, 1)) == "2036-02-29"
    assert year_given("2034-05-01", date(2000, 1, 1)) == "2034-05-01"
    assert year_given("--12-30", date(2035, 1, 2)) == "2034-12-30"
    assert year_given("--01-05", date(2034, 12, 30), past=True) == "2034-01-05"


def test_a_day_without_its_year_takes_the_year_of_the_report_before(tmp_path: Path) -> None:
    """Tried as a new user would: a report whose only date was "Pellin, 12 June (The Vale
    Courier) —" was dated by its ingest, years after the reports around it."""
    from index.library import Library
    from tests.fakes import FakeEmbedder

    drafts = [ReportDraft(title="Toll rises", text="The toll rose to five.",
                          date="2032-06-11T15:30:00", origin="a.md"),
              parse_text("# Chief steps aside\n\nPellin, 12 June (The Vale Courier) — The "
                         "chief executive stepped aside.", "b.md")]
    assert drafts[1].date == "--06-12"
    with Library(tmp_path / "data", FakeEmbedder(),
                 clock=lambda: datetime(2026, 12, 7, tzinfo=UTC)) as lib:
        lib.ingest(drafts)
        dates = {r.title: r.date for r in lib.store.list_reports(limit=5)}
    assert dates == {"Toll rises": "2032-06-11T15:30:00+00:00", "Chief steps aside":
                     "2032-06-12"}
    with Library(tmp_path / "alone", FakeEmbedder(),
                 clock=lambda: datetime(2033, 1, 3, tzinfo=UTC)) as lib:
        lib.ingest(drafts[1:])  # nothing before it: the year nearest today
        assert lib.store.list_reports(limit=5)[0].date == "2032-06-12"



def test_an_outlets_desk_after_the_date_and_a_sign_off_ending_the_lead() -> None:
    """Tried as a new user would: a report under "Last updated 11.09.2041 20:10 · Maruvel
    Daily Post business desk" was dated by its ingest (so it showed at every earlier
    ``--now``), and one whose lead ended "(Coastline Wire, 06:30)" had no outlet nor hour."""
    desk = parse_text("# Bank hikes again\n\nLast updated 11.09.2041 20:10 · Maruvel Daily "
                      "Post business desk\n\nThe bank raised its rate to 14 percent.", "a.md")
    assert (desk.date, desk.source) == ("2041-09-11T20:10:00", "Maruvel Daily Post")
    assert desk.text == "The bank raised its rate to 14 percent."
    signed = parse_text("# Toll rises to 23\n\nDESSICK, Maruvel, SEPTEMBER 10, 2041 — The toll "
                        "rose to 23 on Tuesday. (Coastline Wire, 06:30)\n\nDivers went on.",
                        "b.md")
    assert (signed.date, signed.source) == ("2041-09-10T06:30:00", "Coastline Wire")
    assert signed.text == "DESSICK, Maruvel — The toll rose to 23 on Tuesday.\n\nDivers went on."
    # a bracket of the text's own stays: no outlet, no hour
    for lead in ("The toll rose, said Ana Vell (a coroner)", "It rose (to 23, 10 more)"):
        kept = parse_text(f"# T\n\nDESSICK, SEPTEMBER 10, 2041 — {lead}\n\nMore.", "c.md")
        assert kept.source is None and kept.date == "2041-09-10" and lead in kept.text
    # a section's desk alone is no outlet
    assert masthead_line("11.09.2041 20:10 · Business desk").outlet is None
