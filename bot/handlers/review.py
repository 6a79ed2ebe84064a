"""Spaced review in a private chat: /review and its settings, quiz poll answers, the buttons of
items too long for a poll, and typed answers to typed items.

Every answer is recorded (once per item and sighting) before anything is sent back; then one
message answers it: the full passage when the poll's explanation had to be cut, else the next
due item, else the end of today's review.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Update
from telegram.constants import ParseMode

from bot import bidi, render, review_delivery, review_keyboards, review_polls, texts
from bot.buttons import REVIEW_ANSWER, REVIEW_OFF, REVIEW_START, REVIEW_WINDOW, BadPayload, unpack
from bot.context import QuizContext
from bot.formatting import Formatter
from bot.handlers.common import button, edit, remember
from quizzes.errors import StaleAction
from quizzes.grading import Verdict, grade_choice, grade_evidence_paste, grade_text
from quizzes.model import Question, QuestionType
from quizzes.review import BOX_DAYS, ReviewAnswer, ReviewItem, ReviewPrompt, Window, answered
from quizzes.typed import check_text

log = logging.getLogger(__name__)


async def _status(context: QuizContext, user_id: int) -> tuple[str, object]:
    settings = await context.repo.review_settings(user_id)
    due = await context.repo.due_reviews(user_id, context.now())
    head = (
        texts.REVIEW_DUE.format(questions=context.fmt.count("question", len(due)))
        if due
        else texts.REVIEW_NOTHING_DUE
    )
    if settings.window is not None and not settings.blocked:
        line = texts.REVIEW_WINDOW_ON.format(
            window=review_keyboards.window_label(context.fmt, settings.window)
        )
    else:
        line = texts.REVIEW_WINDOW_OFF
    return f"{head}\n\n{line}", review_keyboards.settings(context.fmt, settings, bool(due))


async def review_command(update: Update, context: QuizContext) -> None:
    """/review: what is due, the daily window, and a button to start."""
    await remember(update, context)
    text, markup = await _status(context, update.effective_user.id)
    await update.effective_message.reply_html(text, reply_markup=markup)


@button
async def choose_window(update: Update, context: QuizContext) -> None:
    """A window button (or "off") under /review: saved, and the message redrawn."""
    query = update.callback_query
    choice = unpack(query.data, REVIEW_WINDOW).args[0]
    if choice == REVIEW_OFF:
        window = None
    else:
        try:
            window = Window(choice)
        except ValueError:
            raise BadPayload(query.data) from None
    await remember(update, context)
    await context.repo.set_review_window(query.from_user.id, window)
    await query.answer(texts.REVIEW_TOAST_SAVED)
    text, markup = await _status(context, query.from_user.id)
    await edit(query, text, markup)


@button
async def start(update: Update, context: QuizContext) -> None:
    """Start (or go on with) the review: the next due item, or "nothing is due"."""
    query = update.callback_query
    unpack(query.data, REVIEW_START)
    await query.answer()
    await _send_next(context, query.from_user.id, first=True)


async def _send_next(context: QuizContext, user_id: int, first: bool = False) -> None:
    if not await review_delivery.send_next(context.services, context.bot, user_id):
        done = texts.REVIEW_NOTHING_DUE if first else texts.REVIEW_DONE
        await context.bot.send_message(user_id, done, parse_mode=ParseMode.HTML)


def _question(context: QuizContext, prompt: ReviewPrompt) -> Question | None:
    bank = context.banks.get(prompt.bank_id)
    if bank is None or prompt.question_id not in {q.id for q in bank.questions}:
        return None
    return bank.question(prompt.question_id)


async def _record(
    context: QuizContext, prompt: ReviewPrompt, verdict: Verdict, choice: str, raw: str | None
) -> ReviewItem | None:
    """Record the answer and move the item; None when it was recorded before (a replay)."""
    item = await context.repo.review_item(prompt.user_id, prompt.bank_id, prompt.question_id)
    if item is None or item.reviews != prompt.sighting - 2:
        return None  # answered before, or a stale prompt of an earlier sighting
    now: datetime = context.now()
    after = answered(item, bool(verdict.correct), now, context.config.tz)
    answer = ReviewAnswer(
        prompt.id,
        prompt.user_id,
        prompt.bank_id,
        prompt.question_id,
        prompt.sighting,
        choice,
        bool(verdict.correct),
        verdict.score,
        now,
        raw,
    )
    return after if await context.repo.record_review_answer(answer, after) else None


def _when(fmt: Formatter, after: ReviewItem) -> str:
    if after.done:
        return texts.REVIEW_FINISHED_ITEM
    return texts.REVIEW_NEXT_DAYS.format(days=fmt.count("day", BOX_DAYS[after.box]))


async def poll_answer(update: Update, context: QuizContext) -> None:
    """A student's answer to a review quiz poll: recorded once, then one message back."""
    vote = update.poll_answer
    prompt = await context.repo.review_prompt_for_poll(vote.poll_id)
    if prompt is None or vote.user is None or vote.user.id != prompt.user_id:
        # A poll of an earlier version, or a forwarded one answered by someone else.
        log.info("poll answer to unknown or foreign poll %s ignored", vote.poll_id)
        return
    question = _question(context, prompt)
    if question is None or not vote.option_ids:
        return
    if any(not 0 <= i < len(prompt.option_order) for i in vote.option_ids):
        raise StaleAction(f"poll {vote.poll_id}: no option {vote.option_ids}")
    keys = frozenset(prompt.option_order[i] for i in vote.option_ids)
    after = await _record(
        context, prompt, grade_choice(question, keys), ",".join(sorted(keys)), None
    )
    if after is None:
        return
    evidence = review_polls.evidence(context.fmt, question)
    if evidence.cut:
        # The explanation showed part of the passage: the whole of it is the one reply, and
        # the next item waits for the student's press.
        text = texts.REVIEW_PASSAGE.format(
            paragraph=context.fmt.num(evidence.paragraph), passage=bidi.esc(evidence.passage)
        )
        await context.bot.send_message(
            prompt.user_id,
            f"{text}\n\n{_when(context.fmt, after)}",
            parse_mode=ParseMode.HTML,
            reply_markup=review_keyboards.next_item(),
        )
        return
    await _send_next(context, prompt.user_id)


