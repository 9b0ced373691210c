"""Settings: small frozen dataclasses that reject bad values, loaded from TOML and the
environment.

Precedence: command-line flag > environment (``BRIEFBOT_DATA_DIR``, ``TELEGRAM_BOT_TOKEN``,
``BRIEFBOT_ALLOW_PRIVATE_URLS``, ``BRIEFBOT_DATABASE_URL``) > config file > defaults.
``config.example.toml`` lists every setting with its default.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from index.embedder import DEFAULT_MODEL
from index.embedders import DEFAULT_EMBEDDER, EMBEDDERS
from index.pgdb import is_postgres_url


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message names the setting."""


_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    """Seconds in ``"30m"``, ``"2h"``, ``"45s"``, ``"1d"``."""
    match = _DURATION.match(text)
    if not match:
        raise ConfigError(f"{text!r} is not a duration like '30m' or '2h'")
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_hhmm(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise ConfigError(f"{text!r} is not a time of day like 08:00")
    return int(match.group(1)), int(match.group(2))


def check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{name!r} is not an IANA time zone such as Europe/Berlin") from exc
    return name


@dataclass(frozen=True)
class TelegramConfig:
    token: str | None = None
    api_base_url: str | None = None
    admins: tuple[int, ...] = ()
    allowed_chats: tuple[int, ...] = ()
    admin_chat: int | None = None
    poll_interval: float = 0.0
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = None

    def __post_init__(self) -> None:
        if self.poll_interval < 0:
            raise ConfigError("telegram.poll_interval must be >= 0")
        if not 0 < self.webhook_port < 65536:
            raise ConfigError("telegram.webhook_port must be a TCP port")
        if self.webhook_url and not self.webhook_secret:
            raise ConfigError("telegram.webhook_secret is required with telegram.webhook_url")
        if self.webhook_secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.webhook_secret):
            raise ConfigError("telegram.webhook_secret may hold only A-Z a-z 0-9 _ -")


@dataclass(frozen=True)
class DigestConfig:
    default_time: str = "08:00"
    default_timezone: str = "UTC"
    max_events: int = 5
    sentences_per_event: int = 3

    def __post_init__(self) -> None:
        parse_hhmm(self.default_time)
        check_zone(self.default_timezone)
        if self.max_events < 1 or self.sentences_per_event < 1:
            raise ConfigError("digest.max_events and digest.sentences_per_event must be >= 1")


@dataclass(frozen=True)
class FetchConfig:
    allow_private_addresses: bool = False
    max_bytes: int = 5_000_000
    timeout: float = 20.0
    max_redirects: int = 5
    user_agent: str = "briefbot/0.1 (+https://github.com/briefbot)"

    def __post_init__(self) -> None:
        if self.max_bytes < 1024:
            raise ConfigError("fetch.max_bytes must be at least 1024")
        if self.timeout <= 0:
            raise ConfigError("fetch.timeout must be > 0")
        if not 0 <= self.max_redirects <= 20:
            raise ConfigError("fetch.max_redirects must be between 0 and 20")


@dataclass(frozen=True)
class FeedConfig:
    url: str
    every: int = 1800

    def __post_init__(self) -> None:
        if not re.match(r"^https?://", self.url):
            raise ConfigError(f"feed url {self.url!r} must start with http:// or https://")
        if self.every < 60:
            raise ConfigError("a feed's 'every' must be at least 1m")


@dataclass(frozen=True)
class StoreConfig:
    """Where state lives: ``url`` empty = SQLite + FAISS files in the data directory (the
    default); a ``postgresql://`` URL = that PostgreSQL database (pgvector enabled), shared by
    every worker; ``pool_size`` connections per process."""

    url: str | None = None
    pool_size: int = 8

    def __post_init__(self) -> None:
        if self.url is not None and not is_postgres_url(self.url):
            raise ConfigError("store.url must be a postgresql:// URL (or empty for SQLite)")
        if not 1 <= self.pool_size <= 100:
            raise ConfigError("store.pool_size must be between 1 and 100")


@dataclass(frozen=True)
class WorkersConfig:
    """Several workers on one PostgreSQL (``[workers]``): ``lease`` seconds a digest claim or
    a feed poll stays a worker's without renewal (a killed worker's work is taken over after
    it), ``sync_every`` seconds between each worker's look at the shared state (renewing its
    leases, taking over, picking up subscriptions made through other workers)."""

    lease: int = 30
    sync_every: int = 10

    def __post_init__(self) -> None:
        if not 1 <= self.sync_every <= self.lease / 2:  # leases are renewed at each sync
            raise ConfigError("workers.sync_every must be at least 1s and at most half of "
                              "workers.lease")


