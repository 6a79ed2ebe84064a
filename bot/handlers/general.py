"""General commands: /start (private and group), /help, /score, /cancel, unknown ones."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot import bidi, dates, keyboards, texts
from bot.context import QuizContext
from bot.handlers.common import display_name, remember


async def start(update: Update, context: QuizContext) -> None:
    """Greet the student, explain in two lines, and offer the banks (by article, if several)."""
    await remember(update, context)
    message = update.effective_message
    name = bidi.name(display_name(update.effective_user))
    articles = context.services.articles
    active = await context.repo.active_attempt(update.effective_user.id, update.effective_chat.id)
    if active is not None and active.bank_id not in context.banks:
        active = None
    if len(articles) == 1:
        (only,) = articles.values()
        await message.reply_html(texts.WELCOME.format(name=name, article=bidi.esc(only.title)))
        await message.reply_text(
            texts.CHOOSE_BANK,
            reply_markup=keyboards.banks(context.fmt, list(context.banks.values()), active),
        )
        return
    await message.reply_html(texts.WELCOME_MANY.format(name=name))
    for article_id in sorted(articles):
        banks = [b for b in context.banks.values() if b.article_id == article_id]
        resume = active if active and context.banks[active.bank_id] in banks else None
        await message.reply_html(
            texts.CHOOSE_BANK_OF.format(title=bidi.esc(articles[article_id].title)),
            reply_markup=keyboards.banks(context.fmt, banks, resume),
        )


async def group_start(update: Update, context: QuizContext) -> None:
    """/start in a group, as sent when the bot is added by its startgroup link."""
    await update.effective_message.reply_text(texts.GROUP_WELCOME)


async def help_command(update: Update, context: QuizContext) -> None:
    """List the commands."""
    await update.effective_message.reply_html(texts.HELP.format(example=context.fmt.num(3)))


async def score(update: Update, context: QuizContext) -> None:
    """The student's own finished attempts; nobody else's."""
    results = await context.repo.history(update.effective_user.id)
    message = update.effective_message
    if not results:
        await message.reply_html(texts.HISTORY_EMPTY)
        return
    lines = []
    for result in results:
        bank = context.banks.get(result.bank_id)
        ids = {q.id for q in bank.questions} if bank else set()
        out_of = sum(
            1 for q in result.question_ids if bank and q in ids and bank.question(q).is_scored
        )
        lines.append(
            texts.HISTORY_LINE.format(
                title=bidi.esc(bank.title if bank else result.bank_id),
                score=context.fmt.num(result.score),
                out_of=context.fmt.num(out_of),
                percent=context.fmt.percent(round(100 * result.score / out_of) if out_of else 0),
                date=dates.shown(context.fmt, result.finished_at, context.config.tz)
                if result.finished_at
                else "",
            )
        )
    await message.reply_html(
        texts.HISTORY.format(
            attempts=context.fmt.count("attempt", len(results)), lines="\n".join(lines)
        )
    )


async def cancel(update: Update, context: QuizContext) -> None:
    """Abandon the current attempt in this chat."""
    attempt = await context.repo.active_attempt(update.effective_user.id, update.effective_chat.id)
    if attempt is None or not await context.repo.cancel_attempt(attempt.id, context.now()):
        await update.effective_message.reply_html(texts.NOTHING_TO_CANCEL)
        return
    await update.effective_message.reply_html(texts.CANCELLED)


async def unknown_command(update: Update, context: QuizContext) -> None:
    """Any command we do not know, in a private chat."""
    await update.effective_message.reply_text(texts.UNKNOWN_COMMAND, parse_mode=ParseMode.HTML)
