"""`quizbot export`: one class or every class, CSV (two files) or XLSX, from the database."""

from __future__ import annotations

import asyncio
import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import cli, texts
from bot.app import load_content
from bot.formatting import Formatter
from bot.reports.rows import RESULT_HEADER
from quizzes.attempt import AnswerRecord, advance, new_attempt
from quizzes.homework import Homework
from quizzes.reliability import MIN_TAKERS
from storage.repository import Repository
from tests import backends
from tests.harness import make_config

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CLASSES = {-100111: "الصف الأول", -100222: "الصف الثاني"}


async def build(db: Path | str) -> None:
    """Each class: one student finished f01 of the facts homework (right in the first class)."""
    _, banks = load_content(make_config(Path()))
    bank = banks["facts"]
    async with Repository(db) as repo:
        for n, (chat_id, title) in enumerate(CLASSES.items(), start=1):
            await repo.save_chat(chat_id, "supergroup", title)
            homework = await repo.create_homework(
                Homework(None, f"hw-cli{n:08d}", chat_id, "facts", 1, T0)
            )
            await repo.save_student(n, f"=طالب {n}", None)
            await repo.save_chat(n, "private", None)
            attempt = await repo.start_attempt(
                new_attempt(bank, n, n, T0, random.Random(1), only=["f01"], class_chat_id=chat_id)
            )
            await repo.link_homework(attempt.id, homework.id)
            choice = "a" if n == 1 else "b"
            await repo.record_answer(
                AnswerRecord(attempt.id, "f01", choice, n == 1, float(n == 1), T0, 1000)
            )
            await repo.save_progress(advance(attempt, 0, T0 + timedelta(seconds=42)), 0)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "quiz.sqlite3"
    asyncio.run(build(path))
    for variable in ("QUIZBOT_DB", "QUIZBOT_BANKS", "QUIZBOT_SEEDS", "QUIZBOT_TEACHER_IDS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("QUIZBOT_TIMEZONE", "Asia/Riyadh")
    return path


def rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_one_class_as_csv_writes_results_and_answers(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "results.csv"
    code = cli.main(
        ["export", "--chat", "-100111", "--format", "csv", "--out", str(out)]
        + [
            "--db",
            str(db),
        ]
    )
    assert code == 0
    results = rows(out)
    assert results == [
        list(RESULT_HEADER),
        ["'=طالب 1", "", "1", "الوقائع الأساسية", "واجب منزلي", "2026-11-20 13:00"]
        + ["1", "1", "100.0", "42", ""],
    ]
    answers = rows(tmp_path / "out" / "results-answers.csv")
    assert [r[6] for r in answers[1:]] == ["f01"] and answers[1][9] == "نعم"
    printed = capsys.readouterr().out
    assert (
        "class -100111 (الصف الأول): 1 results ->" in printed and "results-answers.csv" in printed
    )


def test_all_classes_as_xlsx_into_a_directory(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all"
    assert (
        cli.main(["export", "--all", "--format", "xlsx", "--out", str(out), "--db", str(db)]) == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["class-100111.xlsx", "class-100222.xlsx"]
    book = load_workbook(out / "class-100222.xlsx")
    assert book["النتائج"]["A2"].value == "=طالب 2"
    assert book["النتائج"]["A2"].data_type == "s"
    assert book["الأسئلة"]["G2"].value == 0  # nobody in the second class got f01 right
    assert book["الطلاب"].sheet_view.rightToLeft


def test_all_classes_as_csv(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    assert cli.main(["export", "--all", "--format", "csv", "--out", str(out), "--db", str(db)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "class-100111-results-answers.csv",
        "class-100111-results.csv",
        "class-100222-results-answers.csv",
        "class-100222-results.csv",
    ]


def test_export_errors_are_explained(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.csv")
    assert (
        cli.main(["export", "--chat", "-1", "--format", "csv", "--out", out, "--db", str(db)]) == 2
    )
    assert "no class (group chat) with id -1; known: -100111, -100222" in capsys.readouterr().err
    missing = str(tmp_path / "none.sqlite3")
    assert cli.main(["export", "--all", "--format", "csv", "--out", out, "--db", missing]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not Path(missing).exists()  # a typo in --db must not create an empty database
    with pytest.raises(SystemExit):
        cli.main(["export", "--format", "csv", "--out", out])  # neither --chat nor --all


async def _retake(db: Path) -> None:
    """Student 1 of the first class does the homework again and gets f01 wrong this time."""
    _, banks = load_content(make_config(Path()))
    async with Repository(db) as repo:
        homework_id = 1  # the first class's homework, made first by build()
        assert (await repo.get_homework(homework_id)).chat_id == -100111
        start = T0 + timedelta(days=1)
        attempt = await repo.start_attempt(
            new_attempt(
                banks["facts"], 1, 1, start, random.Random(1), only=["f01"], class_chat_id=-100111
            )
        )
        await repo.link_homework(attempt.id, homework_id)
        await repo.record_answer(AnswerRecord(attempt.id, "f01", "b", False, 0.0, start, 1000))
        await repo.save_progress(advance(attempt, 0, start + timedelta(seconds=30)), 0)


@pytest.mark.parametrize(
    ("flag", "facility", "takers", "said"),
    [
        ([], 1.0, 1, "item statistics from each student's first attempt (--attempts first)"),
        (["--attempts", "all"], 0.5, 2, "item statistics from every attempt (--attempts all)"),
    ],
)
def test_attempts_switch(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag, facility, takers, said
) -> None:
    asyncio.run(_retake(db))
    out = tmp_path / "one.xlsx"
    argv = ["export", "--chat", "-100111", "--format", "xlsx", "--out", str(out), "--db", str(db)]
    assert cli.main(argv + flag) == 0
    assert said in capsys.readouterr().out
    book = load_workbook(out)
    assert book["الأسئلة"]["F2"].value == takers and book["الأسئلة"]["G2"].value == facility
    assert book[texts.SHEET_STATISTICS]["A1"].value.endswith(
        texts.ATTEMPTS_LABELS["all" if flag else "first"]
    )
    assert book["النتائج"].max_row == 3  # the results sheet holds every attempt either way


@pytest.mark.parametrize("digits", ["arabic", "western"])
def test_the_workbook_speaks_quizbot_digits(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, digits: str
) -> None:
    monkeypatch.setenv("QUIZBOT_DIGITS", digits)
    out = tmp_path / "one.xlsx"
    argv = ["export", "--chat", "-100111", "--format", "xlsx", "--out", str(out), "--db", str(db)]
    assert cli.main(argv) == 0
    fmt = Formatter(digits)
    expected = texts.NOT_YET_MEANINGFUL.format(
        students=fmt.count("student", 1), minimum=fmt.num(MIN_TAKERS)
    )
    sheet = load_workbook(out)[texts.SHEET_STATISTICS]
    assert expected in [c.value for row in sheet.iter_rows() for c in row]


@pytest.mark.postgresql_only
def test_export_reads_the_postgresql_database_the_bot_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --db, `quizbot export` reads QUIZBOT_DATABASE_URL, as `quizbot run` does."""
    assert backends.current is not None
    asyncio.run(build(backends.current))
    for variable in ("QUIZBOT_DB", "QUIZBOT_BANKS", "QUIZBOT_SEEDS", "QUIZBOT_TEACHER_IDS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("QUIZBOT_TIMEZONE", "Asia/Riyadh")
    monkeypatch.setenv("QUIZBOT_DATABASE_URL", backends.current)
    out = tmp_path / "out" / "results.csv"
    assert cli.main(["export", "--chat", "-100111", "--format", "csv", "--out", str(out)]) == 0
    assert rows(out)[1][:3] == ["'=طالب 1", "", "1"]
