"""The test helper that finds what the bot drew (tests/buttons.py): the keyboard a message
shows now, and the button a label or position names there. Then what the labels say, since
the helper finds options by their text alone: the letters in order, the toggles' state."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts
from quizzes.model import QuestionType
from tests.buttons import OneOf, Shows, find, shown
from tests.factories import Person
from tests.fakes import Call
from tests.harness import make_config, running
from tests.live_support import CONTROLS, GROUP, FakeClock, Room, live_config, make_class

CHAT = 4242
STUDENT = Person(5401, "ريم")


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


# --- what the labels say, through the real Application ------------------------------------


def lettered(labels: list[str], shown_texts: list[str]) -> bool:
    """Each label shows its option's text after the option letter of its place."""
    return len(labels) == len(shown_texts) and all(
        label.startswith(texts.OPTION_LETTERS[i]) and Shows(text)(label) is not None
        for i, (label, text) in enumerate(zip(labels, shown_texts, strict=True))
    )


async def test_live_labels_tell_the_state_and_letter_the_options(tmp_path: Path) -> None:
    clock = FakeClock()
    speed = OneOf(CONTROLS["sp"])
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        assert (await room.button(speed)).label == texts.LIVE_BUTTON_SPEED_OFF
        await room.control("sp")
        assert (await room.button(speed)).label == texts.LIVE_BUTTON_SPEED_ON
        await room.join(make_class(1)[0])
        await room.control("go")
        s = await room.session()
        while room.question(s).type is not QuestionType.SINGLE:
            await room.control("sk")  # reveal
            await room.control("sk")  # next question
            s = await room.session()
        q = room.question(s)
        (keyboard,) = [k for k in shown(h.request.calls, GROUP) if k.message_id == s.message_id]
        labels = [b.label for b in keyboard.buttons][: len(s.current.order)]
        assert lettered(labels, [q.option(k).text for k in s.current.order])


async def test_private_options_are_lettered_in_the_order_shown(tmp_path: Path) -> None:
    async with running(make_config(tmp_path)) as h:
        await h.start_bank(STUDENT, "facts")
        bank = h.app.bot_data.banks["facts"]
        while True:
            attempt = await h.repo.active_attempt(STUDENT.id, STUDENT.id)
            q = bank.question(attempt.current_question_id)
            if q.type is QuestionType.SINGLE:
                break
            await h.tap(STUDENT, position=0)
            if q.type is QuestionType.MULTI:
                await h.tap(STUDENT, texts.BUTTON_CONFIRM)
            await h.tap(STUDENT, texts.BUTTON_NEXT)
        order = attempt.options_shown(attempt.position)
        labels = [b.label for b in shown(h.request.calls, STUDENT.id)[0].buttons]
        assert lettered(labels, [q.option(k).text for k in order])
