"""The systemd unit in deploy/ runs a command line that exists, as its own user, restarted
on failure, with the token from an environment file and the usual hardening."""

from __future__ import annotations

import shlex
from pathlib import Path

from bot.cli import build_parser

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "briefbot.service"


def directives() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if line.strip() and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def test_unit_runs_the_bot_as_a_hardened_service() -> None:
    d = directives()
    assert d["User"] == ["briefbot"] and d["Restart"] == ["on-failure"]
    assert d["EnvironmentFile"] and "TELEGRAM_BOT_TOKEN" not in " ".join(d["Environment"])
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"):
        assert d[key] == ["yes"], key
    assert d["ProtectSystem"] == ["strict"] and d["StateDirectory"] == ["briefbot"]
    argv = shlex.split(d["ExecStart"][0])
    assert Path(argv[0]).name == "briefbot"
    args = build_parser().parse_args(argv[1:])
    assert args.command == "run" and args.data_dir == "/var/lib/briefbot"