@dataclass(frozen=True)
class Config:
    data_dir: Path = Path("data")
    model: str = DEFAULT_MODEL
    embedder: str = DEFAULT_EMBEDDER
    log_level: str = "INFO"
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    feeds: tuple[FeedConfig, ...] = ()
    store: StoreConfig = field(default_factory=StoreConfig)
    workers: WorkersConfig = field(default_factory=WorkersConfig)

    def __post_init__(self) -> None:
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError("log_level must be DEBUG, INFO, WARNING or ERROR")
        if self.embedder not in EMBEDDERS:
            raise ConfigError(f"embedder must be one of {', '.join(EMBEDDERS)}")

    def with_overrides(self, *, data_dir: str | Path | None = None,
                       base_url: str | None = None) -> Config:
        cfg = self
        if data_dir is not None:
            cfg = replace(cfg, data_dir=Path(data_dir))
        if base_url is not None:
            cfg = replace(cfg, telegram=replace(cfg.telegram, api_base_url=base_url))
        return cfg


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _ints(values: Any, name: str) -> tuple[int, ...]:
    if not isinstance(values, list) or not all(isinstance(v, int) for v in values):
        raise ConfigError(f"{name} must be a list of integer ids")
    return tuple(values)


_SECTIONS: dict[str, Any] = {"telegram": TelegramConfig, "digest": DigestConfig,
                             "fetch": FetchConfig, "feeds": FeedConfig, "store": StoreConfig,
                             "workers": WorkersConfig}


def check_keys(raw: dict[str, Any]) -> None:
    """Raise :class:`ConfigError` on the first unknown key (``[digest] default_tme``),
    naming the nearest known one (``digest.default_time``)."""
    known = set(Config.__dataclass_fields__) | {
        f"{name}.{key}" for name, cls in _SECTIONS.items() for key in cls.__dataclass_fields__}
    found: list[str] = []
    for key, value in raw.items():
        found.append(key)
        if key in _SECTIONS:  # a table, or an array of tables for [[feeds]]
            tables = value if isinstance(value, list) else [value]
            found += [f"{key}.{sub}" for t in tables if isinstance(t, dict) for sub in t]
    for key in found:
        if key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ConfigError(f"unknown setting '{key}' in the config file{hint}")


def from_dict(raw: dict[str, Any], env: dict[str, str] | None = None) -> Config:
    """A :class:`Config` from parsed TOML and the environment; raises :class:`ConfigError`."""
    env = dict(os.environ) if env is None else env
    check_keys(raw)
    try:
        tg = _section(raw, "telegram")
        telegram = TelegramConfig(
            token=env.get("TELEGRAM_BOT_TOKEN") or tg.get("token") or None,
            api_base_url=tg.get("api_base_url") or None,
            admins=_ints(tg.get("admins", []), "telegram.admins"),
            allowed_chats=_ints(tg.get("allowed_chats", []), "telegram.allowed_chats"),
            admin_chat=tg.get("admin_chat"),
            poll_interval=float(tg.get("poll_interval", 0.0)),
            webhook_url=tg.get("webhook_url") or None,
            webhook_listen=str(tg.get("webhook_listen", "127.0.0.1")),
            webhook_port=int(tg.get("webhook_port", 8443)),
            webhook_secret=tg.get("webhook_secret") or None,
        )
        dg = _section(raw, "digest")
        digest = DigestConfig(**{k: dg[k] for k in DigestConfig.__dataclass_fields__ if k in dg})
        fe = _section(raw, "fetch")
        fetch = FetchConfig(**{k: fe[k] for k in FetchConfig.__dataclass_fields__ if k in fe})
        if env.get("BRIEFBOT_ALLOW_PRIVATE_URLS") == "1":
            fetch = replace(fetch, allow_private_addresses=True)
        feeds_raw = raw.get("feeds", [])
        if not isinstance(feeds_raw, list):
            raise ConfigError("[[feeds]] must be an array of tables")
        feeds = tuple(
            FeedConfig(url=str(f["url"]), every=parse_duration(str(f.get("every", "30m"))))
            for f in feeds_raw
        )
        st = _section(raw, "store")
        store = StoreConfig(url=env.get("BRIEFBOT_DATABASE_URL") or st.get("url") or None,
                            pool_size=int(st.get("pool_size", 8)))
        wk = _section(raw, "workers")
        workers = WorkersConfig(**{k: parse_duration(str(wk[k])) for k in ("lease", "sync_every")
                                   if k in wk})
        data_dir = env.get("BRIEFBOT_DATA_DIR") or raw.get("data_dir") or "data"
        return Config(
            data_dir=Path(str(data_dir)).expanduser(),
            model=str(raw.get("model", DEFAULT_MODEL)),
            embedder=str(env.get("BRIEFBOT_EMBEDDER") or raw.get("embedder", DEFAULT_EMBEDDER)),
            log_level=str(raw.get("log_level", "INFO")).upper(),
            telegram=telegram, digest=digest, fetch=fetch, feeds=feeds, store=store,
            workers=workers,
        )
    except (TypeError, KeyError) as exc:
        raise ConfigError(f"bad config: {exc}") from exc


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Read ``path`` (or ``BRIEFBOT_CONFIG``, else no file) and the environment."""
    env = dict(os.environ) if env is None else env
    chosen = path or env.get("BRIEFBOT_CONFIG")
    raw: dict[str, Any] = {}
    if chosen:
        try:
            raw = tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {chosen} does not exist") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {chosen} is not valid TOML: {exc}") from exc
    return from_dict(raw, env)
