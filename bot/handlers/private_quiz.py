"""Self-paced quizzes in a private chat: choose a bank, answer, see the evidence, go on."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot import bidi, buttons, keyboards, render, review_schedule, texts
from bot.context import QuizContext
from bot.handlers.common import button, edit, edit_markup, remember
from quizzes.attempt import AnswerRecord, Attempt, advance, new_attempt, summarize, toggle
from quizzes.errors import StaleAction
from quizzes.grading import Verdict, grade_choice
from quizzes.model import Bank


async def send_question(update: Update, context: QuizContext, attempt: Attempt) -> None:
    """Post the attempt's current question as a new message."""
    bank = context.bank(attempt.bank_id)
    question = bank.question(attempt.current_question_id)
    text = render.question_text(
        context.fmt,
        question,
        attempt.options_shown(attempt.position),
        attempt.position,
        attempt.total,
    )
    await context.bot.send_html(attempt.chat_id, text, keyboards.question(attempt, question))


def _mine(update: Update, attempt_id: int, attempt: Attempt | None) -> Attempt:
    if attempt is None or attempt.user_id != update.callback_query.from_user.id:
        raise StaleAction(f"attempt {attempt_id} is not this user's")
    if attempt.chat_id != update.effective_chat.id:
        raise StaleAction(f"attempt {attempt_id} is not in this chat")
    return attempt


async def _own_attempt(update: Update, context: QuizContext, attempt_id: int) -> Attempt:
    return _mine(update, attempt_id, await context.repo.get_attempt(attempt_id))


async def _own_attempt_and_answer(
    update: Update, context: QuizContext, attempt_id: int, position: int
) -> tuple[Attempt, AnswerRecord | None]:
    attempt, record = await context.repo.attempt_and_answer(attempt_id, position)
    return _mine(update, attempt_id, attempt), record


async def _begin(
    update: Update,
    context: QuizContext,
    bank: Bank,
    intro: str,
    only: tuple[str, ...] | None = None,
    retry_of: int | None = None,
) -> None:
    user, chat = update.effective_user, update.effective_chat
    await remember(update, context)
    attempt = await context.repo.start_attempt(
        new_attempt(
            bank,
            user.id,
            chat.id,
            context.now(),
            context.services.rng,
            only=only,
            retry_of=retry_of,
        )
    )
    await context.bot.send_html(chat.id, intro)
    await send_question(update, context, attempt)


@button
async def choose_bank(update: Update, context: QuizContext) -> None:
    """Start an attempt at the bank on the pressed button."""
    payload = buttons.unpack(update.callback_query.data, buttons.QUIZ_BANK)
    bank = context.bank(payload.args[0])
    await update.callback_query.answer()
    intro = texts.ATTEMPT_STARTED.format(
        title=bidi.esc(bank.title),
        description=bidi.esc(bank.description),
        questions=context.fmt.count("question", len(bank.questions)),
    )
    await _begin(update, context, bank, intro)


@button
async def show_menu(update: Update, context: QuizContext) -> None:
    """Offer the banks again after a finished attempt."""
    buttons.unpack(update.callback_query.data, buttons.QUIZ_MENU)
    await update.callback_query.answer()
    await update.effective_chat.send_message(
        texts.CHOOSE_BANK, reply_markup=keyboards.banks(context.fmt, list(context.banks.values()))
    )


async def _record_choice(
    update: Update, context: QuizContext, attempt: Attempt, position: int, keys: frozenset[str]
) -> None:
    """Grade a choice, record it once, and turn the question message into its feedback."""
    query = update.callback_query
    question = context.bank(attempt.bank_id).question(attempt.question_ids[position])
    verdict = grade_choice(question, keys)
    now = context.now()
    shown_at = query.message.date if query.message else now
    record, _new = await context.repo.record_answer(
        AnswerRecord(
            attempt_id=attempt.id,
            question_id=question.id,
            choice=",".join(sorted(keys)),
            correct=verdict.correct,
            score=verdict.score,
            answered_at=now,
            latency_ms=max(0, int((now - shown_at).total_seconds() * 1000)),
        )
    )
    await query.answer(texts.TOAST_CORRECT if record.correct else texts.TOAST_WRONG)
    await edit(
        query,
        render.feedback(context.fmt, question, attempt, position, record),
        keyboards.next_step(attempt, position),
    )


@button
async def answer(update: Update, context: QuizContext) -> None:
    """A press on an option of a single-answer or true/false question."""
    payload = buttons.unpack(update.callback_query.data, buttons.QUIZ_ANSWER)
    attempt = await _own_attempt(update, context, payload.int_arg(0))
    position, key = payload.int_arg(1), payload.args[2]
    attempt.require_current(position)
    if key not in attempt.options_shown(position):
        raise StaleAction(f"no option {key!r}")
    await _record_choice(update, context, attempt, position, frozenset({key}))


