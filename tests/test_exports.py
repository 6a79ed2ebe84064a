"""Exports parsed back (csv, openpyxl) and checked cell by cell on a known class.

The class: seven students answer f01 and f02 of the facts bank as homework; one of them is
then forgotten. Names include Arabic, names starting with = + - @ and a name with HTML. Two
students also answer a discussion-only homework. Times are UTC; the teachers' zone is
Asia/Riyadh (UTC+3), so 10:01 UTC is written 13:01.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot import texts
from bot.app import load_content
from bot.formatting import Formatter
from bot.reports.collect import collect
from bot.reports.csv_files import answers_csv, neutralize, results_csv
from bot.reports.rows import RESULT_HEADER
from bot.reports.worksheet import xlsx_text
from bot.reports.xlsx import workbook
from quizzes import live
from quizzes.attempt import AnswerRecord, advance, new_attempt
from quizzes.homework import Homework
from quizzes.live import LiveAnswer, LiveRules
from storage.repository import Repository
from tests.backends import database
from tests.harness import make_config

CLASS = -100500
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
RIYADH = ZoneInfo("Asia/Riyadh")
EVIL = '=HYPERLINK("http://evil.example","x")'
HTML_NAME = "<b>هادي</b> & <i>co</i>"
# id, name, username, (f01 choice, f02 choice). f01's answer is a, f02's is b.
STUDENTS = [
    (5101, "ليلى الحسن", "layla", ("a", "b")),  # 2 of 2
    (5102, EVIL, None, ("b", "b")),  # 1
    (5103, "+سامي", None, ("a", "a")),  # 1
    (5104, "-عمر", "omar_1", ("c", "d")),  # 0
    (5105, "@نور", None, ("b", "b")),  # 1
    (5106, HTML_NAME, "hadi", ("a", "b")),  # 2
    (5107, "سيُنسى", "forget_me", ("b", "c")),  # 0, then forgotten
]
DISCUSSION = {5101: "الصمت حسابٌ بعيد المدى.", 5106: "=1+1 ليس ردًّا"}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory):
    return load_content(make_config(tmp_path_factory.mktemp("c")))


async def _attempt(repo, bank, user_id, start, only, homework_id, answers) -> None:
    attempt = await repo.start_attempt(
        new_attempt(bank, user_id, user_id, start, random.Random(1), only=only, class_chat_id=CLASS)
    )
    await repo.link_homework(attempt.id, homework_id)
    for position, (qid, choice, raw) in enumerate(answers):
        question = bank.question(qid)
        scored = question.is_scored
        correct = (choice in question.answer) if scored else None
        await repo.record_answer(
            AnswerRecord(
                attempt.id,
                qid,
                choice,
                correct,
                float(bool(correct)),
                start + timedelta(seconds=30),
                2500,
                raw,
            )
        )
        finished_at = start + timedelta(seconds=90 if scored else 60)
        moved = advance(attempt, position, finished_at)
        await repo.save_progress(moved, position)
        attempt = moved


@pytest.fixture
async def repo(tmp_path: Path, content) -> AsyncIterator[Repository]:
    _, banks = content
    store = Repository(database(tmp_path / "export.sqlite3"))
    await store.open()
    await store.save_chat(CLASS, "supergroup", "الصف العاشر «أ»")
    facts = await store.create_homework(Homework(None, "hw-facts0001", CLASS, "facts", 1, T0))
    talk = await store.create_homework(Homework(None, "hw-talk00001", CLASS, "discuss", 1, T0))
    for index, (user_id, name, username, (c1, c2)) in enumerate(STUDENTS, start=1):
        await store.save_student(user_id, name, username)
        await store.save_chat(user_id, "private", None)
        await store.note_member(CLASS, user_id, T0)
        start = T0 + timedelta(minutes=index)
        await _attempt(
            store,
            banks["facts"],
            user_id,
            start,
            ["f01", "f02"],
            facts.id,
            [("f01", c1, None), ("f02", c2, None)],
        )
        if user_id in DISCUSSION:
            await _attempt(
                store,
                banks["discuss"],
                user_id,
                start + timedelta(hours=1),
                ["d01"],
                talk.id,
                [("d01", "", DISCUSSION[user_id])],
            )
    await store.forget_student(5107, T0 + timedelta(days=1))
    yield store
    await store.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel reads Arabic"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


FACTS, TALK, HOMEWORK = "الوقائع الأساسية", "نقاش وتحليل", "واجب منزلي"
# name, username, id, bank, kind, date, score, out of, percent, time
RESULTS = [
    [
        "ليلى الحسن",
        "layla",
        "5101",
        FACTS,
        HOMEWORK,
        "2026-11-20 13:01",
        "2",
        "2",
        "100.0",
        "90",
        "",
    ],
    ["'" + EVIL, "", "5102", FACTS, HOMEWORK, "2026-11-20 13:02", "1", "2", "50.0", "90", ""],
    ["'+سامي", "", "5103", FACTS, HOMEWORK, "2026-11-20 13:03", "1", "2", "50.0", "90", ""],
    ["'-عمر", "omar_1", "5104", FACTS, HOMEWORK, "2026-11-20 13:04", "0", "2", "0.0", "90", ""],
    ["'@نور", "", "5105", FACTS, HOMEWORK, "2026-11-20 13:05", "1", "2", "50.0", "90", ""],
    [HTML_NAME, "hadi", "5106", FACTS, HOMEWORK, "2026-11-20 13:06", "2", "2", "100.0", "90", ""],
    ["ليلى الحسن", "layla", "5101", TALK, HOMEWORK, "2026-11-20 14:01", "0", "0", "", "60", ""],
    [HTML_NAME, "hadi", "5106", TALK, HOMEWORK, "2026-11-20 14:06", "0", "0", "", "60", ""],
]


async def test_results_csv_cell_by_cell(repo: Repository, content) -> None:
    _, banks = content
    data = await collect(repo, CLASS, banks)
    rows = _csv_rows(results_csv(data, banks, RIYADH))
    assert rows[0] == list(RESULT_HEADER)
    assert rows[1:] == RESULTS  # the forgotten student has no row


async def test_answers_csv_cell_by_cell(repo: Repository, content) -> None:
    _, banks = content
    facts = banks["facts"]
    data = await collect(repo, CLASS, banks)
    rows = _csv_rows(answers_csv(data, banks, RIYADH))
    assert rows[0] == list(texts.ANSWER_COLUMNS)
    expected = []
    for index, (user_id, name, username, choices) in enumerate(STUDENTS[:6], start=1):
        shown = neutralize(name)
        for qid, choice in zip(("f01", "f02"), choices, strict=True):
            question = facts.question(qid)
            right = choice in question.answer
            expected.append(
                [
                    shown,
                    username or "",
                    str(user_id),
                    FACTS,
                    HOMEWORK,
                    f"2026-11-20 13:0{index}",
                    qid,
                    question.prompt,
                    question.option(choice).text,
                    "نعم" if right else "لا",
                    "1" if right else "0",
                    "2.5",
                ]
            )
    d01 = banks["discuss"].question("d01")
    expected.append(
        ["ليلى الحسن", "layla", "5101", TALK, HOMEWORK, "2026-11-20 14:01", "d01", d01.prompt]
        + [DISCUSSION[5101], "", "", "2.5"]
    )
    expected.append(
        [HTML_NAME, "hadi", "5106", TALK, HOMEWORK, "2026-11-20 14:06", "d01", d01.prompt]
        + ["'=1+1 ليس ردًّا", "", "", "2.5"]
    )
    assert rows[1:] == expected


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_workbook_cell_by_cell(repo: Repository, content) -> None:
    articles, banks = content
    (article,) = articles.values()
    facts = banks["facts"]
    data = await collect(repo, CLASS, banks)
    raw = workbook(Formatter(), data, banks, articles, RIYADH)
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames == [
        "الطلاب",
        "النتائج",
        "الأسئلة",
        "الفقرات",
        "ردود النقاش",
        "ثبات الاختبار",
    ]
    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames)

    # Students, by name (code point order): + - < = @ then Arabic letters.
    students = _values(book["الطلاب"])
    assert students[0] == list(texts.STUDENT_COLUMNS)
    at = datetime(2026, 11, 20, 13, 0)
    assert students[1:] == [
        ["+سامي", None, 5103, 1, 0.5, 0.5, 1.5, at.replace(minute=3)],
        ["-عمر", "omar_1", 5104, 1, 0.0, 0.0, 1.5, at.replace(minute=4)],
        [HTML_NAME, "hadi", 5106, 2, 1.0, 1.0, 2.5, at.replace(hour=14, minute=6)],
        [EVIL, None, 5102, 1, 0.5, 0.5, 1.5, at.replace(minute=2)],
        ["@نور", None, 5105, 1, 0.5, 0.5, 1.5, at.replace(minute=5)],
        ["ليلى الحسن", "layla", 5101, 2, 1.0, 1.0, 2.5, at.replace(hour=14, minute=1)],
    ]
    assert book["الطلاب"]["E2"].number_format == "0.0%"

    results = _values(book["النتائج"])
    assert results[0] == list(RESULT_HEADER)
    assert len(results) == 1 + len(RESULTS)
    for got, want in zip(results[1:], RESULTS, strict=True):
        # The workbook holds the name as typed: no apostrophe (CSV needs one, XLSX does not).
        assert got[0] == want[0].removeprefix("'") and (got[1] or "") == want[1]
        assert str(got[2]) == want[2]
        assert got[5] == datetime.strptime(want[5], "%Y-%m-%d %H:%M")
        assert got[6:8] == [int(want[6]), int(want[7])]
        assert got[8] == (None if want[8] == "" else float(want[8]) / 100)
        assert got[9] == int(want[9])

    # Items: 7 takers (the forgotten student still counts); upper 27% = the two with 2/2,
    # lower = the two with 0/2. f01: right 3 of 7; wrong b three times (its note), c once.
    # f02: right 4 of 7; a, c, d once each: the tie goes to a, first in the bank.
    questions = _values(book["الأسئلة"])
    # With seven students the corrected item-total r is not yet meaningful: left blank.
    assert questions[0] == list(texts.QUESTION_COLUMNS) + list(texts.ITEM_REST_COLUMNS)
    f01, f02 = facts.question("f01"), facts.question("f02")
    assert questions[1] == [
        FACTS,
        1,
        "f01",
        f01.prompt,
        "1",
        7,
        pytest.approx(3 / 7),
        1.0,
        f01.option("b").text,
        3,
        f01.option("b").misconception,
        None,
        None,
    ]
    assert questions[2] == [
        FACTS,
        2,
        "f02",
        f02.prompt,
        "2",
        7,
        pytest.approx(4 / 7),
        1.0,
        f02.option("a").text,
        1,
        f02.option("a").misconception,
        None,
        None,
    ]
    assert len(questions) == 3  # d01 is a discussion question: not scored, not analysed

    paragraphs = _values(book["الفقرات"])
    assert paragraphs[0] == list(texts.PARAGRAPH_COLUMNS)
    assert len(paragraphs) == 1 + len(article.paragraphs)
    assert paragraphs[1][0] == 1 and paragraphs[1][2:] == [1, 7, pytest.approx(3 / 7)]
    assert paragraphs[2][0] == 2 and paragraphs[2][2:] == [1, 7, pytest.approx(4 / 7)]
    assert paragraphs[3][2:] == [0, 0, None]
    assert article.paragraph(1).startswith(paragraphs[1][1].rstrip("…"))

    discussion = _values(book["ردود النقاش"])
    d01 = banks["discuss"].question("d01")
    assert discussion == [
        list(texts.DISCUSSION_COLUMNS),
        [
            "ليلى الحسن",
            "layla",
            TALK,
            d01.prompt,
            DISCUSSION[5101],
            at.replace(hour=14, minute=1, second=30),
        ],
        [
            HTML_NAME,
            "hadi",
            TALK,
            d01.prompt,
            "=1+1 ليس ردًّا",
            at.replace(hour=14, minute=6, second=30),
        ],
    ]
    # Native charts on the questions and paragraphs sheets, and no formula anywhere.
    names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    assert sorted(n for n in names if n.startswith("xl/charts/")) == [
        "xl/charts/chart1.xml",
        "xl/charts/chart2.xml",
    ]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+20", "'+20"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tطارق", "'\tطارق"),
        ("\rسطر", "'\rسطر"),
        ("ليلى", "ليلى"),
        ("a=b", "a=b"),
        ("<script>x</script>", "<script>x</script>"),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralize(value: object, written: object) -> None:
    assert neutralize(value) == written


async def test_live_sessions_join_the_export(tmp_path: Path, content) -> None:
    _, banks = content
    repo = Repository(database(tmp_path / "live.sqlite3"))
    await repo.open()
    try:
        await repo.save_chat(CLASS, "supergroup", "صف")
        for user_id in (1, 2):
            await repo.save_student(user_id, f"طالب {user_id}", None)
        rules = LiveRules()
        session = await repo.create_live(
            live.new_session(banks["facts"], CLASS, 9, T0, random.Random(1), rules)
        )
        started, _ = live.start(session, T0)
        await repo.save_live(started, session.step)
        qid = started.current.question_id
        answers = [
            LiveAnswer(session.id, qid, 0, 1, frozenset("a"), True, 0.8, T0, 4000),
            LiveAnswer(session.id, qid, 0, 2, frozenset("b"), False, 0.0, T0, 6000),
        ]
        for answer in answers:
            await repo.record_live_answer(answer)
        ended, _ = live.stop(started, T0, rules)
        await repo.save_live(ended, started.step)
        await repo.save_live_scores(session.id, live.standings(answers, {1, 2}, ended.plan[:1]))
        data = await collect(repo, CLASS, banks)
        rows = _csv_rows(results_csv(data, banks, UTC))[1:]
        assert [r[:2] + r[4:10] for r in rows] == [
            ["طالب 1", "", "جلسة مباشرة", "2026-11-20 10:00", "1", "1", "100.0", "4"],
            ["طالب 2", "", "جلسة مباشرة", "2026-11-20 10:00", "0", "1", "0.0", "6"],
        ]
        answer_rows = _csv_rows(answers_csv(data, banks, UTC))[1:]
        assert [(r[6], r[9]) for r in answer_rows] == [(qid, "نعم"), (qid, "لا")]
    finally:
        await repo.close()


# --- hostile text --------------------------------------------------------------------------

HOSTILE = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=x",
    "\r=x",
    "a\x00b",
    "a\x07b",
    "\u202eمحمد",
    "<b>",
    "' or 1=1",
    "طالب 😀🇸🇦",
    "ن" * 300,
]
# What a workbook can hold: XML has no place for most control characters (dropped), and an XML
# reader turns a carriage return into a line feed.
IN_XLSX = {"a\x00b": "ab", "a\x07b": "ab", "\r=x": "\n=x"}


@pytest.fixture
async def hostile(tmp_path: Path, content) -> AsyncIterator[Repository]:
    """A class whose students carry the hostile names; each also writes one as a response."""
    _, banks = content
    store = Repository(database(tmp_path / "hostile.sqlite3"))
    await store.open()
    await store.save_chat(CLASS, "supergroup", "=صف")
    talk = await store.create_homework(Homework(None, "hw-hostile01", CLASS, "discuss", 1, T0))
    for index, name in enumerate(HOSTILE):
        user_id = 5300 + index
        await store.save_student(user_id, name, None)
        await store.save_chat(user_id, "private", None)
        await store.note_member(CLASS, user_id, T0)
        await _attempt(store, banks["discuss"], user_id, T0, ["d01"], talk.id, [("d01", "", name)])
    yield store
    await store.close()


def stored(name: str, backend: str) -> str:
    """A name as the database gives it back: PostgreSQL's text cannot hold NUL, so it is
    dropped on the way in (storage/postgres.py); SQLite keeps every character."""
    return name.replace("\x00", "") if backend == "postgresql" else name


async def test_csv_neutralizes_only_what_a_spreadsheet_would_run(
    hostile, content, backend: str
) -> None:
    """OWASP: a leading ' on a cell starting with = + - @ tab or CR; every other text exact."""
    _, banks = content
    data = await collect(hostile, CLASS, banks)
    raw = results_csv(data, banks, RIYADH)
    rows = _csv_rows(raw)[1:]
    # Every text cell quoted, so no separator inside a name can start a new cell.
    assert '"\'=1+1",""' in raw.decode("utf-8-sig") and '"<b>"' in raw.decode("utf-8-sig")
    by_id = {int(r[2]): r[0] for r in rows}
    answers = _csv_rows(answers_csv(data, banks, RIYADH))[1:]
    responses = {int(r[2]): r[8] for r in answers}
    for index, name in enumerate(HOSTILE):
        formula_like = name[0] in "=+-@\t\r"
        name = stored(name, backend)
        expected = "'" + name if formula_like else name
        assert by_id[5300 + index] == expected
        assert responses[5300 + index] == expected


