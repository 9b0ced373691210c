"""Due times across DST, and the digest scheduler with an injected clock: due, restart,
catch-up, no duplicate, exactly one job per subscription (fake and real PTB JobQueue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.scheduling import DigestScheduler, due_at, job_name, last_due, next_due
from bot.telegram.subscriptions import Subscription, Subscriptions


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- pure due-time logic ---------------------------------------------------------------------


def test_berlin_eight_oclock_winter_and_summer() -> None:
    assert due_at(date(2026, 1, 15), "08:00", "Europe/Berlin") == utc(2026, 1, 15, 7, 0)
    assert due_at(date(2026, 7, 15), "08:00", "Europe/Berlin") == utc(2026, 7, 15, 6, 0)


@pytest.mark.parametrize(("zone", "day", "hhmm", "expected"), [
    # spring forward: 02:30 does not exist; it moves on with the clock to 03:30 new time
    ("America/New_York", date(2026, 3, 8), "02:30", utc(2026, 3, 8, 7, 30)),
    ("Europe/Berlin", date(2026, 3, 29), "02:30", utc(2026, 3, 29, 1, 30)),
    # fall back: 01:30 (NY) / 02:30 (Berlin) happen twice; the first one counts
    ("America/New_York", date(2026, 11, 1), "01:30", utc(2026, 11, 1, 5, 30)),
    ("Europe/Berlin", date(2026, 10, 25), "02:30", utc(2026, 10, 25, 0, 30)),
    # ordinary times on the transition days keep their local meaning
    ("America/New_York", date(2026, 3, 8), "08:00", utc(2026, 3, 8, 12, 0)),
    ("America/New_York", date(2026, 11, 1), "08:00", utc(2026, 11, 1, 13, 0)),
])
def test_due_at_over_dst(zone: str, day: date, hhmm: str, expected: datetime) -> None:
    assert due_at(day, hhmm, zone) == expected


def test_next_due_steps_over_spring_forward_by_23_hours() -> None:
    first, day1 = next_due("08:00", "America/New_York", utc(2026, 3, 7, 12, 30))
    second, day2 = next_due("08:00", "America/New_York", first)
    assert (first, day1) == (utc(2026, 3, 7, 13, 0), date(2026, 3, 7))
    assert (second, day2) == (utc(2026, 3, 8, 12, 0), date(2026, 3, 8))
    assert second - first == timedelta(hours=23)


def test_next_due_over_fall_back_is_25_hours_and_once_per_day() -> None:
    first, _ = next_due("08:00", "Europe/Berlin", utc(2026, 10, 24, 0, 0))
    second, day = next_due("08:00", "Europe/Berlin", first)
    assert second - first == timedelta(hours=25) and day == date(2026, 10, 25)
    # The twice-happening 02:30 is due once: the next after the first is the next day's.
    a, _ = next_due("02:30", "Europe/Berlin", utc(2026, 10, 24, 23, 0))
    _b, day_b = next_due("02:30", "Europe/Berlin", a)
    assert a == utc(2026, 10, 25, 0, 30) and day_b == date(2026, 10, 26)


def test_last_due() -> None:
    when, day = last_due("08:00", "Europe/Berlin", utc(2026, 1, 15, 6, 59))
    assert when == utc(2026, 1, 14, 7, 0) and day == date(2026, 1, 14)
    assert last_due("08:00", "Europe/Berlin", utc(2026, 1, 15, 7, 0))[0] == utc(2026, 1, 15, 7)


# -- the scheduler ---------------------------------------------------------------------------


@dataclass
class FakeJob:
    name: str
    when: datetime
    data: object
    callback: Any
    queue: FakeJobQueue

    def schedule_removal(self) -> None:
        self.queue.jobs.remove(self)


@dataclass
class FakeJobQueue:
    jobs: list[FakeJob] = field(default_factory=list)

    def run_once(self, callback: Any, when: Any, data: object = None, name: str | None = None,
                 chat_id: int | None = None) -> FakeJob:
        job = FakeJob(name or "", when, data, callback, self)
        self.jobs.append(job)
        return job

    def get_jobs_by_name(self, name: str) -> tuple[FakeJob, ...]:
        return tuple(j for j in self.jobs if j.name == name)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Recorder:
    calls: list[tuple[int, str, str]] = field(default_factory=list)
    status: str = "sent"

    async def __call__(self, sub: Subscription, since: str, until: str) -> str:
        self.calls.append((sub.chat_id, since, until))
        return self.status


def make(tmp_path: Path, clock: Clock) -> tuple[Subscriptions, FakeJobQueue, Recorder,
                                                DigestScheduler]:
    subs = Subscriptions(tmp_path, clock)
    queue = FakeJobQueue()
    rec = Recorder()
    return subs, queue, rec, DigestScheduler(subs, queue, rec, clock)


async def test_due_job_sends_once_and_schedules_next_day(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 14, 12, 0))
    subs, queue, rec, sched = make(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "Europe/Berlin"))
    (job,) = queue.jobs
    assert job.name == job_name(1) and job.when == utc(2026, 1, 15, 7, 0)
    clock.now = job.when
    assert await sched.run_due(1) == "sent"
    assert len(rec.calls) == 1 and rec.calls[0][2] == "2026-01-15T07:00:00+00:00"
    (job,) = queue.jobs
    assert job.when == utc(2026, 1, 16, 7, 0)
    assert subs.get(1).watermark == "2026-01-15T07:00:00+00:00"  # type: ignore[union-attr]
    assert await sched.run_due(1) == "duplicate"  # the same local date again
    assert len(rec.calls) == 1
    clock.now = utc(2026, 1, 16, 7, 0)
    await sched.run_due(1)
    assert rec.calls[1][1] == "2026-01-15T07:00:00+00:00"  # since the watermark


async def test_restart_keeps_one_job_and_sends_nothing_twice(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 14, 12, 0))
    subs, queue, rec, sched = make(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "Europe/Berlin"))
    sched.schedule(subs.subscribe(2, "09:30", "America/New_York", "floods"))
    clock.now = utc(2026, 1, 15, 7, 0)
    await sched.run_due(1)
    subs.close()
    for _ in range(3):  # three restarts, each a new process over the same files and queue
        clock.now += timedelta(minutes=5)
        subs2 = Subscriptions(tmp_path, clock)
        sched2 = DigestScheduler(subs2, queue, rec, clock)
        await sched2.start()
        assert sorted(j.name for j in queue.jobs) == [job_name(1), job_name(2)]
    # Chat 1 got its digest before the restarts; chat 2's 14 Jan 09:30 New York digest
    # fell due while "down" and is caught up exactly once, not on every restart.
    assert [c[0] for c in rec.calls] == [1, 2]


async def test_catch_up_after_downtime_sends_once(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 14, 12, 0))
    subs, _queue, rec, _sched = make(tmp_path, clock)
    subs.subscribe(1, "08:00", "Europe/Berlin")
    # Down over the 15 Jan 08:00 due time; back at 10:40 UTC.
    clock.now = utc(2026, 1, 15, 10, 40)
    sent = await DigestScheduler(subs, FakeJobQueue(), rec, clock).start()
    assert sent == [(1, "sent")]
    assert subs.delivery(1, "2026-01-15").status == "sent"  # type: ignore[union-attr]
    # Restart again the same day: nothing is sent twice.
    queue2 = FakeJobQueue()
    assert await DigestScheduler(subs, queue2, rec, clock).start() == []
    assert len(rec.calls) == 1 and queue2.jobs[0].when == utc(2026, 1, 16, 7, 0)


async def test_no_catch_up_for_a_time_before_subscribing(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 15, 9, 0))
    subs, _queue, rec, sched = make(tmp_path, clock)
    subs.subscribe(1, "08:00", "Europe/Berlin")  # 10:00 Berlin: today's 08:00 has passed
    assert await sched.start() == [] and rec.calls == []


async def test_crash_mid_send_is_not_resent(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 14, 12, 0))
    subs, _queue, rec, _sched = make(tmp_path, clock)
    subs.subscribe(1, "08:00", "Europe/Berlin")
    # The claim was written, then the process died before finishing.
    assert subs.claim(1, "2026-01-15", "2026-01-15T07:00:00+00:00")
    clock.now = utc(2026, 1, 15, 8, 0)
    assert await DigestScheduler(subs, FakeJobQueue(), rec, clock).start() == []
    assert rec.calls == []


async def test_timed_out_send_recorded_not_resent(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 15, 7, 0))
    subs, _queue, rec, sched = make(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "Europe/Berlin"))
    rec.status = "timed_out"
    assert await sched.run_due(1) == "timed_out"
    assert subs.delivery(1, "2026-01-15").status == "timed_out"  # type: ignore[union-attr]
    assert subs.get(1).watermark is None  # type: ignore[union-attr]
    assert await sched.run_due(1) == "duplicate" and len(rec.calls) == 1


async def test_dst_job_times_across_spring_forward(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 3, 7, 13, 0))  # New York, Saturday 08:00 EST, just sent
    subs, queue, _rec, sched = make(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "America/New_York"))
    assert queue.jobs[0].when == utc(2026, 3, 8, 12, 0)  # 08:00 EDT
    clock.now = queue.jobs[0].when
    await sched.run_due(1)
    assert queue.jobs[0].when == utc(2026, 3, 9, 12, 0)
    assert subs.delivery(1, "2026-03-08") is not None


async def test_unsubscribed_job_does_nothing(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 1, 15, 7, 0))
    subs, queue, rec, sched = make(tmp_path, clock)
    sched.schedule(subs.subscribe(1, "08:00", "Europe/Berlin"))
    subs.unsubscribe(1)
    assert await sched.run_due(1) == "inactive"
    assert rec.calls == [] and queue.jobs == []


async def test_real_job_queue_one_job_per_subscription(tmp_path: Path) -> None:
    from telegram.ext import ApplicationBuilder

    app = ApplicationBuilder().token("123:ABC").build()
    queue = app.job_queue
    assert queue is not None
    clock = Clock(utc(2026, 1, 14, 12, 0))
    subs = Subscriptions(tmp_path, clock)
    subs.subscribe(1, "08:00", "Europe/Berlin")
    subs.subscribe(2, "07:15", "UTC")
    rec = Recorder()
    for _ in range(3):
        await DigestScheduler(subs, queue, rec, clock).start()
    names = sorted(j.name for j in queue.jobs() if j.name)
    assert names == [job_name(1), job_name(2)]
    (job,) = queue.get_jobs_by_name(job_name(1))
    assert job.job.trigger.run_date == utc(2026, 1, 15, 7, 0)  # pending: not started
