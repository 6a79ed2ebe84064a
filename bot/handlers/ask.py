"""/ask QUESTION, in private and in groups: the article's sentences closest to a question.

It searches the article of the attempt or live session in play; outside one, every article,
naming the article of each sentence found.
"""

from __future__ import annotations

from telegram import Update

from bot import render, texts
from bot.context import QuizContext
from bot.handlers.articles import in_play, ordered
from quizzes.article import Article
from quizzes.ask import MAX_HITS, RELATIVE_CUTOFF, ArticleIndex, Hit
from quizzes.typed import MAX_CHARS


def _index(context: QuizContext, article: Article) -> ArticleIndex:
    """One index per article, built on first use and kept with the services."""
    indexes = context.bot_data.ask_index
    index = indexes.get(article.id)
    if index is None or index.article is not article:
        index = indexes[article.id] = ArticleIndex(article)
    return index


def search_all(context: QuizContext, question: str) -> list[tuple[Article, Hit]]:
    """The best sentences of every article, best first, with the same cut-off as one article."""
    found = [(a, h) for a in ordered(context) for h in _index(context, a).search(question)]
    found.sort(key=lambda pair: -pair[1].score)
    if not found:
        return []
    best = found[0][1].score
    return [(a, h) for a, h in found[:MAX_HITS] if h.score >= RELATIVE_CUTOFF * best]


async def ask(update: Update, context: QuizContext) -> None:
    """Answer /ask with one to three sentences and their paragraph numbers, or say none."""
    message = update.effective_message
    question = " ".join(context.args or [])
    if not question.strip():
        await message.reply_html(texts.ASK_USAGE)
        return
    if len(question) > MAX_CHARS:
        await message.reply_html(
            texts.ASK_TOO_LONG.format(
                length=context.fmt.count("character", len(question)),
                limit=context.fmt.count("character", MAX_CHARS),
            )
        )
        return
    article = await in_play(update, context)
    if article is not None:
        hits = _index(context, article).search(question)
        reply = (
            render.ask_results(context.fmt, [h.passage for h in hits])
            if hits
            else texts.ASK_NOTHING
        )
    else:
        found = search_all(context, question)
        reply = (
            render.ask_results_of(context.fmt, [(a.title, h.passage) for a, h in found])
            if found
            else texts.ASK_NOTHING
        )
    await message.reply_html(reply)
