"""Inline keyboards of live group sessions; their kinds and control actions are in
bot/buttons.py. Typed questions have no answer buttons: students reply to the question message.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.buttons import (
    CONTROL_DISCUSS_ANYWAY,
    CONTROL_EXPLAIN_FIRST,
    CONTROL_PAUSE,
    CONTROL_RESPONSES,
    CONTROL_RESUME,
    CONTROL_SKIP,
    CONTROL_SPEED,
    CONTROL_START,
    CONTROL_STOP,
    LIVE_ANSWER,
    LIVE_BANK,
    LIVE_CONFIRM,
    LIVE_CONTROL,
    LIVE_JOIN,
    LIVE_REVOTE,
    LIVE_SELECT,
    Kind,
    pack,
)
from bot.formatting import Formatter
from bot.keyboards import BUTTON_TEXT_LIMIT
from bot.render import letter, option_text
from quizzes.live import (
    InputStyle,
    LiveSession,
    Phase,
    Stage,
    choosing,
    has_prompts,
    live_kind,
    live_questions,
)
from quizzes.model import Bank, Question, QuestionType


def _clip(text: str) -> str:
    return text if len(text) <= BUTTON_TEXT_LIMIT else text[: BUTTON_TEXT_LIMIT - 1] + "…"


def _button(label: str, kind: Kind, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(kind, *args))


def _control(session: LiveSession, label: str, action: str) -> InlineKeyboardButton:
    return _button(label, LIVE_CONTROL, session.id, session.step, action)


def banks(fmt: Formatter, all_banks: Sequence[Bank]) -> InlineKeyboardMarkup:
    """The banks a live session can run, with how many questions it would ask."""
    rows = []
    for bank in all_banks:
        count = len(live_questions(bank))
        if count:
            label = texts.LIVE_BANK_BUTTON.format(
                title=bank.title, questions=fmt.count("question", count)
            )
            rows.append([_button(_clip(label), LIVE_BANK, bank.id)])
    return InlineKeyboardMarkup(rows)


def lobby(session: LiveSession) -> InlineKeyboardMarkup:
    speed = texts.LIVE_BUTTON_SPEED_ON if session.speed else texts.LIVE_BUTTON_SPEED_OFF
    rows = [
        [_button(texts.LIVE_BUTTON_JOIN, LIVE_JOIN, session.id)],
        [
            _control(session, texts.LIVE_BUTTON_START, CONTROL_START),
            _control(session, speed, CONTROL_SPEED),
        ],
    ]
    if has_prompts(session):
        shown = (
            texts.LIVE_BUTTON_RESPONSES_ON
            if session.show_responses
            else texts.LIVE_BUTTON_RESPONSES_OFF
        )
        rows.append([_control(session, shown, CONTROL_RESPONSES)])
    rows.append([_control(session, texts.LIVE_BUTTON_CANCEL, CONTROL_STOP)])
    return InlineKeyboardMarkup(rows)


def controls(session: LiveSession) -> list[InlineKeyboardButton]:
    """The teacher's row: pause or resume, reveal or next, stop."""
    hold = (
        _control(session, texts.LIVE_BUTTON_RESUME, CONTROL_RESUME)
        if session.paused
        else _control(session, texts.LIVE_BUTTON_PAUSE, CONTROL_PAUSE)
    )
    if session.phase is not Phase.QUESTION:
        move = texts.LIVE_BUTTON_NEXT
    elif session.stage is Stage.DISCUSS:
        move = texts.LIVE_BUTTON_REVOTE
    elif session.stage is Stage.ANSWER and session.current.discuss:
        move = texts.LIVE_BUTTON_CLOSE_VOTE
    else:
        move = texts.LIVE_BUTTON_REVEAL
    return [
        hold,
        _control(session, move, CONTROL_SKIP),
        _control(session, texts.LIVE_BUTTON_STOP, CONTROL_STOP),
    ]


def question(session: LiveSession, q: Question) -> InlineKeyboardMarkup:
    """Options in the session's order (press, or toggle then confirm), then the controls.
    A typed question has only the controls; a re-vote's presses are of their own kind."""
    kind = live_kind(q)
    if kind is None or kind.style is InputStyle.REPLY:
        return InlineKeyboardMarkup([controls(session)])
    order = session.current.order
    select = kind.style is InputStyle.SELECT
    pressed = (
        LIVE_SELECT if select else LIVE_REVOTE if session.stage is Stage.REVOTE else LIVE_ANSWER
    )
    buttons = [
        _button(
            _clip(
                option_text(q, q.option(key))
                if q.type is QuestionType.TRUE_FALSE
                else texts.BUTTON_OPTION.format(
                    letter=letter(i), text=option_text(q, q.option(key))
                )
            ),
            pressed,
            session.id,
            session.position,
            key,
        )
        for i, key in enumerate(order)
    ]
    rows = [buttons] if q.type is QuestionType.TRUE_FALSE else [[b] for b in buttons]
    if select:
        rows.append(
            [_button(texts.LIVE_BUTTON_CONFIRM, LIVE_CONFIRM, session.id, session.position)]
        )
    rows.append(controls(session))
    return InlineKeyboardMarkup(rows)


def discussion(session: LiveSession) -> InlineKeyboardMarkup:
    """Between the votes of a peer round only the teacher has buttons: after a weak first
    vote, the two choices above the usual controls."""
    rows = [controls(session)]
    if choosing(session):
        choices = [
            _control(session, texts.LIVE_BUTTON_EXPLAIN_FIRST, CONTROL_EXPLAIN_FIRST),
            _control(session, texts.LIVE_BUTTON_DISCUSS_ANYWAY, CONTROL_DISCUSS_ANYWAY),
        ]
        rows.insert(0, choices)
    return InlineKeyboardMarkup(rows)


def reveal(session: LiveSession) -> InlineKeyboardMarkup | None:
    """During the pause before the next question the teacher can hold, move on or stop."""
    if session.phase is not Phase.REVEAL:
        return None
    return InlineKeyboardMarkup([controls(session)])
