"""Runs live group sessions: applies domain events, stores them, shows them, times them.

Presses and timers both come through here. One lock per session makes them take turns, and the
stored step guards every transition, so a timer and a press (or two timers) can never apply the
same transition twice. Deadlines are absolute UTC times in SQLite; the job queue only wakes us
up, and `close_due_sessions` / `run_timers` do the same work on demand (tests, restarts).

Messages to the group per question, whatever the class size: one sendMessage (the question),
one editMessageReplyMarkup (the previous reveal loses its controls), at most one answer-counter
edit per `counter_seconds`, one editMessageText (the reveal), and one leaderboard message every
`leaderboard_every` questions. A peer round adds one editMessageText (its first vote becomes
the discussion message), one sendMessage (the re-vote) and one editMessageReplyMarkup (the
discussion message loses its controls), plus the re-vote's counter edits; after a weak first
vote the teacher's choice and then the passage are one editMessageText each, and a first vote
most had right goes straight to its reveal (no re-vote messages). Presses are only ever
answered privately (answerCallbackQuery); typed replies to a question message get no answer at
all, so the group sees nothing per reply either (the counter shows that they arrive).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import replace
from datetime import datetime

from apscheduler.jobstores.base import JobLookupError
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import buttons, review_schedule, texts
from bot.context import QuizApp, QuizContext
from bot.live import keyboards as live_keyboards
from bot.live import render as live_render
from bot.live.runtime import LiveRuntime, Shown
from quizzes import live
from quizzes.adaptive import PeerPath
from quizzes.errors import StaleAction
from quizzes.live import (
    ChoiceOffered,
    DiscussionOpened,
    Ended,
    Event,
    ExplanationOpened,
    InputStyle,
    LeaderboardDue,
    LiveSession,
    Outcome,
    Paused,
    Phase,
    QuestionClosed,
    QuestionOpened,
    Refusal,
    ResponsesChanged,
    Resumed,
    RevoteOpened,
    SpeedChanged,
    Stage,
    Started,
    Status,
    Step,
)
from quizzes.model import Bank, Question

log = logging.getLogger(__name__)

Action = Callable[[LiveSession], Step]
Ack = Callable[[str], Awaitable[object]]

_REFUSALS = {
    Refusal.ALREADY: texts.LIVE_TOAST_ALREADY,
    Refusal.CLOSED: texts.LIVE_TOAST_CLOSED,
    Refusal.PAUSED: texts.LIVE_TOAST_PAUSED,
    Refusal.DISCUSSING: texts.LIVE_TOAST_DISCUSSING,
}


def runtime(app: QuizApp) -> LiveRuntime:
    return app.bot_data.live


def _now(app: QuizApp) -> datetime:
    return app.bot_data.clock()


# --- talking to the group --------------------------------------------------------------------


def _tolerate(error: BadRequest, chat_id: int, message_id: int | None) -> None:
    """Edits that change nothing, or hit a message someone deleted, must not stop a session."""
    said = error.message.lower()
    if "not modified" in said:
        return
    if "not found" in said or "can't be edited" in said:
        log.warning("live message %s in chat %s: %s", message_id, chat_id, error.message)
        return
    raise error


async def _edit(
    app: QuizApp,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    if message_id is None:
        return
    try:
        await app.bot.edit_html(chat_id, message_id, text, markup)
    except BadRequest as error:
        _tolerate(error, chat_id, message_id)


async def _strip(app: QuizApp, chat_id: int, message_id: int | None) -> None:
    if message_id is None:
        return
    try:
        await app.bot.edit_buttons(chat_id, message_id, None)
    except BadRequest as error:
        _tolerate(error, chat_id, message_id)


async def _send(
    app: QuizApp, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> int:
    return await app.bot.send_html(chat_id, text, markup)


# --- showing what happened -------------------------------------------------------------------


async def _show_current(app: QuizApp, bank: Bank, s: LiveSession) -> None:
    """Draw the session's current message again (lobby, open question or reveal)."""
    if s.phase is Phase.LOBBY:
        await _edit(
            app,
            s.chat_id,
            s.message_id,
            live_render.lobby(app.bot_data.fmt, bank, s),
            live_keyboards.lobby(s),
        )
        runtime(app).shown[s.id] = Shown(s.step, len(s.joined), _now(app))
    elif s.phase is Phase.QUESTION and s.stage is Stage.DISCUSS:
        q = bank.question(s.current.question_id)
        await _edit(
            app,
            s.chat_id,
            s.message_id,
            live_render.between_votes(app.bot_data.fmt, s, q, len(s.answered)),
            live_keyboards.discussion(s),
        )
    elif s.phase is Phase.QUESTION:
        q = bank.question(s.current.question_id)
        await _edit(
            app,
            s.chat_id,
            s.message_id,
            live_render.question(app.bot_data.fmt, s, q, len(s.answered)),
            live_keyboards.question(s, q),
        )
        runtime(app).shown[s.id] = Shown(s.step, len(s.answered), _now(app))
    elif s.phase is Phase.REVEAL:
        await _show_reveal(app, bank, s, s.position)


