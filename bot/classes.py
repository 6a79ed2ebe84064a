"""Classes (group chats) for the teacher features: the roster, who teaches what, private delivery.

A class roster is whoever the bot has seen in the group: it sees commands and button presses
(live-session joins and answers), and with privacy mode off every message. Recording costs no
Bot API call (a class of thirty joining a session must not cost thirty getChatMember calls);
teachers are left out when a roster is read, with one getChatAdministrators call.

A district runs several bots on one database; each bot is in its own groups only. A teacher's
list of classes is Telegram's answer for this bot's groups and, for the others, the teacher mark
written by the bot that serves them (storage/reports.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Chat, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import dates
from bot.context import QuizContext
from bot.handlers.common import remember
from bot.teachers import admin_status
from quizzes.analysis import Member
from quizzes.classes import ClassInfo

log = logging.getLogger(__name__)
GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})
GONE = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})
# chat_data key: user ids already recorded since this process started. A memo of what this
# process wrote: on a shared database it is checked against the roster row before it is trusted.
SEEN = "members_seen"


async def note_member(update: Update, context: QuizContext) -> None:
    """Record the sender of a group message or press on the class roster (once per process)."""
    chat, user = update.effective_chat, update.effective_user
    if update.message is None and update.callback_query is None:
        return  # membership changes and the like: not a sign of taking part in the class
    if chat is None or chat.type not in GROUP_TYPES or user is None or user.is_bot:
        return
    seen: set[int] = context.chat_data.setdefault(SEEN, set())
    if user.id in seen and not (
        # Another bot may have forgotten them since (/forgetme deletes their roster rows).
        context.repo.shared and not await context.repo.is_member(chat.id, user.id)
    ):
        return
    # Only what is known without asking Telegram; admins are filtered out when read.
    teacher = (
        user.id in context.config.teacher_ids
        or context.bot_data.admin_cache.get(chat.id, user.id) is True
    )
    await remember(update, context)
    await context.repo.note_member(chat.id, user.id, context.now(), teacher=teacher)
    seen.add(user.id)


async def teacher_ids(context: QuizContext, chat_id: int) -> set[int]:
    """Configured teachers and the group's administrators (one API call; only the configured
    ones if it fails, as for a group this bot is not in)."""
    found = set(context.config.teacher_ids)
    try:
        found |= {m.user.id for m in await context.bot.get_chat_administrators(chat_id)}
    except TelegramError as error:
        log.warning("getChatAdministrators failed for chat %s: %s", chat_id, error)
        return found
    # Every administrator is known now: whoever is marked a teacher here and is not one any
    # longer loses the mark the district's other bots trust, whether or not they ask again.
    await context.repo.keep_teacher_marks(chat_id, found)
    return found


async def class_roster(context: QuizContext, chat_id: int) -> list[Member]:
    """The students of a class: the recorded roster without its teachers."""
    teachers = await teacher_ids(context, chat_id)
    return [m for m in await context.repo.roster(chat_id) if m.user_id not in teachers]


def forget_seen(context: QuizContext, user_id: int) -> None:
    """After /forgetme: the next time they are seen in a group, they are recorded afresh."""
    for data in context.application.chat_data.values():
        data.get(SEEN, set()).discard(user_id)


def class_chat(info: ClassInfo) -> Chat:
    """A Chat object for a stored class, enough for a teacher check."""
    return Chat(id=info.chat_id, type=info.type, title=info.title)


async def _teaches(
    context: QuizContext, info: ClassInfo, user: User, marks: Callable[[], Awaitable[set[int]]]
) -> bool:
    """Whether `user` teaches the class: Telegram's answer where this bot serves it (and the
    configured teachers); where it does not, only `user`'s own mark, written by the bot that
    serves the class (bot/teachers.py), never anybody else's."""
    status = await admin_status(context, class_chat(info), user)
    if status is None:
        return info.chat_id in await marks()
    return status or user.id in context.config.teacher_ids


def _marks_of(context: QuizContext, user: User) -> Callable[[], Awaitable[set[int]]]:
    """The user's teacher marks, read at most once and only if a class needs them."""
    found: list[set[int]] = []

    async def marks() -> set[int]:
        if not found:
            found.append(await context.repo.teacher_marks(user.id))
        return found[0]

    return marks


async def teacher_classes(context: QuizContext, user: User) -> list[ClassInfo]:
    """The district's classes where `user` is a teacher: those this bot serves by Telegram's
    answer (or the configured list), the others by the mark their own bot wrote for `user`.

    A mark lasts until the bot serving the class hears from Telegram that `user` is no longer
    an admin: when it checks `user` (a teacher command or button, at most every few minutes per
    person, bot/admin_cache.py), or reads the group's administrators for a roster (/stats,
    homework). It also goes when the user forgets their data. A mark does not expire by age:
    a class whose bot left it, or where nobody uses the bot, keeps its last marks.
    """
    marks = _marks_of(context, user)
    return [
        info
        for info in await context.repo.known_classes()
        if await _teaches(context, info, user, marks)
    ]


async def teaches(context: QuizContext, chat_id: int, user: User) -> ClassInfo | None:
    """The class `chat_id` if `user` teaches it; None otherwise (unknown or not theirs)."""
    info = await context.repo.get_class(chat_id)
    if info is None or not await _teaches(context, info, user, _marks_of(context, user)):
        return None
    return info


async def still_member(context: QuizContext, chat_id: int, user_id: int) -> bool:
    """False only when Telegram says the user left or was removed from the group."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as error:
        log.warning("getChatMember %s/%s failed: %s", chat_id, user_id, error)
        return True
    return member.status not in GONE


def bot_link(context: QuizContext, payload: str | None = None) -> str:
    """The bot's t.me link, with a start payload when given (a deep link)."""
    base = f"https://t.me/{context.bot.username}"
    return f"{base}?start={payload}" if payload else base


async def send_private(context: QuizContext, send: Callable[[], Awaitable[object]]) -> bool:
    """Run a send to a teacher's private chat; False if they never started the bot there."""
    try:
        await send()
    except Forbidden as error:
        log.info("private message refused: %s", error)
        return False
    except BadRequest as error:
        if "chat not found" not in error.message.lower():
            raise
        log.info("private chat not found: %s", error)
        return False
    return True


def show_date(context: QuizContext, moment: datetime) -> str:
    """A date and time in the teachers' zone and the digit style, kept left to right."""
    return dates.shown(context.fmt, moment, context.config.tz)
