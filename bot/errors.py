"""The error handler: log the failure with its update, then tell the user one short sentence."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.context import QuizContext

log = logging.getLogger(__name__)


def describe(update: object) -> str:
    """Enough of an update to find it again, without message texts (student privacy)."""
    if not isinstance(update, Update):
        return repr(update)[:200]
    chat = update.effective_chat
    user = update.effective_user
    kind = (
        "callback" if update.callback_query else "message" if update.effective_message else "other"
    )
    return (
        f"update_id={update.update_id} kind={kind} chat={chat.id if chat else None} "
        f"user={user.id if user else None}"
    )


async def on_error(update: object, context: QuizContext) -> None:
    """Log every handler exception, then apologise to the user if we can reach them."""
    if isinstance(context.error, Forbidden):
        # The user blocked the bot (or it left the chat): expected, and nobody to apologise to.
        log.info("cannot reach the chat of %s: %s", describe(update), context.error)
        return
    log.error("handler failed for %s", describe(update), exc_info=context.error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    try:
        # A query the handler already answered cannot carry the apology (QuizBot returns False):
        # in a private chat it comes as a message instead.
        if update.callback_query and (
            await update.callback_query.answer(texts.APOLOGY, show_alert=True)
            or chat is None
            or chat.type != ChatType.PRIVATE
        ):
            return
        if chat is not None:
            await context.bot.send_message(chat.id, texts.APOLOGY)
    except (Forbidden, TelegramError) as error:
        log.warning("could not send the apology for %s: %s", describe(update), error)