async def _show_question(
    app: QuizApp, bank: Bank, before: LiveSession | None, s: LiveSession
) -> LiveSession:
    if before is not None and (
        before.phase is Phase.REVEAL
        or (before.phase is Phase.QUESTION and before.stage is Stage.DISCUSS)
    ):
        # The previous reveal, or a peer round's discussion message, keeps no controls.
        await _strip(app, s.chat_id, before.message_id)
    q = bank.question(s.current.question_id)
    text, markup = (
        live_render.question(app.bot_data.fmt, s, q, len(s.answered)),
        live_keyboards.question(s, q),
    )
    if s.message_id is None:
        message_id = await _send(app, s.chat_id, text, markup)
        await app.bot_data.repo.set_live_message(s.id, s.step, message_id)
        s = replace(s, message_id=message_id)
    else:
        await _edit(app, s.chat_id, s.message_id, text, markup)
    runtime(app).shown[s.id] = Shown(s.step, len(s.answered), _now(app))
    return s


async def _show_reveal(app: QuizApp, bank: Bank, s: LiveSession, position: int) -> None:
    planned = s.plan[position]
    answers = await app.bot_data.repo.live_answers(s.id, position)
    q = bank.question(planned.question_id)
    article = app.bot_data.articles[bank.article_id]
    text = live_render.closed(
        app.bot_data.fmt, s, position, q, answers, article, runtime(app).rules
    )
    await _edit(app, s.chat_id, s.message_id, text, live_keyboards.reveal(s))


async def _scores(app: QuizApp, s: LiveSession) -> list[live.Standing]:
    """Every participant's standing, from the stored answers to the questions asked so far."""
    return live.standings(await app.bot_data.repo.live_answers(s.id), s.joined, s.asked)


async def _standings(app: QuizApp, s: LiveSession) -> tuple[list[live.Standing], dict[int, str]]:
    rows = await _scores(app, s)
    names = await app.bot_data.repo.student_names(r.user_id for r in rows[: runtime(app).rules.top])
    return rows, names


async def _show_end(app: QuizApp, bank: Bank, before: LiveSession | None, s: LiveSession) -> None:
    if s.status is Status.CANCELLED:
        await _edit(app, s.chat_id, s.message_id, live_render.cancelled(bank), None)
        return
    if before is not None and before.phase is Phase.REVEAL:
        # Stopped during a reveal: draw it again without its controls and "next" line.
        await _show_reveal(app, bank, s, s.position)
    # What was saved when the session ended, so the group sees what /leaderboard will count.
    results = await app.bot_data.repo.live_results(session_id=s.id)
    rows, names = [r.standing() for r in results], {r.user_id: r.name for r in results}
    await _send(
        app,
        s.chat_id,
        live_render.final(app.bot_data.fmt, bank, s, rows, names, runtime(app).rules),
    )


