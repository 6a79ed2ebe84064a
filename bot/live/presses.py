"""What a group's handlers call: the lobby, joining, presses, typed replies, multi-select
ticks and the teacher's controls. Each goes through the engine under the session's lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram.error import TelegramError

from bot import buttons, texts
from bot.context import QuizApp
from bot.live import render as live_render
from bot.live.engine import Action, commit, drive, open_lock, schedule
from bot.live.outbox import transient
from bot.live.presenter import show_current
from bot.live.runtime import current_time, runtime
from quizzes import live
from quizzes.adaptive import PeerPath
from quizzes.errors import StaleAction
from quizzes.live import InputStyle, LiveSession, Outcome, Phase, Refusal
from quizzes.model import Bank, Question

log = logging.getLogger(__name__)


Ack = Callable[[str], Awaitable[object]]


_REFUSALS = {
    Refusal.ALREADY: texts.LIVE_TOAST_ALREADY,
    Refusal.CLOSED: texts.LIVE_TOAST_CLOSED,
    Refusal.PAUSED: texts.LIVE_TOAST_PAUSED,
    Refusal.DISCUSSING: texts.LIVE_TOAST_DISCUSSING,
}


async def open_lobby(
    app: QuizApp, bank: Bank, chat_id: int, teacher_id: int | None, message_id: int
) -> LiveSession | None:
    """Create a session and turn the bank list into its lobby; None if one is already open."""
    now, rules = current_time(app), runtime(app).rules
    fresh = live.new_session(bank, chat_id, teacher_id, now, app.bot_data.rng, rules)
    session = await app.bot_data.repo.create_live(replace(fresh, message_id=message_id))
    if session is None:
        return None
    await show_current(app, bank, session)
    await app.bot_data.repo.mark_live_shown(session.id, session.step)
    schedule(app, session)
    return session


async def join(app: QuizApp, session_id: int, chat_id: int, user_id: int) -> bool | None:
    """Join a student; whether they are new, or None for a session that is not open here."""
    lock = await open_lock(app, session_id, chat_id)
    if lock is None:
        return None
    async with lock:
        s = await app.bot_data.repo.get_live(session_id)
        if s is None or not s.is_open or s.chat_id != chat_id:
            return None
        position = -1 if s.phase is Phase.LOBBY else s.position
        return await app.bot_data.repo.join_live(s.id, user_id, position, current_time(app))


def _toast(q: Question, s: LiveSession, position: int, outcome: Outcome) -> str:
    peer = bool(s.plan[position].discuss)
    if outcome.answer is None:
        if peer and outcome.refusal is Refusal.ALREADY:
            return texts.LIVE_TOAST_ALREADY_VOTED
        if outcome.refusal is Refusal.DISCUSSING and s.path is not PeerPath.DISCUSS:
            return texts.LIVE_TOAST_BETWEEN_VOTES
        return _REFUSALS.get(outcome.refusal, texts.STALE)
    choice = live_render.chosen(q, s.plan[position].order, outcome.answer.keys)
    if peer:
        voted = (
            texts.LIVE_TOAST_REVOTE_RECORDED
            if outcome.answer.round
            else texts.LIVE_TOAST_VOTE_RECORDED
        )
        return voted.format(choice=choice)
    return texts.LIVE_TOAST_RECORDED.format(choice=choice)


async def _open_here(app: QuizApp, session_id: int, chat_id: int, position: int) -> LiveSession:
    s = await app.bot_data.repo.get_live(session_id)
    if s is None or s.chat_id != chat_id or not 0 <= position < s.total:
        raise StaleAction(f"live session {session_id} position {position} in chat {chat_id}")
    return s


async def press(
    app: QuizApp,
    session_id: int,
    chat_id: int,
    position: int,
    user_id: int,
    keys: frozenset[str],
    ack: Ack,
    round: int = 0,
) -> Outcome:
    """A student's answer (in `round` 1: a peer re-vote): recorded once, acknowledged privately
    at once, and if it was the last one expected, the round closes."""
    await _open_here(app, session_id, chat_id, position)  # before a lock is taken for it
    async with runtime(app).lock(session_id):
        s = await _open_here(app, session_id, chat_id, position)
        q = app.bot_data.banks[s.bank_id].question(s.plan[position].question_id)
        after, events, outcome = live.answer(
            s, q, position, user_id, keys, current_time(app), runtime(app).rules, round=round
        )
        if outcome.answer is not None and not await app.bot_data.repo.record_live_answer(
            outcome.answer
        ):
            # Stored meanwhile (a replayed update): the first answer stands, nothing moves.
            after, events, outcome = s, (), Outcome(refusal=Refusal.ALREADY)
        if outcome.refusal is Refusal.CLOSED and any(
            a.user_id == user_id and a.round == round
            for a in await app.bot_data.repo.live_answers(s.id, position)
        ):
            # Delivered again after the question closed (a restart): it did count, say so.
            outcome = Outcome(refusal=Refusal.ALREADY)
        if outcome.refusal is Refusal.INVALID:
            raise StaleAction(f"keys {sorted(keys)} for {q.id}")
        # The toast leaves at once, but the session's lock is not held for its round trip to
        # Telegram: a class's presses would otherwise queue behind each other's acks.
        toast = asyncio.ensure_future(ack(_toast(q, s, position, outcome)))
        if events:
            try:
                await commit(app, s, after, events)
            except BaseException:
                await _settle(toast)
                raise
    error = await _settle(toast)
    if error is not None:
        if not transient(error):
            raise error
        # The toast is lost, not the answer: it is stored, and the session goes on.
        log.warning("live session %s: toast for %s lost: %s", session_id, user_id, error)
    return outcome


async def _settle(toast: asyncio.Future[object]) -> TelegramError | None:
    """Wait for an acknowledgement; return its Telegram error for the caller to judge."""
    try:
        await toast
    except TelegramError as error:
        return error
    return None


async def awaits_reply(app: QuizApp, chat_id: int, message_id: int) -> bool:
    """Whether `message_id` is the open typed question of the group's session, so that a
    reply to it is an answer (one indexed lookup: every other reply is ignored at once)."""
    s = await app.bot_data.repo.open_live_in(chat_id)
    return s is not None and s.message_id == message_id and s.phase is Phase.QUESTION


async def reply(
    app: QuizApp, chat_id: int, message_id: int, user_id: int, text: str | None
) -> Outcome | None:
    """A reply to message `message_id` in a group: the answer to the open typed question if
    that is the question's message. None when it is not; otherwise the outcome, which nobody
    is told about: the group gets no message per reply (the counter shows progress), and a
    refused reply (a sticker or photo, empty, over-long, not Arabic, too short, a second reply,
    after the deadline or during a pause) is simply not recorded."""
    found = await app.bot_data.repo.open_live_in(chat_id)
    if found is None or found.message_id != message_id:
        return None
    async with runtime(app).lock(found.id):
        s = await app.bot_data.repo.get_live(found.id)
        if s is None or not s.is_open or s.phase is not Phase.QUESTION:
            return None
        if s.message_id != message_id:
            return None
        q = app.bot_data.banks[s.bank_id].question(s.current.question_id)
        kind = live.live_kind(q)
        if kind is None or kind.style is not InputStyle.REPLY:
            return None
        if text is None:
            return Outcome(refusal=Refusal.INVALID)
        after, events, outcome = live.answer(
            s,
            q,
            s.position,
            user_id,
            frozenset(),
            current_time(app),
            runtime(app).rules,
            text=text,
            article=app.bot_data.articles[app.bot_data.banks[s.bank_id].article_id],
        )
        if outcome.answer is not None and not await app.bot_data.repo.record_live_answer(
            outcome.answer
        ):
            # Telegram delivered the same reply twice: the first one stands.
            return Outcome(refusal=Refusal.ALREADY)
        if events:
            await commit(app, s, after, events)
        if outcome.refusal is not None:
            log.debug("reply in chat %s refused: %s", chat_id, outcome.refusal.value)
        return outcome


async def toggle(
    app: QuizApp, session_id: int, chat_id: int, position: int, user_id: int, key: str
) -> str:
    """Tick or untick an option of a multi-select question, privately; returns the toast."""
    await _open_here(app, session_id, chat_id, position)  # before a lock is taken for it
    async with runtime(app).lock(session_id):
        s = await _open_here(app, session_id, chat_id, position)
        if key not in s.plan[position].order:
            raise StaleAction(f"no option {key!r}")
        if not s.is_open or s.phase is not Phase.QUESTION or s.position != position:
            return texts.LIVE_TOAST_CLOSED
        if s.paused:
            return texts.LIVE_TOAST_PAUSED
        if user_id in s.answered:
            return texts.LIVE_TOAST_ALREADY
        repo = app.bot_data.repo
        chosen = live.toggle_selection(await repo.live_selection(s.id, position, user_id), key)
        await repo.set_live_selection(s.id, position, user_id, chosen)
    if not chosen:
        return texts.LIVE_TOAST_SELECTION_EMPTY
    q = app.bot_data.banks[s.bank_id].question(s.plan[position].question_id)
    return texts.LIVE_TOAST_SELECTION.format(
        choices=live_render.chosen(q, s.plan[position].order, chosen)
    )


async def confirm(
    app: QuizApp, session_id: int, chat_id: int, position: int, user_id: int, ack: Ack
) -> None:
    """Submit a student's ticked options as their answer."""
    chosen = await app.bot_data.repo.live_selection(session_id, position, user_id)
    if not chosen:
        s = await _open_here(app, session_id, chat_id, position)
        answered = user_id in s.answered and s.position == position
        await ack(texts.LIVE_TOAST_ALREADY if answered else texts.LIVE_TOAST_PICK_FIRST)
        return
    await press(app, session_id, chat_id, position, user_id, chosen, ack)


