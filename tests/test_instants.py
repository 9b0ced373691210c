"""Time done once: report dates stored as instants (a day-only date is noon in the library's
zone, flagged), windows that compare instants, old data dirs migrated on open, and
scheduled digests that cover what was *ingested* since the last one, so a report is in
exactly one digest of each subscriber (a hypothesis property over dates, offsets, ingest and
digest times)."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram.scheduling import DigestScheduler
from bot.telegram.subscriptions import Subscription, Subscriptions
from index.dates import bound_instant, report_instant
from index.digest import DigestParams, compose_digest, window_before
from index.library import DB_NAME, Library
from index.migrate import stored_date
from index.models import ReportDraft
from tests.fakes import FakeEmbedder
from tests.test_scheduling import Clock, FakeJobQueue


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def unique_text(n: int, about_floods: bool = False) -> tuple[str, str]:
    """A title and text sharing no words with any other ``n`` (no near-copies), optionally
    about floods (the topic of some subscribers)."""
    words = " ".join(f"w{n}k{k}" for k in range(10))
    return f"Item t{n}", f"Report r{n} tells that {words}" + (
        " after the floods." if about_floods else ".")


# -- dates and windows -------------------------------------------------------------------------


def test_report_instants() -> None:
    assert report_instant("2026-11-25", "UTC") == ("2026-11-25T12:00:00+00:00", True)
    assert report_instant("2026-11-25", "Europe/Berlin") == ("2026-11-25T11:00:00+00:00", True)
    assert report_instant("2026-11-25T23:30:00-05:00") == ("2026-11-26T04:30:00+00:00", False)
    assert report_instant("1987-02-26T15:01:01", "America/New_York") == (
        "1987-02-26T20:01:01+00:00", False)
    assert report_instant("Wed, 04 Mar 2026 09:00:00 GMT") == (
        "2026-03-04T09:00:00+00:00", False)
    assert report_instant("soon") == (None, False) and report_instant(None) == (None, False)
    assert report_instant("0001-01-01T00:00:00+05:00") == (None, False)  # no overflow
    assert stored_date("Saturday, 23 Feb, 2019", "Pacific/Auckland") == (
        "2019-02-23", "2019-02-22T23:00:00+00:00", True)
    assert bound_instant("2026-11-25", "Pacific/Auckland") == "2026-11-24T11:00:00+00:00"
    assert bound_instant("2026-11-25T08:00") == "2026-11-25T08:00:00+00:00"


def test_day_only_date_keeps_its_day_and_flag(tmp_path: Path) -> None:
    with Library(tmp_path, FakeEmbedder(), zone="Pacific/Auckland") as lib:
        lib.ingest([ReportDraft(title="Quake", text="A quake shook Vessin.",
                                date="2026-11-25")])
        (report,) = lib.reports()
        # Noon in Auckland is 23:00 UTC the day before; the day shown stays the 25th.
        assert report.date == "2026-11-25" and report.date_only
        assert report.published_at == "2026-11-24T23:00:00+00:00"
        assert [r.id for r in lib.reports(since="2026-11-25", until="2026-11-26")] == [
            report.id]


def test_windows_compare_instants_not_strings(library: Library) -> None:
    """A date-only report sorted before ``…T08:00:00+00:00`` as text, and ``-05:00`` offsets
    were compared as text: both are instants now."""
    library.ingest([
        ReportDraft(title="Day only", text="Only the day of this one is known.",
                    date="2026-11-25"),
        ReportDraft(title="Late evening in New York", text="Filed late in New York.",
                    date="2026-11-25T23:30:00-05:00"),
    ])
    morning = library.reports(since="2026-11-25T08:00:00+00:00", until="2026-11-26T00:00Z")
    assert [r.title for r in morning] == ["Day only"]  # noon UTC is after 08:00
    next_day = library.reports(since="2026-11-26T00:00:00Z", until="2026-11-26T06:00:00Z")
    assert [r.title for r in next_day] == ["Late evening in New York"]
    assert [r.title for r in library.reports()] == ["Late evening in New York", "Day only"]
    assert window_before("2026-11-25", "2026-11-26") == "2026-11-24T00:00:00+00:00"
    assert window_before("2026-11-25T00:00:00-05:00", "2026-11-25T12:00:00Z") == (
        "2026-11-24T22:00:00+00:00")


OLD_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reports(id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT, source TEXT, url TEXT,
    canonical_url TEXT, content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL,
    sort_date TEXT NOT NULL, text TEXT NOT NULL);
"""


