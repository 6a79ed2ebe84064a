"""Sending review items, and the periodic job that sends each due student one message a day.

The job's sends go one after another through a Pacer at REMINDER_RATE per second, below the
token's 30: a class of 300 due at 17:00 is spread over 15 s and leaves room for the live
sessions' own traffic, which the bot's rate limiter (bot/ratelimit.py) then keeps under 30 together.
Each student gets one message from the job, and every later message answers the student's own
action, one message to each, so no private chat receives more than one message a second.
"""

from __future__ import annotations

import logging

from telegram import Poll
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError

from bot import bidi, review_keyboards, review_polls, texts
from bot.context import QuizApp, QuizContext, Services
from bot.review_runtime import ReviewRuntime
from quizzes.review import PromptKind, ReviewItem, ReviewPrompt, local_day, windows_at

log = logging.getLogger(__name__)

JOB_INTERVAL = 300.0  # seconds between looks for due students
JOB_NAME = "review-reminders"


async def send_item(services: Services, bot: object, item: ReviewItem) -> ReviewPrompt | None:
    """Send one item to its student (a quiz poll, buttons, or a typed question) and store
    what was sent. None if the item's bank or question is gone."""
    bank = services.banks.get(item.bank_id)
    if bank is None or item.question_id not in {q.id for q in bank.questions}:
        return None
    question = bank.question(item.question_id)
    chat, now, sighting = item.user_id, services.clock(), item.reviews + 2
    poll = review_polls.plan(services.fmt, question) if question.is_choice else None
    if poll is not None:
        message = await bot.send_poll(
            chat,
            poll.question,
            list(poll.options),
            is_anonymous=False,
            type=Poll.QUIZ,
            allows_multiple_answers=poll.multiple,
            correct_option_ids=list(poll.correct_ids),
            explanation=poll.evidence.explanation or None,
        )
        kind, poll_id, order = PromptKind.POLL, message.poll.id, poll.keys
    elif question.is_choice:
        order = tuple(o.key for o in question.options)
        kind, poll_id = PromptKind.BUTTONS, None
    else:
        kind, poll_id, order = PromptKind.TEXT, None, ()
    prompt = ReviewPrompt(
        None, item.user_id, item.bank_id, item.question_id, sighting, kind, now, poll_id, order
    )
    if kind is PromptKind.POLL:
        return await services.repo.add_review_prompt(prompt)
    # The prompt is stored first here: its id goes on the buttons.
    stored = await services.repo.add_review_prompt(prompt)
    if kind is PromptKind.BUTTONS:
        await bot.send_message(
            chat,
            texts.REVIEW_QUESTION.format(prompt=bidi.esc(question.prompt)),
            parse_mode=ParseMode.HTML,
            reply_markup=review_keyboards.options(stored, question),
        )
    else:
        await bot.send_message(
            chat,
            texts.REVIEW_TYPED_QUESTION.format(prompt=bidi.esc(question.prompt)),
            parse_mode=ParseMode.HTML,
        )
    return stored


async def send_next(services: Services, bot: object, user_id: int) -> bool:
    """Send the student's next due item; False when none is due."""
    for item in await services.repo.due_reviews(user_id, services.clock()):
        if await send_item(services, bot, item) is not None:
            return True
    return False


async def remind(services: Services, bot: object, user_id: int) -> None:
    """Today's one message for a student: their first due item."""
    tz, repo = services.config.tz, services.repo
    day = local_day(services.clock(), tz)
    previous = (await repo.review_settings(user_id)).last_sent_on
    if not await repo.claim_review_day(user_id, day):
        return
    try:
        sent = await send_next(services, bot, user_id)
    except Forbidden as error:
        log.info("review reminders stopped for %s: %s", user_id, error)
        await repo.block_reviews(user_id, services.clock())
        return
    except TelegramError as error:
        log.warning("review reminder for %s not sent, tried again later: %s", user_id, error)
        await repo.release_review_day(user_id, day, previous)
        return
    if not sent:
        await repo.release_review_day(user_id, day, previous)


async def deliver_due(app: QuizApp) -> int:
    """Send today's message to every student whose window is open and who has items due;
    returns how many students were tried."""
    services = app.bot_data
    runtime: ReviewRuntime = services.review
    if runtime.running.locked():
        return 0  # the previous run is still spreading its sends
    async with runtime.running:
        now, tz = services.clock(), services.config.tz
        students = await services.repo.students_to_remind(
            now, local_day(now, tz), windows_at(now, tz)
        )
        for user_id in students:
            await runtime.pacer.slot()
            await remind(services, app.bot, user_id)
        return len(students)


async def reminder_job(context: QuizContext) -> None:
    """The JobQueue's periodic look for due students."""
    await deliver_due(context.application)


def setup(app: QuizApp) -> None:
    app.job_queue.run_repeating(reminder_job, interval=JOB_INTERVAL, first=60, name=JOB_NAME)
