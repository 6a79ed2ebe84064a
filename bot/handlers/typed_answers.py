"""Typed answers in a private chat: short answers, discussion responses and evidence pastes.

A text message answers the current question of the student's attempt when that question is
a text question still waiting. Anything else gets a short notice saying what to do instead;
a message that cannot be an answer (quizzes/typed.py) is recorded nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, Update

from bot import keyboards, render, texts
from bot.context import QuizContext
from bot.handlers import review
from quizzes.article import Article, Passage
from quizzes.attempt import AnswerRecord, Attempt
from quizzes.grading import Verdict, grade_typed
from quizzes.model import Question
from quizzes.typed import check_text


@dataclass(frozen=True)
class _Current:
    """Where the student is: their active attempt, its current question, and its answer."""

    attempt: Attempt
    question: Question
    answer: AnswerRecord | None

    @property
    def waiting_for_text(self) -> bool:
        return self.answer is None and not self.question.is_choice


async def _current(update: Update, context: QuizContext) -> _Current | None:
    attempt = await context.repo.active_attempt(update.effective_user.id, update.effective_chat.id)
    if attempt is None or attempt.bank_id not in context.banks:
        return None
    question = context.bank(attempt.bank_id).question(attempt.current_question_id)
    return _Current(attempt, question, await context.repo.get_answer(attempt.id, question.id))


def _grade(article: Article, question: Question, text: str) -> tuple[Verdict, Passage | None]:
    return grade_typed(question, article, text)


async def _record(context: QuizContext, current: _Current, text: str) -> AnswerRecord:
    verdict, _ = _grade(
        context.article_for(context.bank(current.attempt.bank_id)), current.question, text
    )
    now = context.now()
    # The question message's time is not stored; the previous answer (or the start) is the
    # moment the student could first see it, give or take the time spent on the feedback.
    earlier = [a.answered_at for a in await context.repo.answers_for(current.attempt.id)]
    shown_at = max(earlier, default=current.attempt.started_at)
    record, _new = await context.repo.record_answer(
        AnswerRecord(
            attempt_id=current.attempt.id,
            question_id=current.question.id,
            choice="",
            correct=verdict.correct,
            score=verdict.score,
            answered_at=now,
            latency_ms=max(0, int((now - shown_at).total_seconds() * 1000)),
            raw_text=text,
        )
    )
    return record


async def _send_feedback(
    message: Message, context: QuizContext, current: _Current, record: AnswerRecord
) -> None:
    raw = record.raw_text or ""
    article = context.article_for(context.bank(current.attempt.bank_id))
    verdict, elsewhere = _grade(article, current.question, raw)
    position = current.attempt.position
    text = render.text_feedback(
        context.fmt,
        current.question,
        render.header(context.fmt, position, current.attempt.total),
        Verdict(record.correct, record.score, verdict.matched, verdict.fuzzy),
        raw,
        article=article,
        elsewhere=elsewhere,
    )
    await message.reply_html(text, reply_markup=keyboards.next_step(current.attempt, position))


async def text_message(update: Update, context: QuizContext) -> None:
    """A text message in private: the answer to the waiting text question, or a pointer."""
    message, text = update.effective_message, update.effective_message.text
    current = await _current(update, context)
    if current is None and await review.typed_reply(update, context):
        return
    if current is None:
        await message.reply_html(texts.NO_TEXT_QUESTION)
    elif current.answer is not None and current.answer.raw_text != text:
        await message.reply_html(texts.ALREADY_ANSWERED)
    elif current.answer is None and current.question.is_choice:
        await message.reply_html(texts.ANSWER_WITH_BUTTONS)
    elif current.answer is not None:
        # The same text again: Telegram redelivered it, or the feedback was lost. Show it again.
        await _send_feedback(message, context, current, current.answer)
    elif problem := check_text(current.question, text):
        await message.reply_html(render.text_problem(context.fmt, problem, current.question, text))
    else:
        record = await _record(context, current, text)
        await _send_feedback(message, context, current, record)


async def not_text(update: Update, context: QuizContext) -> None:
    """A sticker, photo, voice note or file in private: only typed text can be read."""
    current = await _current(update, context)
    if current is not None and current.waiting_for_text:
        notice = texts.MEDIA_NOT_TEXT
    elif current is not None and current.answer is None:
        notice = texts.ANSWER_WITH_BUTTONS
    else:
        notice = texts.MEDIA_NO_QUESTION
    await update.effective_message.reply_html(notice)