def test_an_old_data_dir_is_migrated_on_open_once(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(OLD_SCHEMA)
    db.executemany("INSERT INTO reports VALUES (?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?)", [
        ("a", "Day", "2026-11-25", "h1", "2026-11-25T09:00:00+00:00", "2026-11-25", "x."),
        ("b", "Offset", "2026-11-25T23:30:00-05:00", "h2", "2026-11-26T09:00:00+00:00",
         "2026-11-25T23:30:00-05:00", "y."),
        ("c", "Undated", None, "h3", "2026-11-24T07:00:00+00:00",
         "2026-11-24T07:00:00+00:00", "z."),
    ])
    db.commit()
    db.close()
    expected = [
        ("a", "2026-11-25", "2026-11-25T11:00:00+00:00", 1, "2026-11-25T11:00:00+00:00", 1),
        ("b", "2026-11-26T04:30:00+00:00", "2026-11-26T04:30:00+00:00", 0,
         "2026-11-26T04:30:00+00:00", 1),
        ("c", None, None, 0, "2026-11-24T07:00:00+00:00", 1),
    ]
    for _ in range(2):  # the second open finds nothing to do
        with Library(tmp_path, FakeEmbedder(), zone="Europe/Berlin") as lib:
            rows = lib.store.query(
                "SELECT id, date, published_at, date_only, sort_date, "
                "(SELECT COUNT(*) FROM report_versions v WHERE v.report_id = r.id) "
                "FROM reports r ORDER BY id")
            assert rows == expected
            assert [r.id for r in lib.reports()] == ["b", "a", "c"]


# -- scheduled digests by ingestion time -------------------------------------------------------


@dataclass
class Inbox:
    """What each chat's scheduled digests held: report ids per digest."""

    library: Library
    got: dict[int, list[list[str]]] = field(default_factory=dict)

    async def __call__(self, sub: Subscription, since: str, until: str) -> str:
        digest = compose_digest(self.library, since, until, topic=sub.topic, by_ingest=True,
                                params=DigestParams(max_events=10_000))
        ids = [rid for event in digest.events for rid in event.report_ids]
        self.got.setdefault(sub.chat_id, []).append(ids)
        return "empty" if digest.empty else "sent"


def make_world(tmp: Path, clock: Clock) -> tuple[Library, Subscriptions, FakeJobQueue, Inbox,
                                                  DigestScheduler]:
    library = Library(tmp / "data", FakeEmbedder(), clock=clock)
    subs = Subscriptions(tmp / "data", clock)
    queue = FakeJobQueue()
    inbox = Inbox(library)
    sched = DigestScheduler(subs, queue, inbox, clock, horizon=library.ingest_mark)
    return library, subs, queue, inbox, sched


async def run_jobs_until(queue: FakeJobQueue, sched: DigestScheduler, clock: Clock,
                         moment: datetime, delay: timedelta = timedelta(0)) -> None:
    """Fire every job due before ``moment`` (each ``delay`` after its time), in order."""
    while True:
        due = sorted((j for j in queue.jobs if j.when + delay <= moment), key=lambda j: j.when)
        if not due:
            clock.now = max(clock.now, moment)
            return
        job = due[0]
        # A job fires ``delay`` after its time; one that fired early and was put back at the
        # same time fires on time, as PTB's would.
        fire = job.when + delay
        clock.now = fire if fire > clock.now else max(clock.now, job.when)
        await sched.run_due(int(str(job.data)))


async def test_a_report_dated_today_ingested_after_the_digest_comes_next_day(
        tmp_path: Path) -> None:
    """The reported bug: dated 25 Nov, ingested after that day's 08:00 digest, it was in no
    later window (``2026-11-25`` < ``2026-11-25T08:00:00+00:00`` as text)."""
    clock = Clock(utc(2026, 11, 24, 12))
    library, subs, queue, inbox, sched = make_world(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "UTC"))
    await run_jobs_until(queue, sched, clock, utc(2026, 11, 25, 9))
    title, text = unique_text(1)
    library.ingest([ReportDraft(title=title, text=text, date="2026-11-25")])
    await run_jobs_until(queue, sched, clock, utc(2026, 11, 26, 9))
    report_id = library.reports()[0].id
    assert inbox.got[1] == [[], [report_id]]


async def test_a_job_firing_early_skips_nothing_ingested_before_its_due_time(
        tmp_path: Path) -> None:
    """The window used to end at the due time even when the job fired a moment before it:
    a report ingested in between was behind the watermark and in no digest."""
    clock = Clock(utc(2026, 11, 24, 12))
    library, subs, queue, inbox, sched = make_world(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "UTC"))
    clock.now = utc(2026, 11, 25, 7, 59, 58)  # two seconds early
    await sched.run_due(1)
    clock.now = utc(2026, 11, 25, 7, 59, 59)
    title, text = unique_text(1)
    library.ingest([ReportDraft(title=title, text=text, date="2026-11-25")])
    await run_jobs_until(queue, sched, clock, utc(2026, 11, 26, 9))
    assert inbox.got[1] == [[], [library.reports()[0].id]]


ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland")

report_dates = st.one_of(
    st.none(),
    st.dates(min_value=datetime(2026, 3, 20).date(), max_value=datetime(2026, 4, 5).date()
             ).map(lambda d: d.isoformat()),
    st.tuples(st.integers(0, 16 * 24 * 60), st.integers(-12 * 4, 14 * 4)).map(
        lambda t: (datetime(2026, 3, 20, tzinfo=UTC) + timedelta(minutes=t[0])).astimezone(
            timezone(timedelta(minutes=15 * t[1]))).isoformat()),
)