async def test_xlsx_holds_every_text_as_text(hostile, content) -> None:
    """Strings stay strings (no formula, no apostrophe shown), and a control character in one
    cell costs that character, not the workbook."""
    articles, banks = content
    (article,) = articles.values()
    data = await collect(hostile, CLASS, banks)
    book = load_workbook(io.BytesIO(workbook(Formatter(), data, banks, articles, RIYADH)))
    students = {row[2]: row[0] for row in _values(book[texts.SHEET_STUDENTS])[1:]}
    results = {row[2]: row[0] for row in _values(book[texts.SHEET_RESULTS])[1:]}
    responses = {row[0]: row[4] for row in _values(book[texts.SHEET_DISCUSSION])[1:]}
    for index, name in enumerate(HOSTILE):
        expected = IN_XLSX.get(name, name)
        assert students[5300 + index] == expected
        assert results[5300 + index] == expected
        assert responses[expected] == expected
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    # Excel keeps it text even when a teacher edits the cell.
                    assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("a\x00b\x08c\x0bd\x0ce\x1f", "abcde"),
        ("a\ud800b\udfffc", "abc"),
        ("a\ufffeb\uffff", "ab"),
        ("a\r\nb\rc\nd\te", "a\nb\nc\nd\te"),
        ("=1+1 \u202eمحمد 😀", "=1+1 \u202eمحمد 😀"),
    ],
)
def test_xlsx_text(value: str, written: str) -> None:
    assert xlsx_text(value) == written
