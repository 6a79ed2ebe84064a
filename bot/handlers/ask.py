"""/ask QUESTION, in private and in groups: the article's sentences closest to a question."""

from __future__ import annotations

from telegram import Update

from bot import render, texts
from bot.context import QuizContext
from quizzes.ask import ArticleIndex
from quizzes.typed import MAX_CHARS


def _index(context: QuizContext) -> ArticleIndex:
    """One index per article, built on first use and kept with the services."""
    index = context.bot_data.ask_index
    if index is None or index.article is not context.article:
        index = context.bot_data.ask_index = ArticleIndex(context.article)
    return index


async def ask(update: Update, context: QuizContext) -> None:
    """Answer /ask with one to three sentences and their paragraph numbers, or say none."""
    message = update.effective_message
    question = " ".join(context.args or [])
    if not question.strip():
        await message.reply_html(texts.ASK_USAGE)
    elif len(question) > MAX_CHARS:
        await message.reply_html(
            texts.ASK_TOO_LONG.format(
                length=texts.count("character", len(question)),
                limit=texts.count("character", MAX_CHARS),
            )
        )
    elif hits := _index(context).search(question):
        await message.reply_html(render.ask_results([h.passage for h in hits]))
    else:
        await message.reply_html(texts.ASK_NOTHING)
