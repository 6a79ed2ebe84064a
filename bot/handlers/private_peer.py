"""Peer-instruction rounds played alone in a private chat: vote, look again, vote, reveal.

The first vote is kept apart (storage/peer_votes.py) and reveals nothing; the student then
sees the cited paragraphs and two questions to argue with, and votes again. The second vote
is the recorded, scored answer, and the reveal shows both votes and the shift.
"""

from __future__ import annotations

from telegram import Update

from bot import buttons, keyboards, render, texts
from bot.context import QuizContext
from bot.handlers.common import button, edit
from quizzes.attempt import AnswerRecord, Attempt
from quizzes.errors import StaleAction
from quizzes.grading import grade_choice
from quizzes.model import Question
from quizzes.peer import FIRST, SECOND, FirstVote, check_vote, shift


async def _current(
    update: Update, context: QuizContext, kind: buttons.Kind, round_number: int
) -> tuple[Attempt, int, Question, str]:
    """The pressing student's attempt, the position, the peer question and the chosen key."""
    payload = buttons.unpack(update.callback_query.data, kind)
    attempt = await context.repo.get_attempt(payload.int_arg(0))
    if attempt is None or attempt.user_id != update.callback_query.from_user.id:
        raise StaleAction("not this student's attempt")
    if attempt.chat_id != update.effective_chat.id:
        raise StaleAction("not this chat's attempt")
    position, key = payload.int_arg(1), payload.args[2]
    attempt.require_current(position)
    if key not in attempt.options_shown(position):
        raise StaleAction(f"option {key!r} is not shown")
    question = context.bank(attempt.bank_id).question(attempt.question_ids[position])
    check_vote(question, round_number, key)
    return attempt, position, question, key


@button
async def first_vote(update: Update, context: QuizContext) -> None:
    """The first vote: keep it, reveal nothing, and show the paragraphs to look at again."""
    attempt, position, question, key = await _current(update, context, buttons.PEER_FIRST, FIRST)
    if await context.repo.get_answer(attempt.id, question.id) is not None:
        raise StaleAction("the round is over")
    vote, _new = await context.repo.record_first_vote(
        FirstVote(attempt.id, question.id, key, context.now())
    )
    await update.callback_query.answer(texts.TOAST_FIRST_VOTE)
    await edit(
        update.callback_query,
        render.peer_reconsider(
            context.fmt,
            question,
            context.article_for(context.bank(attempt.bank_id)),
            attempt,
            position,
            vote.choice,
        ),
        keyboards.peer_second_vote(attempt, question, position),
    )


@button
async def second_vote(update: Update, context: QuizContext) -> None:
    """The second vote: record it as the answer, then reveal both votes and the evidence."""
    query = update.callback_query
    attempt, position, question, key = await _current(update, context, buttons.PEER_SECOND, SECOND)
    first = await context.repo.first_vote(attempt.id, question.id)
    if first is None:
        raise StaleAction("no first vote")
    verdict = grade_choice(question, {key})
    now = context.now()
    record, _new = await context.repo.record_answer(
        AnswerRecord(
            attempt_id=attempt.id,
            question_id=question.id,
            choice=key,
            correct=verdict.correct,
            score=verdict.score,
            answered_at=now,
            latency_ms=max(0, int((now - first.voted_at).total_seconds() * 1000)),
        )
    )
    await query.answer(texts.TOAST_CORRECT if record.correct else texts.TOAST_WRONG)
    text = render.peer_reveal(
        context.fmt,
        question,
        attempt,
        position,
        first.choice,
        record,
        shift(question, first.choice, record.choice),
    )
    await edit(query, text, keyboards.next_step(attempt, position))
