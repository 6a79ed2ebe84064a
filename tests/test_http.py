"""The aiohttp Bot API client (bot/http.py) keeps PTB's semantics: the parameters arrive as
HTTPXRequest sends them, error statuses become telegram.error types, timeouts become TimedOut
and transport failures NetworkError, without the token. Against a local aiohttp server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.api import make_bot
from bot.config import Config, ConfigError
from bot.http import AiohttpRequest, make_request

TOKEN = "123456:SECRET-token-never-shown"
ME = {"id": 777, "is_bot": True, "first_name": "quiz", "username": "quiz_bot"}
Answer = Callable[[str, dict[str, Any]], Awaitable[web.Response]]


class Api:
    """A Bot API on loopback: records each call; `answer` decides the reply."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], web.Request]] = []
        self.files: dict[str, tuple[str, bytes]] = {}
        self.answer: Answer = self.ok

    @staticmethod
    async def ok(method: str, params: dict[str, Any]) -> web.Response:
        if method == "getMe":
            return web.json_response({"ok": True, "result": ME})
        chat = {"id": int(params.get("chat_id", 1)), "type": "private"}
        message = {"message_id": 41, "date": 0, "chat": chat, "text": params.get("text", "")}
        return web.json_response({"ok": True, "result": message})

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                self.files[key] = (value.filename, value.file.read())
            else:
                params[key] = value
        self.calls.append((method, params, request))
        return await self.answer(method, params)


@pytest.fixture
async def api() -> AsyncIterator[tuple[Api, str]]:
    api = Api()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield api, f"http://127.0.0.1:{server.port}/bot"
    finally:
        await server.close()


def bot_at(base_url: str, request: BaseRequest | None = None) -> Bot:
    request = request or AiohttpRequest()
    return Bot(TOKEN, base_url=base_url, request=request, get_updates_request=AiohttpRequest())


async def test_a_call_arrives_form_encoded_and_its_result_comes_back(
    api: tuple[Api, str],
) -> None:
    server, url = api
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("نعم", callback_data="y")]])
    async with bot_at(url) as bot:
        message = await bot.send_message(5, "مرحبا <b>بكم</b>", reply_markup=markup)
    assert message.message_id == 41 and message.chat.id == 5
    method, params, request = server.calls[-1]
    assert method == "sendMessage"
    assert request.content_type == "application/x-www-form-urlencoded"
    assert request.headers["User-Agent"] == BaseRequest.USER_AGENT
    assert params["chat_id"] == "5" and params["text"] == "مرحبا <b>بكم</b>"
    assert json.loads(params["reply_markup"]) == markup.to_dict()


async def test_the_same_call_through_httpx_arrives_the_same(api: tuple[Api, str]) -> None:
    server, url = api
    for request in (AiohttpRequest(), HTTPXRequest()):
        async with bot_at(url, request) as bot:
            await bot.answer_callback_query("q1", text="تم", show_alert=True)
    (_, by_aiohttp, _), (_, by_httpx, _) = [c for c in server.calls if c[0] != "getMe"]
    assert by_aiohttp == by_httpx == {"callback_query_id": "q1", "text": "تم", "show_alert": "true"}


