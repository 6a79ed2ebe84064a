"""Private flows of the discussion bank through the real Application: short answers, discussion
responses, peer rounds played alone, evidence pastes, /ask, and every kind of bad input."""

from __future__ import annotations

import itertools
import random
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot import bidi, render, texts
from bot.bidi import strip_html
from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from bot.formatting import Formatter
from quizzes.attempt import Attempt, new_attempt
from quizzes.grading import Verdict
from quizzes.loader import article_source, load_banks
from quizzes.model import QuestionType
from quizzes.typed import MAX_CHARS
from tests import factories
from tests.buttons import option
from tests.factories import Person
from tests.harness import Harness, make_config, running

ARABIC = Formatter()  # the default digits, as in the tests' config

STUDENT = Person(5101, "سلمى", "العلي")
GROUP = -100777
TELEGRAM_LIMIT = 4096
DISCUSSION_RESPONSE = (
    "أرى أن صمت بوتين كان حسابًا بعيد المدى، لأن المعاهدة لم تكن تُلزمه بتدخل عسكري فوري، "
    "ولأن المراقبين يتحدثون عن فوائد بعيدة المدى."
)
_ids = itertools.count(900_000)
(BANK,) = load_banks([DEFAULT_BANKS / "04_discussion.yaml"], DEFAULT_SEEDS)
ARTICLE = article_source(DEFAULT_SEEDS)(BANK.article_id)
ARTICLE_TIME = datetime(2026, 1, 5, tzinfo=UTC)


def _message(person: Person, chat_id: int | None = None, **content: Any) -> dict[str, Any]:
    chat_id = person.id if chat_id is None else chat_id
    return {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": factories.chat_payload(chat_id, person),
        "from": person.payload(),
        **content,
    }


def photo(bot: Any, person: Person) -> Update:
    sizes = [{"file_id": "ph", "file_unique_id": "ph-u", "width": 90, "height": 90}]
    return Update.de_json({"update_id": next(_ids), "message": _message(person, photo=sizes)}, bot)


def voice(bot: Any, person: Person) -> Update:
    note = {"file_id": "vo", "file_unique_id": "vo-u", "duration": 3, "mime_type": "audio/ogg"}
    return Update.de_json({"update_id": next(_ids), "message": _message(person, voice=note)}, bot)


def edited(bot: Any, person: Person, text: str) -> Update:
    payload = _message(person, text=text, edit_date=int(time.time()))
    return Update.de_json({"update_id": next(_ids), "edited_message": payload}, bot)


def sent_texts(calls: list) -> list[str]:
    return [c.text for c in calls if c.method in ("sendMessage", "editMessageText")]


def reply(calls: list) -> str:
    """The one message the bot sent back."""
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1, [c.method for c in calls]
    return sent[0].text


async def only(h: Harness, *question_ids: str, person: Person = STUDENT) -> Attempt:
    """An attempt at just these questions of the discussion bank, as a retry would start it."""
    bank = h.app.bot_data.banks["discuss"]
    await h.repo.save_student(person.id, person.first_name, None)
    await h.repo.save_chat(person.id, "private", None)
    return await h.repo.start_attempt(
        new_attempt(
            bank,
            person.id,
            person.id,
            h.app.bot_data.clock(),
            random.Random(3),
            only=list(question_ids),
        )
    )


async def resume(h: Harness, person: Person = STUDENT) -> None:
    """The student continues the attempt from /start: its question is drawn, with buttons."""
    await h.send("/start", person)
    await h.tap(person, "تابع محاولتك", contains=True)


def question(h: Harness, qid: str):
    return h.app.bot_data.banks["discuss"].question(qid)


# --- the whole bank, question by question ----------------------------------------------------


