"""What the bot drew: the inline keyboard each message shows now, rebuilt from the recorded Bot
API calls, and the button a test presses found by its label or its position there.

Tests press what a student would see, so a keyboard that sends the wrong data fails them;
they never format callback data themselves (except on purpose, to forge it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from bot import texts
from quizzes.model import Question, QuestionType
from tests.fakes import Call

# Calls that draw a message's keyboard. Telegram drops the inline keyboard of a message whose
# text or caption is edited without one, so those edits count as drawing an empty keyboard.
DRAWING = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)

# Labels in a prefix before an option's text: a check mark, an option letter ("ب) ").
_PREFIX = 8


@dataclass(frozen=True)
class Button:
    """One inline button as drawn on a message."""

    label: str
    data: str  # callback data ('' for a link)
    url: str
    chat_id: int
    message_id: int


@dataclass(frozen=True)
class Keyboard:
    chat_id: int
    message_id: int
    rows: tuple[tuple[Button, ...], ...]

    @property
    def buttons(self) -> list[Button]:
        return [b for row in self.rows for b in row]

    def __str__(self) -> str:
        return f"message {self.message_id}: {[b.label for b in self.buttons]}"


class Matcher(Protocol):
    """How well a label matches: None for no match, lower is closer."""

    def __call__(self, label: str) -> int | None: ...


@dataclass(frozen=True)
class Exactly:
    text: str

    def __call__(self, label: str) -> int | None:
        return 0 if label == self.text else None


@dataclass(frozen=True)
class Containing:
    text: str

    def __call__(self, label: str) -> int | None:
        return 0 if self.text in label else None


@dataclass(frozen=True)
class OneOf:
    """A label that is one of `labels` (a button whose label tells its state)."""

    labels: tuple[str, ...]

    def __call__(self, label: str) -> int | None:
        return 0 if label in self.labels else None


@dataclass(frozen=True)
class Shows:
    """A label that shows `text` after a short prefix (an option letter, a check mark), whole
    or cut short with an ellipsis. Among several, the one with the shortest prefix is meant."""

    text: str

    def __call__(self, label: str) -> int | None:
        if label.endswith(self.text) and len(label) - len(self.text) <= _PREFIX:
            return len(label) - len(self.text)
        if label.endswith("…"):
            stem = label[:-1]
            for start in range(min(_PREFIX, len(stem)) + 1):
                if len(stem) - start >= 20 and self.text.startswith(stem[start:]):
                    return start
        return None


def option(q: Question, key: str) -> Shows:
    """The button of option `key` of `q`, found by the text the bank gives it (true/false
    options by their fixed labels), wherever the shuffle put it."""
    if q.type is QuestionType.TRUE_FALSE:
        return Shows(texts.TRUE_LABEL if key == "t" else texts.FALSE_LABEL)
    return Shows(q.option(key).text)


def _rows(markup: Any, chat_id: int, message_id: int) -> tuple[tuple[Button, ...], ...]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    return tuple(
        tuple(
            Button(b["text"], b.get("callback_data", ""), b.get("url", ""), chat_id, message_id)
            for b in row
        )
        for row in (markup or {}).get("inline_keyboard", [])
    )


def shown(calls: Iterable[Call], chat_id: int, stale: bool = False) -> list[Keyboard]:
    """The keyboards the messages of `chat_id` show now, the most recently drawn first.
    Failed calls drew nothing; a deleted message shows nothing. With `stale`, also every
    keyboard they showed before (a screen that has not caught up yet)."""
    drawings: list[Keyboard] = []
    latest: dict[int, int] = {}
    deleted: set[int] = set()
    for call in calls:
        if call.chat_id != chat_id:
            continue
        if call.method == "deleteMessage" and call.result:
            deleted.add(int(call.params["message_id"]))
        elif call.method in DRAWING and isinstance(call.result, dict):
            message_id = int(call.result["message_id"])
            latest[message_id] = len(drawings)
            drawings.append(
                Keyboard(
                    chat_id,
                    message_id,
                    _rows(call.params.get("reply_markup"), chat_id, message_id),
                )
            )
    return [
        k
        for i, k in reversed(list(enumerate(drawings)))
        if k.rows and k.message_id not in deleted and (stale or latest[k.message_id] == i)
    ]


def find(
    calls: Iterable[Call],
    chat_id: int,
    label: str | Matcher | None = None,
    *,
    message_id: int | None = None,
    position: int | None = None,
    contains: bool = False,
    stale: bool = False,
) -> Button:
    """The button labelled `label` (or at `position`, counted row by row) on the newest
    keyboard of the chat that has it, or on message `message_id`'s keyboard (with `stale`,
    maybe one it showed before). Fails listing what is drawn when no button, or more than
    one, fits."""
    keyboards = shown(calls, chat_id, stale)
    drawn = "; ".join(str(k) for k in keyboards) or "none"
    if message_id is not None:
        keyboards = [k for k in keyboards if k.message_id == message_id]
    where = f"chat {chat_id}" + (f", message {message_id}" if message_id is not None else "")
    if not keyboards:
        raise AssertionError(f"no keyboard shown in {where}; keyboards shown: {drawn}")
    if position is not None:
        buttons = keyboards[0].buttons
        assert 0 <= position < len(buttons), f"no button at {position} in {where}: {drawn}"
        return _pressable(buttons[position])
    assert label is not None, "give a label or a position"
    match = label if callable(label) else Containing(label) if contains else Exactly(label)
    for keyboard in keyboards:
        scored = [(s, b) for b in keyboard.buttons if (s := match(b.label)) is not None]
        if scored:
            best = min(s for s, _ in scored)
            fits = [b for s, b in scored if s == best]
            assert len(fits) == 1, f"{label!r} fits {[b.label for b in fits]} in {where}"
            return _pressable(fits[0])
    raise AssertionError(f"no button {label!r} in {where}; keyboards shown: {drawn}")


def _pressable(button: Button) -> Button:
    assert button.data, f"button {button.label!r} is a link ({button.url}), not a button to press"
    return button