async def _show(
    app: QuizApp, before: LiveSession | None, s: LiveSession, events: tuple[Event, ...]
) -> LiveSession:
    """Turn events into the group's messages. Returns the session with its new message id."""
    bank = app.bot_data.banks[s.bank_id]
    for event in events:
        if isinstance(event, Started):
            if before is not None:
                await _edit(
                    app,
                    s.chat_id,
                    before.message_id,
                    live_render.started(app.bot_data.fmt, bank, s),
                    None,
                )
        elif isinstance(event, SpeedChanged | ResponsesChanged | Paused | Resumed):
            await _show_current(app, bank, s)
        elif isinstance(event, DiscussionOpened | ChoiceOffered | ExplanationOpened):
            await _show_current(app, bank, s)
        elif isinstance(event, QuestionOpened | RevoteOpened):
            s = await _show_question(app, bank, before, s)
        elif isinstance(event, QuestionClosed):
            await _show_reveal(app, bank, s, event.position)
        elif isinstance(event, LeaderboardDue):
            rows, names = await _standings(app, s)
            await _send(
                app,
                s.chat_id,
                live_render.leaderboard(
                    app.bot_data.fmt, s, event.position, rows, names, runtime(app).rules
                ),
            )
        elif isinstance(event, Ended):
            await _show_end(app, bank, before, s)
    return s


def _transient(error: TelegramError) -> bool:
    """A Bot API failure worth trying again later: 5xx, timeouts, the network, 429 after the
    rate limiter's retries (BadRequest is a NetworkError too, but trying again cannot help)."""
    return isinstance(error, NetworkError | RetryAfter) and not isinstance(error, BadRequest)


async def _commit(
    app: QuizApp, before: LiveSession, after: LiveSession, events: tuple[Event, ...]
) -> LiveSession | None:
    """Store a transition (unless someone else made it first), show it, time the next one."""
    repo = app.bot_data.repo
    if after.is_open:
        saved = await repo.save_live(after, before.step)
    else:
        # The scores are stored with the ending itself, before anything is shown.
        rows = await _scores(app, after) if after.status is not Status.CANCELLED else []
        saved = await repo.end_live(after, before.step, rows)
    if not saved:
        return None
    try:
        after = await _show(app, before, after, events)
    except TelegramError as error:
        if not _transient(error):
            raise
        # Stored but not (fully) shown: shown_step stays behind, so the refresh timer (or, for
        # a session that ended, the watch) shows it again, and the session keeps its timing.
        log.warning("live session %s: step %s not shown yet: %s", after.id, after.step, error)
    else:
        await repo.mark_live_shown(after.id, after.step)
    if not after.is_open:
        await review_schedule.after_live(app, after)
    schedule(app, after)
    return after


async def _open_lock(
    app: QuizApp, session_id: int, chat_id: int | None = None
) -> asyncio.Lock | None:
    """The lock of an open session (in `chat_id`), None for any other id: a forged id in a
    button's data must not cost a lock. Whoever takes it reads the session again inside."""
    s = await app.bot_data.repo.get_live(session_id)
    if s is None or not s.is_open or (chat_id is not None and s.chat_id != chat_id):
        return None
    return runtime(app).lock(session_id)


async def drive(
    app: QuizApp, session_id: int, action: Action, step: int | None = None
) -> LiveSession | None:
    """Apply one event to an open session under its lock. None when the session is not open or
    (with `step`) has moved on since the button was drawn."""
    lock = await _open_lock(app, session_id)
    if lock is None:
        return None
    async with lock:
        before = await app.bot_data.repo.get_live(session_id)
        if before is None or not before.is_open or (step is not None and before.step != step):
            return None
        after, events = action(before)
        if not events:
            return before
        return await _commit(app, before, after, events)


# --- what handlers call ----------------------------------------------------------------------


