"""Teachers' /export, /report and /stats, in the class group or in private with a class choice.

Export files always go to the teacher's private chat, never into the group. A chart and the
statistics hold no individual result, so they are sent where the teacher asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Chat, InputFile, Update, User
from telegram.constants import MessageLimit, ParseMode

from bot import bidi, classes, dates, texts
from bot import teacher_keyboards as keyboards
from bot.buttons import EXPORT_CLASS, REPORT_CLASS, Kind, unpack
from bot.context import QuizContext
from bot.formatting import Formatter
from bot.handlers.common import button, teacher_command
from bot.reports import charts, peer_rounds, stats_text
from bot.reports.collect import collect
from bot.reports.files import ExportFile, export_files
from bot.teachers import is_teacher
from quizzes.analysis import (
    ClassData,
    ItemStats,
    class_stats,
    item_analysis,
    latest_session,
    paragraph_stats,
)
from quizzes.classes import ClassInfo
from quizzes.reliability import Attempts, bank_stats, select

Action = Callable[[QuizContext, int, ClassInfo], Awaitable[None]]


async def _for_class(
    update: Update,
    context: QuizContext,
    kind: Kind,
    action: Action,
    attempts: Attempts = Attempts.FIRST,
) -> None:
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
        await message.reply_html(
            texts.CHOOSE_CLASS, reply_markup=keyboards.classes(kind, found, attempts.value)
        )


async def _picked(
    update: Update, context: QuizContext, kind: Kind
) -> tuple[ClassInfo, Attempts] | None:
    """The class on a pressed class button and the attempts it carries, if the presser teaches
    it (else a short notice). A button drawn before buttons carried attempts means first."""
    query = update.callback_query
    try:
        payload = unpack(query.data, kind)
        attempts = Attempts(payload.args[1])
    except ValueError:
        payload, attempts = unpack(query.data, kind, *kind.older), Attempts.FIRST
    info = await classes.teaches(context, payload.int_arg(0), query.from_user)
    if info is None:
        await query.answer(texts.NOT_TEACHER_BUTTON, show_alert=True)
        return None
    await query.answer()
    return info, attempts


async def _data(context: QuizContext, info: ClassInfo) -> ClassData:
    teachers = await classes.teacher_ids(context, info.chat_id)
    return await collect(context.repo, info.chat_id, context.banks, teachers)


# --- /export ---------------------------------------------------------------------------------


async def _send_export(
    context: QuizContext, user: User, info: ClassInfo, attempts: Attempts = Attempts.FIRST
) -> bool:
    """Send a class's files to the teacher in private; False if they never started the bot."""
    data = await _data(context, info)
    title = bidi.name(info.title)
    if not data.results:
        return await classes.send_private(
            context,
            lambda: context.bot.send_message(
                user.id, texts.EXPORT_EMPTY.format(title=title), parse_mode=ParseMode.HTML
            ),
        )
    files = await asyncio.to_thread(
        export_files,
        context.fmt,
        data,
        context.banks,
        context.services.articles,
        context.config.tz,
        attempts=attempts,
    )
    for index, file in enumerate(files):

        async def send(file: ExportFile = file) -> None:
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
    """/export: a teacher gets the class's CSV and XLSX files in private (`/export all`: item
    statistics from every attempt)."""
    user, message = update.effective_user, update.effective_message
    attempts = stats_text.attempts_from_args(context.args)

    async def action(context: QuizContext, where: int, info: ClassInfo) -> None:
        sent = await _send_export(context, user, info, attempts)
        if where != user.id:
            reply = texts.SENT_PRIVATELY if sent else texts.START_BOT_FIRST
            await message.reply_html(reply.format(link=bidi.latin(classes.bot_link(context))))

    await _for_class(update, context, EXPORT_CLASS, action, attempts)


@button
async def export_pick(update: Update, context: QuizContext) -> None:
    """A class button of a private /export."""
    picked = await _picked(update, context, EXPORT_CLASS)
    if picked is not None:
        await _send_export(context, update.callback_query.from_user, *picked)


# --- /report ---------------------------------------------------------------------------------


