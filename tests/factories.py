"""Real Update payloads, as the Bot API (9.x) sends them, turned into PTB objects."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

from tests.fakes import BOT_ID, BOT_USERNAME, chat_type

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_query_ids = itertools.count(1)


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": "ar",
        }
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


def chat_payload(chat_id: int, person: Person | None = None) -> dict[str, Any]:
    if chat_id > 0:
        return {
            "id": chat_id,
            "type": "private",
            "first_name": person.first_name if person else "x",
        }
    return {"id": chat_id, "type": chat_type(chat_id), "title": "الصف العاشر"}


def message_payload(
    text: str, person: Person, chat_id: int | None = None, reply_to: dict | None = None
) -> dict[str, Any]:
    chat_id = person.id if chat_id is None else chat_id
    data: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat_payload(chat_id, person),
        "from": person.payload(),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if reply_to is not None:
        data["reply_to_message"] = reply_to
    return data


def message(
    bot: Bot, text: str, person: Person, chat_id: int | None = None, reply_to: dict | None = None
) -> Update:
    """A text message (a command when it starts with /) from `person` in a chat."""
    return Update.de_json(
        {
            "update_id": next(_update_ids),
            "message": message_payload(text, person, chat_id, reply_to),
        },
        bot,
    )


def sticker(bot: Bot, person: Person, chat_id: int | None = None) -> Update:
    chat_id = person.id if chat_id is None else chat_id
    payload = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat_payload(chat_id, person),
        "from": person.payload(),
        "sticker": {
            "file_id": "stk",
            "file_unique_id": "stk-u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    }
    return Update.de_json({"update_id": next(_update_ids), "message": payload}, bot)


def bot_message(chat_id: int, message_id: int, text: str = "") -> dict[str, Any]:
    """A message the bot sent earlier, as it appears inside a callback query or a reply."""
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat_payload(chat_id),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Quiz", "username": BOT_USERNAME},
        "text": text,
    }


def callback(
    bot: Bot,
    data: str,
    person: Person,
    chat_id: int | None = None,
    message_id: int = 1,
    update_id: int | None = None,
) -> Update:
    """A press on an inline button of the bot's message `message_id` in a chat."""
    chat_id = person.id if chat_id is None else chat_id
    return Update.de_json(
        {
            "update_id": update_id if update_id is not None else next(_update_ids),
            "callback_query": {
                "id": str(next(_query_ids)),
                "from": person.payload(),
                "chat_instance": str(chat_id),
                "data": data,
                "message": bot_message(chat_id, message_id),
            },
        },
        bot,
    )


def poll_answer(
    bot: Bot, poll_id: str, person: Person, option_ids: list[int], update_id: int | None = None
) -> Update:
    """A vote in a non-anonymous poll the bot sent (a quiz poll's answer)."""
    return Update.de_json(
        {
            "update_id": update_id if update_id is not None else next(_update_ids),
            "poll_answer": {
                "poll_id": poll_id,
                "user": person.payload(),
                "option_ids": option_ids,
                # The fake Bot API gives option i the persistent id "i" (tests/fakes.py).
                "option_persistent_ids": [str(i) for i in option_ids],
            },
        },
        bot,
    )
