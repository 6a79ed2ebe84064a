"""Turns a session's events into the group's messages.

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

import logging
from dataclasses import replace

from bot.context import QuizApp
from bot.live import keyboards as live_keyboards
from bot.live import render as live_render
from bot.live.outbox import edit, send, strip_buttons
from bot.live.runtime import Shown, current_time, runtime
from quizzes import live
from quizzes.live import (
    ChoiceOffered,
    DiscussionOpened,
    Ended,
    Event,
    ExplanationOpened,
    LeaderboardDue,
    LiveSession,
    Paused,
    Phase,
    QuestionClosed,
    QuestionOpened,
    ResponsesChanged,
    Resumed,
    RevoteOpened,
    SpeedChanged,
    Stage,
    Started,
    Status,
)
from quizzes.model import Bank

log = logging.getLogger(__name__)


async def show_current(app: QuizApp, bank: Bank, s: LiveSession) -> None:
    """Draw the session's current message again (lobby, open question or reveal)."""
    if s.phase is Phase.LOBBY:
        await edit(
            app,
            s.chat_id,
            s.message_id,
            live_render.lobby(app.bot_data.fmt, bank, s),
            live_keyboards.lobby(s),
        )
        runtime(app).shown[s.id] = Shown(s.step, len(s.joined), current_time(app))
    elif s.phase is Phase.QUESTION and s.stage is Stage.DISCUSS:
        q = bank.question(s.current.question_id)
        await edit(
            app,
            s.chat_id,
            s.message_id,
            live_render.between_votes(app.bot_data.fmt, s, q, len(s.answered)),
            live_keyboards.discussion(s),
        )
    elif s.phase is Phase.QUESTION:
        q = bank.question(s.current.question_id)
        await edit(
            app,
            s.chat_id,
            s.message_id,
            live_render.question(app.bot_data.fmt, s, q, len(s.answered)),
            live_keyboards.question(s, q),
        )
        runtime(app).shown[s.id] = Shown(s.step, len(s.answered), current_time(app))
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
        await strip_buttons(app, s.chat_id, before.message_id)
    q = bank.question(s.current.question_id)
    text, markup = (
        live_render.question(app.bot_data.fmt, s, q, len(s.answered)),
        live_keyboards.question(s, q),
    )
    if s.message_id is None:
        message_id = await send(app, s.chat_id, text, markup)
        await app.bot_data.repo.set_live_message(s.id, s.step, message_id)
        s = replace(s, message_id=message_id)
    else:
        await edit(app, s.chat_id, s.message_id, text, markup)
    runtime(app).shown[s.id] = Shown(s.step, len(s.answered), current_time(app))
    return s


async def _show_reveal(app: QuizApp, bank: Bank, s: LiveSession, position: int) -> None:
    planned = s.plan[position]
    answers = await app.bot_data.repo.live_answers(s.id, position)
    q = bank.question(planned.question_id)
    article = app.bot_data.articles[bank.article_id]
    text = live_render.closed(
        app.bot_data.fmt, s, position, q, answers, article, runtime(app).rules
    )
    await edit(app, s.chat_id, s.message_id, text, live_keyboards.reveal(s))


async def scores(app: QuizApp, s: LiveSession) -> list[live.Standing]:
    """Every participant's standing, from the stored answers to the questions asked so far."""
    return live.standings(await app.bot_data.repo.live_answers(s.id), s.joined, s.asked)


async def _standings(app: QuizApp, s: LiveSession) -> tuple[list[live.Standing], dict[int, str]]:
    rows = await scores(app, s)
    names = await app.bot_data.repo.student_names(r.user_id for r in rows[: runtime(app).rules.top])
    return rows, names


async def _show_end(app: QuizApp, bank: Bank, before: LiveSession | None, s: LiveSession) -> None:
    if s.status is Status.CANCELLED:
        await edit(app, s.chat_id, s.message_id, live_render.cancelled(bank), None)
        return
    if before is not None and before.phase is Phase.REVEAL:
        # Stopped during a reveal: draw it again without its controls and "next" line.
        await _show_reveal(app, bank, s, s.position)
    # What was saved when the session ended, so the group sees what /leaderboard will count.
    results = await app.bot_data.repo.live_results(session_id=s.id)
    rows, names = [r.standing() for r in results], {r.user_id: r.name for r in results}
    await send(
        app,
        s.chat_id,
        live_render.final(app.bot_data.fmt, bank, s, rows, names, runtime(app).rules),
    )


async def show(
    app: QuizApp, before: LiveSession | None, s: LiveSession, events: tuple[Event, ...]
) -> LiveSession:
    """Turn events into the group's messages. Returns the session with its new message id."""
    bank = app.bot_data.banks[s.bank_id]
    for event in events:
        if isinstance(event, Started):
            if before is not None:
                await edit(
                    app,
                    s.chat_id,
                    before.message_id,
                    live_render.started(app.bot_data.fmt, bank, s),
                    None,
                )
        elif isinstance(event, SpeedChanged | ResponsesChanged | Paused | Resumed):
            await show_current(app, bank, s)
        elif isinstance(event, DiscussionOpened | ChoiceOffered | ExplanationOpened):
            await show_current(app, bank, s)
        elif isinstance(event, QuestionOpened | RevoteOpened):
            s = await _show_question(app, bank, before, s)
        elif isinstance(event, QuestionClosed):
            await _show_reveal(app, bank, s, event.position)
        elif isinstance(event, LeaderboardDue):
            rows, names = await _standings(app, s)
            await send(
                app,
                s.chat_id,
                live_render.leaderboard(
                    app.bot_data.fmt, s, event.position, rows, names, runtime(app).rules
                ),
            )
        elif isinstance(event, Ended):
            await _show_end(app, bank, before, s)
    return s


async def group_standings(app: QuizApp, chat_id: int) -> str:
    """/leaderboard: the group's standings over its ended sessions, from the saved scores."""
    repo = app.bot_data.repo
    results = await repo.live_results(chat_id=chat_id)
    rows = live.combine(r.standing() for r in results)
    names = {r.user_id: r.name for r in results}
    sessions = await repo.ended_live_count(chat_id)
    return live_render.standings(app.bot_data.fmt, sessions, rows, names, runtime(app).rules)