async def test_the_whole_discussion_bank_in_private(harness: Harness) -> None:
    h = harness
    bank = h.app.bot_data.banks["discuss"]
    calls = await h.start_bank(STUDENT, "discuss")
    attempt = await h.repo.active_attempt(STUDENT.id, STUDENT.id)
    expected_score = 0.0
    for position, qid in enumerate(attempt.question_ids):
        q = bank.question(qid)
        shown = [c for c in calls if c.method == "sendMessage"][-1]
        assert f"السؤال {ARABIC.num(position + 1)} من" in shown.text
        if q.type is QuestionType.DISCUSSION:
            calls = await h.send(DISCUSSION_RESPONSE, STUDENT)
            assert "نقاط للتفكير" in reply(calls)
        elif q.type is QuestionType.SHORT:
            calls = await h.send(q.accepted[-1], STUDENT)
            assert reply(calls).count("إجابتك صحيحة") == 1
            expected_score += 1
        elif q.type is QuestionType.EVIDENCE:
            calls = await h.send(q.citations[0].passage.text, STUDENT)
            assert "الجملة الداعمة" in reply(calls)
            expected_score += 1
        else:
            assert q.type is QuestionType.PEER
            data = [d for _, d in shown.buttons]
            assert all(d.startswith(f"v1:{attempt.id}:{position}:") for d in data)
            wrong = next(k for k in attempt.options_shown(position) if k not in q.answer)
            await h.tap(STUDENT, option(q, wrong))
            (right,) = q.answer
            calls = await h.tap(STUDENT, option(q, right))  # the second vote's button
            assert texts.SHIFT_TO_RIGHT in h.request.last("editMessageText").text
            expected_score += 1
        for text in sent_texts(calls):
            assert len(text) <= TELEGRAM_LIMIT
        last = position + 1 == attempt.total
        calls = await h.tap(STUDENT, texts.BUTTON_RESULTS if last else texts.BUTTON_NEXT)
    summary = [c for c in calls if c.method == "sendMessage"][-1].text
    assert "انتهت المحاولة" in summary
    # Discussion responses are recorded but not scored: 21 scored questions of 31.
    assert bank.scored_count == 21 and len(bank.questions) == 31
    assert f"من {ARABIC.count('question', 21)}" in summary
    answers = await h.repo.answers_for(attempt.id)
    assert len(answers) == 31
    assert sum(a.score for a in answers) == expected_score == 21
    discussion = [
        a for a in answers if bank.question(a.question_id).type is QuestionType.DISCUSSION
    ]
    assert {(a.correct, a.score, a.raw_text) for a in discussion} == {
        (None, 0.0, DISCUSSION_RESPONSE)
    }


# --- short answers ---------------------------------------------------------------------------


async def test_short_answer_with_a_typo_is_accepted_and_the_raw_text_stored(
    harness: Harness,
) -> None:
    h = harness
    attempt = await only(h, "s05")
    typed = "  انكرِج "
    text = reply(await h.send(typed, STUDENT))
    assert texts.VERDICT_FUZZY.format(answer="أنكريج") in text
    assert "اتفقا ضمن قمة أنكرِيج أو قبلها" in strip_html(text)  # the passage
    assert "الفقرة ٧" in text
    record = await h.repo.get_answer(attempt.id, "s05")
    assert (record.correct, record.score, record.raw_text, record.choice) == (True, 1.0, typed, "")
    next_button = h.request.last("sendMessage").buttons
    assert next_button == [(texts.BUTTON_RESULTS, f"nx:{attempt.id}:0")]


async def test_wrong_short_answer_quotes_the_accepted_answer_and_the_passage(
    harness: Harness,
) -> None:
    h = harness
    attempt = await only(h, "s01", "s02")
    text = reply(await h.send("٢٠١٢", STUDENT))
    plain = strip_html(text)
    assert texts.VERDICT_WRONG in text
    assert "الإجابة الصحيحة: 2011" in plain
    assert "معمّر القذافي الذي أُطيح به وقتِل عام 2011" in plain
    record = await h.repo.get_answer(attempt.id, "s01")
    assert (record.correct, record.raw_text) == (False, "٢٠١٢")


