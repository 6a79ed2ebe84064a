"""Typed questions in live group sessions, through the real Application: short answers,
evidence pastes and discussion prompts answered by replying to the question message."""

from __future__ import annotations

from pathlib import Path

from telegram import Update

from bot import bidi, texts
from bot.bidi import strip_html
from bot.live import api as live_engine
from bot.render import highlighted
from quizzes.analysis import discussion_answers, rows_from_live
from quizzes.live import Phase, Status
from quizzes.typed import MAX_CHARS
from tests.factories import Person
from tests.fakes import Call
from tests.harness import Harness, running
from tests.live_support import (
    GROUP,
    MESSAGE_METHODS,
    FakeClock,
    Room,
    bank_dir,
    live_config,
    make_class,
)


def messages(calls: list[Call]) -> list[Call]:
    """Calls that post or edit a message, or answer a press, in any chat."""
    return [c for c in calls if c.method in MESSAGE_METHODS or c.method == "answerCallbackQuery"]


async def _start(h: Harness, room: Room, pupils: list[Person], responses: bool = False) -> None:
    await room.open("live4")
    for p in pupils:
        await room.join(p)
    if responses:
        await room.control("rs")
    await room.control("go")


async def test_short_answers_are_replies_to_the_question(tmp_path: Path) -> None:
    clock = FakeClock()
    pupils = make_class(4)
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("s01", "s05")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await _start(h, room, pupils)
        s = await room.session()
        sent = h.request.last("sendMessage", GROUP)
        assert texts.LIVE_REPLY_SHORT_HINT in sent.text and "📨 الإجابات: ٠ من ٤" in sent.text
        # No option buttons: only the teacher's row.
        assert [label for label, _ in sent.buttons] == [
            texts.LIVE_BUTTON_PAUSE,
            texts.LIVE_BUTTON_REVEAL,
            texts.LIVE_BUTTON_STOP,
        ]
        start = len(h.request.calls)
        # Arabic-Indic digits and a diacritic, Latin digits, a wrong year.
        replay = room.reply_update(pupils[0], "عامَ ٢٠١١", s.message_id)
        await h.process(replay)
        await room.reply(pupils[1], "2011")
        await room.reply(pupils[2], "2014")
        # A second reply, and the same update delivered twice, change nothing.
        await room.reply(pupils[0], "2014")
        await h.process(replay)
        assert messages(h.request.calls[start:]) == []
        stored = await h.repo.live_answers(s.id, 0)
        assert [(a.user_id, a.raw_text, a.correct, a.points) for a in stored] == [
            (pupils[0].id, "عامَ ٢٠١١", True, 1.0),
            (pupils[1].id, "2011", True, 1.0),
            (pupils[2].id, "2014", False, 0.0),
        ]
        counter = room.group_calls(await room.timers(10))
        assert [c.method for c in counter] == ["editMessageText"]
        assert "📨 الإجابات: ٣ من ٤" in counter[0].text
        # The last expected reply closes the question: the reveal edits the same message.
        await room.reply(pupils[3], "عام 2011")
        reveal = h.request.last("editMessageText", GROUP)
        assert reveal.params["message_id"] == s.message_id
        q = room.question(s)
        assert texts.LIVE_REASON_ALL_ANSWERED in reveal.text
        assert f"الإجابة المقبولة:</b> {bidi.esc('2011')}" in reveal.text
        assert "📨 الإجابات: ٤ من ٤ · الصحيحة منها: ٣" in reveal.text
        assert q.citations[0].passage.text in strip_html(reveal.text)
        assert bidi.esc(q.explanation) in reveal.text

        # Next: typos tolerated where the bank allows; the reveal comes on timeout.
        await room.timers(h.app.bot_data.live.rules.reveal_seconds)
        s = await room.session()
        assert s.current.question_id == "s05"
        await room.reply(pupils[0], "انكوريج")  # no hamza
        await room.reply(pupils[1], "قمة أنكريغ")  # one letter off
        await room.reply(pupils[2], "موسكو")
        clock.advance(s.current.seconds)
        await live_engine.close_due_sessions(h.app)
        reveal = h.request.last("editMessageText", GROUP)
        assert texts.LIVE_REASON_TIMEOUT in reveal.text
        assert "📨 الإجابات: ٣ من ٤ · الصحيحة منها: ٢" in reveal.text
        assert (await room.session()).status is Status.FINISHED
        results = {r.user_id: r.score for r in await h.repo.live_results(session_id=s.id)}
        assert [results[p.id] for p in pupils] == [2.0, 2.0, 0.0, 1.0]