async def test_a_file_goes_up_as_multipart_with_its_name(api: tuple[Api, str]) -> None:
    server, url = api
    async with bot_at(url) as bot:
        await bot.send_document(-100, InputFile(b"a,b\n1,2\n", filename="class.csv"), caption="x")
    method, params, request = server.calls[-1]
    assert method == "sendDocument" and request.content_type == "multipart/form-data"
    assert params["chat_id"] == "-100" and params["caption"] == "x"
    assert server.files["document"] == ("class.csv", b"a,b\n1,2\n")


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"description": "Bad Request: chat not found"}, BadRequest),
        (403, {"description": "Forbidden: bot was blocked by the user"}, Forbidden),
        (429, {"description": "Too Many Requests", "parameters": {"retry_after": 7}}, RetryAfter),
        (502, {"description": "Bad Gateway"}, NetworkError),
    ],
)
async def test_error_statuses_become_ptbs_errors(
    api: tuple[Api, str],
    status: int,
    body: dict[str, Any],
    error: type[Exception],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PTB 22 warns on the int form of RetryAfter.retry_after; opt in to the timedelta form.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    server, url = api
    async with bot_at(url) as bot:

        async def refuse(method: str, params: dict[str, Any]) -> web.Response:
            return web.json_response({"ok": False, "error_code": status, **body}, status=status)

        server.answer = refuse
        with pytest.raises(error) as raised:
            await bot.send_message(5, "x")
    if status == 429:
        assert raised.value.retry_after.total_seconds() == 7
    else:
        assert body["description"].split(": ")[-1].lower() in str(raised.value).lower()


async def test_a_slow_answer_times_out_by_default_and_per_call(api: tuple[Api, str]) -> None:
    server, url = api

    async def slow(method: str, params: dict[str, Any]) -> web.Response:
        await asyncio.sleep(0 if method == "getMe" else 1.0)
        return await Api.ok(method, params)

    server.answer = slow
    async with bot_at(url, AiohttpRequest(read_timeout=0.2)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(5, "x")
    async with bot_at(url) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(5, "x", read_timeout=0.2)
        # A read timeout longer than the wait lets the answer through.
        assert (await bot.send_message(5, "x", read_timeout=3)).message_id == 41


async def test_an_unreachable_server_is_a_network_error() -> None:
    free = TestServer(web.Application(), host="127.0.0.1")
    await free.start_server()
    port = free.port
    await free.close()
    with pytest.raises(NetworkError) as raised:
        async with bot_at(f"http://127.0.0.1:{port}/bot"):
            pass
    assert not isinstance(raised.value, TimedOut)


async def test_a_bad_url_fails_without_the_token_in_the_message() -> None:
    with pytest.raises(NetworkError) as raised:
        async with bot_at("http://127.0.0.1:99999/bot"):
            pass
    assert "SECRET" not in str(raised.value)


async def test_it_must_be_initialized_and_can_start_again(api: tuple[Api, str]) -> None:
    _, url = api
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{url}{TOKEN}/getMe")
    await request.initialize()
    assert (await request.post(f"{url}{TOKEN}/getMe"))["id"] == ME["id"]
    await request.shutdown()
    await request.shutdown()  # a second shutdown is harmless, as PTB expects
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{url}{TOKEN}/getMe")
    await request.initialize()
    assert (await request.post(f"{url}{TOKEN}/getMe"))["id"] == ME["id"]
    await request.shutdown()


def test_quizbot_http_chooses_the_client(tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "QUIZBOT_DB": str(tmp_path / "db.sqlite3")}
    assert Config.from_env(env).http_client == "aiohttp"
    chosen = Config.from_env({**env, "QUIZBOT_HTTP": " HTTPX "})
    assert chosen.http_client == "httpx"
    assert isinstance(make_bot(chosen, None, None).request, HTTPXRequest)
    assert isinstance(make_bot(Config.from_env(env), None, None).request, AiohttpRequest)
    with pytest.raises(ConfigError, match="QUIZBOT_HTTP"):
        Config.from_env({**env, "QUIZBOT_HTTP": "curl"})
    with pytest.raises(ValueError, match="curl"):
        make_request("curl")


async def test_a_proxy_from_the_environment_is_used_as_httpx_would(
    api: tuple[Api, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where Telegram is reachable only through a proxy, HTTP(S)_PROXY keeps working."""
    server, url = api
    monkeypatch.setenv("HTTP_PROXY", url.removesuffix("/bot"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with bot_at("http://api.telegram.invalid/bot") as bot:
        await bot.send_message(5, "عبر الوكيل")
    method, params, request = server.calls[-1]
    assert (method, params["text"]) == ("sendMessage", "عبر الوكيل")
    assert request.host == "api.telegram.invalid"
