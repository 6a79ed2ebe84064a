"""/article: a paragraph, or the opening words of every paragraph, of the article in play.

The article in play is that of the sender's private attempt, or of the group's live session.
Outside both, with several articles loaded, the sender picks one with a button; the button
carries the paragraph asked for, so nothing waits in memory for the answer.
"""

from __future__ import annotations

from telegram import Chat, Update

from bot import bidi, buttons, keyboards, texts
from bot.context import QuizContext
from bot.formatting import Formatter
from bot.handlers.common import button, edit
from quizzes.arabic import western_digits
from quizzes.article import Article
from quizzes.errors import StaleAction

OPENING_WORDS = 6
# Paragraph numbers go in callback data: a longer one is no paragraph of any article.
MAX_DIGITS = 6


def ordered(context: QuizContext) -> list[Article]:
    """Every loaded article, in id order: the order of the choice buttons."""
    return [context.services.articles[i] for i in sorted(context.services.articles)]


async def in_play(update: Update, context: QuizContext) -> Article | None:
    """The article of the current private attempt or live session; the only article when
    just one is loaded; else None (the caller asks, or looks in all of them)."""
    chat, user = update.effective_chat, update.effective_user
    if chat.type == Chat.PRIVATE:
        attempt = await context.repo.active_attempt(user.id, chat.id)
        bank_id = attempt.bank_id if attempt else None
    else:
        session = await context.repo.open_live_in(chat.id)
        bank_id = session.bank_id if session else None
    if bank_id in context.banks:
        return context.article_for(context.banks[bank_id])
    articles = ordered(context)
    return articles[0] if len(articles) == 1 else None


def paragraph_text(context: QuizContext, article: Article, number: int) -> str:
    """Paragraph `number` (0: the opening words of each), or the range error."""
    total = len(article.paragraphs)
    if number == 0:
        lines = [
            texts.ARTICLE_LIST_LINE.format(
                number=context.fmt.num(n), opening=bidi.esc(" ".join(p.split()[:OPENING_WORDS]))
            )
            for n, p in enumerate(article.paragraphs, start=1)
        ]
        return texts.ARTICLE_LIST.format(
            title=bidi.esc(article.title),
            paragraphs=context.fmt.count("paragraph", total),
            lines="\n".join(lines),
            example=context.fmt.num(min(3, total)),
        )
    if not 1 <= number <= total:
        return bad_number(context.fmt, article)
    # With one article its name goes without saying, as it always did.
    template = (
        texts.ARTICLE_PARAGRAPH_OF
        if len(context.services.articles) > 1
        else texts.ARTICLE_PARAGRAPH
    )
    return template.format(
        number=context.fmt.num(number),
        total=context.fmt.num(total),
        text=bidi.esc(article.paragraph(number)),
        title=bidi.esc(article.title),
    )


def bad_number(fmt: Formatter, article: Article) -> str:
    return texts.ARTICLE_BAD_NUMBER.format(first=fmt.num(1), last=fmt.num(len(article.paragraphs)))


async def article(update: Update, context: QuizContext) -> None:
    """/article N shows paragraph N, /article the paragraphs' openings (Arabic-Indic digits
    accepted), of the article in play, or of the article the sender picks."""
    message = update.effective_message
    raw = western_digits(" ".join(context.args or [])).strip()
    found = await in_play(update, context)
    if raw and not (raw.isdigit() and len(raw) <= MAX_DIGITS and int(raw) > 0):
        await message.reply_html(
            texts.ARTICLE_NOT_A_NUMBER.format(example=context.fmt.num(3))
            if found is None
            else bad_number(context.fmt, found)
        )
        return
    number = int(raw) if raw else 0  # 0: no number, the list of paragraphs
    if found is not None:
        await message.reply_html(paragraph_text(context, found, number))
        return
    await message.reply_html(
        texts.ARTICLE_CHOOSE, reply_markup=keyboards.article_choice(ordered(context), number)
    )


@button
async def choose(update: Update, context: QuizContext) -> None:
    """An article button of /article: its paragraph (or list) replaces the question."""
    query = update.callback_query
    payload = buttons.unpack(query.data, buttons.ARTICLE)
    article_id, number = payload.args[0], payload.int_arg(1)
    chosen = context.bot_data.articles.get(article_id)
    if chosen is None or number < 0:
        raise StaleAction(f"no article {article_id!r}")
    await query.answer()
    await edit(query, paragraph_text(context, chosen, number), None)
