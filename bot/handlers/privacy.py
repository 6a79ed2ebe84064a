"""/forgetme: a student deletes their data after a confirmation button.

Their answers stay, without any identity, for the class statistics (storage/reports.py).
"""

from __future__ import annotations

from telegram import Update

from bot import classes, texts
from bot import teacher_keyboards as keyboards
from bot.buttons import FORGET, FORGET_NO, FORGET_YES, BadPayload, unpack
from bot.context import QuizContext
from bot.handlers.common import button, edit


async def forgetme(update: Update, context: QuizContext) -> None:
    """Ask for confirmation before deleting the student's data."""
    await update.effective_message.reply_html(texts.FORGET_CONFIRM, reply_markup=keyboards.forget())


@button
async def confirm(update: Update, context: QuizContext) -> None:
    """The answer to /forgetme: delete (keeping anonymous answers), or keep everything."""
    query = update.callback_query
    choice = unpack(query.data, FORGET).args[0]
    if choice not in (FORGET_YES, FORGET_NO):
        raise BadPayload(query.data)
    await query.answer()
    if choice == FORGET_NO:
        await edit(query, texts.FORGET_KEPT)
        return
    await context.repo.forget_student(query.from_user.id, context.now())
    classes.forget_seen(context, query.from_user.id)
    context.user_data.clear()
    await edit(query, texts.FORGET_DONE)
