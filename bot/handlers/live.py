"""Live group sessions: /quiz and /leaderboard in a group, and the session's buttons.

Thin: ids from the update, a call into bot.live, a text from texts. Every press is
answered privately; the group only sees what the engine posts on its timers and transitions.
Typed answers are replies to the question message; they get no answer at all (see `reply`).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot import bidi, buttons, texts
from bot.context import QuizContext
from bot.handlers.common import button, remember, teacher_command
from bot.live import api as live_engine
from bot.live import keyboards as live_keyboards
from bot.routing import GROUP
from bot.teachers import is_teacher
from quizzes.errors import StaleAction


@teacher_command
async def quiz(update: Update, context: QuizContext) -> None:
    """/quiz in a group: a teacher gets the banks, or hears that a session is running."""
    chat, message = update.effective_chat, update.effective_message
    if not await is_teacher(context, chat, update.effective_user, message):
        await message.reply_text(texts.LIVE_TEACHERS_ONLY)
        return
    await remember(update, context)
    running = await context.repo.open_live_in(chat.id)
    if running is not None:
        title = context.banks[running.bank_id].title if running.bank_id in context.banks else ""
        await message.reply_html(texts.LIVE_ALREADY_RUNNING.format(title=bidi.esc(title)))
        return
    markup = live_keyboards.banks(context.fmt, list(context.banks.values()))
    await message.reply_html(texts.LIVE_CHOOSE_BANK, reply_markup=markup)


@dataclass(frozen=True)
class SessionMessage:
    """The place of a live session's buttons (their first field is the session id): its group,
    on the message the session shows now. A copy pressed on another message, or in another
    group, is stale."""

    name: str = "the message of its live session"

    async def admits(self, update: Update, context: QuizContext) -> bool:
        if not await GROUP.admits(update, context):
            return False
        query = update.callback_query
        fields = (query.data or "").split(":")
        if query.message is None or len(fields) < 2:
            return False
        if not (fields[1].isascii() and fields[1].isdigit()):
            return False
        session_id, message_id = int(fields[1]), query.message.message_id
        s = await context.repo.get_live(session_id)
        if s is None or s.chat_id != update.effective_chat.id:
            return False
        if s.message_id != message_id:
            # A new message may be on its way into the session (sent, its id not yet stored):
            # the transition holds the session's lock until it is.
            async with live_engine.runtime(context.application).lock(session_id):
                s = await context.repo.get_live(session_id)
        return s is not None and s.message_id == message_id


ON_SESSION_MESSAGE = SessionMessage()


async def group_only(update: Update, context: QuizContext) -> None:
    """/quiz or /leaderboard outside a group."""
    await update.effective_message.reply_text(texts.LIVE_GROUP_ONLY)


async def leaderboard(update: Update, context: QuizContext) -> None:
    """/leaderboard in a group: the standings over every ended session of that group."""
    text = await live_engine.group_standings(context.application, update.effective_chat.id)
    await update.effective_message.reply_html(text)


async def _not_teacher(update: Update, context: QuizContext) -> bool:
    """True (after a short private notice) when the presser may not lead sessions here."""
    query = update.callback_query
    if await is_teacher(context, update.effective_chat, query.from_user):
        return False
    await query.answer(texts.LIVE_TEACHERS_ONLY)
    return True


@button
async def choose_bank(update: Update, context: QuizContext) -> None:
    """A teacher picked a bank: the bank list becomes the session's lobby."""
    query = update.callback_query
    bank = context.bank(buttons.unpack(query.data, buttons.LIVE_BANK).args[0])
    if await _not_teacher(update, context):
        return
    await remember(update, context)
    session = await live_engine.open_lobby(
        context.application,
        bank,
        update.effective_chat.id,
        query.from_user.id,
        query.message.message_id,
    )
    await query.answer(None if session else texts.LIVE_ALREADY_RUNNING_TOAST)


@button
async def join(update: Update, context: QuizContext) -> None:
    """A student joins from the lobby; the lobby's count is updated by its timer, not here."""
    query = update.callback_query
    session_id = buttons.unpack(query.data, buttons.LIVE_JOIN).int_arg(0)
    await remember(update, context)
    new = await live_engine.join(
        context.application, session_id, update.effective_chat.id, query.from_user.id
    )
    if new is None:
        raise StaleAction(f"join {session_id}")
    await query.answer(texts.LIVE_TOAST_JOINED if new else texts.LIVE_TOAST_ALREADY_JOINED)


async def _vote(update: Update, context: QuizContext, kind: buttons.Kind, round: int) -> None:
    """Record a press on an option (`round` 1: a peer round's re-vote); always toasted."""
    query = update.callback_query
    payload = buttons.unpack(query.data, kind)
    await remember(update, context)
    await live_engine.press(
        context.application,
        payload.int_arg(0),
        update.effective_chat.id,
        payload.int_arg(1),
        query.from_user.id,
        frozenset({payload.args[2]}),
        ack=query.answer,
        round=round,
    )


@button
async def answer(update: Update, context: QuizContext) -> None:
    """A press on an option: the first one counts, and every press gets a private toast."""
    await _vote(update, context, buttons.LIVE_ANSWER, 0)


@button
async def revote(update: Update, context: QuizContext) -> None:
    """A press in the re-vote of a peer round: the first one of the round counts."""
    await _vote(update, context, buttons.LIVE_REVOTE, 1)


async def reply(update: Update, context: QuizContext) -> None:
    """A reply in a group: the answer to an open typed question when it replies to that
    question's message, otherwise nothing. Never answered in the group, so a class of 40 costs
    no more group messages than a class of 5; refused replies (media, empty, over-long, a
    second reply) are not recorded, and the question's hint says what counts."""
    message, user = update.effective_message, update.effective_user
    if user is None or user.is_bot or message.sender_chat is not None:
        return  # a channel or an anonymous admin posting as the group is not a student
    replied = message.reply_to_message
    chat_id = update.effective_chat.id
    if not await live_engine.awaits_reply(context.application, chat_id, replied.message_id):
        return
    await remember(update, context)
    await live_engine.reply(context.application, chat_id, replied.message_id, user.id, message.text)


@button
async def toggle(update: Update, context: QuizContext) -> None:
    """Tick or untick an option of a multi-select question; only the presser sees it."""
    query = update.callback_query
    payload = buttons.unpack(query.data, buttons.LIVE_SELECT)
    await remember(update, context)
    toast = await live_engine.toggle(
        context.application,
        payload.int_arg(0),
        update.effective_chat.id,
        payload.int_arg(1),
        query.from_user.id,
        payload.args[2],
    )
    await query.answer(toast)


@button
async def confirm(update: Update, context: QuizContext) -> None:
    """Submit the ticked options of a multi-select question."""
    query = update.callback_query
    payload = buttons.unpack(query.data, buttons.LIVE_CONFIRM)
    await remember(update, context)
    await live_engine.confirm(
        context.application,
        payload.int_arg(0),
        update.effective_chat.id,
        payload.int_arg(1),
        query.from_user.id,
        ack=query.answer,
    )


@button
async def control(update: Update, context: QuizContext) -> None:
    """A teacher's control: start, speed points, responses shown, pause, resume, skip, stop."""
    query = update.callback_query
    payload = buttons.unpack(query.data, buttons.LIVE_CONTROL)
    if await _not_teacher(update, context):
        return
    await live_engine.control(
        context.application,
        payload.int_arg(0),
        update.effective_chat.id,
        payload.int_arg(1),
        payload.args[2],
    )
    await query.answer()
