"""Teachers through the real Application: homework links and deadlines, exports delivered in
private, the report chart, /stats, /forgetme, and who may do what."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from telegram import Update

from bot import bidi, texts
from quizzes.model import QuestionType
from tests import factories
from tests.buttons import option
from tests.factories import Person
from tests.fakes import Call, RecordingRequest
from tests.harness import Harness, make_config, running
from tests.test_charts import png_size

GROUP, OTHER = -100321, -100654
ADMIN = Person(7101, "منى", "المعلمة", "mona")  # an administrator of GROUP only
OTHER_ADMIN = Person(7102, "خالد", None, "khaled")  # an administrator of OTHER only
HEAD = Person(7100, "المدير", None, "head")  # listed in QUIZBOT_TEACHER_IDS: every class
STUDENTS = [
    Person(5201, "ليلى", "الحسن", "layla"),
    Person(5202, "=cmd|' /C calc'!A0"),
    Person(5203, "<b>هادي</b>", None, "hadi"),
    Person(5204, "@سامي"),
]
LAYLA, EVIL, HADI, SAMI = STUDENTS
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
OTHER_TITLE = "الصف الحادي عشر"
LINK = re.compile(r"https://t\.me/class_quiz_bot\?start=(hw-[A-Za-z0-9_-]+)")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def config(tmp_path: Path):
    return make_config(tmp_path, teacher_ids=frozenset({HEAD.id}))


def admins(request: RecordingRequest) -> None:
    request.chat_members[(GROUP, ADMIN.id)] = "administrator"
    request.chat_members[(OTHER, OTHER_ADMIN.id)] = "administrator"


async def seat_classes(h: Harness) -> None:
    """Everyone says something in their group, so the bot knows both classes and rosters."""
    for person in (ADMIN, *STUDENTS):
        await h.send("السلام عليكم", person, chat_id=GROUP)
    # The other class has a title of its own, so that its buttons can be told apart.
    hello = factories.message_payload("مرحبًا", OTHER_ADMIN, OTHER)
    hello["chat"]["title"] = OTHER_TITLE
    await h.process(Update.de_json({"update_id": 880_001, "message": hello}, h.bot))


async def post_homework(h: Harness, args: str = "facts 2d") -> tuple[str, int]:
    calls = await h.send(f"/homework {args}", ADMIN, chat_id=GROUP)
    post = calls[-1]
    assert post.chat_id == GROUP
    code = LINK.search(post.text).group(1)
    pending = [data for _, data in post.buttons if data.startswith("hp:")]
    assert [url for label, url in post.buttons if label == texts.BUTTON_HOMEWORK_OPEN] == [
        f"https://t.me/class_quiz_bot?start={code}"
    ]
    return code, int(pending[0].split(":")[1])


async def take(h: Harness, person: Person, code: str, wrong_every: int = 0) -> None:
    """Open the homework link and answer every question (every n-th one wrongly)."""
    calls = await h.send(f"/start {code}", person)
    assert any("واجب صف" in c.text for c in calls), [c.text for c in calls]
    attempt = await h.repo.active_attempt(person.id, person.id)
    bank = h.app.bot_data.banks[attempt.bank_id]
    for position, qid in enumerate(attempt.question_ids):
        question = bank.question(qid)
        wrong = wrong_every and position % wrong_every == 0
        keys = sorted(question.answer)
        if wrong:
            keys = [next(o.key for o in question.options if o.key not in question.answer)]
        if question.type is QuestionType.MULTI:
            for key in keys:
                await h.tap(person, option(question, key))
            await h.tap(person, texts.BUTTON_CONFIRM)
        else:
            await h.tap(person, option(question, keys[0]))
        last = position + 1 == attempt.total
        await h.tap(person, texts.BUTTON_RESULTS if last else texts.BUTTON_NEXT)
    assert (await h.repo.get_attempt(attempt.id)).status == "finished"


def texts_to(h: Harness, chat_id: int) -> list[str]:
    return [c.text for c in h.request.calls if c.chat_id == chat_id and c.text]


async def test_homework_link_counts_for_the_class_until_the_deadline(tmp_path: Path) -> None:
    clock = Clock()
    async with running(config(tmp_path), clock=clock) as h:
        admins(h.request)
        await seat_classes(h)
        code, homework_id = await post_homework(h)
        post = h.request.last("sendMessage", GROUP).text
        assert "الوقائع الأساسية" in post and "٢٠٢٦-١١-٢٢ ١٠:٠٠" in post

        await take(h, LAYLA, code)
        (result,) = await h.repo.class_attempts(GROUP)
        assert result.homework_id == homework_id and result.attempt.class_chat_id == GROUP
        calls = await h.send(f"/start {code}", LAYLA)
        assert calls[-1].text == texts.HOMEWORK_ALREADY_DONE

        # A half-done attempt resumes where it was instead of starting over.
        await h.send(f"/start {code}", HADI)
        running_attempt = await h.repo.active_attempt(HADI.id, HADI.id)
        calls = await h.send(f"/start {code}", HADI)
        assert (await h.repo.active_attempt(HADI.id, HADI.id)).id == running_attempt.id
        assert "السؤال ١ من" in calls[-1].text

        # The teacher's button sends the list of who has not finished, in private.
        calls = await h.tap(ADMIN, texts.BUTTON_HOMEWORK_PENDING, GROUP)
        assert h.toast(calls) == texts.HOMEWORK_LIST_SENT
        status = h.request.last("sendMessage", ADMIN.id).text
        assert "أنجزه ١ من ٤ طلاب" in status
        for person in (EVIL, HADI, SAMI):
            assert bidi.name(person.first_name) in status
        assert "ليلى" not in status and "منى" not in status  # done, and the teacher
        assert "&lt;b&gt;هادي&lt;/b&gt;" in status  # HTML in a name is shown, not obeyed

        # Just before the deadline the link works; just after, it says it has closed.
        clock.now = T0 + timedelta(days=2) - timedelta(minutes=1)
        await take(h, SAMI, code, wrong_every=2)
        clock.now = T0 + timedelta(days=2)
        calls = await h.send(f"/start {code}", EVIL)
        assert calls[-1].text == texts.HOMEWORK_CLOSED.format(
            date=f"{bidi.FSI}٢٠٢٦-١١-٢٢ ١٠:٠٠{bidi.PDI}"
        )
        assert await h.repo.active_attempt(EVIL.id, EVIL.id) is None
        assert await h.repo.homework_finishers(homework_id) == {LAYLA.id, SAMI.id}

        # No student's name or score ever reached the group.
        for text in texts_to(h, GROUP):
            assert not any(bidi.name(p.first_name) in text for p in STUDENTS)


async def test_homework_arguments_and_links(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        calls = await h.send("/homework", ADMIN, chat_id=GROUP)
        assert "<code>/homework facts 3d</code>" in calls[-1].text
        calls = await h.send("/homework nope", ADMIN, chat_id=GROUP)
        assert calls[-1].text.startswith("لا توجد مجموعة أسئلة بالرمز")
        calls = await h.send("/homework facts tomorrow", ADMIN, chat_id=GROUP)
        assert calls[-1].text.startswith("لم أفهم موعد التسليم")
        assert "<code>2026-12-01T18:00</code>" in calls[-1].text and "UTC" in calls[-1].text
        calls = await h.send("/homework facts 2026-11-19", ADMIN, chat_id=GROUP)
        assert "قد مضى" in calls[-1].text
        calls = await h.send("/homework facts 2030-01-01", ADMIN, chat_id=GROUP)
        assert "بعيد جدًّا" in calls[-1].text
        code, _ = await post_homework(h, "causes 2026-11-30T18:00")
        assert "٢٠٢٦-١١-٣٠ ١٨:٠٠" in h.request.last("sendMessage", GROUP).text
        calls = await h.send("/start hw-doesnotexist1", LAYLA)
        assert calls[-1].text == texts.HOMEWORK_LINK_UNKNOWN
        # Someone who left the group cannot take the class's homework with a forwarded link.
        h.request.chat_members[(GROUP, SAMI.id)] = "left"
        calls = await h.send(f"/start {code}", SAMI)
        assert calls[-1].text == texts.HOMEWORK_NOT_MEMBER.format(
            class_title=bidi.name("الصف العاشر")
        )
        calls = await h.send("/homework facts", ADMIN)
        assert calls[-1].text == texts.HOMEWORK_GROUP_ONLY
        # A plain /start still offers the banks.
        calls = await h.send("/start", LAYLA)
        assert calls[-1].buttons[0][1].startswith("bk:")


def _documents(calls: list[Call]) -> dict[str, bytes]:
    found = {}
    for call in calls:
        if call.method == "sendDocument":
            ((name, data),) = call.files.values()
            found[name] = data
    return found


async def test_export_goes_to_the_teacher_in_private(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        for person in STUDENTS:
            await take(h, person, code, wrong_every=3 if person is EVIL else 0)

        calls = await h.send("/export", ADMIN, chat_id=GROUP)
        documents = [c for c in calls if c.method == "sendDocument"]
        assert {c.chat_id for c in documents} == {ADMIN.id}
        files = _documents(calls)
        assert sorted(files) == [
            f"class{GROUP}-answers.csv",
            f"class{GROUP}-results.csv",
            f"class{GROUP}.xlsx",
        ]
        assert calls[-1].chat_id == GROUP and calls[-1].text == texts.SENT_PRIVATELY
        sent_to_group = [
            c.method for c in calls if c.chat_id == GROUP and c.method.startswith("send")
        ]
        assert sent_to_group == ["sendMessage"]  # the one-line notice, never a file
        rows = list(csv.reader(io.StringIO(files[f"class{GROUP}-results.csv"].decode("utf-8-sig"))))
        names = [r[0] for r in rows[1:]]
        assert names == ["ليلى الحسن", "'=cmd|' /C calc'!A0", "<b>هادي</b>", "'@سامي"]
        book = load_workbook(io.BytesIO(files[f"class{GROUP}.xlsx"]))
        # By name: "<" sorts before "=", then "@", then Arabic letters.
        assert [book["الطلاب"][f"A{row}"].value for row in range(2, 6)] == [
            "<b>هادي</b>",
            "=cmd|' /C calc'!A0",
            "@سامي",
            "ليلى الحسن",
        ]

        # Someone who never started the bot in private is told so in the group, in Arabic.
        h.request.responders.append(
            lambda call: (
                (
                    403,
                    {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot can't initiate conversation with a user",
                    },
                )
                if call.method == "sendDocument"
                else None
            )
        )
        calls = await h.send("/export", ADMIN, chat_id=GROUP)
        assert calls[-1].chat_id == GROUP
        assert calls[-1].text == texts.START_BOT_FIRST.format(
            link=bidi.latin("https://t.me/class_quiz_bot")
        )


async def test_private_export_offers_only_the_teachers_classes(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        # An administrator of one class gets that class's files at once.
        calls = await h.send("/export", ADMIN)
        assert len(_documents(calls)) == 3
        # A configured teacher sees every class and chooses.
        calls = await h.send("/export", HEAD)
        assert calls[-1].text == texts.CHOOSE_CLASS
        assert sorted(data for _, data in calls[-1].buttons) == [
            f"xc:{GROUP}:first",
            f"xc:{OTHER}:first",
        ]
        calls = await h.tap(HEAD, "الصف العاشر")
        assert h.toast(calls) == ""
        assert {c.chat_id for c in calls if c.method == "sendDocument"} == {HEAD.id}
        # An empty class says so instead of sending empty files.
        calls = await h.tap(HEAD, OTHER_TITLE)
        assert _documents(calls) == {}
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(OTHER_TITLE))


TEACHER_COMMANDS = ["/homework facts", "/export", "/report", "/stats"]


@pytest.mark.parametrize("command", TEACHER_COMMANDS)
@pytest.mark.parametrize("who", ["student", "teacher of another class"])
async def test_teacher_commands_refuse_others(tmp_path: Path, command: str, who: str) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)  # GROUP has a result that nobody else may see
        person = SAMI if who == "student" else OTHER_ADMIN
        calls = await h.send(command, person, chat_id=GROUP)
        assert calls[-1].chat_id == GROUP and calls[-1].text == texts.NOT_TEACHER
        assert not [c for c in calls if c.method in ("sendDocument", "sendPhoto")]
        assert (await h.repo.fetchone("SELECT COUNT(*) FROM homework"))[0] == 1
        if command.startswith("/homework"):
            return
        calls = await h.send(command, person)  # in private
        assert not [c for c in calls if c.method in ("sendDocument", "sendPhoto")]
        if who == "student":
            assert calls[-1].text == texts.NOT_TEACHER_ANYWHERE
            return
        # The other class's teacher gets their own class only, which has no result yet.
        expected = {
            "/export": texts.EXPORT_EMPTY.format(title=bidi.name(OTHER_TITLE)),
            "/report": texts.REPORT_EMPTY.format(title=bidi.name(OTHER_TITLE)),
        }.get(command)
        if expected:
            assert calls[-1].text == expected
        else:
            assert calls[-1].text.count("طلاب الصف المعروفون") == 1
            assert "شارك منهم: ٠" in calls[-1].text


@pytest.mark.parametrize(
    "button", ["hp:{hw}", "xc:{group}", "rc:{group}", "xc:{group}:all", "rc:{group}:all"]
)
@pytest.mark.parametrize("who", ["student", "teacher of another class"])
async def test_teacher_buttons_refuse_others(tmp_path: Path, button: str, who: str) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        person = SAMI if who == "student" else OTHER_ADMIN
        if button == "hp:{hw}":  # in the group, on everyone's screen
            calls = await h.tap(person, texts.BUTTON_HOMEWORK_PENDING, GROUP)
        else:  # drawn only in a teacher's private chat: the data is forged
            calls = await h.press_data(button.format(group=GROUP), person)
        assert h.toast(calls) == texts.NOT_TEACHER_BUTTON
        sent = [c for c in calls if c.method in ("sendMessage", "sendDocument", "sendPhoto")]
        assert sent == []


async def test_report_and_stats(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        calls = await h.send("/report", ADMIN, chat_id=GROUP)
        assert calls[-1].text == texts.REPORT_EMPTY.format(title=bidi.name("الصف العاشر"))
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        await take(h, HADI, code, wrong_every=2)

        calls = await h.send("/report", ADMIN, chat_id=GROUP)
        photo = calls[-1]
        assert photo.method == "sendPhoto" and photo.chat_id == GROUP
        ((_, png),) = photo.files.values()
        assert png_size(png) == (1200, 900)
        caption = photo.params["caption"]
        assert "واجب منزلي" in caption and "طالبان" in caption
        assert not any(bidi.name(p.first_name) in caption for p in STUDENTS)

        await post_homework(h, "causes")  # given, nobody has done it yet: it still counts
        calls = await h.send("/stats", ADMIN, chat_id=GROUP)
        stats = calls[-1].text
        assert "طلاب الصف المعروفون: ٤" in stats and "شارك منهم: ٢" in stats
        assert "الواجبات: ٢" in stats
        calls = await h.send("/stats", HEAD)
        assert calls[-1].text.count("طلاب الصف المعروفون") == 2  # both classes, one message

        calls = await h.send("/report", HEAD)
        assert calls[-1].text == texts.CHOOSE_CLASS
        calls = await h.tap(HEAD, "الصف العاشر")
        assert calls[-1].method == "sendPhoto" and calls[-1].chat_id == HEAD.id


async def test_forgetme_keeps_answers_without_identity(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        await take(h, SAMI, code)
        calls = await h.send("/forgetme", SAMI, chat_id=GROUP)
        assert calls[-1].text == texts.PRIVATE_ONLY
        calls = await h.send("/forgetme", SAMI)
        assert calls[-1].text == texts.FORGET_CONFIRM
        assert [data for _, data in calls[-1].buttons] == ["fg:y", "fg:n"]
        calls = await h.tap(SAMI, texts.BUTTON_FORGET_NO)
        assert h.request.last("editMessageText").text == texts.FORGET_KEPT
        assert await h.repo.student_exists(SAMI.id)
        await h.send("/forgetme", SAMI)
        calls = await h.tap(SAMI, texts.BUTTON_FORGET_YES)
        assert h.toast(calls) == ""
        assert h.request.last("editMessageText").text == texts.FORGET_DONE
        assert not await h.repo.student_exists(SAMI.id)
        calls = await h.press_data("fg:maybe", SAMI)
        assert h.toast(calls) == texts.STALE

        calls = await h.send("/export", ADMIN)
        files = _documents(calls)
        rows = list(csv.reader(io.StringIO(files[f"class{GROUP}-results.csv"].decode("utf-8-sig"))))
        assert [r[0] for r in rows[1:]] == ["ليلى الحسن"]
        book = load_workbook(io.BytesIO(files[f"class{GROUP}.xlsx"]))
        # Both attempts still count in the question analysis.
        assert book["الأسئلة"]["F2"].value == 2
        calls = await h.send("/stats", ADMIN, chat_id=GROUP)
        assert "طلاب الصف المعروفون: ٣" in calls[-1].text


def test_stats_split_only_past_telegrams_limit() -> None:
    from bot.handlers.reports import _messages

    assert _messages(["h", "a", "b"]) == ["h\n\na\n\nb"]
    assert _messages(["h", "a" * 10, "b" * 10], limit=15) == ["h\n\n" + "a" * 10, "b" * 10]
