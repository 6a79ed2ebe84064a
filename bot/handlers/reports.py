"""Teachers' /export, /report and /stats, in the class group or in private with a class choice.

Export files always go to the teacher's private chat, never into the group. A chart and the
statistics hold no individual result, so they are sent where the teacher asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Chat, InputFile, Update, User
from telegram.constants import MessageLimit, ParseMode

from bot import charts, classes, dates, exports, review_export, texts
from bot import teacher_keyboards as keyboards
from bot.context import QuizContext
from bot.handlers.common import button, teacher_command
from bot.keyboards import unpack
from bot.teachers import is_teacher
from quizzes.analysis import (
    ClassData,
    class_stats,
    item_analysis,
    latest_session,
    paragraph_stats,
)
from storage.reports import ClassInfo

Action = Callable[[QuizContext, int, ClassInfo], Awaitable[None]]


async def _for_class(update: Update, context: QuizContext, kind: str, action: Action) -> None:
    """Run `action` for the group the command came from, or let a teacher pick in private."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat.type != Chat.PRIVATE:
        if not await is_teacher(context, chat, user, message):
            await message.reply_html(texts.NOT_TEACHER)
            return
        info = await context.repo.get_class(chat.id)
        await action(context, chat.id, info or ClassInfo(chat.id, chat.title or "", chat.type))
        return
    found = await classes.teacher_classes(context, user)
    if not found:
        await message.reply_html(texts.NOT_TEACHER_ANYWHERE)
    elif len(found) == 1:
        await action(context, chat.id, found[0])
    else:
        await message.reply_html(texts.CHOOSE_CLASS, reply_markup=keyboards.classes(kind, found))


async def _picked(update: Update, context: QuizContext, kind: str) -> ClassInfo | None:
    """The class on a pressed class button, if the presser teaches it (else a short notice)."""
    query = update.callback_query
    info = await classes.teaches(context, unpack(query.data, kind, 1).int_arg(0), query.from_user)
    if info is None:
        await query.answer(texts.NOT_TEACHER_BUTTON, show_alert=True)
        return None
    await query.answer()
    return info


async def _data(context: QuizContext, info: ClassInfo) -> ClassData:
    teachers = await classes.teacher_ids(context, info.chat_id)
    return await exports.collect(context.repo, info.chat_id, context.banks, teachers)


# --- /export ---------------------------------------------------------------------------------


async def _send_export(context: QuizContext, user: User, info: ClassInfo) -> bool:
    """Send a class's files to the teacher in private; False if they never started the bot."""
    data = await _data(context, info)
    title = texts.name(info.title)
    if not data.results:
        return await classes.send_private(
            context,
            lambda: context.bot.send_message(
                user.id, texts.EXPORT_EMPTY.format(title=title), parse_mode=ParseMode.HTML
            ),
        )
    files = await asyncio.to_thread(
        exports.export_files, data, context.banks, context.article, context.config.tz
    )
    files += await review_export.files(context.repo, data, context.banks, context.config.tz)
    for index, file in enumerate(files):

        async def send(file: exports.ExportFile = file) -> None:
            await context.bot.send_document(
                user.id,
                InputFile(file.content, filename=file.name),
                caption=file.caption.format(title=title),
                parse_mode=ParseMode.HTML,
            )

        if not await classes.send_private(context, send):
            if index == 0:
                return False
            raise RuntimeError("the private chat closed in the middle of an export")
    return True


@teacher_command
async def export_command(update: Update, context: QuizContext) -> None:
    """/export: a teacher gets the class's CSV and XLSX files in private."""
    user, message = update.effective_user, update.effective_message

    async def action(context: QuizContext, where: int, info: ClassInfo) -> None:
        sent = await _send_export(context, user, info)
        if where != user.id:
            reply = texts.SENT_PRIVATELY if sent else texts.START_BOT_FIRST
            await message.reply_html(reply.format(link=texts.latin(classes.bot_link(context))))

    await _for_class(update, context, keyboards.EXPORT_CLASS, action)


@button
async def export_pick(update: Update, context: QuizContext) -> None:
    """A class button of a private /export."""
    info = await _picked(update, context, keyboards.EXPORT_CLASS)
    if info is not None:
        await _send_export(context, update.callback_query.from_user, info)


