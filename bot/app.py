"""Wiring: build_application() registers every handler; production and tests both call it."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import buttons, classes, commands, review_delivery
from bot.api import make_bot
from bot.buttons import Where
from bot.clock import SteadyClock
from bot.commands import Menu
from bot.config import Config
from bot.context import QuizApp, QuizContext, Services
from bot.errors import on_error
from bot.formatting import Formatter
from bot.handlers import articles as article_handlers
from bot.handlers import (
    general,
    homework,
    privacy,
    private_peer,
    private_quiz,
    reports,
    review,
    typed_answers,
)
from bot.handlers import live as live_handlers
from bot.handlers.common import button
from bot.live.api import setup as setup_live
from bot.live.api import teardown as teardown_live
from bot.ratelimit import TelegramLimiter
from bot.routing import ANYWHERE, GROUP, PRIVATE, ButtonRouter
from bot.updates import PerUserUpdateProcessor, UpdateQueue
from quizzes.article import Article
from quizzes.errors import StaleAction
from quizzes.library import load_library
from quizzes.model import Bank
from storage.lease import Lease
from storage.repository import Repository

log = logging.getLogger(__name__)

# What a student may send instead of typing an answer in a private chat.
MEDIA = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
    | filters.Dice.ALL
    | filters.POLL
)
DEFAULT = object()


def load_content(config: Config) -> tuple[dict[str, Article], dict[str, Bank]]:
    """Load and validate every bank and its articles; raise BankError listing all problems."""
    library = load_library(config.folders)
    return library.articles, {b.id: b for b in library.banks}


async def post_init(application: QuizApp) -> None:
    """Take the lease (a standby waits here, before polling starts), open storage, publish the
    Arabic command menus, resume open sessions."""
    services = application.bot_data
    await services.lease.acquire()
    applied = await services.repo.open()
    if applied:
        log.info("database %s: applied migrations %s", services.repo.store.name, ", ".join(applied))
    for menu in (Menu.GROUPS, Menu.PRIVATE):
        await application.bot.set_my_commands(commands.menu(menu), scope=commands.SCOPES[menu])
    # Live sessions: open sessions resumed from SQLite.
    await setup_live(application)
    review_delivery.setup(application)


async def post_shutdown(application: QuizApp) -> None:
    await teardown_live(application)
    await application.bot_data.repo.close()
    # Last: the standby takes over once every write of this process is committed.
    await application.bot_data.lease.release()


@button
async def stale_button(update: Update, context: QuizContext) -> None:
    """Any button no handler claims (an older version's, or forged) gets the stale notice."""
    raise StaleAction(update.callback_query.data or "")


# Every button kind's handler (the kinds, and where their buttons are valid: bot/buttons.py).
# Buttons of any other kind, and buttons pressed anywhere else, get the stale notice.
PLACES = {
    Where.PRIVATE: PRIVATE,
    Where.GROUP: GROUP,
    Where.ANYWHERE: ANYWHERE,
    Where.SESSION: live_handlers.ON_SESSION_MESSAGE,
}
BUTTONS = (
    (buttons.QUIZ_BANK, private_quiz.choose_bank),
    (buttons.QUIZ_ANSWER, private_quiz.answer),
    (buttons.QUIZ_TOGGLE, private_quiz.toggle_option),
    (buttons.QUIZ_CONFIRM, private_quiz.confirm),
    (buttons.QUIZ_NEXT, private_quiz.next_question),
    (buttons.QUIZ_RETRY, private_quiz.retry_missed),
    (buttons.QUIZ_MENU, private_quiz.show_menu),
    (buttons.QUIZ_RESUME, private_quiz.resume),
    (buttons.LIVE_BANK, live_handlers.choose_bank),
    (buttons.LIVE_JOIN, live_handlers.join),
    (buttons.LIVE_ANSWER, live_handlers.answer),
    (buttons.LIVE_SELECT, live_handlers.toggle),
    (buttons.LIVE_CONFIRM, live_handlers.confirm),
    (buttons.LIVE_CONTROL, live_handlers.control),
    (buttons.LIVE_REVOTE, live_handlers.revote),
    (buttons.PEER_FIRST, private_peer.first_vote),
    (buttons.PEER_SECOND, private_peer.second_vote),
    (buttons.HOMEWORK_PENDING, homework.pending),
    (buttons.EXPORT_CLASS, reports.export_pick),
    (buttons.REPORT_CLASS, reports.report_pick),
    (buttons.FORGET, privacy.confirm),
    (buttons.ARTICLE, article_handlers.choose),
    (buttons.REVIEW_WINDOW, review.choose_window),
    (buttons.REVIEW_START, review.start),
    (buttons.REVIEW_ANSWER, review.option_pressed),
)


def register(application: QuizApp) -> None:
    """Every handler, in one list. Order matters: specific filters first, fallbacks last."""
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            # Presses first: they are most of the traffic, and no other handler takes them.
            CallbackQueryHandler(ButtonRouter(BUTTONS, PLACES, fallback=stale_button)),
            # Every command, from the table (bot/commands.py). The message handlers below take
            # no commands but the fallback's, so the commands stay theirs.
            *commands.handlers(),
            # Live typed answers (group side): replies in groups (new messages only: an edited
            # reply must not answer again).
            MessageHandler(
                groups & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND,
                live_handlers.reply,
            ),
            # Discussion, private side: typed answers and the notice for media. New messages
            # only: an edited message must not re-answer.
            MessageHandler(
                private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                typed_answers.text_message,
            ),
            MessageHandler(private & filters.UpdateType.MESSAGE & MEDIA, typed_answers.not_text),
            # Spaced review: the answers to its quiz polls.
            PollAnswerHandler(review.poll_answer),
            # The fallback last: only one handler per group runs, so it sees what none claimed.
            MessageHandler(filters.COMMAND & private, general.unknown_command),
        ]
    )
    # Class rosters (teachers: homework, exports, reports): every group message or press is
    # seen here first, whatever handles it.
    application.add_handler(TypeHandler(Update, classes.note_member), group=-1)
    application.add_error_handler(on_error)


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter | None | object = DEFAULT,
    clock: Callable[[], datetime] | None = None,
    rng: random.Random | None = None,
    per_user_concurrency: bool = True,
    lease: Lease | None = None,
) -> QuizApp:
    """Build the bot: content loaded and validated, services attached, handlers registered."""
    articles, banks = load_content(config)
    limiter = TelegramLimiter(max_retries=3) if rate_limiter is DEFAULT else rate_limiter
    builder = (
        ApplicationBuilder()
        .bot(make_bot(config, request, limiter))
        .context_types(ContextTypes(context=QuizContext, bot_data=Services))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .update_queue(UpdateQueue())
    )
    if per_user_concurrency:
        builder = builder.concurrent_updates(PerUserUpdateProcessor())
    application = builder.build()
    services: Services = application.bot_data
    services.config = config
    services.articles = articles
    services.banks = banks
    services.repo = Repository(
        config.database, synchronous=config.synchronous, bot_id=config.bot_id
    )
    # Steady by default: a wall-clock step while running moves no deadline (bot/clock.py).
    services.clock = clock or SteadyClock()
    services.rng = rng or random.Random()
    services.fmt = Formatter(config.digits)
    if lease is not None:  # `quizbot run`'s; tests that need none run without one
        services.lease = lease
    register(application)
    return application
