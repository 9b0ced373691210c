"""Settings: the example file documents the defaults; bad values are rejected by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError, from_dict, load_config, parse_duration, parse_hhmm

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_example_config_holds_the_defaults() -> None:
    assert load_config(EXAMPLE, env={}) == load_config(None, env={}) == Config()


def test_environment_wins() -> None:
    cfg = from_dict({"data_dir": "x", "telegram": {"token": "file"}},
                    env={"BRIEFBOT_DATA_DIR": "/tmp/y", "TELEGRAM_BOT_TOKEN": "env",
                         "BRIEFBOT_ALLOW_PRIVATE_URLS": "1"})
    assert cfg.data_dir == Path("/tmp/y") and cfg.telegram.token == "env"
    assert cfg.fetch.allow_private_addresses


@pytest.mark.parametrize(("raw", "words"), [
    ({"digest": {"default_time": "25:00"}}, "25:00"),
    ({"digest": {"default_timezone": "Mars/Olympus"}}, "Mars/Olympus"),
    ({"fetch": {"max_bytes": 10}}, "max_bytes"),
    ({"telegram": {"admins": ["alice"]}}, "admins"),
    ({"telegram": {"webhook_url": "https://x.example/hook"}}, "webhook_secret"),
    ({"feeds": [{"url": "ftp://x.example/feed"}]}, "ftp://"),
    ({"feeds": [{"url": "https://x.example/feed", "every": "5s"}]}, "every"),
    ({"log_level": "LOUD"}, "log_level"),
    ({"telegram": "yes"}, "[telegram]"),
])
def test_bad_values_are_rejected_by_name(raw: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        from_dict(raw, env={})


def test_parsers() -> None:
    assert parse_duration("30m") == 1800 and parse_duration("2h") == 7200
    assert parse_hhmm("8:05") == (8, 5)
    with pytest.raises(ConfigError):
        parse_duration("soon")
    with pytest.raises(ConfigError):
        load_config("/nonexistent/briefbot.toml", env={})


def test_store_url_from_file_or_environment_and_bad_values_refused() -> None:
    assert from_dict({}, env={}).store.url is None
    cfg = from_dict({"store": {"url": "postgresql://u@h/db", "pool_size": 4}}, env={})
    assert cfg.store.url == "postgresql://u@h/db" and cfg.store.pool_size == 4
    env = {"BRIEFBOT_DATABASE_URL": "postgres://other/db"}
    assert from_dict({"store": {"url": "postgresql://u@h/db"}}, env=env).store.url == \
        "postgres://other/db"
    for bad in ({"url": "mysql://h/db"}, {"pool_size": 0}, {"uri": "postgresql://h/db"}):
        with pytest.raises(ConfigError):
            from_dict({"store": bad}, env={})