async def test_latin_is_refused_only_where_no_accepted_answer_is_latin(harness: Harness) -> None:
    h = harness
    first = await only(h, "s01")
    assert reply(await h.send("twenty eleven", STUDENT)) == texts.TEXT_NOT_ARABIC
    assert await h.repo.answers_for(first.id) == []
    assert texts.VERDICT_CORRECT in reply(await h.send("2011", STUDENT))
    second = await only(h, "s04")
    assert texts.VERDICT_CORRECT in reply(await h.send("buk 2ma", STUDENT))
    assert (await h.repo.get_answer(second.id, "s04")).raw_text == "buk 2ma"


# --- discussion ------------------------------------------------------------------------------


async def test_discussion_response_is_recorded_then_points_with_passages(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "d01", "s01")
    q = question(h, "d01")
    text = reply(await h.send(DISCUSSION_RESPONSE, STUDENT))
    plain = strip_html(text)
    assert texts.RESPONSE_RECORDED in text
    for point in q.points:
        assert point.text in plain
        for citation in point.citations:
            assert citation.passage.text in plain
            assert f"الفقرة {ARABIC.num(citation.paragraph)}" in plain
    record = await h.repo.get_answer(attempt.id, "d01")
    assert (record.correct, record.score, record.raw_text) == (None, 0.0, DISCUSSION_RESPONSE)
    assert h.request.last("sendMessage").buttons == [(texts.BUTTON_NEXT, f"nx:{attempt.id}:0")]


async def test_short_discussion_response_is_refused_with_the_counts(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "d01")
    text = reply(await h.send("صمت بوتين ضعف.", STUDENT))
    # 13 letters and spaces counted (punctuation is not), 40 required.
    assert text == texts.TEXT_TOO_SHORT.format(
        length=ARABIC.count("character", 13), minimum=ARABIC.count("character", 40)
    )
    # Padding with dots does not reach the minimum either.
    assert reply(await h.send("صمت بوتين ضعف" + "." * 60, STUDENT)).startswith("ردّك قصير")
    assert await h.repo.answers_for(attempt.id) == []


async def test_discussion_response_must_be_in_arabic(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "d02")
    english = "I think the hypothesis is weak because nobody is named as its source in the article."
    assert reply(await h.send(english, STUDENT)) == texts.TEXT_NOT_ARABIC
    assert await h.repo.answers_for(attempt.id) == []


def test_question_messages_tell_how_to_answer() -> None:
    bank = BANK
    discussion = bank.question("d01")
    shown = render.question_text(Formatter(), discussion, (), 0, 1)
    assert "(٤٠ حرفًا على الأقل)" in shown
    assert texts.QUESTION_EVIDENCE_HINT in render.question_text(
        Formatter(), bank.question("e01"), (), 0, 1
    )
    assert texts.QUESTION_SHORT_HINT in render.question_text(
        Formatter(), bank.question("s01"), (), 0, 1
    )
    peer = bank.question("p01")
    order = tuple(o.key for o in peer.options)
    assert texts.QUESTION_PEER_HINT in render.question_text(Formatter(), peer, order, 0, 1)


# --- peer rounds played alone ----------------------------------------------------------------