@dataclass
class Bot:
    """A bot process that may be down for a while: its jobs do not fire then, and it starts
    again (new scheduler and job queue, catch-up first) when the outage ends."""

    library: Library
    subs: Subscriptions
    inbox: Inbox
    clock: Clock
    queue: FakeJobQueue
    sched: DigestScheduler
    outage: tuple[datetime, datetime]
    delay: timedelta
    down: bool = False

    async def advance(self, moment: datetime) -> None:
        """Let time pass up to ``moment``, firing the jobs due meanwhile."""
        start, end = self.outage
        if not self.down and start <= moment and self.clock.now <= start:
            await run_jobs_until(self.queue, self.sched, self.clock, start, self.delay)
            self.down = True
        if self.down and end <= moment:
            self.clock.now = max(self.clock.now, end)
            self.queue = FakeJobQueue()
            self.sched = DigestScheduler(self.subs, self.queue, self.inbox, self.clock,
                                         horizon=self.library.ingest_mark)
            await self.sched.start()
            self.down = False
        if self.down:
            self.clock.now = max(self.clock.now, moment)
        else:
            await run_jobs_until(self.queue, self.sched, self.clock, moment, self.delay)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    subscribers=st.lists(st.tuples(st.integers(0, 23), st.sampled_from((0, 30, 59)),
                                   st.sampled_from(ZONES), st.sampled_from((None, "floods"))),
                         min_size=1, max_size=3),
    reports=st.lists(st.tuples(report_dates, st.integers(0, 6 * 24 * 3600), st.booleans()),
                     min_size=1, max_size=12),
    delay_seconds=st.sampled_from((-2, 0, 60, 90 * 60, 10 * 3600)),
    outage_hours=st.tuples(st.integers(0, 6 * 24), st.sampled_from((0, 5, 30, 80))),
)
async def test_every_report_ingested_while_subscribed_is_in_exactly_one_digest(
        subscribers: list[tuple[int, int, str, str | None]],
        reports: list[tuple[str | None, int, bool]], delay_seconds: int,
        outage_hours: tuple[int, int]) -> None:
    """Random report dates (day only, any offset, none), ingestion times over six days (the
    DST change of 29 March included), subscribers at any time in any zone with or without a
    topic, digest jobs that fire a moment early or late, and a bot that is down for a while
    (reports still ingested meanwhile, by the command line) and catches up when it starts
    again: each report is in exactly one scheduled digest of each subscriber it matches."""
    start = utc(2026, 3, 24, 0, 0, 30)
    with tempfile.TemporaryDirectory() as tmp:
        clock = Clock(start)
        library, subs, queue, inbox, sched = make_world(Path(tmp), clock)
        for chat, (hour, minute, zone, topic) in enumerate(subscribers, 1):
            sched.schedule(subs.subscribe(chat, f"{hour:02d}:{minute:02d}", zone, topic))
        down_from = start + timedelta(hours=outage_hours[0], minutes=7)
        bot = Bot(library, subs, inbox, clock, queue, sched,
                  (down_from, down_from + timedelta(hours=outage_hours[1])),
                  timedelta(seconds=delay_seconds))
        floods: set[str] = set()
        for n, (date, seconds, about_floods) in sorted(enumerate(reports),
                                                       key=lambda r: r[1][1]):
            await bot.advance(start + timedelta(seconds=seconds))
            title, text = unique_text(n, about_floods)
            result = library.ingest([ReportDraft(title=title, text=text, date=date)])
            if about_floods:
                floods.update(result.added)
        await bot.advance(start + timedelta(days=6 + 4 + 2))
        stored = {r.id for r in library.reports()}
        assert len(stored) == len(reports)
        for chat, (*_, topic) in enumerate(subscribers, 1):
            seen = [rid for digest in inbox.got.get(chat, []) for rid in digest]
            assert sorted(seen) == sorted(floods if topic else stored), f"chat {chat}"
        library.close()
        subs.close()


def test_stats_show_the_days_of_day_only_dates(tmp_path: Path) -> None:
    with Library(tmp_path, FakeEmbedder(), zone="Pacific/Auckland") as lib:
        lib.ingest([ReportDraft(title="A", text="First one here.", date="2026-03-02"),
                    ReportDraft(title="B", text="Second one there.", date="2026-03-06")])
        stats = lib.stats()
        assert (stats.first_date, stats.last_date) == ("2026-03-02", "2026-03-06")


def test_the_window_end_waits_for_writers_in_other_processes(tmp_path: Path) -> None:
    """Ingestion stamps are taken inside the write transaction, so the end of a digest
    window is read under the write lock: with another process midway through a write, it
    cannot be taken now (here the lock stays busy, so the window ends a minute back)."""
    clock = Clock(utc(2026, 11, 25, 8))
    with Library(tmp_path, FakeEmbedder(), clock=clock) as lib:
        assert lib.ingest_mark() == "2026-11-25T08:00:00+00:00"
        other = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another ingest, midway
        lib.store.query("PRAGMA busy_timeout = 20")
        assert lib.ingest_mark() == "2026-11-25T07:59:00+00:00"
        other.execute("ROLLBACK")
        other.close()
        assert lib.ingest_mark() == "2026-11-25T08:00:00+00:00"
