"""The test helper that finds what the bot drew (tests/buttons.py): the keyboard a message
shows now, and the button a label or position names there."""

from __future__ import annotations

import pytest

from tests.buttons import Shows, find, shown
from tests.fakes import Call

CHAT = 4242


def drawn(method: str, message_id: int, *labels: str, ok: bool = True, chat: int = CHAT) -> Call:
    params: dict = {"chat_id": chat}
    if method != "sendMessage":
        params["message_id"] = message_id
    if labels:
        row = [{"text": label, "callback_data": f"d:{message_id}:{label}"} for label in labels]
        params["reply_markup"] = {"inline_keyboard": [row]}
    result = {"message_id": message_id, "chat": {"id": chat}} if ok else None
    return Call(method, params, result=result)


def test_a_message_shows_its_last_successful_drawing() -> None:
    calls = [
        drawn("sendMessage", 1, "one", "two"),
        drawn("sendMessage", 2, "three"),
        drawn("editMessageReplyMarkup", 1, "uno"),
        drawn("editMessageText", 2, "tres", ok=False),  # refused: message 2 keeps "three"
        drawn("sendMessage", 3, "elsewhere", chat=-1),
    ]
    assert [(k.message_id, [b.label for b in k.buttons]) for k in shown(calls, CHAT)] == [
        (1, ["uno"]),
        (2, ["three"]),
    ]
    # An edit of the text without a keyboard removes the buttons, as Telegram does.
    calls.append(drawn("editMessageText", 1))
    assert [k.message_id for k in shown(calls, CHAT)] == [2]


def test_find_by_label_position_and_message() -> None:
    calls = [drawn("sendMessage", 1, "one", "two"), drawn("sendMessage", 2, "three", "one")]
    assert find(calls, CHAT, "one").message_id == 2  # the newest keyboard that has it
    assert find(calls, CHAT, "one", message_id=1).data == "d:1:one"
    assert find(calls, CHAT, "tw", contains=True).data == "d:1:two"
    assert find(calls, CHAT, position=0).label == "three"
    with pytest.raises(AssertionError, match=r"message 2: \['three', 'one'\]"):
        find(calls, CHAT, "four")
    with pytest.raises(AssertionError, match="no keyboard"):
        find(calls, -1, "one")


def test_an_option_is_found_by_its_text_even_cut_short() -> None:
    long = "نص خيار طويل جدًا " * 5
    calls = [
        drawn("sendMessage", 1, "أ) قبل الحرب", "ب) الحرب", "ج) " + long[:56] + "…"),
    ]
    assert find(calls, CHAT, Shows("الحرب")).label == "ب) الحرب"
    assert find(calls, CHAT, Shows("قبل الحرب")).label == "أ) قبل الحرب"
    assert find(calls, CHAT, Shows(long)).label.startswith("ج)")
    with pytest.raises(AssertionError, match="no button"):
        find(calls, CHAT, Shows("السلام"))


def test_a_stale_press_may_use_a_keyboard_shown_before() -> None:
    calls = [drawn("sendMessage", 1, "one"), drawn("editMessageText", 1, "next")]
    with pytest.raises(AssertionError, match=r"message 1: \['next'\]"):
        find(calls, CHAT, "one")
    assert find(calls, CHAT, "one", stale=True).data == "d:1:one"
    assert find(calls, CHAT, "next", stale=True).data == "d:1:next"