async def test_peer_round_vote_reconsider_revote_reveal(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "p02", "s01")
    q = question(h, "p02")
    order = attempt.options_shown(0)
    wrong = next(k for k in order if k not in q.answer)
    other_wrong = next(k for k in order if k not in q.answer and k != wrong)
    right = next(iter(q.answer))
    await resume(h)
    first_vote = {k: h.button(option(q, k), chat_id=STUDENT.id) for k in (other_wrong, right)}

    calls = await h.tap(STUDENT, option(q, wrong))
    assert h.toast(calls) == texts.TOAST_FIRST_VOTE
    view = h.request.last("editMessageText")
    plain = strip_html(view.text)
    assert "تصويتك الأول" in plain and q.option(wrong).text in plain
    assert "الإجابة الصحيحة" not in plain and q.explanation not in plain
    assert (
        next(iter(h.app.bot_data.articles.values())).paragraph(6) in plain
    )  # the cited paragraph, to look at again
    assert "دقيقة واحدة و٣٠ ثانيةً" in plain  # discussion_seconds: 90
    assert [d for _, d in view.buttons] == [f"v2:{attempt.id}:0:{k}" for k in order]
    assert await h.repo.get_answer(attempt.id, "p02") is None

    # A replayed or changed first press keeps the first vote.
    await h.tap(STUDENT, first_vote[other_wrong])
    assert (await h.repo.first_vote(attempt.id, "p02")).choice == wrong

    second_vote_wrong = h.button(option(q, wrong), chat_id=STUDENT.id)
    calls = await h.tap(STUDENT, option(q, right))
    assert h.toast(calls) == texts.TOAST_CORRECT
    reveal = h.request.last("editMessageText")
    plain = strip_html(reveal.text)
    assert (
        f"تصويتك الأول: {strip_html(render.shown_options(q, order, frozenset({wrong})))}" in plain
    )
    assert f"تصويتك الثاني: {strip_html(render.shown_options(q, order, q.answer))}" in plain
    assert texts.SHIFT_TO_RIGHT in plain
    assert q.explanation in plain
    assert q.citations[0].passage.text in plain
    assert reveal.buttons == [(texts.BUTTON_NEXT, f"nx:{attempt.id}:0")]
    record = await h.repo.get_answer(attempt.id, "p02")
    assert (record.choice, record.correct, record.score) == (right, True, 1.0)

    # After the reveal: the first-vote buttons are stale, a second vote changes nothing.
    calls = await h.tap(STUDENT, first_vote[right])
    assert h.toast(calls) == texts.STALE
    await h.tap(STUDENT, second_vote_wrong)
    assert await h.repo.get_answer(attempt.id, "p02") == record


async def test_peer_round_staying_wrong_is_scored_on_the_second_vote(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "p04")
    q = question(h, "p04")
    wrong = next(k for k in attempt.options_shown(0) if k not in q.answer)
    await resume(h)
    await h.tap(STUDENT, option(q, wrong))
    calls = await h.tap(STUDENT, option(q, wrong))  # the second vote's button
    assert h.toast(calls) == texts.TOAST_WRONG
    plain = strip_html(h.request.last("editMessageText").text)
    assert texts.SHIFT_STAYED_WRONG in plain
    assert q.option(wrong).misconception in plain
    await h.tap(STUDENT, texts.BUTTON_RESULTS)
    summary = h.request.last("sendMessage")
    assert "الأسئلة التي أخطأت فيها" in summary.text
    assert any(d.startswith("rt:") for _, d in summary.buttons)


async def test_forged_and_foreign_peer_votes_are_refused(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "p01", "s01")
    intruder = Person(6201, "كريم")
    for data, person in [
        (f"v2:{attempt.id}:0:a", STUDENT),  # second vote before a first one
        (f"v1:{attempt.id}:0:z", STUDENT),  # no such option
        (f"v1:{attempt.id}:1:a", STUDENT),  # not the current position
        (f"v1:{attempt.id}:0:a", intruder),  # someone else's attempt
        ("v1:notanumber:0:a", STUDENT),
        (f"v1:{attempt.id}:0", STUDENT),
    ]:
        calls = await h.press_data(data, person)
        assert h.toast(calls) == texts.STALE, data
    assert await h.repo.first_vote(attempt.id, "p01") is None
    assert await h.repo.answers_for(attempt.id) == []


# --- evidence --------------------------------------------------------------------------------


