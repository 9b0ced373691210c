"""Time words in questions, resolved against a given now."""

from __future__ import annotations

from datetime import UTC, date, datetime

from index.timeq import TimeWindow, parse_time, until_now

NOW = datetime(2026, 3, 7, 12, 0)  # a Saturday


def test_weekdays_mean_the_most_recent_such_day() -> None:
    rest, w = parse_time("how many were missing on Tuesday?", NOW)
    assert rest == "how many were missing?"
    assert (w.since, w.until, w.point) == (date(2026, 3, 3), date(2026, 3, 4), True)
    _, w = parse_time("what happened on Saturday?", NOW)
    assert w.since == date(2026, 3, 7)  # today is a Saturday


def test_since_the_weekday_it_is_means_the_one_before() -> None:
    """Tried as a new user would: "how much has the crown moved since wednesday", asked on a
    Wednesday, read "since today" and found nothing."""
    wednesday = date(2032, 10, 20)
    assert parse_time("crown moved since wednesday", wednesday)[1].since == date(2032, 10, 13)
    assert parse_time("crown moved after wednesday", wednesday)[1].since == date(2032, 10, 14)
    assert parse_time("deaths on wednesday", wednesday)[1].since == wednesday  # today
    assert parse_time("crown moved since tuesday", wednesday)[1].since == date(2032, 10, 19)


def test_as_of_since_before_after_yesterday_last_week() -> None:
    assert parse_time("how many died as of 3 March?", NOW)[1].until == date(2026, 3, 4)
    assert parse_time("how many died by March 4, 2026?", NOW)[1].until == date(2026, 3, 5)
    assert parse_time("what changed since Wednesday?", NOW)[1].since == date(2026, 3, 4)
    assert parse_time("how many before 5 March?", NOW)[1].until == date(2026, 3, 5)
    assert parse_time("how many after 5 March?", NOW)[1].since == date(2026, 3, 6)
    _, w = parse_time("what happened yesterday?", NOW)
    assert (w.since, w.until) == (date(2026, 3, 6), date(2026, 3, 7))
    _, w = parse_time("what happened last week?", NOW)
    assert (w.since, w.until) == (date(2026, 2, 23), date(2026, 3, 2))
    assert parse_time("ships in the last 3 days", NOW)[1].since == date(2026, 3, 5)
    # A day and month in the future means last year's.
    assert parse_time("how many on 20 December?", NOW)[1].since == date(2025, 12, 20)


def test_days_ago() -> None:
    """Tried as a new user would: "what was the death toll two days ago" gave today's toll,
    the time words unread."""
    rest, w = parse_time("what was the death toll two days ago?", NOW)
    assert rest == "what was the death toll?"
    assert (w.since, w.until, w.point) == (date(2026, 3, 5), date(2026, 3, 6), True)
    assert parse_time("toll 3 days ago", NOW)[1].since == date(2026, 3, 4)
    assert parse_time("how many dead a week ago", NOW)[1].since == date(2026, 2, 28)
    assert parse_time("as of the day before yesterday", NOW)[1].until == date(2026, 3, 6)
    assert parse_time("the 90 days ago figure", NOW)[1].since == date(2025, 12, 7)
    # bad inputs: no number, a number too long to be days, nothing before "ago"
    for asked in ("toll days ago", "toll 12345 days ago", "ago", "how many ago?"):
        assert parse_time(asked, NOW)[1].empty, asked


def test_before_an_event_is_left_to_the_caller() -> None:
    rest, w = parse_time("how many died before the inquiry was ordered?", NOW)
    assert rest == "how many died?"
    assert (w.event, w.relation) == ("the inquiry was ordered", "before")
    assert w.resolve_event(date(2026, 3, 5)).until == date(2026, 3, 5)
    assert w.resolve_event(None).empty


def test_no_time_words_and_the_now_cap() -> None:
    rest, w = parse_time("how many people died?", NOW)
    assert rest == "how many people died?" and w.empty
    assert until_now(w, NOW).until == date(2026, 3, 8)
    assert until_now(TimeWindow(until=date(2026, 3, 1)), NOW).until == date(2026, 3, 1)
    assert TimeWindow(since=date(2026, 3, 3)).contains("2026-03-03T10:00:00+00:00")
    assert not TimeWindow(until=date(2026, 3, 3)).contains("2026-03-03")


def test_a_report_of_the_next_days_tells_of_the_day_asked() -> None:
    """"31 patients were discharged on Wednesday", in Thursday's report, is of Wednesday;
    "next Wednesday", "Wednesday, 12 March" and a report after the question are not."""
    from index.timeq import tells_of_day

    wednesday = TimeWindow(since=date(2031, 3, 5), until=date(2031, 3, 6), point=True)
    assert tells_of_day("31 were discharged on Wednesday.", "2031-03-06T10:00", wednesday)
    assert tells_of_day("On 5 March it rose.", "2031-03-07", wednesday)
    assert tells_of_day("On Wednesday, March 5, it rose.", "2031-03-07", wednesday)
    assert not tells_of_day("They go home next Wednesday.", "2031-03-06", wednesday)
    assert not tells_of_day("He appears on Wednesday, 12 March.", "2031-03-07", wednesday)
    assert not tells_of_day("On March 5, 2030 it rose.", "2031-03-07", wednesday)
    assert not tells_of_day("On Wednesday it rose.", "2031-03-13", wednesday)  # a week on
    assert not tells_of_day("On Wednesday it rose.", "2031-03-05", wednesday)  # its own day
    asked_then = until_now(wednesday, datetime(2031, 3, 6, 9, tzinfo=UTC))
    assert not tells_of_day("On Wednesday it rose.", "2031-03-06T10:00:00+00:00", asked_then)
    assert not tells_of_day("On Wednesday it rose.", None, wednesday)
    # bad dates and huge text: no, and no error
    assert not tells_of_day("On Wednesday it rose.", "2031-13-45", wednesday)
    assert not tells_of_day("On Wednesday it rose.", "not a date", wednesday)
    assert not tells_of_day("On Wednesday it rose.", "2031-03-06", TimeWindow())
    assert tells_of_day("x " * 50_000 + "on Wednesday", "2031-03-06", wednesday)
