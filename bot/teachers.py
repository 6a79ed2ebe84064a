"""Who is a teacher of a group: listed in QUIZBOT_TEACHER_IDS, or an administrator there.

The configured list answers first; Telegram (getChatMember) is asked only when it does not,
and its answer is cached for a few minutes so a busy class does not cost an API call per press.
When Telegram cannot answer for now (a timeout, a 5xx, the network), nobody is taken for a
teacher: TeacherUnknown is raised, nothing is cached, and the handler asks the user to try again
(bot/handlers/common.py). A definite refusal (the bot left the group, no such user) means "not
a teacher" here; for the list of a teacher's classes, a group this bot is not in is decided by
the mark its own bot wrote (bot/classes.py).
"""

from __future__ import annotations

import logging

from telegram import Chat, Message, User
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import QuizContext

log = logging.getLogger(__name__)
ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})


class TeacherUnknown(Exception):
    """Telegram could not say, for now, whether a user administers a group."""


def _transient(error: TelegramError) -> bool:
    """Worth asking again later: timeouts, 5xx and the network, or a flood wait (BadRequest is
    a NetworkError in PTB, but asking again cannot change its answer)."""
    return isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    )


def is_anonymous_admin(message: Message | None, chat: Chat) -> bool:
    """An anonymous admin posts as the group itself (sender_chat is the group)."""
    return bool(message and message.sender_chat and message.sender_chat.id == chat.id)


async def is_teacher(
    context: QuizContext, chat: Chat, user: User | None, message: Message | None = None
) -> bool:
    """True if `user` may lead sessions in `chat` (a group), or in private if listed; raises
    TeacherUnknown when only Telegram could say and it cannot now."""
    if user is not None and user.id in context.config.teacher_ids:
        return True
    if chat.type == Chat.PRIVATE:
        return False
    if is_anonymous_admin(message, chat):
        return True
    if user is None:
        return False
    return await admin_status(context, chat, user) is True


def _not_in_chat(error: TelegramError) -> bool:
    """Telegram refuses to tell this bot about a group it is not in (another bot's class)."""
    return isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and "chat not found" in error.message.lower()
    )


async def admin_status(context: QuizContext, chat: Chat, user: User) -> bool | None:
    """Whether `user` administers the group `chat`, as Telegram tells this bot (cached); None
    when this bot cannot ask (it is not in the group); raises TeacherUnknown when Telegram
    cannot say for now.

    Each answer from Telegram is also written down as the user's teacher mark for the class
    (set, or cleared: a removed admin loses the mark at this bot's next check), because the
    district's other bots cannot ask about this group and trust that mark instead. A user
    listed in this bot's QUIZBOT_TEACHER_IDS is marked a teacher of every class it serves.
    """
    cache = context.bot_data.admin_cache
    if cache.unreachable(chat.id):
        return None
    cached = cache.get(chat.id, user.id)
    if cached is not None:
        return cached
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as error:
        log.warning("getChatMember failed for chat %s: %s", chat.id, error)
        if _transient(error):
            raise TeacherUnknown(f"chat {chat.id}, user {user.id}") from error
        if _not_in_chat(error):
            cache.put_unreachable(chat.id)
            return None
        return False
    admin = member.status in ADMIN_STATUSES
    cache.put(chat.id, user.id, admin)
    teacher = admin or user.id in context.config.teacher_ids
    await context.repo.mark_teacher(chat.id, user.id, teacher, context.now())
    return admin