async def open_lobby(
    app: QuizApp, bank: Bank, chat_id: int, teacher_id: int | None, message_id: int
) -> LiveSession | None:
    """Create a session and turn the bank list into its lobby; None if one is already open."""
    now, rules = _now(app), runtime(app).rules
    fresh = live.new_session(bank, chat_id, teacher_id, now, app.bot_data.rng, rules)
    session = await app.bot_data.repo.create_live(replace(fresh, message_id=message_id))
    if session is None:
        return None
    await _show_current(app, bank, session)
    await app.bot_data.repo.mark_live_shown(session.id, session.step)
    schedule(app, session)
    return session


async def join(app: QuizApp, session_id: int, chat_id: int, user_id: int) -> bool | None:
    """Join a student; whether they are new, or None for a session that is not open here."""
    lock = await _open_lock(app, session_id, chat_id)
    if lock is None:
        return None
    async with lock:
        s = await app.bot_data.repo.get_live(session_id)
        if s is None or not s.is_open or s.chat_id != chat_id:
            return None
        position = -1 if s.phase is Phase.LOBBY else s.position
        return await app.bot_data.repo.join_live(s.id, user_id, position, _now(app))


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
            s, q, position, user_id, keys, _now(app), runtime(app).rules, round=round
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
                await _commit(app, s, after, events)
            except BaseException:
                await _settle(toast)
                raise
    error = await _settle(toast)
    if error is not None:
        if not _transient(error):
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
            _now(app),
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
            await _commit(app, s, after, events)
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
    now, rules = _now(app), runtime(app).rules
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


async def group_standings(app: QuizApp, chat_id: int) -> str:
    """/leaderboard: the group's standings over its ended sessions, from the saved scores."""
    repo = app.bot_data.repo
    results = await repo.live_results(chat_id=chat_id)
    rows = live.combine(r.standing() for r in results)
    names = {r.user_id: r.name for r in results}
    sessions = await repo.ended_live_count(chat_id)
    return live_render.standings(app.bot_data.fmt, sessions, rows, names, runtime(app).rules)


# --- timers ----------------------------------------------------------------------------------


def _job_names(session_id: int) -> tuple[str, str]:
    return f"live-deadline-{session_id}", f"live-refresh-{session_id}"


def _remove(app: QuizApp, name: str) -> None:
    job = runtime(app).timers.pop(name, None)
    if job is not None:
        # A deadline job that has fired is gone from the queue already.
        with suppress(JobLookupError):
            job.schedule_removal()


def schedule(app: QuizApp, s: LiveSession) -> None:
    """One run_once job at the session's deadline, one repeating job for its counters."""
    deadline_name, refresh_name = _job_names(s.id)
    _remove(app, deadline_name)
    if not s.is_open:
        _remove(app, refresh_name)
        runtime(app).forget(s.id)
        return
    jobs, timers = app.job_queue, runtime(app).timers
    if s.deadline is not None:
        delay = max(0.0, (s.deadline - _now(app)).total_seconds())
        # However late the job queue wakes up (a busy loop, a wall-clock step), run the job:
        # APScheduler would otherwise drop it after a 1-second grace time.
        late = {"misfire_grace_time": None}
        timers[deadline_name] = jobs.run_once(
            deadline_job, when=delay, data=s.id, name=deadline_name, job_kwargs=late
        )
    if refresh_name not in timers:
        every = runtime(app).rules.refresh_seconds
        timers[refresh_name] = jobs.run_repeating(
            refresh_job, interval=every, first=every, data=s.id, name=refresh_name
        )


async def tick(app: QuizApp, session_id: int) -> LiveSession | None:
    """Act on a session's deadline if it has passed (or on a question everyone answered)."""
    now, rules = _now(app), runtime(app).rules
    return await drive(app, session_id, lambda s: live.tick(s, now, rules))


async def close_due_sessions(app: QuizApp) -> None:
    """Tick every open session: what the deadline jobs do, all at once."""
    for s in await app.bot_data.repo.open_lives():
        await tick(app, s.id)


