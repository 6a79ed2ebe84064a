"""Homework: a teacher posts a deep link in the class group; students take the bank privately.

The attempt is an ordinary private attempt (the private-quiz buttons drive it) that counts for
the class (attempts.class_chat_id) and belongs to the homework (attempts.homework_id).
"""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode

from bot import bidi, classes, texts
from bot import teacher_keyboards as keyboards
from bot.buttons import HOMEWORK_PENDING, unpack
from bot.context import QuizContext
from bot.handlers.common import button, remember, teacher_command
from bot.handlers.private_quiz import send_question
from bot.teachers import is_teacher
from quizzes.attempt import new_attempt
from quizzes.errors import StaleAction
from quizzes.homework import (
    CODE_PREFIX,
    BadDeadline,
    DeadlineProblem,
    Homework,
    new_code,
    parse_deadline,
    progress,
)

# /start hw-… (the deep link of a homework) goes to open_link, not to the bank menu.
START_PATTERN = rf"^/start(@\w+)?\s+{CODE_PREFIX}"
_DEADLINE_TEXTS = {
    DeadlineProblem.FORMAT: texts.HOMEWORK_BAD_DEADLINE,
    DeadlineProblem.PAST: texts.HOMEWORK_PAST_DEADLINE,
    DeadlineProblem.TOO_FAR: texts.HOMEWORK_FAR_DEADLINE,
}


def _banks_list(context: QuizContext) -> str:
    return texts.LIST_SEPARATOR.join(
        texts.HOMEWORK_BANK_LINE.format(id=b.id, title=bidi.esc(b.title))
        for b in context.banks.values()
    )


def _formats(context: QuizContext) -> str:
    return texts.DEADLINE_FORMATS.format(zone=bidi.latin(context.config.timezone))


def _deadline(context: QuizContext, homework: Homework) -> str:
    if homework.deadline is None:
        return texts.HOMEWORK_NO_DEADLINE
    return texts.HOMEWORK_DEADLINE.format(date=classes.show_date(context, homework.deadline))


@teacher_command
async def post_homework(update: Update, context: QuizContext) -> None:
    """/homework BANK [deadline] in a group: a teacher posts the link to a bank for the class."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if not await is_teacher(context, chat, user, message):
        await message.reply_html(texts.NOT_TEACHER)
        return
    args = context.args or []
    if not args:
        example = next(iter(context.banks))
        await message.reply_html(
            texts.HOMEWORK_USAGE.format(
                example=example, formats=_formats(context), banks=_banks_list(context)
            )
        )
        return
    bank = context.banks.get(args[0].lower())
    if bank is None:
        await message.reply_html(
            texts.HOMEWORK_UNKNOWN_BANK.format(bank=bidi.name(args[0]), banks=_banks_list(context))
        )
        return
    deadline = None
    if len(args) > 1:
        raw = " ".join(args[1:])
        try:
            deadline = parse_deadline(raw, context.now(), context.config.tz)
        except BadDeadline as error:
            await message.reply_html(
                _DEADLINE_TEXTS[error.problem].format(
                    text=bidi.name(raw), formats=_formats(context)
                )
            )
            return
    await remember(update, context)
    homework = await context.repo.create_homework(
        Homework(
            None,
            new_code(),
            chat.id,
            bank.id,
            user.id if user else None,
            context.now(),
            deadline,
            version=bank.version,
        )
    )
    link = classes.bot_link(context, homework.code)
    await message.reply_html(
        texts.HOMEWORK_POSTED.format(
            title=bidi.esc(bank.title),
            questions=context.fmt.count("question", len(bank.questions)),
            deadline=_deadline(context, homework),
            link=bidi.latin(link),
        ),
        reply_markup=keyboards.homework(link, homework.id),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


async def open_link(update: Update, context: QuizContext) -> None:
    """/start hw-… in private: the student takes the homework's bank, counted for the class."""
    message, user = update.effective_message, update.effective_user
    await remember(update, context)
    homework = await context.repo.homework_by_code(context.args[0])
    if homework is None:
        await message.reply_html(texts.HOMEWORK_LINK_UNKNOWN)
        return
    if not homework.is_open(context.now()):
        await message.reply_html(
            texts.HOMEWORK_CLOSED.format(date=classes.show_date(context, homework.deadline))
        )
        return
    info = await context.repo.get_class(homework.chat_id)
    class_title = bidi.name(info.title if info else "")
    bank = context.banks.get(homework.bank_id)
    if bank is None:
        await message.reply_html(texts.HOMEWORK_BANK_GONE)
        return
    tries = await context.repo.homework_attempts(user.id, homework.id)
    if any(status == "finished" for _, status in tries):
        await message.reply_html(texts.HOMEWORK_ALREADY_DONE)
        return
    if not await classes.still_member(context, homework.chat_id, user.id):
        await message.reply_html(texts.HOMEWORK_NOT_MEMBER.format(class_title=class_title))
        return
    await _begin(update, context, homework, bank.id, class_title, tries)