async def test_evidence_pastes_earn_full_half_or_no_credit(tmp_path: Path) -> None:
    clock = FakeClock()
    pupils = make_class(4)
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("e01",)))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await _start(h, room, pupils)
        s = await room.session()
        assert texts.LIVE_REPLY_EVIDENCE_HINT in h.request.last("sendMessage", GROUP).text
        q = room.question(s)
        article = next(iter(h.app.bot_data.articles.values()))
        sentence = q.citations[0].passage.text
        await room.reply(pupils[0], sentence)
        await room.reply(pupils[1], sentence.replace(" (كاراكاس)", ""))  # still the sentence
        await room.reply(pupils[2], sentence[:70])  # a fragment
        await room.reply(pupils[3], article.sentences[0].text)  # another sentence
        reveal = h.request.last("editMessageText", GROUP)
        assert "الصحيحة منها: ٢ · الصحيحة جزئيًا: ١" in reveal.text
        # The paragraph is shown back with the supporting sentence in bold.
        assert highlighted(article, 3, [q.citations[0].passage]) in reveal.text
        assert f"<b>{bidi.esc(sentence)}</b>" in reveal.text
        answers = await h.repo.live_answers(s.id)
        assert [(a.correct, a.score) for a in answers] == [
            (True, 1.0),
            (True, 1.0),
            (False, 0.5),
            (False, 0.0),
        ]
        results = {r.user_id: r for r in await h.repo.live_results(session_id=s.id)}
        assert [results[p.id].score for p in pupils] == [1.0, 1.0, 0.5, 0.0]
        # The teacher's export rows keep the credit and the pasted text.
        _, rows = rows_from_live(
            await h.repo.live_results(chat_id=GROUP), await h.repo.live_answer_rows(chat_id=GROUP)
        )
        assert [(r.score, r.raw_text) for r in rows][2] == (0.5, sentence[:70])


# Names that would give students away, and responses that look like HTML.
PEOPLE = [
    Person(8101, "زيزفون", "العاملي"),
    Person(8102, "<b>قيصر</b>", "النجار"),
    Person(8103, "سوسن", "البرغوثي"),
    Person(8104, "يمان", "الحلبي"),
]
RESPONSES = [
    "أرى أن امتناع بوتين عن الرد حساب بعيد المدى، فالمعاهدة لم تلزم موسكو بالتدخل العسكري.",
    "<i>ضعف</i> واضح في رأيي: الخارجية أدانت الاحتجاز لكن بوتين نفسه لم يتحرك أبدًا.",
    "المقال يعرض تفسيرات المراقبين إلى جانب الوقائع، ولا يمكن الحكم بثقة من دون أدلة أكثر.",
]


async def _discussion(tmp_path: Path, responses: bool) -> tuple[str, list, dict]:
    """Run the prompt d01 with three of four students responding; return the reveal, the
    export rows and the results."""
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("d01", "s01")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.open("live4")
        lobby = h.request.last("editMessageText", GROUP)
        assert texts.LIVE_RESPONSES_OFF in lobby.text
        assert texts.LIVE_BUTTON_RESPONSES_OFF in [label for label, _ in lobby.buttons]
        for p in PEOPLE:
            await room.join(p)
        if responses:
            await room.control("rs")
            lobby = h.request.last("editMessageText", GROUP)
            assert texts.LIVE_RESPONSES_ON in lobby.text
            assert texts.LIVE_BUTTON_RESPONSES_ON in [label for label, _ in lobby.buttons]
        await room.control("go")
        s = await room.session()
        question = h.request.last("sendMessage", GROUP).text
        assert "من ٤٠ حرفًا إلى ١٠٠٠ حرف" in question
        assert (texts.LIVE_REPLY_SHOWN_NOTE in question) is responses
        for person, text in zip(PEOPLE, RESPONSES, strict=False):
            await room.reply(person, text)
        await room.control("sk")
        reveal = h.request.last("editMessageText", GROUP).text
        assert (await room.session()).phase is Phase.REVEAL
        await room.control("st")
        results = {r.user_id: r for r in await h.repo.live_results(session_id=s.id)}
        stored = await h.repo.live_answers(s.id, 0)
        assert [(a.raw_text, a.correct, a.points) for a in stored] == [
            (text, None, 0.0) for text in RESPONSES
        ]
        _, rows = rows_from_live(
            await h.repo.live_results(chat_id=GROUP), await h.repo.live_answer_rows(chat_id=GROUP)
        )
        teacher_sheet = discussion_answers(rows, h.app.bot_data.banks)
        return reveal, teacher_sheet, results


