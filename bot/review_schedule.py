"""What goes on the review schedule: after a finished private attempt, and after a live session,
each scored item a student missed (a live question they let pass unanswered too), got half
credit for, or got right only as a near miss."""

from __future__ import annotations

import logging

from bot.context import QuizApp, Services
from quizzes.attempt import Attempt
from quizzes.live import LiveSession, Status
from quizzes.model import Bank
from quizzes.review import ReviewItem, needs_review, schedule

log = logging.getLogger(__name__)


def _known(bank: Bank, question_id: str) -> bool:
    return any(q.id == question_id for q in bank.questions)


async def after_attempt(services: Services, attempt: Attempt) -> int:
    """Schedule a finished attempt's doubtful items; returns how many."""
    bank = services.banks.get(attempt.bank_id)
    if bank is None:
        return 0
    now, tz = services.clock(), services.config.tz
    by_question = {a.question_id: a for a in await services.repo.answers_for(attempt.id)}
    items: list[ReviewItem] = []
    for question_id in attempt.question_ids:
        answer = by_question.get(question_id)
        if not _known(bank, question_id) or answer is None:
            continue
        question = bank.question(question_id)
        if needs_review(question, answer.correct, answer.score, answer.raw_text):
            items.append(schedule(attempt.user_id, bank.id, question_id, now, tz))
    return await services.repo.schedule_reviews(items, now)


async def after_live(app: QuizApp, session: LiveSession) -> int:
    """Schedule an ended live session's doubtful first-round answers, student by student, and
    each scored question a participant was there for and left unanswered."""
    services = app.bot_data
    bank = services.banks.get(session.bank_id)
    if bank is None or session.status is Status.CANCELLED:
        return 0
    now, tz = services.clock(), services.config.tz
    items = []
    answered: set[tuple[int, str]] = set()
    for answer in await services.repo.live_answers(session.id):
        if answer.round != 0 or not _known(bank, answer.question_id):
            continue
        answered.add((answer.user_id, answer.question_id))
        question = bank.question(answer.question_id)
        credit = 1.0 if answer.credit is None else answer.credit
        score = credit if answer.correct is not False else 0.0
        if needs_review(question, answer.correct, score, answer.raw_text):
            items.append(schedule(answer.user_id, bank.id, answer.question_id, now, tz))
    # A late joiner carries the question they joined at: they owe only the ones after it.
    for user_id, joined_at in (await services.repo.live_joined_at(session.id)).items():
        for position, planned in enumerate(session.asked):
            silent = (user_id, planned.question_id) not in answered
            if (
                planned.scored
                and position > joined_at
                and silent
                and _known(bank, planned.question_id)
            ):
                items.append(schedule(user_id, bank.id, planned.question_id, now, tz))
    return await services.repo.schedule_reviews(items, now)
