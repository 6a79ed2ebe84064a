"""The teacher's guide quotes the bot as it is: its button labels, notices and start-up lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts
from bot.startup import started_lines
from tests.paths import ROOT

GUIDE = (ROOT / "docs" / "teacher-guide.md").read_text(encoding="utf-8")

QUOTED = [
    "LIVE_BUTTON_JOIN",
    "LIVE_BUTTON_START",
    "LIVE_BUTTON_SPEED_ON",
    "LIVE_BUTTON_SPEED_OFF",
    "LIVE_BUTTON_RESPONSES_OFF",
    "LIVE_BUTTON_CANCEL",
    "LIVE_BUTTON_PAUSE",
    "LIVE_BUTTON_RESUME",
    "LIVE_BUTTON_REVEAL",
    "LIVE_BUTTON_NEXT",
    "LIVE_BUTTON_STOP",
    "LIVE_BUTTON_CLOSE_VOTE",
    "LIVE_BUTTON_REVOTE",
    "BUTTON_HOMEWORK_PENDING",
    "LIVE_TEACHERS_ONLY",
    "NOT_TEACHER",
    "SENT_PRIVATELY",
]


@pytest.mark.parametrize("name", QUOTED)
def test_the_guide_quotes_each_label_as_the_bot_shows_it(name: str) -> None:
    assert f"«{getattr(texts, name)}»" in GUIDE, name


def test_the_guide_shows_the_start_up_lines_as_run_prints_them() -> None:
    db = Path("/home/teacher/.local/share/quizbot/quizbot.sqlite3")
    block = "\n".join(started_lines("school10_quiz_bot", db))
    assert f"```text\n{block}\n```" in GUIDE


def test_the_guide_names_every_deployment_file() -> None:
    for path in [*(ROOT / "deploy").iterdir(), ROOT / "Dockerfile", ROOT / "compose.yaml"]:
        assert path.name in GUIDE, path.name