async def _begin(
    update: Update,
    context: QuizContext,
    homework: Homework,
    bank_id: str,
    class_title: str,
    tries: list[tuple[int, str]],
) -> None:
    """Resume the student's running attempt at this homework, or start one."""
    user, chat = update.effective_user, update.effective_chat
    running = next((i for i, status in tries if status == "active"), None)
    attempt = await context.repo.get_attempt(running) if running else None
    if attempt is None or attempt.chat_id != chat.id:
        bank = context.bank(bank_id)
        attempt = await context.repo.start_attempt(
            new_attempt(
                bank,
                user.id,
                chat.id,
                context.now(),
                context.services.rng,
                class_chat_id=homework.chat_id,
            )
        )
        await context.repo.link_homework(attempt.id, homework.id)
        # Opening the link makes the student part of the class roster.
        await context.repo.note_member(homework.chat_id, user.id, context.now())
        await context.bot.send_message(
            chat.id,
            texts.HOMEWORK_STARTED.format(
                class_title=class_title,
                title=bidi.esc(bank.title),
                description=bidi.esc(bank.description),
                questions=context.fmt.count("question", len(bank.questions)),
                deadline=_deadline(context, homework),
            ),
            parse_mode=ParseMode.HTML,
        )
    await send_question(update, context, attempt)


async def status_text(context: QuizContext, homework: Homework) -> str:
    """Who of the class roster has finished a homework, and who has not."""
    roster = await classes.class_roster(context, homework.chat_id)
    split = progress(
        [m.user_id for m in roster], await context.repo.homework_finishers(homework.id)
    )
    names = {m.user_id: m.name for m in roster}
    if not roster:
        pending = texts.HOMEWORK_NO_ROSTER
    elif split.pending:
        pending = texts.HOMEWORK_PENDING.format(
            names="\n".join(texts.NAME_LINE.format(name=bidi.name(names[u])) for u in split.pending)
        )
    else:
        pending = texts.HOMEWORK_ALL_DONE
    info = await context.repo.get_class(homework.chat_id)
    bank = context.banks.get(homework.bank_id)
    return texts.HOMEWORK_STATUS.format(
        title=bidi.esc(bank.title if bank else homework.bank_id),
        class_title=bidi.name(info.title if info else ""),
        deadline=_deadline(context, homework),
        done=context.fmt.num(len(split.done)),
        members=context.fmt.count("student", len(roster)) if roster else context.fmt.num(0),
        pending=pending,
    )


@button
async def pending(update: Update, context: QuizContext) -> None:
    """The teacher's button under a homework post: the not-done list, sent in private."""
    query = update.callback_query
    payload = unpack(query.data, HOMEWORK_PENDING)
    homework = await context.repo.get_homework(payload.int_arg(0))
    if homework is None or homework.chat_id != update.effective_chat.id:
        raise StaleAction(f"homework {payload.args[0]} is not this chat's")
    if not await is_teacher(context, update.effective_chat, query.from_user):
        await query.answer(texts.NOT_TEACHER_BUTTON, show_alert=True)
        return
    text = await status_text(context, homework)
    sent = await classes.send_private(
        context,
        lambda: context.bot.send_message(query.from_user.id, text, parse_mode=ParseMode.HTML),
    )
    await query.answer(
        texts.HOMEWORK_LIST_SENT if sent else texts.HOMEWORK_OPEN_PRIVATE_FIRST, show_alert=not sent
    )


async def group_only(update: Update, context: QuizContext) -> None:
    """/homework in private: it belongs in the class group."""
    await update.effective_message.reply_html(texts.HOMEWORK_GROUP_ONLY)
