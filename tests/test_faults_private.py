"""Fault suite, private self-paced attempts: the Bot API failing under the real Application.

Every case checks SQLite itself: each answer stored once, nothing lost, and the student can
carry on (press again, or /start then continue)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram.error import Forbidden, NetworkError

from bot import texts
from tests.fault_support import (
    BLOCKED,
    NOT_MODIFIED,
    STUDENT,
    TOO_OLD,
    TRANSIENT,
    AnswerOnce,
    Fault,
    answers_to,
    begin,
    flood,
    position,
    replay,
    right,
    stored,
    text_has,
    unlimited_but_retrying,
)
from tests.harness import make_config, running

# --- 429: retried by the rate limiter, nothing lost ----------------------------------------


async def test_flood_control_on_sends_edits_and_toasts_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns on the int form of RetryAfter.retry_after; opt in to the timedelta form.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    limiter = unlimited_but_retrying()
    async with running(make_config(tmp_path), rate_limiter=limiter) as h:
        send = Fault("sendMessage", flood, where=text_has("السؤال ١ من"))
        edit = Fault("editMessageText", flood)
        toast = Fault("answerCallbackQuery", flood, where=lambda c: "text" in c.params)
        h.request.responders += [send, edit, toast]
        attempt, question = await begin(h)
        assert len(send.hits) == 1
        # Refused once, sent again: the question reached the student exactly once.
        firsts = [c for c in h.request.of("sendMessage") if "السؤال ١ من" in c.text]
        assert len(firsts) == 2 and question is firsts[-1]
        calls = await h.tap(STUDENT, right(h, attempt, question))
        assert len(edit.hits) == 1 and len(toast.hits) == 1
        assert [c.params.get("text") for c in answers_to(calls)] == [texts.TOAST_CORRECT] * 2
        assert [c.method for c in calls].count("editMessageText") == 2
        assert "الإجابة الصحيحة" in calls[-1].text
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        calls = await h.tap(STUDENT, texts.BUTTON_NEXT)
        assert any("السؤال ٢ من" in c.text for c in calls if c.method == "sendMessage")
        assert position(h, attempt) == 1


# --- 5xx, timeouts, network errors ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(TRANSIENT))
async def test_failed_feedback_edit_keeps_the_answer_and_a_press_again_shows_it(
    tmp_path: Path, kind: str
) -> None:
    async with running(make_config(tmp_path), expect_errors=True) as h:
        telegram = AnswerOnce()
        edit = Fault("editMessageText", TRANSIENT[kind])
        h.request.responders += [edit, telegram]
        attempt, question = await begin(h)
        calls = await h.tap(STUDENT, right(h, attempt, question))
        assert len(edit.hits) == 1
        assert len(h.errors) == 1 and isinstance(h.errors[0], NetworkError)
        # Recorded and acknowledged before the edit failed; the apology could not ride on the
        # answered query, so it came as a message.
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        assert answers_to(calls)[0].params["text"] == texts.TOAST_CORRECT
        assert [c.text for c in calls if c.method == "sendMessage"] == [texts.APOLOGY]
        # The question still has its buttons: pressing again shows the feedback, counts nothing.
        calls = await h.tap(STUDENT, right(h, attempt, question))
        assert answers_to(calls)[0].params["text"] == texts.TOAST_CORRECT
        assert "الإجابة الصحيحة" in h.request.last("editMessageText").text
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        await h.tap(STUDENT, texts.BUTTON_NEXT)
        assert position(h, attempt) == 1 and len(h.errors) == 1
        assert not telegram.refused[1:]  # only the apology was ever refused


@pytest.mark.parametrize("kind", sorted(TRANSIENT))
async def test_failed_next_question_is_resumed_from_start(tmp_path: Path, kind: str) -> None:
    async with running(make_config(tmp_path), expect_errors=True) as h:
        h.request.responders.append(AnswerOnce())
        attempt, question = await begin(h)
        await h.tap(STUDENT, right(h, attempt, question))
        send = Fault("sendMessage", TRANSIENT[kind], where=text_has("السؤال ٢ من"))
        h.request.responders.insert(0, send)
        calls = await h.tap(STUDENT, texts.BUTTON_NEXT)
        assert len(send.hits) == 1 and len(h.errors) == 1
        assert calls[-1].text == texts.APOLOGY
        # The move was stored; the lost question comes back through /start's resume button.
        assert position(h, attempt) == 1
        await h.send("/start", STUDENT)
        calls = await h.tap(STUDENT, "تابع محاولتك", contains=True)
        question = next(c for c in calls if c.method == "sendMessage" and "السؤال ٢ من" in c.text)
        attempt = await h.repo.get_attempt(attempt.id)
        await h.tap(STUDENT, right(h, attempt, question))
        assert stored(h, attempt) == [(q, 1) for q in attempt.question_ids[:2]]
        assert len(h.errors) == 1


# --- Forbidden: the student blocked the bot ------------------------------------------------


async def test_blocked_student_keeps_the_answer_and_is_logged_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(make_config(tmp_path), expect_errors=True) as h:
        attempt, question = await begin(h)
        h.request.responders.append(Fault("editMessageText", lambda: BLOCKED))
        with caplog.at_level(logging.INFO, logger="bot.errors"):
            calls = await h.tap(STUDENT, right(h, attempt, question))
        assert len(h.errors) == 1 and isinstance(h.errors[0], Forbidden)
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        # No apology to someone who cannot read it, and no error-level noise in the log.
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        records = [r for r in caplog.records if r.name == "bot.errors"]
        assert [r.levelno for r in records] == [logging.INFO] and not records[0].exc_info
        # Unblocked later: the same press shows the feedback; still one answer.
        await h.tap(STUDENT, right(h, attempt, question))
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]


async def test_blocked_before_the_first_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(make_config(tmp_path), expect_errors=True) as h:
        h.request.responders.append(Fault("sendMessage", lambda: BLOCKED, times=10))
        with caplog.at_level(logging.INFO, logger="bot.errors"):
            calls = await h.send("/start", STUDENT)
        assert [c.method for c in calls] == ["sendMessage"]
        assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "bot.errors")


# --- "message is not modified" -------------------------------------------------------------


async def test_message_not_modified_is_ignored(tmp_path: Path) -> None:
    async with running(make_config(tmp_path)) as h:
        attempt, question = await begin(h)
        press = h.tap_update(right(h, attempt, question), STUDENT)
        await h.process(press)
        # Telegram delivers the press again; the feedback is already shown.
        h.request.responders.append(Fault("editMessageText", lambda: NOT_MODIFIED))
        calls = await replay(h, press)
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        next_button = h.button(texts.BUTTON_NEXT, chat_id=STUDENT.id)
        await h.tap(STUDENT, next_button)
        h.request.responders.append(Fault("editMessageReplyMarkup", lambda: NOT_MODIFIED))
        await h.tap(STUDENT, next_button)  # a second "next": stale, and no error
        assert position(h, attempt) == 1


# --- "query is too old" --------------------------------------------------------------------


async def test_query_too_old_still_records_once_and_shows_the_feedback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(make_config(tmp_path)) as h:
        attempt, question = await begin(h)
        press = h.tap_update(right(h, attempt, question), STUDENT)
        h.request.responders.append(Fault("answerCallbackQuery", lambda: TOO_OLD, times=2))
        with caplog.at_level(logging.INFO, logger="bot.api"):
            calls = await h.process(press)
            again = await replay(h, press)
        # The toast could not be shown, but the flow went on: recorded, feedback drawn.
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        assert "الإجابة الصحيحة" in calls[-1].text
        assert [c.method for c in again] == ["answerCallbackQuery", "editMessageText"]
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        expired = [r for r in caplog.records if r.name == "bot.api"]
        assert len(expired) == 2 and all(r.levelno == logging.INFO for r in expired)
        await h.tap(STUDENT, texts.BUTTON_NEXT)
        assert position(h, attempt) == 1
