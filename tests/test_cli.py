"""The quizbot command line, the configuration, the layering rule and the docs' coverage."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli, texts
from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS, Config, ConfigError
from bot.terminal import play
from quizzes.loader import bank_files, load_banks
from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_validate_shipped_banks_with_coverage() -> None:
    result = run_cli("validate", "--coverage")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK:" in result.stdout
    for number in range(1, 14):
        assert re.search(rf"¶\s*{number}:\s+[1-9]", result.stdout), number
    assert "By type:" in result.stdout and "By skill:" in result.stdout


def test_validate_reports_every_problem_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\nquestions: []\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(str(bad))]
    assert len(lines) >= 4  # id, title, description, article, questions
    assert any(":1: bank id 'Bad Id'" in line for line in lines)


def test_run_without_token_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = run_cli("run", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_run_refuses_invalid_banks(tmp_path: Path) -> None:
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": "1:abc",
        "QUIZBOT_BANKS": str(tmp_path / "banks"),
        "QUIZBOT_DB": str(tmp_path / "db.sqlite3"),
    }
    result = run_cli("run", env=env)
    assert result.returncode == 1
    assert "banks are invalid" in result.stderr and "x.yaml:1" in result.stderr


def test_play_whole_bank_in_terminal() -> None:
    (bank,) = [b for b in load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS) if b.id == "facts"]
    article = load_article_for(bank)
    answers = []
    for q in bank.questions:
        if q.type.value == "true_false":
            answers.append("ص" if "t" in q.answer else "خ")
        else:
            answers.append("؟؟")  # not understood: asked again
            answers.append("1")
    out = io.StringIO()
    assert play(bank, article, io.StringIO("\n".join(answers) + "\n"), out, seed=3) == 0
    shown = out.getvalue()
    assert "انتهت المحاولة" in shown
    assert "لم أفهم إجابتك" in shown
    assert "— الفقرة" in shown and "<b>" not in shown


def test_play_stops_cleanly_at_end_of_input() -> None:
    result = run_cli("play", "facts", "--seed", "1", stdin="2\n")
    assert result.returncode == 1  # stopped before the end (bot/exits.py)
    assert "توقّف الاختبار" in result.stdout and "أجبت عن ١ من ١٨" in result.stdout


def test_play_unknown_bank() -> None:
    result = run_cli("play", "nope")
    assert result.returncode == 2 and "available:" in result.stderr


def load_article_for(bank):
    from quizzes.article import load_article

    return load_article(DEFAULT_SEEDS, bank.article_id)


def test_config_from_env() -> None:
    config = Config.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "1:x",
            "QUIZBOT_DIGITS": "western",
            "TELEGRAM_API_URL": "http://localhost:8081/",
            "QUIZBOT_TEACHER_IDS": "5, 6",
        }
    )
    assert config.base_url == "http://localhost:8081/bot"
    assert config.teacher_ids == {5, 6} and config.digits == "western"
    assert "1:x" not in repr(config)
    for bad in (
        {},
        {"TELEGRAM_BOT_TOKEN": "1:x", "QUIZBOT_DIGITS": "hindi"},
        {"TELEGRAM_BOT_TOKEN": "1:x", "QUIZBOT_TEACHER_IDS": "abc"},
        {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_API_URL": "localhost"},
    ):
        with pytest.raises(ConfigError):
            Config.from_env(bad)


LAYER_CHECK = """
import importlib, pkgutil, sys
import quizzes
for module in pkgutil.iter_modules(quizzes.__path__):
    importlib.import_module("quizzes." + module.name)
forbidden = ("telegram", "aiosqlite", "bot", "storage")
bad = [m for m in sys.modules if m.split(".")[0] in forbidden]
print(bad)
sys.exit(1 if bad else 0)
"""


def test_domain_imports_neither_telegram_nor_aiosqlite() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LAYER_CHECK], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_docs_document_every_command() -> None:
    # The README stays short for newcomers; the reference is docs/usage.md and its neighbours.
    docs = README + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    # The subcommands, as the usage line lists them: {run,backup,…}.
    usage = cli.parser().format_usage()
    subcommands = usage[usage.index("{") + 1 : usage.index("}")].split(",")
    assert "run" in subcommands and "import-bank" in subcommands
    for name in subcommands:
        assert f"quizbot {name}" in docs, name
    commands = dict(texts.PRIVATE_COMMANDS)
    commands.update(getattr(texts, "GROUP_COMMANDS", {}))
    for command in commands:
        assert f"/{command}" in docs, command
