"""A lean Bot API server on loopback, for running `quizbot run` as production does.

It answers the calls the bot makes the way Telegram does (a Message for a send or an edit,
True for the rest), hands out queued updates through getUpdates long polling, and records
every call with the time it arrived. With `limits=True` it enforces Telegram's send limits
(30 per second per token, 1 per second per private chat, 20 per minute per group) and answers
a call that breaks one with 429 and `retry_after`, as Telegram does.

The benchmark's load generator runs in the same process, beside this server and not in the
bot's: what it costs is never counted against the bot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 777, "is_bot": True, "first_name": "بوت الصف", "username": "bench_quiz_bot"}
SENDS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendPhoto",
     "sendPoll", "deleteMessage"}
)  # fmt: skip


@dataclass
class Call:
    at: float  # the loop's clock (time.monotonic) when the call arrived
    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return int(chat) if chat is not None else None


@dataclass
class Refusal:
    at: float
    limit: str  # "token", "group" or "private"
    chat_id: int | None


@dataclass
class Limits:
    """Telegram's send limits, as sliding windows over the times of accepted sends.

    Telegram says of one chat: avoid more than one message per second, "we may allow short
    bursts". `private_burst` is that burst: how many sends a private chat may get within
    `private_burst` seconds (1: strictly one a second). Sends that come closer than a second
    apart in a private chat are counted in `private_close` either way, so a reader sees how
    often a strict reading would refuse.
    """

    private_burst: int = 1
    token: deque[float] = field(default_factory=deque)
    chats: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    last_private: dict[int, float] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    private_close: list[float] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len(self.refusals)

    def check(self, chat_id: int | None, now: float) -> float:
        """0 if the send may go, else the seconds to wait (what `retry_after` says)."""
        waits = {"token": self._wait(self.token, 30, 1.0, now)}
        if chat_id is not None:
            if chat_id < 0:
                waits["group"] = self._wait(self.chats[chat_id], 20, 60.0, now)
            else:
                burst = self.private_burst
                waits["private"] = self._wait(self.chats[chat_id], burst, float(burst), now)
        limit = max(waits, key=waits.__getitem__)
        if waits[limit] > 0:
            self.refusals.append(Refusal(now, limit, chat_id))
            return waits[limit]
        self.token.append(now)
        if chat_id is not None:
            self.chats[chat_id].append(now)
            if chat_id > 0:
                before = self.last_private.get(chat_id)
                if before is not None and now - before < 1.0:
                    self.private_close.append(now)
                self.last_private[chat_id] = now
        return 0.0

    @staticmethod
    def _wait(sent: deque[float], most: int, seconds: float, now: float) -> float:
        while sent and sent[0] <= now - seconds:
            sent.popleft()
        return 0.0 if len(sent) < most else sent[0] + seconds - now


class BotApiStub:
    """The server's state: updates to hand out, messages drawn, calls seen."""

    def __init__(self, *, limits: bool = False, private_burst: int = 1, keep: bool = True) -> None:
        self.calls: list[Call] = []
        self.keep = keep  # False: watchers see the calls, but no list grows with them
        self.limits = Limits(private_burst=private_burst) if limits else None
        # chat -> message id -> the inline keyboard on it, as last drawn
        self.markups: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self._updates: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
        self._watchers: list[Callable[[Call], None]] = []
        self.polling = asyncio.Event()

    # --- what the load generator uses ---------------------------------------------------

    def push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        self._updates.append(update)
        self._arrived.set()

    def watch(self, watcher: Callable[[Call], None]) -> None:
        """Call `watcher` with every call as it arrives (acks, sends, edits)."""
        self._watchers.append(watcher)

    # --- the Bot API --------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await _params(request)
        except ConnectionResetError:  # the bot shut down with a call in flight
            return web.Response(status=499)
        call = Call(time.monotonic(), method, params)
        if self.limits is not None and method in SENDS:
            wait = self.limits.check(call.chat_id, call.at)
            if wait > 0:
                retry = max(1, round(wait + 0.5))
                return _reply(
                    {"ok": False, "error_code": 429, "parameters": {"retry_after": retry},
                     "description": f"Too Many Requests: retry after {retry}"},
                    status=429,
                )  # fmt: skip
        if self.keep:
            self.calls.append(call)
        for watcher in self._watchers:
            watcher(call)
        if method == "getUpdates":
            return _reply({"ok": True, "result": await self._poll(params)})
        return _reply({"ok": True, "result": self._answer(method, params)})

    async def _poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polling.set()
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._arrived.clear()
            timeout = float(params.get("timeout") or 0)
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except TimeoutError:
                return []
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("getChatMember",):
            status = "administrator" if int(params["user_id"]) == 1 else "member"
            return {"status": status, "user": {"id": int(params["user_id"]), "is_bot": False,
                                               "first_name": "x"}}  # fmt: skip
        if method == "getChatAdministrators":
            return [{"status": "administrator",
                     "user": {"id": 1, "is_bot": False, "first_name": "المعلم"}}]  # fmt: skip
        if method in ("sendMessage", "sendDocument", "sendPhoto", "sendPoll"):
            chat_id = int(params["chat_id"])
            message_id = next(self._message_ids[chat_id])
            self._keep_markup(chat_id, message_id, params)
            return _message(chat_id, message_id, params.get("text", ""))
        if method in ("editMessageText", "editMessageReplyMarkup"):
            chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
            self._keep_markup(chat_id, message_id, params)
            return _message(chat_id, message_id, params.get("text", ""))
        return True

    def _keep_markup(self, chat_id: int, message_id: int, params: dict[str, Any]) -> None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if markup:
            self.markups[chat_id][message_id] = markup
        else:
            self.markups[chat_id].pop(message_id, None)


def _message(chat_id: int, message_id: int, text: str) -> dict[str, Any]:
    chat = {"id": chat_id, "type": "supergroup" if chat_id < 0 else "private"}
    return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER,
            "text": text or "."}  # fmt: skip


def _reply(body: dict[str, Any], status: int = 200) -> web.Response:
    # Telegram answers a refusal with its HTTP status too; PTB reads retry_after only then.
    text = json.dumps(body, ensure_ascii=False)
    return web.Response(text=text, status=status, content_type="application/json")


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    out: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, str) and value[:1] in "[{":
            try:
                out[key] = json.loads(value)
                continue
            except ValueError:
                pass
        out[key] = value
    return out


async def serve(stub: BotApiStub, host: str = "127.0.0.1") -> tuple[web.AppRunner, int]:
    """Start the server on a free port; returns its runner (to stop it) and the port."""
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/bot{token}/{method}", stub.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(1024)
    await web.SockSite(runner, sock).start()
    return runner, sock.getsockname()[1]