# --- /report ---------------------------------------------------------------------------------


async def _send_report(context: QuizContext, where: int, info: ClassInfo) -> None:
    """The chart of the class's latest session or homework, sent to `where`."""
    data = await _data(context, info)
    session = latest_session(data.results)
    if session is None:
        await context.bot.send_message(
            where,
            texts.REPORT_EMPTY.format(title=texts.name(info.title)),
            parse_mode=ParseMode.HTML,
        )
        return
    results = [r for r in data.results if r.session == session]
    answers = [a for a in data.answers if a.result.session == session]
    items = item_analysis(answers, context.banks)
    paragraphs = [p for p in paragraph_stats(items, context.banks) if p.facility is not None]
    bank = context.bank(results[0].bank_id)
    kind = texts.KIND_LABELS[session[0].value]
    when = max(r.date for r in results)
    png = await asyncio.to_thread(
        charts.report_png,
        texts.REPORT_TITLE.format(
            kind=kind, bank=bank.title, date=texts.num(dates.plain(when, context.config.tz))
        ),
        [
            charts.Bar(texts.REPORT_QUESTION_LABEL.format(number=texts.num(i.number)), i.facility)
            for i in items
        ],
        [
            charts.Bar(
                texts.REPORT_PARAGRAPH_LABEL.format(number=texts.num(p.paragraph)), p.facility
            )
            for p in paragraphs
        ],
    )
    graded = [r.percent for r in results if r.graded]
    average = texts.percent(round(sum(graded) / len(graded))) if graded else texts.STATS_NO_AVERAGE
    await context.bot.send_photo(
        where,
        InputFile(png, filename="report.png"),
        caption=texts.REPORT_CAPTION.format(
            kind=kind,
            bank=texts.esc(bank.title),
            class_title=texts.name(info.title),
            date=classes.show_date(context, when),
            takers=texts.count("student", len(results)),
            average=average,
        ),
        parse_mode=ParseMode.HTML,
    )


@teacher_command
async def report_command(update: Update, context: QuizContext) -> None:
    """/report: a chart of the class's last session or homework."""
    await _for_class(update, context, keyboards.REPORT_CLASS, _send_report)


@button
async def report_pick(update: Update, context: QuizContext) -> None:
    """A class button of a private /report."""
    info = await _picked(update, context, keyboards.REPORT_CLASS)
    if info is not None:
        await _send_report(context, update.effective_chat.id, info)


# --- /stats ----------------------------------------------------------------------------------


async def _class_block(context: QuizContext, info: ClassInfo) -> str:
    data = await _data(context, info)
    stats = class_stats(data.results, data.roster)
    return texts.STATS_CLASS.format(
        title=texts.name(info.title),
        members=texts.num(stats.members),
        participants=texts.num(stats.participants),
        # Homework given, whether or not anyone has finished it yet.
        homework=texts.num(await context.repo.homework_count(info.chat_id)),
        live=texts.num(stats.live),
        average=texts.STATS_NO_AVERAGE
        if stats.average_percent is None
        else texts.percent(round(stats.average_percent)),
    )


@teacher_command
async def stats_command(update: Update, context: QuizContext) -> None:
    """/stats: participation and averages, for this class or (in private) all of yours."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat.type == Chat.PRIVATE:
        found = await classes.teacher_classes(context, user)
    elif await is_teacher(context, chat, user, message):
        info = await context.repo.get_class(chat.id)
        found = [info or ClassInfo(chat.id, chat.title or "", chat.type)]
    else:
        found = []
    if not found:
        await message.reply_html(
            texts.NOT_TEACHER_ANYWHERE if chat.type == Chat.PRIVATE else texts.NOT_TEACHER
        )
        return
    blocks = [await _class_block(context, info) for info in found]
    for text in _messages([texts.STATS_HEADER, *blocks]):
        await message.reply_html(text)


def _messages(blocks: list[str], limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Blocks joined into as few messages as Telegram's length limit allows (one, usually)."""
    messages = [""]
    for block in blocks:
        joined = f"{messages[-1]}\n\n{block}" if messages[-1] else block
        if len(joined) <= limit or not messages[-1]:
            messages[-1] = joined
        else:
            messages.append(block)
    return messages
