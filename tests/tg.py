"""Telegram test doubles: an offline request class that answers the Bot API from a script
(real PTB machinery, no network), and builders of incoming updates."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 999, "is_bot": True, "first_name": "briefbot", "username": "briefbot"}

Step = tuple[int, dict[str, Any]] | Exception


class OfflineRequest(BaseRequest):
    """Records every Bot API call and answers it: from ``script[endpoint]`` (a list of
    scripted responses or exceptions, used up in order) when there is one, else success."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.script: dict[str, list[Step]] = {}
        self.files: dict[str, bytes] = {}  # file_id -> content for getFile / downloads

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None
                         ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download; a file it does not hold is not found
            name = url.rsplit("/", 1)[-1]
            if name not in self.files:
                return 404, json.dumps({"ok": False, "error_code": 404,
                                        "description": "Not Found"}).encode()
            return 200, self.files[name]
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append((endpoint, params))
        steps = self.script.get(endpoint)
        if steps:
            step = steps.pop(0)
            if isinstance(step, Exception):
                raise step
            code, body = step
            return code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(endpoint, params)}).encode()

    def _result(self, endpoint: str, params: dict[str, Any]) -> object:
        if endpoint == "getMe":
            return BOT_USER
        if endpoint == "getFile":
            return {"file_id": params["file_id"], "file_unique_id": "u",
                    "file_path": params["file_id"]}
        if endpoint == "sendPhoto":
            return {"message_id": len(self.calls), "date": 0,
                    "chat": {"id": params.get("chat_id", 1), "type": "private"},
                    "caption": params.get("caption", ""),
                    "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1200,
                               "height": 900}]}
        if endpoint in ("sendMessage", "editMessageText"):
            return {"message_id": len(self.calls), "date": 0,
                    "chat": {"id": params.get("chat_id", 1), "type": "private"},
                    "text": params.get("text", "")}
        return True

    def sent(self, endpoint: str = "sendMessage") -> list[dict[str, Any]]:
        return [p for e, p in self.calls if e == endpoint]


def error(code: int, description: str, **parameters: Any) -> tuple[int, dict[str, Any]]:
    """A Bot API error response, e.g. ``error(429, "Too Many Requests", retry_after=3)``."""
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Pauses:
    """Records the waits asked for instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


_update_ids = iter(range(1, 1_000_000))


def user(uid: int = 42) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": "Ana"}


def message_update(bot: Bot, text: str | None = None, *, chat_id: int = 42,
                   chat_type: str = "private", from_id: int = 42,
                   **extra: Any) -> Update:
    """An incoming message; a leading ``/command`` gets its bot_command entity."""
    message: dict[str, Any] = {"message_id": next(_update_ids), "date": 0,
                               "chat": {"id": chat_id, "type": chat_type},
                               "from": user(from_id), **extra}
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


def callback_update(bot: Bot, data: str, message: dict[str, Any], *, from_id: int = 42
                    ) -> Update:
    return Update.de_json({"update_id": next(_update_ids), "callback_query": {
        "id": str(next(_update_ids)), "from": user(from_id), "chat_instance": "ci",
        "data": data, "message": message}}, bot)
