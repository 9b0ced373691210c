"""The subscription store: one row per chat, validation, watermark and delivery log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.telegram.subscriptions import Subscriptions


def clock() -> datetime:
    return datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


def test_resubscribe_updates_one_row_and_keeps_watermark(tmp_path: Path) -> None:
    subs = Subscriptions(tmp_path, clock)
    subs.subscribe(7, "8:05", "Europe/Berlin", "floods")
    subs.set_watermark(7, "2026-03-06T07:05:00+00:00")
    sub = subs.subscribe(7, "09:00", "UTC")
    assert (sub.time, sub.zone, sub.topic, sub.watermark) == (
        "09:00", "UTC", None, "2026-03-06T07:05:00+00:00")
    assert [s.chat_id for s in subs.active()] == [7]
    subs.close()
    reopened = Subscriptions(tmp_path, clock)  # persisted; the schema is created only once
    assert reopened.get(7) == sub


def test_unsubscribe_and_resubscribe(tmp_path: Path) -> None:
    subs = Subscriptions(tmp_path, clock)
    assert subs.unsubscribe(1) is False
    subs.subscribe(1, "08:00", "UTC")
    assert subs.unsubscribe(1) is True and subs.active() == []
    assert subs.unsubscribe(1) is False
    assert subs.subscribe(1, "08:00", "UTC").active is True


@pytest.mark.parametrize(("time", "zone"), [("25:00", "UTC"), ("08:00", "Mars/Olympus"),
                                            ("8", "UTC")])
def test_bad_values_rejected(tmp_path: Path, time: str, zone: str) -> None:
    subs = Subscriptions(tmp_path, clock)
    with pytest.raises(ConfigError):
        subs.subscribe(1, time, zone)
    assert subs.get(1) is None


def test_delivery_claimed_once_per_chat_and_local_date(tmp_path: Path) -> None:
    subs = Subscriptions(tmp_path, clock)
    assert subs.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00") is True
    assert subs.claim(1, "2026-03-06", "2026-03-06T07:00:00+00:00") is False
    assert subs.claim(2, "2026-03-06", "2026-03-06T07:00:00+00:00") is True
    subs.finish(1, "2026-03-06", "sent", since="a", until="b")
    got = subs.delivery(1, "2026-03-06")
    assert got is not None and (got.status, got.since, got.until) == ("sent", "a", "b")
    assert [d.local_date for d in subs.deliveries(1)] == ["2026-03-06"]