def _action(app: QuizApp, name: str) -> Action:
    now, rules = current_time(app), runtime(app).rules
    actions: dict[str, Action] = {
        buttons.CONTROL_START: lambda s: live.start(s, now),
        buttons.CONTROL_SPEED: lambda s: live.set_speed(s, not s.speed),
        buttons.CONTROL_PAUSE: lambda s: live.pause(s, now),
        buttons.CONTROL_RESUME: lambda s: live.resume(s, now),
        buttons.CONTROL_SKIP: lambda s: live.skip(s, now, rules),
        buttons.CONTROL_STOP: lambda s: live.stop(s, now, rules),
        buttons.CONTROL_RESPONSES: lambda s: live.set_show_responses(s, not s.show_responses),
        buttons.CONTROL_EXPLAIN_FIRST: lambda s: live.explain_first(s, now),
        buttons.CONTROL_DISCUSS_ANYWAY: lambda s: live.discuss_anyway(s, now),
    }
    if name not in actions:
        raise StaleAction(f"unknown control {name!r}")
    return actions[name]


async def control(app: QuizApp, session_id: int, chat_id: int, step: int, name: str) -> LiveSession:
    """A teacher's control (start, speed, responses, pause, resume, skip, stop, and after a
    weak first vote: explain first or discuss anyway) drawn at `step`."""
    action = _action(app, name)
    session = await app.bot_data.repo.get_live(session_id)
    if session is None or session.chat_id != chat_id:
        raise StaleAction(f"live session {session_id} is not in chat {chat_id}")
    moved = await drive(app, session_id, action, step=step)
    if moved is None:
        raise StaleAction(f"live session {session_id} moved past step {step}")
    return moved
