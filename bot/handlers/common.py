"""Helpers every handler module shares: remembering people, stale buttons, safe edits."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, InlineKeyboardMarkup, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import texts
from bot.api import QuizBot
from bot.buttons import BadPayload
from bot.context import QuizContext
from bot.teachers import TeacherUnknown
from quizzes.errors import StaleAction, UnknownBank

log = logging.getLogger(__name__)

Handler = Callable[[Update, QuizContext], Awaitable[None]]


def display_name(user: User) -> str:
    return user.full_name.strip() or (user.username or str(user.id))


async def remember(update: Update, context: QuizContext) -> None:
    """Store the sender and the chat, so scores always have a name and a place."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and not user.is_bot:
        await context.repo.save_student(user.id, display_name(user), user.username)
    if chat is not None:
        await context.repo.save_chat(chat.id, chat.type, chat.title)


def button(handler: Handler) -> Handler:
    """For callback-query handlers: a stale, forged or foreign button gets a short notice."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: QuizContext) -> None:
        try:
            await handler(update, context)
        except (StaleAction, BadPayload, UnknownBank) as error:
            log.info("stale button %r: %s", update.callback_query.data, error)
            await update.callback_query.answer(texts.STALE)
        except TeacherUnknown as error:
            log.info("teacher check failed for button %r: %s", update.callback_query.data, error)
            await update.callback_query.answer(texts.TEACHER_CHECK_FAILED)

    return wrapper


def teacher_command(handler: Handler) -> Handler:
    """For commands that ask who is a teacher: when Telegram cannot say, nothing is done and the
    sender is asked to try again."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: QuizContext) -> None:
        try:
            await handler(update, context)
        except TeacherUnknown as error:
            log.info("teacher check failed for a command: %s", error)
            await update.effective_message.reply_text(texts.TEACHER_CHECK_FAILED)

    return wrapper


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed message, ignoring Telegram's 'message is not modified' after a replayed
    press."""
    try:
        if query.message is None:  # too old for Telegram to include: PTB's own path
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        bot: QuizBot = query.get_bot()
        await bot.edit_html(query.message.chat.id, query.message.message_id, text, markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    try:
        if query.message is None:
            await query.edit_message_reply_markup(reply_markup=markup)
            return
        bot: QuizBot = query.get_bot()
        await bot.edit_buttons(query.message.chat.id, query.message.message_id, markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
