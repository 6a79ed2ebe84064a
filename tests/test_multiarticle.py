"""Several articles served at once: a second, small article and its bank, made here in tmp_path
folders beside copies of the shipped ones, played through the real Application (the harness).

Every place that shows or searches an article must use the article of the bank in play: the
private flow, /article, /ask, a live session, and the exports.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import bidi, texts
from bot.config import Config
from bot.formatting import Formatter
from bot.reports.collect import collect
from bot.reports.csv_files import CSV_ENCODING, answers_csv, results_csv
from bot.reports.worksheet import sheet_name
from bot.reports.xlsx import workbook
from tests.article_support import (
    REVERSE_OSMOSIS,
    SEED,
    SEED_TITLE,
    WATER,
    WATER_PARAGRAPHS,
    WATER_TITLE,
    WHY_OSMOSIS,
    add_water,
    two_article_config,
    water_bank,
)
from tests.buttons import option
from tests.factories import Person
from tests.harness import Harness, make_config, running
from tests.live_support import GROUP, TEACHER, FakeClock, Room, make_class

STUDENT = Person(6101, "ريم", "السالم", "reem")
OTHER = Person(6102, "خالد", "العمر", "khaled")


@pytest.fixture
def two_articles(tmp_path: Path) -> Config:
    return two_article_config(tmp_path, teacher_ids=frozenset({TEACHER.id}))


def plain(text: str) -> str:
    for tag in ("<b>", "</b>", "<i>", "</i>", "<blockquote>", "</blockquote>"):
        text = text.replace(tag, "")
    return text


def last_text(h: Harness, chat_id: int) -> str:
    sent = [c for c in h.request.calls if c.chat_id == chat_id and "text" in c.params]
    return plain(str(sent[-1].params["text"]))


# --- /start and the private flow -------------------------------------------------------------


async def test_start_groups_banks_by_article(two_articles: Config) -> None:
    async with running(two_articles) as h:
        calls = await h.send("/start", STUDENT)
        messages = [c for c in calls if c.method == "sendMessage"]
        assert "عدة مقالات" in messages[0].text
        # One message per article, with its title, offering that article's banks only.
        (seed_list, water_list) = messages[1:]
        assert f"«{SEED_TITLE}»" in seed_list.text and f"«{WATER_TITLE}»" in water_list.text
        water_buttons = h.button("التحلية وأثرها", chat_id=STUDENT.id, contains=True)
        assert water_buttons.message_id == water_list.result["message_id"]
        seed_button = h.button("الوقائع الأساسية", chat_id=STUDENT.id, contains=True)
        assert seed_button.message_id == seed_list.result["message_id"]


async def test_start_with_one_article_names_it(tmp_path: Path) -> None:
    async with running(make_config(tmp_path)) as h:
        calls = await h.send("/start", STUDENT)
        assert f"«{SEED_TITLE}»" in calls[0].text


async def test_private_flow_on_the_second_article(two_articles: Config) -> None:
    async with running(two_articles) as h:
        bank = h.app.bot_data.banks["water"]
        await h.start_bank(STUDENT, "water")
        await h.tap(STUDENT, option(bank.question("w01"), "b"))
        feedback = last_text(h, STUDENT.id)
        # The explanation quotes the second article's own paragraph, not the seed article's.
        assert REVERSE_OSMOSIS in feedback and "الفقرة ٢" in feedback
        await h.tap(STUDENT, texts.BUTTON_NEXT)
        await h.tap(STUDENT, option(bank.question("w02"), "f"))
        await h.tap(STUDENT, texts.BUTTON_NEXT)
        # The evidence paste is graded against the water article, and its feedback shows the
        # water article's whole paragraph.
        calls = await h.send(WHY_OSMOSIS, STUDENT)
        assert plain(WATER_PARAGRAPHS[1].split(". ")[0]) in plain(calls[-1].text)
        attempt = await h.repo.active_attempt(STUDENT.id, STUDENT.id)
        answers = await h.repo.answers_for(attempt.id)
        assert [(a.question_id, a.correct) for a in answers] == [
            ("w01", True),
            ("w02", True),
            ("w03", True),
        ]


async def test_an_evidence_paste_from_elsewhere_in_the_second_article_is_recognised(
    two_articles: Config,
) -> None:
    async with running(two_articles) as h:
        bank = h.app.bot_data.banks["water"]
        await h.start_bank(OTHER, "water")
        await h.tap(OTHER, option(bank.question("w01"), "a"))
        await h.tap(OTHER, texts.BUTTON_NEXT)
        await h.tap(OTHER, option(bank.question("w02"), "t"))
        await h.tap(OTHER, texts.BUTTON_NEXT)
        # A sentence of the water article, but not the evidence: the feedback says where it is.
        pasted = WATER_PARAGRAPHS[2]  # one sentence
        calls = await h.send(pasted, OTHER)
        feedback = plain(calls[-1].text)
        assert "الفقرة ٣" in feedback and "الشعاب المرجانية" in feedback


# --- /article --------------------------------------------------------------------------------


async def test_article_inside_an_attempt_uses_its_article(two_articles: Config) -> None:
    async with running(two_articles) as h:
        await h.start_bank(STUDENT, "water")
        calls = await h.send("/article ٣", STUDENT)
        assert WATER_PARAGRAPHS[2] in plain(calls[-1].text)
        assert f"مقال «{WATER_TITLE}»" in calls[-1].text and "من ٤" in calls[-1].text
        for bad in ("/article 5", "/article 0", "/article ثلاثة"):
            calls = await h.send(bad, STUDENT)
            assert calls[-1].text == "لا توجد فقرة بهذا الرقم. أرقام الفقرات من ١ إلى ٤."
        calls = await h.send("/article", STUDENT)
        listing = plain(calls[-1].text)
        assert f"فقرات مقال «{WATER_TITLE}» (٤ فقرات)" in listing
        assert "٤. ولهذا يدعو الباحثون إلى تشغيل المحطات…" in listing


async def test_article_outside_an_attempt_asks_which(two_articles: Config) -> None:
    async with running(two_articles) as h:
        calls = await h.send("/article 2", STUDENT)
        assert calls[-1].text == texts.ARTICLE_CHOOSE
        calls = await h.tap(STUDENT, WATER_TITLE)
        edited = [c for c in calls if c.method == "editMessageText"]
        assert WATER_PARAGRAPHS[1] in plain(edited[-1].text)
        # The other article, asked the same way, shows its own paragraph 2.
        await h.send("/article 2", STUDENT)
        calls = await h.tap(STUDENT, SEED_TITLE)
        edited = [c for c in calls if c.method == "editMessageText"]
        seed = h.app.bot_data.articles[SEED]
        assert bidi.esc(seed.paragraph(2)) in edited[-1].text
        # Paragraph 9 exists in the seed article only: the water article says its range.
        await h.send("/article ٩", STUDENT)
        calls = await h.tap(STUDENT, WATER_TITLE)
        edited = [c for c in calls if c.method == "editMessageText"]
        assert edited[-1].text == "لا توجد فقرة بهذا الرقم. أرقام الفقرات من ١ إلى ٤."
        # No number: which article, then its paragraphs' openings.
        await h.send("/article", STUDENT)
        calls = await h.tap(STUDENT, WATER_TITLE)
        edited = [c for c in calls if c.method == "editMessageText"]
        assert f"فقرات مقال «{WATER_TITLE}»" in plain(edited[-1].text)
        # Not a number: said at once, no buttons.
        calls = await h.send("/article سبعة", STUDENT)
        assert "reply_markup" not in calls[-1].params and "/article" in calls[-1].text


async def test_an_article_button_of_an_article_no_longer_served_is_stale(
    two_articles: Config,
) -> None:
    async with running(two_articles) as h:
        calls = await h.press_data("ar:001_removed:1", STUDENT, STUDENT.id)
        assert h.toast(calls) == texts.STALE


# --- /ask ------------------------------------------------------------------------------------


async def test_ask_inside_an_attempt_searches_its_article(two_articles: Config) -> None:
    async with running(two_articles) as h:
        await h.start_bank(STUDENT, "water")
        calls = await h.send("/ask ما طريقة التناضح العكسي؟", STUDENT)
        assert "التناضح العكسي" in calls[-1].text and WATER_TITLE not in calls[-1].text
        # The seed article answers this, but the attempt is on the water article.
        calls = await h.send("/ask متى أطيح بالقذافي وقتل؟", STUDENT)
        assert calls[-1].text == texts.ASK_NOTHING


async def test_ask_outside_searches_every_article_and_names_it(two_articles: Config) -> None:
    async with running(two_articles) as h:
        calls = await h.send("/ask ما طريقة التناضح العكسي؟", STUDENT)
        assert "التناضح العكسي" in calls[-1].text and f"مقال «{WATER_TITLE}»" in calls[-1].text
        calls = await h.send("/ask متى أطيح بالقذافي وقتل؟", STUDENT)
        assert "القذافي" in calls[-1].text and f"مقال «{SEED_TITLE}»" in calls[-1].text
        indexes = h.app.bot_data.ask_index
        assert set(indexes) == {SEED, WATER}
        assert all(i.article is h.app.bot_data.articles[a] for a, i in indexes.items())


# --- a live session, then the export ---------------------------------------------------------


async def _water_session(h: Harness, room: Room, pupils: list[Person]) -> None:
    await room.begin("water", pupils)
    start = len(h.request.calls)
    await room.answer(pupils[0], "b")
    await room.answer(pupils[1], "a")  # all have answered: the reveal quotes the water article
    calls = h.request.calls[start:]
    reveal = " ".join(plain(str(c.params.get("text", ""))) for c in room.group_calls(calls))
    assert REVERSE_OSMOSIS in reveal
    # /article and /ask in the group use the session's article.
    calls = await h.send("/article 3", pupils[0], chat_id=GROUP)
    assert WATER_PARAGRAPHS[2] in plain(calls[-1].text)
    calls = await h.send("/ask ما المحلول الملحي المركز؟", pupils[0], chat_id=GROUP)
    assert "المحلول الملحي" in calls[-1].text and "الفقرة ٣" in calls[-1].text
    # The evidence question: replies graded on the water article, the reveal shows its paragraph.
    await room.open_at("w03")
    start = len(h.request.calls)
    await room.reply(pupils[0], WHY_OSMOSIS)
    await room.respond(pupils[1], False)
    await room.timers(120)
    reveal = " ".join(
        plain(str(c.params.get("text", ""))) for c in room.group_calls(h.request.calls[start:])
    )
    assert "وأكثر طرق التحلية انتشارًا اليوم" in reveal
    w03 = [a for a in await h.repo.live_answers(room.session_id) if a.question_id == "w03"]
    assert sorted((a.user_id, a.correct) for a in w03) == [
        (pupils[0].id, True),
        (pupils[1].id, False),
    ]
    if (await room.session()).is_open:
        await room.control("st")
    session = await room.session()
    assert not session.is_open


async def test_live_session_on_the_second_article(two_articles: Config) -> None:
    clock = FakeClock()
    async with running(two_articles, clock=clock) as h:
        room = Room(h, clock)
        pupils = make_class(2)
        await _water_session(h, room, pupils)
        session = await room.session()
        bank = h.app.bot_data.banks["water"]
        article = h.app.bot_data.articles[WATER]
        assert session.version.article_id == WATER
        assert session.version.article_sha256 == article.sha256
        assert session.version.bank_sha256 == bank.sha256 != ""
        # Outside the session, the group is asked which article.
        calls = await h.send("/article 3", pupils[0], chat_id=GROUP)
        assert calls[-1].text == texts.ARTICLE_CHOOSE
        calls = await h.tap(pupils[0], WATER_TITLE, GROUP)
        assert WATER_PARAGRAPHS[2] in plain(
            [c for c in calls if c.method == "editMessageText"][-1].text
        )


async def _short_session(h: Harness, room: Room, bank_id: str, pupils: list[Person]) -> None:
    """A session on `bank_id` stopped after its first question: one right, one wrong."""
    session = await room.begin(bank_id, pupils)
    q = room.question(session)
    await room.respond(pupils[0], True)
    await room.respond(pupils[1], False)
    assert q.id == session.current.question_id
    await room.timers(120)
    await room.control("st")


async def test_export_has_a_paragraph_sheet_per_article(two_articles: Config) -> None:
    clock = FakeClock()
    async with running(two_articles, clock=clock) as h:
        room = Room(h, clock)
        pupils = make_class(2)
        await _short_session(h, room, "facts", pupils)
        clock.advance(3600)
        await _water_session(h, room, pupils)
        banks, articles = h.app.bot_data.banks, h.app.bot_data.articles
        data = await collect(h.repo, GROUP, banks)
        raw = workbook(Formatter(), data, banks, articles, two_articles.tz)
    book = load_workbook(io.BytesIO(raw))
    sheets = [s for s in book.sheetnames if s.startswith(texts.SHEET_PARAGRAPHS)]
    assert sheets == [f"الفقرات - {SEED_TITLE}", f"الفقرات - {WATER_TITLE}"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    seed_rows = list(book[sheets[0]].iter_rows(values_only=True))[1:]
    water_rows = list(book[sheets[1]].iter_rows(values_only=True))[1:]
    # Each article's own paragraphs, with its own questions counted against them.
    assert [r[0] for r in seed_rows] == list(range(1, 14))
    assert [r[0] for r in water_rows] == [1, 2, 3, 4]
    assert water_rows[1][1].startswith("وأكثر طرق التحلية") and water_rows[1][2:4] == (2, 4)
    assert water_rows[1][4] == 0.5
    # w01 and w03 cite paragraph 2 (w02 was skipped); f01 cites the seed article's first.
    assert sum(r[2] for r in water_rows) == 2 and seed_rows[0][2] == 1
    # Nothing was edited since: no result is flagged.
    results = list(book[texts.SHEET_RESULTS].iter_rows(values_only=True))
    assert results[0][-1] == texts.RESULT_CHANGED_COLUMN
    assert len(results) == 5 and all(r[-1] in (None, "") for r in results[1:])


async def test_homework_records_what_it_gives(two_articles: Config) -> None:
    async with running(two_articles) as h:
        await h.send("/homework water", TEACHER, chat_id=GROUP)
        row = await h.repo.fetchone("SELECT id FROM homework")
        homework = await h.repo.get_homework(row["id"])
    assert homework.version == h.app.bot_data.banks["water"].version
    assert homework.version.article_id == WATER


def test_sheet_names_are_excel_safe_short_and_unique() -> None:
    taken: set[str] = set()
    long = "مقال طويل العنوان جدًّا: عن الماء/والبحر [والملح]؟ وأشياء أخرى كثيرة"
    names = []
    for _ in range(3):
        name = sheet_name(long, taken)
        taken.add(name)
        names.append(name)
    assert len(set(names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[1].endswith(" 2") and names[2].endswith(" 3")


# --- a bank edited after it was asked --------------------------------------------------------

LINK = re.compile(r"\?start=(hw-[A-Za-z0-9_-]+)")


async def _take_water_homework(h: Harness, pupil: Person) -> None:
    """/homework water in the group, then `pupil` opens the link: w01 right, w02 wrong."""
    calls = await h.send("/homework water", TEACHER, chat_id=GROUP)
    code = LINK.search(calls[-1].text).group(1)
    await h.send(f"/start {code}", pupil)
    bank = h.app.bot_data.banks["water"]
    await h.tap(pupil, option(bank.question("w01"), "b"))
    await h.tap(pupil, texts.BUTTON_NEXT)
    await h.tap(pupil, option(bank.question("w02"), "t"))
    await h.tap(pupil, texts.BUTTON_NEXT)
    await h.send(WHY_OSMOSIS, pupil)
    await h.tap(pupil, texts.BUTTON_RESULTS)


async def test_a_bank_edited_after_it_was_asked_still_reports_what_was_asked(
    two_articles: Config,
) -> None:
    clock = FakeClock()
    pupils = make_class(2)
    async with running(two_articles, clock=clock) as h:
        await h.send("مرحبًا", pupils[0], chat_id=GROUP)
        await _take_water_homework(h, pupils[0])
        clock.advance(3600)
        await _water_session(h, Room(h, clock), pupils)
        article_sha = h.app.bot_data.articles[WATER].sha256
    # The teacher rewrites the bank: w01 goes, a new question comes.
    edited = water_bank(article_sha)
    edited["questions"] = [
        *edited["questions"][1:],
        {
            "id": "w04",
            "type": "true_false",
            "prompt": "بحسب المقال، يدعو الباحثون إلى تشغيل المحطات بالطاقة الشمسية.",
            "answer": True,
            "explanation": "يذكر المقال هذه الدعوة في فقرته الأخيرة.",
            "cite": [{"paragraph": 4, "quote": "تشغيل المحطات بالطاقة الشمسية"}],
        },
    ]
    add_water(two_articles.banks_dir, two_articles.seeds_dir, edited)
    async with running(two_articles, clock=clock) as h:
        banks, articles = h.app.bot_data.banks, h.app.bot_data.articles
        assert [q.id for q in banks["water"].questions] == ["w02", "w03", "w04"]
        data = await collect(h.repo, GROUP, banks)
        results = _csv(results_csv(data, banks, two_articles.tz))
        answers = _csv(answers_csv(data, banks, two_articles.tz))
        book = load_workbook(
            io.BytesIO(workbook(Formatter(), data, banks, articles, two_articles.tz))
        )
        calls = await h.send("/report", TEACHER, chat_id=GROUP)
    # Both rows are flagged, and the homework is still scored out of the two questions asked.
    homework_row, *live_rows = results[1:]
    assert [r[-1] for r in results[1:]] == [texts.YES] * 3 and len(live_rows) == 2
    assert homework_row[6:8] == ["2", "3"]
    # The removed question is reported by its id, in the answers and the question sheet.
    assert [r[6] for r in answers[1:] if r[2] == str(pupils[0].id)].count("w01") == 2
    questions = list(book[texts.SHEET_QUESTIONS].iter_rows(values_only=True))[1:]
    gone = [r for r in questions if r[2] == "w01"]
    # Two takers: item statistics count first attempts, and pupils[0]'s live answer was a second.
    assert len(gone) == 1 and gone[0][3] == texts.QUESTION_GONE and gone[0][5] == 2
    # The paragraphs are the recorded article's.
    rows = list(book[texts.SHEET_PARAGRAPHS].iter_rows(values_only=True))[1:]
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    photo = calls[-1]
    assert photo.method == "sendPhoto" and "⚠️" in photo.params["caption"]


def _csv(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode(CSV_ENCODING))))