async def _repair(app: QuizApp, s: LiveSession) -> LiveSession:
    """Show again what a crash (or a failed send) left unshown; edits are idempotent."""
    s = await _show(app, None, s, live.entry_events(s, runtime(app).rules))
    await app.bot_data.repo.mark_live_shown(s.id, s.step)
    return s


async def refresh(app: QuizApp, session_id: int) -> None:
    """The repeating timer: move on if due, repair, then update the lobby or answer counter
    if its number changed (the counter at most once per counter_seconds)."""
    await tick(app, session_id)
    rules = runtime(app).rules
    lock = await _open_lock(app, session_id)
    if lock is None:
        return
    async with lock:
        s = await app.bot_data.repo.get_live(session_id)
        if s is None or not s.is_open or s.paused:
            return
        if s.shown_step < s.step:
            await _repair(app, s)
            return
        # The timer paces these edits; the margin absorbs its jitter (half a period).
        if s.phase is Phase.LOBBY:
            count, minimum = len(s.joined), rules.refresh_seconds / 2
        elif s.accepting:
            count, minimum = len(s.answered), rules.counter_seconds - rules.refresh_seconds / 2
        else:
            return  # a reveal, or a peer round's discussion: nothing counts up
        shown = runtime(app).shown.get(s.id)
        if shown is not None and shown.step != s.step:
            shown = None
        if live.refresh_due(
            shown.count if shown else None, shown.at if shown else None, count, _now(app), minimum
        ):
            await _show_current(app, app.bot_data.banks[s.bank_id], s)


async def run_timers(app: QuizApp) -> None:
    """Everything the timers of every open session would do now (tests call this after moving
    a fake clock; production gets it from the job queue)."""
    for s in await app.bot_data.repo.open_lives():
        await refresh(app, s.id)
    await show_ended(app)


async def _show_ended(app: QuizApp, session_id: int) -> None:
    """Show again the end of a session whose last messages did not all go out (a timeout, a
    crash): until they have, or until it is clear that they never can."""
    repo = app.bot_data.repo
    async with runtime(app).lock(session_id):
        s = await repo.get_live(session_id)
        if s is None or s.is_open or s.shown_step >= s.step:
            return
        if s.status is not Status.CANCELLED:
            # For sessions that ended before the scores were stored with the ending.
            await repo.save_live_scores(s.id, await _scores(app, s))
        if s.bank_id in app.bot_data.banks:
            try:
                await _repair(app, s)
                return
            except TelegramError as error:
                if _transient(error):
                    log.warning("live session %s: end not shown yet: %s", s.id, error)
                    return
                log.warning("live session %s: its end cannot be shown: %s", s.id, error)
        await repo.mark_live_shown(s.id, s.step)  # never to be tried again


async def show_ended(app: QuizApp) -> None:
    """Every ended session whose end is not shown yet: what the watch and a restart do."""
    for session_id in await app.bot_data.repo.unshown_ended_lives():
        await _show_ended(app, session_id)


async def _abandon(app: QuizApp, session_id: int) -> None:
    """The bot can no longer post in the group: end the session quietly, keeping its scores."""
    async with runtime(app).lock(session_id):
        s = await app.bot_data.repo.get_live(session_id)
        if s is None or not s.is_open:
            return
        ended, _ = live.abandon(s, _now(app))  # its events: nowhere left to show them
        rows = await _scores(app, ended) if ended.status is Status.STOPPED else []
        if await app.bot_data.repo.end_live(ended, s.step, rows):
            # Nothing can be shown there any more: the watch must not try.
            await app.bot_data.repo.mark_live_shown(s.id, ended.step)
            schedule(app, ended)


async def _guarded(
    app: QuizApp, session_id: int, work: Callable[[QuizApp, int], Awaitable[object]]
) -> None:
    try:
        await work(app, session_id)
    except Forbidden as error:
        log.warning("live session %s: cannot post in its group (%s); ending it", session_id, error)
        await _abandon(app, session_id)