async def test_a_discussion_prompt_shows_how_many_responded_and_the_points(
    tmp_path: Path,
) -> None:
    reveal, teacher_sheet, results = await _discussion(tmp_path, responses=False)
    assert texts.LIVE_DISCUSSION_REASON_SKIPPED in reveal
    assert "📝 <b>ردّ ٣ من ٤.</b>" in reveal and texts.POINTS_HEADER in reveal
    assert texts.LIVE_RESPONSES_HEADER not in reveal
    for text in RESPONSES:
        assert bidi.esc(text) not in reveal
    # Not scored; the teacher still gets every response, with its author, in the export.
    assert all(r.score == 0.0 and r.correct == 0 for r in results.values())
    assert all(r.asked == 0 for r in results.values())
    assert [(r.result.student.user_id, r.raw_text) for r in teacher_sheet] == [
        (p.id, text) for p, text in zip(PEOPLE, RESPONSES, strict=False)
    ]


async def test_anonymous_responses_are_quoted_without_any_name(tmp_path: Path) -> None:
    reveal, _, _ = await _discussion(tmp_path, responses=True)
    assert texts.LIVE_RESPONSES_HEADER in reveal
    # The three responses (the class has three): escaped, in the order they came.
    quoted = [reveal.index(bidi.esc(text)) for text in RESPONSES]
    assert quoted == sorted(quoted)
    assert "<i>ضعف</i>" not in reveal and strip_html(bidi.esc(RESPONSES[1])) == RESPONSES[1]
    for p in PEOPLE:
        assert p.first_name not in reveal and bidi.esc(p.first_name) not in reveal
        assert p.last_name not in reveal
    # The points to consider follow the responses.
    assert reveal.index(texts.LIVE_RESPONSES_HEADER) < reveal.index(texts.POINTS_HEADER)


async def test_bad_replies_are_ignored_and_record_nothing(tmp_path: Path) -> None:
    clock = FakeClock()
    pupil, other = make_class(2)
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("d01", "p01")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.open("live4")
        await room.join(pupil)
        await room.join(other)
        await room.control("go")
        s = await room.session()
        start = len(h.request.calls)
        sticker = {
            "file_id": "stk",
            "file_unique_id": "stk-u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        photo = [{"file_id": "ph", "file_unique_id": "ph-u", "width": 90, "height": 90}]
        await room.reply(pupil, None, sticker=sticker)
        await room.reply(pupil, None, photo=photo, caption="رأيي في الصورة المرفقة")
        await room.reply(pupil, "  ...  ")  # nothing readable
        await room.reply(pupil, "رأي " * (MAX_CHARS // 4 + 1))  # over-long
        await room.reply(pupil, "I think it was a long-term calculation by the Kremlin.")
        await room.reply(pupil, "ضعف.")  # below the prompt's 40 characters
        # Replies to other messages: the lobby, an unknown one; and from another group.
        await room.reply(pupil, RESPONSES[0], message_id=555)
        await room.reply(pupil, RESPONSES[0], message_id=4242)
        elsewhere = Room(h, clock, chat_id=-100777)
        await elsewhere.reply(pupil, RESPONSES[0], message_id=s.message_id)
        # An edited reply is not a new answer.
        edited = room.reply_update(pupil, RESPONSES[0], s.message_id).to_dict()
        edited["edited_message"] = edited.pop("message")
        edited["edited_message"]["edit_date"] = edited["edited_message"]["date"]
        await h.process(Update.de_json(edited, h.bot))
        assert messages(h.request.calls[start:]) == []
        assert await h.repo.live_answers(s.id) == []
        assert (await room.session()).answered == frozenset()
        # None of that used up the student's reply: a good one still counts.
        await room.reply(pupil, RESPONSES[0])
        assert [a.raw_text for a in await h.repo.live_answers(s.id)] == [RESPONSES[0]]

        # A reply to the closed question's reveal, or to a choice question, is ignored too.
        await room.control("sk")
        await room.control("sk")
        peer = await room.session()
        start = len(h.request.calls)
        await room.reply(other, RESPONSES[1], message_id=s.message_id)
        await room.reply(other, "أ", message_id=peer.message_id)
        assert messages(h.request.calls[start:]) == []
        assert [a.user_id for a in await h.repo.live_answers(s.id)] == [pupil.id]