async def test_evidence_exact_paste_shows_the_paragraph_back(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "e01")
    sentence = question(h, "e01").citations[0].passage.text
    text = reply(await h.send(sentence, STUDENT))
    assert texts.VERDICT_CORRECT in text
    assert f"<b>{bidi.esc(sentence)}</b>" in text
    # The whole paragraph, not only the sentence.
    assert strip_html(
        bidi.esc(next(iter(h.app.bot_data.articles.values())).paragraph(3))
    ) in strip_html(text)
    assert (await h.repo.get_answer(attempt.id, "e01")).score == 1.0


async def test_evidence_fragment_gets_half_credit(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "e02")
    text = reply(await h.send("لكن بوتين امتنع عن أي رد فعل معلن أو تحرّك عسكري", STUDENT))
    assert texts.VERDICT_EVIDENCE_PARTIAL in text and texts.MARK_PARTIAL in text
    record = await h.repo.get_answer(attempt.id, "e02")
    assert (record.correct, record.score) == (False, 0.5)


async def test_evidence_another_real_sentence_is_named_with_its_paragraph(
    harness: Harness,
) -> None:
    h = harness
    attempt = await only(h, "e01")
    article = next(iter(h.app.bot_data.articles.values()))
    other = next(s for s in article.sentences if s.paragraph == 9)
    text = reply(await h.send(other.text, STUDENT))
    plain = strip_html(text)
    assert texts.VERDICT_EVIDENCE_ELSEWHERE in text
    assert "الجملة التي نسختها من الفقرة ٩" in plain
    assert "الفقرة ٩ التي نسخت منها" in plain
    assert "الجملة الداعمة (بخط عريض) في الفقرة ٣" in plain
    record = await h.repo.get_answer(attempt.id, "e01")
    assert (record.correct, record.score, record.raw_text) == (False, 0.0, other.text)


def test_evidence_feedback_fits_a_message_even_in_the_worst_case() -> None:
    raw = "ا" * MAX_CHARS  # the longest accepted paste, quoted back clipped
    for q in BANK.questions:
        if q.type is not QuestionType.EVIDENCE:
            continue
        for sentence in ARTICLE.sentences:
            shown = render.text_feedback(
                Formatter(),
                q,
                render.header(Formatter(), 0, 31),
                Verdict(False, 0.0),
                raw,
                article=ARTICLE,
                elsewhere=sentence,
            )
            assert len(shown) <= TELEGRAM_LIMIT, (q.id, sentence.paragraph)


def test_peer_second_look_fits_a_message() -> None:
    for q in BANK.questions:
        if q.type is QuestionType.PEER:
            attempt = new_attempt(BANK, 1, 1, ARTICLE_TIME, random.Random(1), only=[q.id])
            shown = render.peer_reconsider(Formatter(), q, ARTICLE, attempt, 0, q.options[0].key)
            assert len(shown) <= TELEGRAM_LIMIT, q.id


# --- bad input and wrong moments -------------------------------------------------------------


@pytest.mark.parametrize("qid", ["s01", "d01", "e01"])
async def test_bad_input_gets_a_notice_and_records_nothing(harness: Harness, qid: str) -> None:
    h = harness
    attempt = await only(h, qid)
    assert reply(await h.send("؟؟؟ !!", STUDENT)) == texts.TEXT_EMPTY
    assert reply(await h.send("\u3164", STUDENT)) == texts.TEXT_EMPTY  # an "invisible" letter
    too_long = "كلمة " * 250
    assert reply(await h.send(too_long, STUDENT)) == texts.TEXT_TOO_LONG.format(
        length=ARABIC.count("character", len(too_long)),
        limit=ARABIC.count("character", MAX_CHARS),
    )
    assert reply(await h.send("hello there", STUDENT)) == texts.TEXT_NOT_ARABIC
    for update in (
        factories.sticker(h.bot, STUDENT),
        photo(h.bot, STUDENT),
        voice(h.bot, STUDENT),
    ):
        assert reply(await h.process(update)) == texts.MEDIA_NOT_TEXT
    assert await h.repo.answers_for(attempt.id) == []
    assert (await h.repo.get_attempt(attempt.id)).position == 0


