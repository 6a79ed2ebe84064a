"""Wiring: build_application() registers every handler; production and tests both call it."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import classes, keyboards, live_keyboards, teacher_keyboards, texts
from bot.api import make_bot
from bot.clock import SteadyClock
from bot.config import Config
from bot.context import QuizApp, QuizContext, Services
from bot.errors import on_error
from bot.handlers import ask as ask_handlers
from bot.handlers import (
    general,
    homework,
    privacy,
    private_peer,
    private_quiz,
    reports,
    typed_answers,
)
from bot.handlers import live as live_handlers
from bot.handlers.common import button
from bot.live_engine import setup as setup_live
from bot.live_engine import teardown as teardown_live
from bot.routing import GROUP, PRIVATE, ButtonRouter
from bot.updates import PerUserUpdateProcessor, UpdateQueue
from quizzes.article import Article
from quizzes.errors import StaleAction
from quizzes.library import load_library
from quizzes.model import Bank
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
    """Open storage and publish the Arabic command menu."""
    services = application.bot_data
    applied = await services.repo.open()
    if applied:
        log.info("database %s: applied migrations %s", services.repo.path, ", ".join(applied))
    # Live sessions: the group command menu, then open sessions resumed from SQLite.
    await setup_live(application)
    await application.bot.set_my_commands(
        [BotCommand(c, d) for c, d in texts.PRIVATE_COMMANDS.items()],
        scope=BotCommandScopeAllPrivateChats(),
    )


async def post_shutdown(application: QuizApp) -> None:
    await teardown_live(application)
    await application.bot_data.repo.close()


@button
async def stale_button(update: Update, context: QuizContext) -> None:
    """Any button no handler claims (an older version's, or forged) gets the stale notice."""
    raise StaleAction(update.callback_query.data or "")


async def private_only(update: Update, context: QuizContext) -> None:
    """Personal commands stay out of groups, so nobody's results are shown to the class."""
    await update.effective_message.reply_text(texts.PRIVATE_ONLY)


# Every button kind, its handler and where its buttons are valid (bot/routing.py): private
# quizzes, live sessions, private peer rounds, teachers. Buttons of any other kind, and buttons
# pressed anywhere else, get the stale notice.
LIVE = live_handlers.ON_SESSION_MESSAGE
BUTTONS = (
    (keyboards.BANK, private_quiz.choose_bank, PRIVATE),
    (keyboards.ANSWER, private_quiz.answer, PRIVATE),
    (keyboards.TOGGLE, private_quiz.toggle_option, PRIVATE),
    (keyboards.CONFIRM, private_quiz.confirm, PRIVATE),
    (keyboards.NEXT, private_quiz.next_question, PRIVATE),
    (keyboards.RETRY, private_quiz.retry_missed, PRIVATE),
    (keyboards.MENU, private_quiz.show_menu, PRIVATE),
    (keyboards.RESUME, private_quiz.resume, PRIVATE),
    # The bank list of /quiz is not stored: a bank button is valid in any group, and opens a
    # lobby only where no session is open.
    (live_keyboards.BANK, live_handlers.choose_bank, GROUP),
    (live_keyboards.JOIN, live_handlers.join, LIVE),
    (live_keyboards.ANSWER, live_handlers.answer, LIVE),
    (live_keyboards.SELECT, live_handlers.toggle, LIVE),
    (live_keyboards.CONFIRM, live_handlers.confirm, LIVE),
    (live_keyboards.CONTROL, live_handlers.control, LIVE),
    (live_keyboards.REVOTE, live_handlers.revote, LIVE),
    (keyboards.PEER_FIRST, private_peer.first_vote, PRIVATE),
    (keyboards.PEER_SECOND, private_peer.second_vote, PRIVATE),
    # Under a homework post in its group (the handler checks that it is the homework's group).
    (teacher_keyboards.HOMEWORK_PENDING, homework.pending, GROUP),
    (teacher_keyboards.EXPORT_CLASS, reports.export_pick, PRIVATE),
    (teacher_keyboards.REPORT_CLASS, reports.report_pick, PRIVATE),
    (teacher_keyboards.FORGET, privacy.confirm, PRIVATE),
)


def register(application: QuizApp) -> None:
    """Every handler, in one list. Order matters: specific filters first, fallbacks last."""
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            # Presses first: they are most of the traffic, and no other handler takes them.
            CallbackQueryHandler(ButtonRouter(BUTTONS, fallback=stale_button)),
            # A homework deep link (/start hw-…) before the plain /start (issue 5).
            CommandHandler(
                "start", homework.open_link, private & filters.Regex(homework.START_PATTERN)
            ),
            CommandHandler("start", general.start, private),
            CommandHandler("help", general.help_command),
            CommandHandler("article", general.article),
            CommandHandler("score", general.score, private),
            CommandHandler("cancel", general.cancel, private),
            CommandHandler(["start", "score", "cancel"], private_only, groups),
            # Live group sessions (bot/handlers/live.py).
            CommandHandler("quiz", live_handlers.quiz, groups),
            CommandHandler("leaderboard", live_handlers.leaderboard, groups),
            CommandHandler(["quiz", "leaderboard"], live_handlers.group_only, private),
            # Live typed answers (issue 4, group side): replies in groups (new messages only: an
            # edited reply must not answer again; commands fall through to their handlers).
            MessageHandler(
                groups & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND,
                live_handlers.reply,
            ),
            # Discussion (issue 4), private side: /ask anywhere, then typed answers and the
            # notice for media. New messages only: an edited message must not re-answer. Before
            # the fallbacks, so commands stay theirs.
            CommandHandler("ask", ask_handlers.ask),
            MessageHandler(
                private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                typed_answers.text_message,
            ),
            MessageHandler(private & filters.UpdateType.MESSAGE & MEDIA, typed_answers.not_text),
            # Teachers (issue 5): homework links, exports, charts, statistics; /forgetme. The
            # roster is recorded by classes.note_member in group -1, below.
            CommandHandler("homework", homework.post_homework, groups),
            CommandHandler("homework", homework.group_only, private),
            CommandHandler("export", reports.export_command),
            CommandHandler("report", reports.report_command),
            CommandHandler("stats", reports.stats_command),
            CommandHandler("forgetme", privacy.forgetme, private),
            CommandHandler("forgetme", private_only, groups),
            # The fallback last: only one handler per group runs, so it sees what none claimed.
            MessageHandler(filters.COMMAND & private, general.unknown_command),
        ]
    )
    # Class rosters: every group message or press is seen here first, whatever handles it.
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
) -> QuizApp:
    """Build the bot: content loaded and validated, services attached, handlers registered."""
    articles, banks = load_content(config)
    texts.set_digit_style(config.digits)
    limiter = AIORateLimiter(max_retries=3) if rate_limiter is DEFAULT else rate_limiter
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
    services.article = next(iter(articles.values()))
    services.banks = banks
    services.repo = Repository(config.db_path, synchronous=config.synchronous)
    # Steady by default: a wall-clock step while running moves no deadline (bot/clock.py).
    services.clock = clock or SteadyClock()
    services.rng = rng or random.Random()
    register(application)
    return application