async def deadline_job(context: QuizContext) -> None:
    """Job: a session's deadline has come. The firing is only a wake-up: the stored deadline and
    the bot's clock decide, and if time is still left (the job queue and the bot's clock
    disagree), the job is set again for what is left."""
    app, session_id = context.application, context.job.data
    await _guarded(app, session_id, tick)
    if (s := await app.bot_data.repo.get_live(session_id)) is None or not s.is_open:
        return
    async with runtime(app).lock(session_id):
        s = await app.bot_data.repo.get_live(session_id)
        if s is not None and s.is_open:
            schedule(app, s)


async def refresh_job(context: QuizContext) -> None:
    """Job: a session's periodic counter refresh (and a safety net for missed deadlines)."""
    await _guarded(context.application, context.job.data, refresh)


# --- startup ---------------------------------------------------------------------------------


async def _catch_up(app: QuizApp, session_id: int) -> None:
    """Show what a crash left unshown, then act on a deadline that passed meanwhile."""
    async with runtime(app).lock(session_id):
        s = await app.bot_data.repo.get_live(session_id)
        if s is not None and s.shown_step < s.step:
            await _repair(app, s)
    await tick(app, session_id)


async def resume(app: QuizApp) -> None:
    """After a restart: show again what was left unshown, act on deadlines that passed while
    the bot was down (a question whose time ran out is revealed at once), and reschedule; then
    show the end of sessions that ended without it."""
    for s in await app.bot_data.repo.open_lives():
        if s.bank_id not in app.bot_data.banks:
            log.warning("live session %s: bank %r is no longer loaded; ending it", s.id, s.bank_id)
            await _abandon(app, s.id)
            continue
        try:
            # One group the bot can no longer post in (or a network blip) must not stop the bot
            # from starting: that session ends, or its timer shows it later.
            await _guarded(app, s.id, _catch_up)
        except TelegramError as error:
            if not _transient(error):
                raise
            log.warning("live session %s: not shown on startup (%s); its timer will", s.id, error)
        now_open = await app.bot_data.repo.get_live(s.id)
        if now_open is not None and now_open.is_open:
            schedule(app, now_open)
    await show_ended(app)


async def _watch(app: QuizApp) -> None:
    """While the application runs: every refresh period, the timers' work for every open
    session that is due (its deadline passed by the bot's clock) or left unshown. The job
    queue dates its jobs by the wall clock, so a step back of the wall clock delays them by
    the step (an hour's step: an hour); this loop sleeps on the event loop's monotonic clock
    instead. When the jobs run on time it finds nothing due, and a transition both make
    happens once (the stored step guards it). It also shows the end of sessions that ended
    without it: they have no jobs left."""
    while True:
        await asyncio.sleep(runtime(app).rules.refresh_seconds)
        if not app.running:
            continue
        try:
            now = _now(app)
            for s in await app.bot_data.repo.open_lives():
                if s.shown_step < s.step or (s.deadline is not None and now >= s.deadline):
                    await _guarded(app, s.id, refresh)
            await show_ended(app)
        except Exception:
            # A safety net must outlive what it catches (a locked database, the network).
            log.exception("live timers' watch failed; trying again next period")


def start_watch(app: QuizApp) -> None:
    """Start the watch (again): it reads the refresh period when it wakes up."""
    if runtime(app).watch is not None:
        runtime(app).watch.cancel()
    runtime(app).watch = asyncio.get_running_loop().create_task(_watch(app), name="live-watch")


async def setup(app: QuizApp) -> None:
    """post_init: every open session resumed and watched."""
    await resume(app)
    start_watch(app)


async def teardown(app: QuizApp) -> None:
    """post_shutdown: stop the watch."""
    task, runtime(app).watch = runtime(app).watch, None
    if task is not None:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
