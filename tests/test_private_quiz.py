"""Private self-paced quizzes through the real Application with a fake Bot API transport."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from bot import dates, texts
from bot.bidi import strip_html
from bot.formatting import Formatter
from quizzes.attempt import AnswerRecord, advance, new_attempt
from quizzes.model import QuestionType
from tests.buttons import option
from tests.factories import Person
from tests.harness import Harness, make_config, running

ARABIC = Formatter()  # the default digits, as in the tests' config

STUDENT = Person(5001, "ليلى", "الحسن", "layla")


async def start_bank(h: Harness, bank_id: str, person: Person = STUDENT):
    calls = await h.start_bank(person, bank_id)
    question_call = [c for c in calls if c.method == "sendMessage"][-1]
    attempt = await h.repo.active_attempt(person.id, person.id)
    return attempt, question_call


async def test_start_offers_every_bank(harness: Harness) -> None:
    calls = await harness.send("/start", STUDENT)
    sent = [c for c in calls if c.method == "sendMessage"]
    assert "ليلى" in sent[0].text
    bank_buttons = [data for _, data in sent[1].buttons]
    assert bank_buttons == [f"bk:{b}" for b in harness.app.bot_data.banks]


async def test_full_attempt_then_retry_of_missed(harness: Harness) -> None:
    h = harness
    bank = h.app.bot_data.banks["facts"]
    attempt, question_call = await start_bank(h, "facts")
    assert "السؤال ١ من" in question_call.text
    missed_on_purpose = set()
    for position in range(attempt.total):
        attempt = await h.repo.get_attempt(attempt.id)
        question = bank.question(attempt.question_ids[position])
        if question.type is QuestionType.MULTI:
            for key in sorted(question.answer):
                calls = await h.tap(STUDENT, option(question, key))
                assert h.toast(calls) == ""
            calls = await h.tap(STUDENT, texts.BUTTON_CONFIRM)
        elif position % 4 == 1:
            wrong = next(k for k in attempt.options_shown(position) if k not in question.answer)
            missed_on_purpose.add(question.id)
            calls = await h.tap(STUDENT, option(question, wrong))
        else:
            (right,) = question.answer
            calls = await h.tap(STUDENT, option(question, right))
        feedback = h.request.last("editMessageText")
        assert "الإجابة الصحيحة" in feedback.text
        citation = question.citations[0]
        assert citation.passage.text in strip_html(feedback.text)
        assert "الفقرة" in feedback.text
        last = position + 1 == attempt.total
        calls = await h.tap(STUDENT, texts.BUTTON_RESULTS if last else texts.BUTTON_NEXT)
        question_call = [c for c in calls if c.method == "sendMessage"][-1]
    summary = question_call
    assert "انتهت المحاولة" in summary.text
    scored = bank.scored_count
    assert f"من {len(bank.questions)}" not in summary.text or scored == len(bank.questions)
    answers = await h.repo.answers_for(attempt.id)
    assert len(answers) == len(bank.questions)
    assert {a.question_id for a in answers if not a.correct} == missed_on_purpose
    retry = [d for _, d in summary.buttons if d.startswith("rt:")]
    assert retry == [f"rt:{attempt.id}"]
    calls = await h.tap(STUDENT, texts.BUTTON_RETRY)
    again = await h.repo.active_attempt(STUDENT.id, STUDENT.id)
    assert again.retry_of == attempt.id
    assert set(again.question_ids) == missed_on_purpose


async def test_stale_and_replayed_presses_change_nothing(harness: Harness) -> None:
    h = harness
    attempt, question_call = await start_bank(h, "facts")
    first, other = (h.button(position=i, chat_id=STUDENT.id) for i in (0, 1))
    calls = await h.tap(STUDENT, first)
    assert h.toast(calls) in ("إجابة صحيحة ✅", "إجابة غير صحيحة ❌")
    stored = await h.repo.answers_for(attempt.id)
    # The same press again (Telegram redelivers) and another option: recorded once.
    await h.tap(STUDENT, first)
    await h.tap(STUDENT, other)
    assert await h.repo.answers_for(attempt.id) == stored
    next_button = h.button(texts.BUTTON_NEXT, chat_id=STUDENT.id)
    await h.tap(STUDENT, next_button)
    # Now the first question is past: its buttons and its "next" are stale; and forged data.
    for button in (first, next_button):
        calls = await h.tap(STUDENT, button)
        assert h.toast(calls) == texts.STALE
    forged = (f"tg:{attempt.id}:99:a", f"nx:{attempt.id}:99", f"nx:{attempt.id}:-1")
    for data in ("an:999999:0:a", "zz:what", "bk:nope", *forged):
        calls = await h.press_data(data, STUDENT)
        assert h.toast(calls) == "هذا الزر قديم أو لم يعد صالحًا، ولم يتغير شيء."
    assert (await h.repo.get_attempt(attempt.id)).position == 1
    assert await h.repo.answers_for(attempt.id) == stored


async def test_someone_elses_button_is_refused(harness: Harness) -> None:
    attempt, question_call = await start_bank(harness, "facts")
    intruder = Person(6002, "سامر")
    # The student's button's data, sent from the intruder's own chat.
    data = harness.button(position=0, chat_id=STUDENT.id).data
    calls = await harness.press_data(data, intruder)
    assert harness.toast(calls).startswith("هذا الزر")
    assert await harness.repo.answers_for(attempt.id) == []


async def test_attempt_survives_a_restart(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running(config) as h:
        attempt, question_call = await start_bank(h, "facts")
        await h.tap(STUDENT, position=0)
        await h.tap(STUDENT, texts.BUTTON_NEXT)
    # The second question is still on the student's screen when the bot comes back.
    async with running(config, request=h.request.reopened()) as h2:
        calls = await h2.tap(STUDENT, position=2)
        assert "الإجابة الصحيحة" in h2.request.last("editMessageText").text
        assert h2.toast(calls)
        calls = await h2.tap(STUDENT, texts.BUTTON_NEXT)
        assert "السؤال ٣ من" in [c for c in calls if c.method == "sendMessage"][-1].text
        assert len(await h2.repo.answers_for(attempt.id)) == 2


async def test_multi_select_needs_a_choice_before_confirm(harness: Harness) -> None:
    h = harness
    bank = h.app.bot_data.banks["facts"]
    multi = next(q for q in bank.questions if q.type is QuestionType.MULTI)
    attempt_row, _ = await start_bank(h, "facts")
    # Jump straight to a retry-style attempt containing only the multi question.
    import random

    from quizzes.attempt import new_attempt

    attempt = await h.repo.start_attempt(
        new_attempt(
            bank, STUDENT.id, STUDENT.id, h.app.bot_data.clock(), random.Random(1), only=[multi.id]
        )
    )
    # /start offers to continue it: its question comes with the toggles and the confirm.
    await h.send("/start", STUDENT)
    await h.tap(STUDENT, "تابع محاولتك", contains=True)
    calls = await h.tap(STUDENT, texts.BUTTON_CONFIRM)
    assert "اختر خيارًا واحدًا" in h.toast(calls)
    key = sorted(multi.answer)[0]
    calls = await h.tap(STUDENT, option(multi, key))
    marked = h.request.last("editMessageReplyMarkup").buttons
    assert any(label.startswith("☑️") and data.endswith(f":{key}") for label, data in marked)
    assert h.button(option(multi, key), chat_id=STUDENT.id).label.startswith(texts.CHECKED)
    assert (await h.repo.get_attempt(attempt.id)).selection == {key}
    calls = await h.tap(STUDENT, option(multi, key))
    assert (await h.repo.get_attempt(attempt.id)).selection == frozenset()


async def test_article_command(harness: Harness) -> None:
    h = harness
    calls = await h.send("/article 7", STUDENT)
    assert "الفقرة ٧" in calls[-1].text and "أنكرِيج" in calls[-1].text
    calls = await h.send("/article ١٣", STUDENT)
    assert "الفقرة ١٣" in calls[-1].text
    for bad in ("/article 14", "/article 0", "/article سبعة", "/article -2"):
        calls = await h.send(bad, STUDENT)
        assert calls[-1].text == "لا توجد فقرة بهذا الرقم. أرقام الفقرات من ١ إلى ١٣."
    calls = await h.send("/article", STUDENT)
    # No number: the opening words of each paragraph, to pick one from.
    listing = calls[-1].text
    assert "فقرات مقال «موسكو وسقوط مادورو»</b> (١٣ فقرةً)" in listing and "/article ٣" in listing
    assert "١٣." in listing and len(listing.splitlines()) == 13 + 4


async def test_score_cancel_help_and_unknown(harness: Harness) -> None:
    h = harness
    calls = await h.send("/score", STUDENT)
    assert "لم تُكمل أي محاولة" in calls[-1].text
    calls = await h.send("/cancel", STUDENT)
    assert calls[-1].text == "لا توجد محاولة جارية لإلغائها."
    attempt, _ = await start_bank(h, "facts")
    calls = await h.send("/cancel", STUDENT)
    assert "أُلغيت" in calls[-1].text
    assert (await h.repo.get_attempt(attempt.id)).status == "cancelled"
    calls = await h.send("/help", STUDENT)
    assert "/article" in calls[-1].text
    calls = await h.send("/frobnicate", STUDENT)
    assert "لا أعرف هذا الأمر" in calls[-1].text
    calls = await h.send("/score", STUDENT, chat_id=-100123)
    assert "المحادثة الخاصة" in calls[-1].text


async def test_command_menu_is_set_in_arabic(harness: Harness) -> None:
    call = harness.request.last("setMyCommands")
    commands = {c["command"]: c["description"] for c in call.params["commands"]}
    assert set(commands) >= {"start", "score", "article", "help", "cancel"}
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in d) for d in commands.values())


async def test_resume_after_a_question_failed_to_send(tmp_path: Path) -> None:
    """Telegram refuses the next question once; /start offers to continue, nothing is lost."""
    async with running(make_config(tmp_path), expect_errors=True) as h:
        attempt, question_call = await start_bank(h, "facts")
        await h.tap(STUDENT, position=0)
        refused: list[int] = []

        def refuse_once(call):
            if call.method == "sendMessage" and "السؤال ٢ من" in call.text and not refused:
                refused.append(1)
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            return None

        h.request.responders.append(refuse_once)
        await h.tap(STUDENT, texts.BUTTON_NEXT)
        assert refused and len(h.errors) == 1
        calls = await h.send("/start", STUDENT)
        resume = calls[-1].buttons[0]
        assert resume[1] == f"rs:{attempt.id}" and "السؤال ٢ من" in resume[0]
        calls = await h.tap(STUDENT, position=0)
        assert "السؤال ٢ من" in [c for c in calls if c.method == "sendMessage"][-1].text
        # Answered but not moved on: resuming shows the feedback with its "next" button again.
        await h.tap(STUDENT, position=0)
        calls = await h.tap(STUDENT, "تابع محاولتك", contains=True)
        shown = [c for c in calls if c.method == "sendMessage"][-1]
        assert "الإجابة الصحيحة" in shown.text and shown.buttons[0][1] == f"nx:{attempt.id}:1"
        assert len(await h.repo.answers_for(attempt.id)) == 2
        assert len(h.errors) == 1


async def test_score_dates_are_in_the_configured_time_zone(tmp_path: Path) -> None:
    """Finished at 22:30 UTC on 2 March is 01:30 on 3 March in Riyadh (UTC+3), as the
    teachers' exports and homework deadlines write it."""
    finished = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
    config = make_config(tmp_path, timezone="Asia/Riyadh")
    async with running(config, clock=lambda: finished) as h:
        await h.send("/start", STUDENT)  # the student and the chat are known
        bank = h.app.bot_data.banks["facts"]
        attempt = await h.repo.start_attempt(
            new_attempt(bank, STUDENT.id, STUDENT.id, finished, random.Random(1), only=("f01",))
        )
        await h.repo.record_answer(AnswerRecord(attempt.id, "f01", "a", True, 1.0, finished, 1000))
        await h.repo.save_progress(advance(attempt, 0, finished), 0)
        calls = await h.send("/score", STUDENT)
        line = strip_html(calls[-1].text)
        local = dates.plain(finished, config.tz)
        assert local == "2026-03-03 01:30"
        assert ARABIC.num(local) in line
        assert ARABIC.num("2026-03-02") not in line
