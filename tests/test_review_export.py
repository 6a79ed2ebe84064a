"""The teacher's review file: per student and item, the reviews done and whether the item was
right on its second and third sighting; only the class's own students."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot import texts
from bot.app import load_content
from bot.config import Config
from bot.formatting import Formatter
from bot.reports.collect import collect
from bot.reports.csv_files import CSV_ENCODING
from bot.reports.files import export_files
from quizzes.analysis import ClassData, Member
from quizzes.review import PromptKind, ReviewAnswer, ReviewPrompt, answered, schedule
from storage.repository import Repository
from tests.backends import database

TZ = ZoneInfo("Asia/Riyadh")
NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


async def _review(repo: Repository, user_id: int, sighting: int, correct: bool) -> None:
    item = await repo.review_item(user_id, "facts", "f01")
    prompt = await repo.add_review_prompt(
        ReviewPrompt(None, user_id, "facts", "f01", sighting, PromptKind.POLL, NOW, None, ("a",))
    )
    answer = ReviewAnswer(prompt.id, user_id, "facts", "f01", sighting, "a", correct, 1.0, NOW)
    await repo.record_review_answer(answer, answered(item, correct, NOW, TZ))


async def test_second_and_third_sightings_per_student(tmp_path: Path) -> None:
    articles, banks = load_content(Config(token="x"))
    repo = Repository(database(tmp_path / "q.sqlite3"))
    await repo.open()
    try:
        await repo.save_chat(-100, "supergroup", "الصف")
        for user_id, name in ((1, "هدى"), (2, "مازن"), (3, "غريب")):
            await repo.save_student(user_id, name, None)
            await repo.schedule_reviews([schedule(user_id, "facts", "f01", NOW, TZ)], NOW)
        for user_id in (1, 2):
            await repo.note_member(-100, user_id, NOW)
        await _review(repo, 1, 2, True)
        await _review(repo, 1, 3, False)
        await _review(repo, 2, 2, False)
        await _review(repo, 3, 2, True)  # not in this class
        data = await collect(repo, -100, banks)
    finally:
        await repo.close()
    files = {f.name: f for f in export_files(Formatter(), data, banks, articles, TZ)}
    table = list(
        csv.reader(io.StringIO(files["class-100-reviews.csv"].content.decode(CSV_ENCODING)))
    )
    sheet = load_workbook(io.BytesIO(files["class-100.xlsx"].content))[texts.SHEET_REVIEWS]
    # The CSV and the workbook's sheet hold the same table.
    assert [list(r) for r in sheet.iter_rows(values_only=True)][0] == table[0]
    assert table[0] == list(texts.REVIEW_COLUMNS)
    by_name = {row[0]: row for row in table[1:]}
    assert set(by_name) == {"هدى", "مازن"}
    assert by_name["هدى"][5:8] == ["2", texts.YES, texts.NO]
    assert by_name["مازن"][5:8] == ["1", texts.NO, ""]
    in_sheet = {r[0]: r for r in list(sheet.iter_rows(values_only=True))[1:]}
    assert in_sheet["هدى"][5:8] == (2, texts.YES, texts.NO)


async def test_no_review_file_or_sheet_before_anyone_reviewed(tmp_path: Path) -> None:
    articles, banks = load_content(Config(token="x"))
    data = ClassData(-100, "الصف", (Member(1, "هدى"),), (), ())
    files = {f.name: f for f in export_files(Formatter(), data, banks, articles, TZ)}
    assert "class-100-reviews.csv" not in files
    assert (
        texts.SHEET_REVIEWS
        not in load_workbook(io.BytesIO(files["class-100.xlsx"].content)).sheetnames
    )
