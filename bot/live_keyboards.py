"""Inline keyboards of live group sessions and their callback kinds.

Kinds: lq (choose a bank), lj (join), la (answer with one press), lr (vote again in the
re-vote of a peer round), ls (toggle a multi-select option privately), lk (confirm a
multi-select choice), lc (teacher control). Control buttons carry the session step they were
drawn for, so a repeated or replayed press goes stale instead of skipping twice. Typed questions
have no answer buttons: students reply to the question message.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.formatting import Formatter
from bot.keyboards import BUTTON_TEXT_LIMIT, pack
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

BANK = "lq"
JOIN = "lj"
ANSWER = "la"
REVOTE = "lr"
SELECT = "ls"
CONFIRM = "lk"
CONTROL = "lc"
KINDS = (BANK, JOIN, ANSWER, REVOTE, SELECT, CONFIRM, CONTROL)

# Control actions (the last field of lc:<session>:<step>:<action>).
START = "go"
SPEED = "sp"
PAUSE = "pa"
RESUME = "re"
SKIP = "sk"
STOP = "st"
RESPONSES = "rs"
EXPLAIN_FIRST = "ex"  # after a weak first vote of a peer round: the passage, then the re-vote
DISCUSS_ANYWAY = "dc"  # after a weak first vote: the discussion as usual
ACTIONS = (START, SPEED, PAUSE, RESUME, SKIP, STOP, RESPONSES, EXPLAIN_FIRST, DISCUSS_ANYWAY)


def _clip(text: str) -> str:
    return text if len(text) <= BUTTON_TEXT_LIMIT else text[: BUTTON_TEXT_LIMIT - 1] + "…"


def _button(label: str, *data: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(*data))


def _control(session: LiveSession, label: str, action: str) -> InlineKeyboardButton:
    return _button(label, CONTROL, session.id, session.step, action)


def banks(fmt: Formatter, all_banks: Sequence[Bank]) -> InlineKeyboardMarkup:
    """The banks a live session can run, with how many questions it would ask."""
    rows = []
    for bank in all_banks:
        count = len(live_questions(bank))
        if count:
            label = texts.LIVE_BANK_BUTTON.format(
                title=bank.title, questions=fmt.count("question", count)
            )
            rows.append([_button(_clip(label), BANK, bank.id)])
    return InlineKeyboardMarkup(rows)


def lobby(session: LiveSession) -> InlineKeyboardMarkup:
    speed = texts.LIVE_BUTTON_SPEED_ON if session.speed else texts.LIVE_BUTTON_SPEED_OFF
    rows = [
        [_button(texts.LIVE_BUTTON_JOIN, JOIN, session.id)],
        [
            _control(session, texts.LIVE_BUTTON_START, START),
            _control(session, speed, SPEED),
        ],
    ]
    if has_prompts(session):
        shown = (
            texts.LIVE_BUTTON_RESPONSES_ON
            if session.show_responses
            else texts.LIVE_BUTTON_RESPONSES_OFF
        )
        rows.append([_control(session, shown, RESPONSES)])
    rows.append([_control(session, texts.LIVE_BUTTON_CANCEL, STOP)])
    return InlineKeyboardMarkup(rows)


def controls(session: LiveSession) -> list[InlineKeyboardButton]:
    """The teacher's row: pause or resume, reveal or next, stop."""
    hold = (
        _control(session, texts.LIVE_BUTTON_RESUME, RESUME)
        if session.paused
        else _control(session, texts.LIVE_BUTTON_PAUSE, PAUSE)
    )
    if session.phase is not Phase.QUESTION:
        move = texts.LIVE_BUTTON_NEXT
    elif session.stage is Stage.DISCUSS:
        move = texts.LIVE_BUTTON_REVOTE
    elif session.stage is Stage.ANSWER and session.current.discuss:
        move = texts.LIVE_BUTTON_CLOSE_VOTE
    else:
        move = texts.LIVE_BUTTON_REVEAL
    return [hold, _control(session, move, SKIP), _control(session, texts.LIVE_BUTTON_STOP, STOP)]


def question(session: LiveSession, q: Question) -> InlineKeyboardMarkup:
    """Options in the session's order (press, or toggle then confirm), then the controls.
    A typed question has only the controls; a re-vote's presses are of their own kind."""
    kind = live_kind(q)
    if kind is None or kind.style is InputStyle.REPLY:
        return InlineKeyboardMarkup([controls(session)])
    order = session.current.order
    select = kind.style is InputStyle.SELECT
    pressed = SELECT if select else REVOTE if session.stage is Stage.REVOTE else ANSWER
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
        rows.append([_button(texts.LIVE_BUTTON_CONFIRM, CONFIRM, session.id, session.position)])
    rows.append(controls(session))
    return InlineKeyboardMarkup(rows)


def discussion(session: LiveSession) -> InlineKeyboardMarkup:
    """Between the votes of a peer round only the teacher has buttons: after a weak first
    vote, the two choices above the usual controls."""
    rows = [controls(session)]
    if choosing(session):
        choices = [
            _control(session, texts.LIVE_BUTTON_EXPLAIN_FIRST, EXPLAIN_FIRST),
            _control(session, texts.LIVE_BUTTON_DISCUSS_ANYWAY, DISCUSS_ANYWAY),
        ]
        rows.insert(0, choices)
    return InlineKeyboardMarkup(rows)


def reveal(session: LiveSession) -> InlineKeyboardMarkup | None:
    """During the pause before the next question the teacher can hold, move on or stop."""
    if session.phase is not Phase.REVEAL:
        return None
    return InlineKeyboardMarkup([controls(session)])