@button
async def option_pressed(update: Update, context: QuizContext) -> None:
    """An option button of an item too long for a poll."""
    query = update.callback_query
    payload = unpack(query.data, REVIEW_ANSWER)
    prompt = await context.repo.review_prompt(payload.int_arg(0))
    if prompt is None or prompt.user_id != query.from_user.id:
        raise StaleAction("not this student's review item")
    question = _question(context, prompt)
    key = payload.args[1]
    if question is None or key not in prompt.option_order or question.type is QuestionType.MULTI:
        raise StaleAction(f"no option {key!r}")
    verdict = grade_choice(question, {key})
    after = await _record(context, prompt, verdict, key, None)
    if after is None:
        raise StaleAction("already answered")
    await query.answer(texts.TOAST_CORRECT if verdict.correct else texts.TOAST_WRONG)
    evidence = review_polls.evidence(context.fmt, question)
    passage = texts.REVIEW_PASSAGE.format(
        paragraph=context.fmt.num(evidence.paragraph), passage=bidi.esc(evidence.passage)
    )
    await edit(
        query,
        f"{texts.REVIEW_HEAD}\n{bidi.esc(question.prompt)}\n\n{passage}\n\n"
        f"{_when(context.fmt, after)}",
        review_keyboards.next_item(),
    )


async def typed_reply(update: Update, context: QuizContext) -> bool:
    """A text message answering the student's waiting typed review item; False if none waits."""
    message, user = update.effective_message, update.effective_user
    prompt = await context.repo.open_text_prompt(user.id)
    question = _question(context, prompt) if prompt is not None else None
    if question is None:
        return False
    text = message.text or ""
    if check_text(question, text) is not None:
        return False  # the usual notices apply
    bank = context.bank(prompt.bank_id)
    if question.type is QuestionType.EVIDENCE:
        verdict, _ = grade_evidence_paste(question, context.article_for(bank), text)
    else:
        verdict = grade_text(question, text)
    after = await _record(context, prompt, verdict, "", text)
    if after is None:
        return False
    feedback = render.text_feedback(
        context.fmt, question, texts.REVIEW_HEAD, verdict, text, article=context.article_for(bank)
    )
    await message.reply_html(
        f"{feedback}\n\n{_when(context.fmt, after)}", reply_markup=review_keyboards.next_item()
    )
    return True