async def test_text_with_no_text_question_waiting_points_somewhere(harness: Harness) -> None:
    h = harness
    assert reply(await h.send("مرحبا", STUDENT)) == texts.NO_TEXT_QUESTION
    assert reply(await h.process(factories.sticker(h.bot, STUDENT))) == texts.MEDIA_NO_QUESTION
    # A choice question is answered with its buttons.
    attempt = await only(h, "p01", "s01")
    assert reply(await h.send("ب", STUDENT)) == texts.ANSWER_WITH_BUTTONS
    assert reply(await h.process(photo(h.bot, STUDENT))) == texts.ANSWER_WITH_BUTTONS
    assert await h.repo.answers_for(attempt.id) == []


async def test_a_second_text_after_answering_changes_nothing(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "s03", "s01")
    first = reply(await h.send("قوة دلتا", STUDENT))
    stored = await h.repo.answers_for(attempt.id)
    assert reply(await h.send("موسكو", STUDENT)) == texts.ALREADY_ANSWERED
    # The same text again (Telegram redelivered it, or the feedback was lost): same feedback.
    assert reply(await h.send("قوة دلتا", STUDENT)) == first
    assert await h.repo.answers_for(attempt.id) == stored
    # An edited message is not a new answer, and gets no reply at all.
    assert await h.process(edited(h.bot, STUDENT, "موسكو")) == []
    assert await h.repo.answers_for(attempt.id) == stored


async def test_group_text_is_not_taken_as_a_private_answer(harness: Harness) -> None:
    h = harness
    attempt = await only(h, "s03")
    calls = await h.send("قوة دلتا", STUDENT, chat_id=GROUP)
    assert [c for c in calls if c.method == "sendMessage"] == []
    assert await h.repo.answers_for(attempt.id) == []


async def test_a_restart_keeps_the_waiting_text_question(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running(config) as h:
        attempt = await only(h, "s08")
    async with running(config) as h2:
        assert texts.VERDICT_CORRECT in reply(await h2.send("شافيز", STUDENT))
        assert (await h2.repo.get_answer(attempt.id, "s08")).correct is True


# --- /ask ------------------------------------------------------------------------------------


async def test_ask_in_private_returns_sentences_with_paragraph_numbers(harness: Harness) -> None:
    text = reply(await harness.send("/ask من هو أليشير إلكاموف؟", STUDENT))
    plain = strip_html(text)
    assert "أقرب ما في المقال إلى سؤالك" in plain
    assert "مدير مركز تقييم آسيا الوسطى في لندن" in plain
    assert "— الفقرة ٦" in plain


async def test_ask_in_a_group_replies_to_the_asker(harness: Harness) -> None:
    calls = await harness.send("/ask@class_quiz_bot متى قُتل القذافي؟", STUDENT, chat_id=GROUP)
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1 and sent[0].chat_id == GROUP
    assert "— الفقرة ٢" in strip_html(sent[0].text)
    assert "reply_parameters" in sent[0].params


async def test_ask_says_plainly_when_nothing_matches_and_explains_usage(
    harness: Harness,
) -> None:
    h = harness
    assert reply(await h.send("/ask ما عاصمة اليابان؟", STUDENT)) == texts.ASK_NOTHING
    assert reply(await h.send("/ask", STUDENT)) == texts.ASK_USAGE
    assert reply(await h.send("/ask", STUDENT, chat_id=GROUP)) == texts.ASK_USAGE
    long_question = "/ask " + "لماذا " * 200
    assert reply(await h.send(long_question, STUDENT)).startswith("سؤالك طويل جدًّا")
    assert "/ask" in reply(await h.send("/help", STUDENT))
