"""QUIZBOT_SYNCHRONOUS reaches SQLite: FULL by default, NORMAL when asked, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError
from storage.repository import Repository

# SQLite's own failures: a full file, a held write lock, its pragmas.
pytestmark = pytest.mark.sqlite_only

LEVELS = {"normal": 1, "full": 2}  # PRAGMA synchronous reads back as a number


async def _level(path: Path, **kwargs: str) -> int:
    async with Repository(path, **kwargs) as repo:
        row = await repo.fetchone("PRAGMA synchronous")
        assert row is not None
        return row[0]


async def test_full_is_the_default(tmp_path: Path) -> None:
    assert Config.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}).synchronous == "full"
    assert await _level(tmp_path / "a.sqlite3") == LEVELS["full"]


@pytest.mark.parametrize("setting", ["full", "normal", " NORMAL "])
async def test_the_setting_is_what_sqlite_runs_with(tmp_path: Path, setting: str) -> None:
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "QUIZBOT_SYNCHRONOUS": setting})
    level = await _level(tmp_path / "b.sqlite3", synchronous=config.synchronous)
    assert level == LEVELS[setting.strip().lower()]


@pytest.mark.parametrize("setting", ["off", "extra", "1"])
def test_other_levels_are_refused_by_name(setting: str) -> None:
    with pytest.raises(ConfigError, match="QUIZBOT_SYNCHRONOUS"):
        Config.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "QUIZBOT_SYNCHRONOUS": setting})
    with pytest.raises(ValueError):
        Repository("x.sqlite3", synchronous=setting)