async def _send_report(
    context: QuizContext, where: int, info: ClassInfo, attempts: Attempts = Attempts.FIRST
) -> None:
    """The chart of the class's latest session or homework, sent to `where`. With first
    attempts, a student who had met the bank before (an earlier homework or live session)
    is left out of it."""
    data = await _data(context, info)
    session = latest_session(data.results)
    if session is None:
        await context.bot.send_message(
            where,
            texts.REPORT_EMPTY.format(title=bidi.name(info.title)),
            parse_mode=ParseMode.HTML,
        )
        return
    chosen, chosen_answers = select(data.results, data.answers, attempts)
    results = [r for r in chosen if r.session == session]
    answers = [a for a in chosen_answers if a.result.session == session]
    if not results:
        await context.bot.send_message(where, texts.REPORT_ONLY_REPEATS, parse_mode=ParseMode.HTML)
        return
    items = item_analysis(answers, context.banks)
    paragraphs = [p for p in paragraph_stats(items, context.banks) if p.facility is not None]
    bank = context.bank(results[0].bank_id)
    kind = texts.KIND_LABELS[session[0].value]
    when = max(r.date for r in results)
    png = await asyncio.to_thread(
        charts.report_png,
        context.fmt,
        texts.REPORT_TITLE.format(
            kind=kind, bank=bank.title, date=context.fmt.num(dates.plain(when, context.config.tz))
        ),
        [charts.Bar(_question_label(context.fmt, i), i.facility) for i in items],
        [
            charts.Bar(
                texts.REPORT_PARAGRAPH_LABEL.format(number=context.fmt.num(p.paragraph)), p.facility
            )
            for p in paragraphs
        ],
    )
    graded = [r.percent for r in results if r.graded]
    average = (
        context.fmt.percent(round(sum(graded) / len(graded))) if graded else texts.STATS_NO_AVERAGE
    )
    changed = any(r.changed(context.banks) for r in results)
    caption = (texts.REPORT_CAPTION_CHANGED if changed else texts.REPORT_CAPTION).format(
        kind=kind,
        bank=bidi.esc(bank.title),
        class_title=bidi.name(info.title),
        date=classes.show_date(context, when),
        takers=context.fmt.count("student", len(results)),
        average=average,
    )
    await context.bot.send_photo(
        where,
        InputFile(png, filename="report.png"),
        caption=texts.REPORT_CAPTION_ATTEMPTS.format(
            caption=caption, attempts=stats_text.report_attempts(attempts)
        ),
        parse_mode=ParseMode.HTML,
    )


def _question_label(fmt: Formatter, item: ItemStats) -> str:
    if item.number == 0:  # gone from the bank since: shown by its id
        return texts.REPORT_QUESTION_ID_LABEL.format(question_id=item.question_id)
    return texts.REPORT_QUESTION_LABEL.format(number=fmt.num(item.number))


@teacher_command
async def report_command(update: Update, context: QuizContext) -> None:
    """/report: a chart of the class's last session or homework (`/report all`: every attempt)."""
    attempts = stats_text.attempts_from_args(context.args)

    async def action(context: QuizContext, where: int, info: ClassInfo) -> None:
        await _send_report(context, where, info, attempts)

    await _for_class(update, context, REPORT_CLASS, action, attempts)


@button
async def report_pick(update: Update, context: QuizContext) -> None:
    """A class button of a private /report."""
    picked = await _picked(update, context, REPORT_CLASS)
    if picked is not None:
        await _send_report(context, update.effective_chat.id, *picked)


# --- /stats ----------------------------------------------------------------------------------


async def _class_block(context: QuizContext, info: ClassInfo, attempts: Attempts) -> str:
    data = await _data(context, info)
    stats = class_stats(data.results, data.roster)
    chosen = select(data.results, data.answers, attempts)
    banks = stats_text.bank_lines(context.fmt, bank_stats(*chosen, context.banks), context.banks)
    block = texts.STATS_CLASS.format(
        title=bidi.name(info.title),
        members=context.fmt.num(stats.members),
        participants=context.fmt.num(stats.participants),
        # Homework given, whether or not anyone has finished it yet.
        homework=context.fmt.num(await context.repo.homework_count(info.chat_id)),
        live=context.fmt.num(stats.live),
        average=texts.STATS_NO_AVERAGE
        if stats.average_percent is None
        else context.fmt.percent(round(stats.average_percent)),
    )
    trend = peer_rounds.trend_line(context.fmt, data.peer_rounds)
    return "\n".join([block, *banks, *([trend] if trend is not None else [])])


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
    attempts = stats_text.attempts_from_args(context.args)
    blocks = [await _class_block(context, info, attempts) for info in found]
    note = stats_text.attempts_note(attempts)
    for text in _messages([texts.STATS_HEADER, *blocks, note]):
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