@button
async def toggle_option(update: Update, context: QuizContext) -> None:
    """Tick or untick one option of a multiple-answer question."""
    payload = buttons.unpack(update.callback_query.data, buttons.QUIZ_TOGGLE)
    position = payload.int_arg(1)
    attempt, record = await _own_attempt_and_answer(update, context, payload.int_arg(0), position)
    if record is not None:
        raise StaleAction("already confirmed")
    changed = toggle(attempt, position, payload.args[2])
    await context.repo.save_progress(changed, position)
    question = context.bank(attempt.bank_id).question(attempt.question_ids[position])
    await update.callback_query.answer()
    await edit_markup(update.callback_query, keyboards.question(changed, question))


@button
async def confirm(update: Update, context: QuizContext) -> None:
    """Submit the ticked options of a multiple-answer question."""
    payload = buttons.unpack(update.callback_query.data, buttons.QUIZ_CONFIRM)
    attempt = await _own_attempt(update, context, payload.int_arg(0))
    position = payload.int_arg(1)
    attempt.require_current(position)
    if not attempt.selection:
        await update.callback_query.answer(texts.TOAST_PICK_FIRST, show_alert=True)
        return
    await _record_choice(update, context, attempt, position, attempt.selection)


@button
async def next_question(update: Update, context: QuizContext) -> None:
    """Move on after the feedback: the next question, or the summary after the last."""
    query = update.callback_query
    payload = buttons.unpack(query.data, buttons.QUIZ_NEXT)
    position = payload.int_arg(1)
    attempt, record = await _own_attempt_and_answer(update, context, payload.int_arg(0), position)
    attempt.require_current(position)
    if record is None:
        await query.answer(texts.TOAST_ANSWER_FIRST)
        return
    moved = advance(attempt, position, context.now())
    if not await context.repo.save_progress(moved, position):
        raise StaleAction("moved meanwhile")
    await query.answer()
    await edit_markup(query, None)
    if moved.finished_at is None:
        await send_question(update, context, moved)
    else:
        await review_schedule.after_attempt(context.services, moved)
        await send_summary(update, context, moved)


async def send_summary(update: Update, context: QuizContext, attempt: Attempt) -> None:
    bank = context.bank(attempt.bank_id)
    result = summarize(attempt, bank, await context.repo.answers_for(attempt.id))
    await context.bot.send_message(
        attempt.chat_id,
        render.summary(context.fmt, bank, attempt, result),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.after_summary(attempt, bool(result.missed)),
    )


@button
async def resume(update: Update, context: QuizContext) -> None:
    """Show the current question again (or its feedback, if answered): the way back after a
    lost message, a restart, or a question that failed to send."""
    payload = buttons.unpack(update.callback_query.data, buttons.QUIZ_RESUME)
    attempt = await _own_attempt(update, context, payload.int_arg(0))
    attempt.require_current(attempt.position)
    await update.callback_query.answer()
    record = await context.repo.get_answer(attempt.id, attempt.current_question_id)
    if record is None:
        await send_question(update, context, attempt)
        return
    question = context.bank(attempt.bank_id).question(record.question_id)
    if question.is_choice:
        text = render.feedback(context.fmt, question, attempt, attempt.position, record)
    else:
        head = render.header(context.fmt, attempt.position, attempt.total)
        verdict = Verdict(record.correct, record.score)
        text = render.text_feedback(context.fmt, question, head, verdict, record.raw_text or "")
    await context.bot.send_message(
        attempt.chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.next_step(attempt, attempt.position),
    )


@button
async def retry_missed(update: Update, context: QuizContext) -> None:
    """Start a new attempt with only the questions missed in a finished one."""
    payload = buttons.unpack(update.callback_query.data, buttons.QUIZ_RETRY)
    attempt = await _own_attempt(update, context, payload.int_arg(0))
    if attempt.finished_at is None or attempt.status != "finished":
        raise StaleAction("retry of an unfinished attempt")
    bank = context.bank(attempt.bank_id)
    missed = summarize(attempt, bank, await context.repo.answers_for(attempt.id)).missed
    if not missed:
        raise StaleAction("nothing to retry")
    await update.callback_query.answer()
    await edit_markup(update.callback_query, None)
    intro = texts.RETRY_STARTED.format(questions=context.fmt.count("question", len(missed)))
    await _begin(update, context, bank, intro, only=missed, retry_of=attempt.id)
