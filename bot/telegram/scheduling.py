"""When digests fall due, and the jobs that send them.

The due-time logic is pure: :func:`due_at` turns a local date, ``HH:MM`` and an IANA zone
into a UTC instant (a time that does not exist on a spring-forward day moves forward with
the clock, 02:30 → 03:30; a time that happens twice on a fall-back day means the first one),
and :func:`next_due` / :func:`last_due` find the instants around a moment. So 08:00
Europe/Berlin is 07:00 UTC in winter and 06:00 UTC in summer.

:class:`DigestScheduler` keeps exactly one named one-shot job per active subscription in
PTB's JobQueue (remove by name, then add; each run schedules the next), sends at start-up a
digest that fell due while the bot was down, and claims each (chat, local date) in the
delivery log before sending, so a restart never sends the same digest twice. The clock is
injectable: tests move it instead of sleeping.

A digest covers what was *ingested* in ``[since, until)``: ``since`` is the watermark (the
``until`` of the last digest delivered), or for the first one the earlier of the
subscription's start and a day before the due time; ``until`` is the library's ingestion
horizon at send time (:meth:`index.library.Library.ingest_mark`). The windows of one
subscriber so tile time: a report ingested late, whatever its report date, is in the next
digest, and in no other.

Several workers on one shared store (PostgreSQL) all hold every job; whoever claims a
(chat, local date) first sends it. A worker claims only what it is about to send (at most
:data:`CLAIMS_IN_FLIGHT` at a time) and sends one digest at a time, so a worker that dies
leaves at most one digest cut off mid-send (recorded, never resent) and a few claims that
another worker takes over once their lease runs out. :meth:`DigestScheduler.sync` (a
repeating job in shared mode) renews this worker's leases, takes over stopped workers'
claims, schedules subscriptions made or changed through other workers and starts any due
digest nobody has claimed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.config import parse_hhmm
from bot.telegram.subscriptions import Clock, Subscription, SubscriptionStore, iso, utc_now

log = logging.getLogger(__name__)

JOB_PREFIX = "digest:"
STARTUP_JOB = "digest-startup"
SYNC_JOB = "digest-sync"
CLAIMS_IN_FLIGHT = 4  # digests one worker has claimed and not yet finished
# The (chat, local date) the running digest task holds a claim on, for DigestScheduler.begin.
_CLAIM: ContextVar[tuple[int, str] | None] = ContextVar("digest_claim", default=None)

# deliver(subscription, since, until) -> delivery status ("sent", "empty", "blocked", ...)
Deliver = Callable[[Subscription, str, str], Awaitable[str]]
# horizon() -> the end of the ingestion window of a digest composed now
Horizon = Callable[[], str]


def due_at(day: date, hhmm: str, zone: str) -> datetime:
    """The UTC instant of local ``hhmm`` on ``day`` in ``zone``."""
    hour, minute = parse_hhmm(hhmm)
    tz = ZoneInfo(zone)
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz, fold=0)
    # fold=0: in a gap zoneinfo applies the offset from before it (02:30 → 03:30 new time);
    # in an overlap it picks the first of the two instants.
    return local.astimezone(UTC)


def next_due(hhmm: str, zone: str, after: datetime) -> tuple[datetime, date]:
    """The first due instant strictly after ``after`` and its local date."""
    local_day = after.astimezone(ZoneInfo(zone)).date()
    for offset in range(-1, 3):
        day = local_day + timedelta(days=offset)
        when = due_at(day, hhmm, zone)
        if when > after:
            return when, day
    raise AssertionError("unreachable: a day always has one due instant")


def last_due(hhmm: str, zone: str, now: datetime) -> tuple[datetime, date]:
    """The latest due instant at or before ``now`` and its local date."""
    local_day = now.astimezone(ZoneInfo(zone)).date()
    for offset in range(1, -3, -1):
        day = local_day + timedelta(days=offset)
        when = due_at(day, hhmm, zone)
        if when <= now:
            return when, day
    raise AssertionError("unreachable: a day always has one due instant")


def job_name(chat_id: int) -> str:
    return f"{JOB_PREFIX}{chat_id}"


class JobQueueLike(Protocol):
    """The part of ``telegram.ext.JobQueue`` used here."""

    def run_once(self, callback: Any, when: Any, *, data: object = ...,
                 name: str | None = ..., chat_id: int | None = ...) -> Any: ...

    def run_repeating(self, callback: Any, interval: Any, first: Any = ...,
                      last: Any = ..., data: object = ..., name: str | None = ...,
                      chat_id: int | None = ...) -> Any: ...

    def get_jobs_by_name(self, name: str) -> tuple[Any, ...]: ...


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class DigestScheduler:
    """One job per active subscription; sends each day's digest at most once."""

    def __init__(self, subscriptions: SubscriptionStore, job_queue: JobQueueLike,
                 deliver: Deliver, clock: Clock = utc_now,
                 horizon: Horizon | None = None) -> None:
        self.subscriptions = subscriptions
        self.job_queue = job_queue
        self.deliver = deliver
        self.clock = clock
        self.horizon = horizon or (lambda: iso(self.clock()))
        self._slots = asyncio.Semaphore(CLAIMS_IN_FLIGHT)
        self._scheduled: dict[int, tuple[str, str, str]] = {}  # chat -> (time, zone, updated)
        self._tasks: dict[tuple[str, int], asyncio.Task[str]] = {}  # ("due"/"taken", chat)

    # -- jobs -----------------------------------------------------------------------------

    def schedule(self, sub: Subscription) -> datetime | None:
        """(Re)place the chat's job at its next due instant; none when inactive."""
        self.unschedule(sub.chat_id)
        if not sub.active:
            return None
        when, _day = next_due(sub.time, sub.zone, self.clock())
        self.job_queue.run_once(self._job, when=when, data=sub.chat_id,
                                name=job_name(sub.chat_id), chat_id=sub.chat_id)
        self._scheduled[sub.chat_id] = (sub.time, sub.zone, sub.updated_at)
        log.debug("digest for chat %s scheduled at %s", sub.chat_id, when.isoformat())
        return when

    def unschedule(self, chat_id: int) -> None:
        self._scheduled.pop(chat_id, None)
        for job in self.job_queue.get_jobs_by_name(job_name(chat_id)):
            job.schedule_removal()

    async def _job(self, context: Any) -> None:
        await self.run_due(int(context.job.data))

    async def _startup_job(self, context: Any) -> None:
        await self.start()

    def schedule_startup(self) -> None:
        """Run :meth:`start` as soon as the job queue runs (i.e. once the bot is up)."""
        for job in self.job_queue.get_jobs_by_name(STARTUP_JOB):
            job.schedule_removal()
        self.job_queue.run_once(self._startup_job, when=0, name=STARTUP_JOB)

    async def _sync_job(self, context: Any) -> None:
        await self.sync()

    def schedule_sync(self, every: float) -> None:
        """Run :meth:`sync` every ``every`` seconds (shared stores: several workers)."""
        for job in self.job_queue.get_jobs_by_name(SYNC_JOB):
            job.schedule_removal()
        self.job_queue.run_repeating(self._sync_job, interval=every, first=every,
                                     name=SYNC_JOB)

    # -- runs -----------------------------------------------------------------------------

    async def start(self) -> list[tuple[int, str]]:
        """At start-up: send digests that fell due while the bot was down (once), then
        schedule every active subscription. Returns (chat, status) of the catch-up sends."""
        sent = []
        for sub in self.subscriptions.active():
            when, day = last_due(sub.time, sub.zone, self.clock())
            since_change = _parse(sub.updated_at or sub.created_at)
            if when >= since_change and self.subscriptions.delivery(
                    sub.chat_id, day.isoformat()) is None:
                status = await self.deliver_for(sub, when, day)
                sent.append((sub.chat_id, status))
            current = self.subscriptions.get(sub.chat_id)
            if current is not None:
                self.schedule(current)
        return sent

    async def run_due(self, chat_id: int) -> str:
        """The job body: send the digest that is due now (if not sent yet), then schedule
        the next one."""
        sub = self.subscriptions.get(chat_id)
        if sub is None or not sub.active:
            self.unschedule(chat_id)
            return "inactive"
        # A job may fire a moment early: the due instant it is for is the nearest one.
        now = self.clock()
        when, day = last_due(sub.time, sub.zone, now + timedelta(seconds=5))
        status = await self.deliver_for(sub, when, day)
        current = self.subscriptions.get(chat_id)
        if current is not None:
            self.schedule(current)
        return status

    async def sync(self) -> int:
        """Renew this worker's claims, take over those of stopped workers, bring the jobs in
        line with the store (subscriptions made, changed or ended through other workers) and
        start every due digest no worker has claimed; the number of sends started."""
        subs = self.subscriptions
        subs.heartbeat()
        started = 0
        for row in subs.take_over().claimed:
            sub = subs.get(row.chat_id)
            if sub is None or not sub.active:
                subs.finish(row.chat_id, row.local_date, "inactive")
                continue
            # its own task even if a due digest for this chat waits here for a slot: that
            # one will find the day claimed, this one sends it
            started += self._spawn(("taken", sub.chat_id), self._send_claimed(
                sub, _parse(row.due_at), date.fromisoformat(row.local_date)))
        now = self.clock()
        active = subs.active()
        for chat_id in set(self._scheduled) - {s.chat_id for s in active}:
            self.unschedule(chat_id)
        days = subs.claimed_days((now - timedelta(days=2)).date().isoformat())
        for sub in active:
            if self._scheduled.get(sub.chat_id) != (sub.time, sub.zone, sub.updated_at):
                self.schedule(sub)
            when, day = last_due(sub.time, sub.zone, now)
            if (when >= _parse(sub.updated_at or sub.created_at)
                    and (sub.chat_id, day.isoformat()) not in days):
                started += self._spawn(("due", sub.chat_id), self.deliver_for(sub, when, day))
        return started

    def _spawn(self, key: tuple[str, int], work: Coroutine[Any, Any, str]) -> int:
        """Run ``work`` in the background unless the same kind of run for the same chat
        already runs here."""
        if key in self._tasks:
            work.close()
            return 0
        task = asyncio.get_running_loop().create_task(work)
        self._tasks[key] = task

        def done(task: asyncio.Task[str]) -> None:
            self._tasks.pop(key, None)
            if not task.cancelled() and task.exception() is not None:
                log.error("digest for chat %s failed", key[1], exc_info=task.exception())

        task.add_done_callback(done)
        return 1

    async def settle(self) -> list[str]:
        """Wait for the digests :meth:`sync` started here; their statuses."""
        results: list[str] = []
        while self._tasks:
            done = await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            results += [r for r in done if isinstance(r, str)]
            for key, task in list(self._tasks.items()):
                if task.done():
                    self._tasks.pop(key, None)
        return results

    def begin(self, chat_id: int) -> bool:
        """Called (in the digest's task) right before the chat's digest goes out: False
        when the task's claim is no longer this worker's to send (taken over meanwhile, or
        already being sent by another task here): then it must not send."""
        claim = _CLAIM.get()
        if claim is None or claim[0] != chat_id:
            return True  # not a claimed digest (called outside the scheduler)
        return self.subscriptions.begin_send(*claim)

    async def deliver_for(self, sub: Subscription, when: datetime, day: date) -> str:
        """Claim (chat, local date) in the log, send, and record the outcome; a day already
        claimed is never sent again (``duplicate``)."""
        async with self._slots:
            if not self.subscriptions.claim(sub.chat_id, day.isoformat(), iso(when)):
                return "duplicate"
            return await self._deliver_claimed(sub, when, day)

    async def _send_claimed(self, sub: Subscription, when: datetime, day: date) -> str:
        async with self._slots:
            return await self._deliver_claimed(sub, when, day)

    async def _deliver_claimed(self, sub: Subscription, when: datetime, day: date) -> str:
        local_date = day.isoformat()
        token = _CLAIM.set((sub.chat_id, local_date))
        try:
            return await self._run_claimed(sub, when, local_date)
        finally:
            _CLAIM.reset(token)

    async def _run_claimed(self, sub: Subscription, when: datetime, local_date: str) -> str:
        now = self.clock()
        first = min(_parse(sub.created_at), min(when, now) - timedelta(days=1))
        since = sub.watermark or iso(first)
        until = self.horizon()
        try:
            status = await self.deliver(sub, since, until)
        except Exception as exc:  # recorded, never resent blindly; the next day runs anyway
            log.exception("digest for chat %s failed", sub.chat_id)
            self.subscriptions.finish(sub.chat_id, local_date, "failed", since=since,
                                      until=until, detail=type(exc).__name__)
            return "failed"
        if status == "taken_over":  # another worker holds the claim now: its row to write
            return status
        self.subscriptions.finish(sub.chat_id, local_date, status, since=since, until=until)
        if status in ("sent", "empty"):
            self.subscriptions.set_watermark(sub.chat_id, until)
        return status
