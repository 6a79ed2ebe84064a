"""An in-process Bot API: a BaseRequest that records every call and answers it locally.

Only the transport is fake. Everything above it (Bot, Application, handlers) is the real code.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 999_000
BOT_USERNAME = "class_quiz_bot"

Responder = Callable[["Call"], tuple[int, dict] | None]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    # Uploaded files (sendDocument, sendPhoto): part name -> (file name, bytes).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # What the Bot API answered when the call succeeded (a sent message, with its id); None
    # when it failed, so the message it would have drawn does not exist.
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline button, row by row."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [
            (b["text"], b.get("callback_data", b.get("url", "")))
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]


def chat_type(chat_id: int) -> str:
    return "private" if chat_id > 0 else "supergroup"


@dataclass
class RecordingRequest(BaseRequest):
    """Records (method, params) and answers like the Bot API would, with no network."""

    calls: list[Call] = field(default_factory=list)
    responders: list[Responder] = field(default_factory=list)
    chat_members: dict[tuple[int, int], str] = field(default_factory=dict)
    # Calls that clear() took away: the messages they drew are still on screen.
    earlier: list[Call] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        call = Call(name, dict(request_data.parameters) if request_data else {})
        if request_data is not None and request_data.contains_files:
            for part, upload in request_data.multipart_data.items():
                filename, content = upload[0], upload[1]
                data = content if isinstance(content, bytes) else content.read()
                call.files[part] = (filename, data)
        self.record(call)
        for responder in self.responders:
            answer = responder(call)
            if answer is not None:
                status, body = answer
                if body.get("ok"):
                    call.result = body.get("result")
                return status, json.dumps(body).encode()
        call.result = self._result(call)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def record(self, call: Call) -> None:
        """Keep the call for the test to inspect (the benchmark counts instead)."""
        self.calls.append(call)

    def message(
        self, chat_id: int, text: str = "", message_id: int | None = None, reply_markup: Any = None
    ) -> dict:
        """A Message payload as the Bot API returns for something the bot sent."""
        payload: dict[str, Any] = {
            "message_id": message_id or next(self._ids),
            "date": int(time.time()),
            "chat": {
                "id": chat_id,
                "type": chat_type(chat_id),
                "title": None if chat_id > 0 else "الصف",
            },
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Quiz", "username": BOT_USERNAME},
            "text": text,
        }
        if chat_id > 0:
            payload["chat"] = {"id": chat_id, "type": "private", "first_name": "طالب"}
        if reply_markup:
            payload["reply_markup"] = (
                json.loads(reply_markup) if isinstance(reply_markup, str) else reply_markup
            )
        return payload

    def poll_message(self, call: Call) -> dict:
        """The Message the Bot API returns for sendPoll, with its Poll (the poll id is what a
        poll_answer names later)."""
        p = call.params
        options = p["options"] if isinstance(p["options"], list) else json.loads(p["options"])
        message = self.message(int(p["chat_id"]))
        del message["text"]
        poll: dict[str, Any] = {
            "id": f"poll-{message['message_id']}",
            "question": p["question"],
            "options": [
                {
                    "text": o["text"] if isinstance(o, dict) else o,
                    "voter_count": 0,
                    "persistent_id": str(index),
                }
                for index, o in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": bool(p.get("is_anonymous", True)),
            "type": p.get("type", "regular"),
            "allows_multiple_answers": bool(p.get("allows_multiple_answers", False)),
            "allows_revoting": bool(p.get("allows_revoting", p.get("type") != "quiz")),
            "members_only": bool(p.get("members_only", False)),
        }
        if "correct_option_ids" in p:
            ids = p["correct_option_ids"]
            poll["correct_option_ids"] = ids if isinstance(ids, list) else json.loads(ids)
        if p.get("explanation"):
            poll["explanation"] = p["explanation"]
        message["poll"] = poll
        return message

    def _result(self, call: Call) -> Any:
        p = call.params
        if call.method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Quiz",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            return self.message(
                int(p["chat_id"]), p.get("text", ""), reply_markup=p.get("reply_markup")
            )
        if call.method == "sendPoll":
            return self.poll_message(call)
        if call.method in ("editMessageText", "editMessageReplyMarkup"):
            if "inline_message_id" in p:
                return True
            return self.message(
                int(p["chat_id"]), p.get("text", ""), int(p["message_id"]), p.get("reply_markup")
            )
        if call.method == "getChatAdministrators":
            # The administrators told through chat_members (the fake knows no owner).
            chat_id = int(p["chat_id"])
            return [
                self._member(user_id, status)
                for (chat, user_id), status in self.chat_members.items()
                if chat == chat_id and status == "administrator"
            ]
        if call.method == "getChatMember":
            status = self.chat_members.get((int(p["chat_id"]), int(p["user_id"])), "member")
            return self._member(int(p["user_id"]), status)
        return True

    def _member(self, user_id: int, status: str) -> dict:
        """A ChatMember payload: 'administrator' with its rights, or a plain status."""
        return {
            "status": status,
            "user": {"id": user_id, "is_bot": False, "first_name": "x"},
            **(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": True,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": True,
                    "can_edit_stories": True,
                    "can_delete_stories": True,
                }
                if status == "administrator"
                else {}
            ),
        }

    # --- queries for tests -------------------------------------------------------------------

    def of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def last(self, method: str, chat_id: int | None = None) -> Call:
        found = self.of(method, chat_id)
        assert found, f"no {method} call" + (f" to chat {chat_id}" if chat_id else "")
        return found[-1]

    def reopened(self) -> RecordingRequest:
        """The same Telegram for the next bot process: the messages on screen stay (and their
        ids go on); the calls, the faults and the member statuses start afresh."""
        return RecordingRequest(earlier=[*self.earlier, *self.calls], _ids=self._ids)

    def clear(self) -> None:
        self.earlier += self.calls
        self.calls.clear()
