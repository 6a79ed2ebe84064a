"""A plain install: the shipped content is found wherever it runs, the CLI reads the same
QUIZBOT_BANKS / QUIZBOT_SEEDS as the bot, --version, and clashing top-level packages.

Building and installing the real wheel from another folder is in .ci/run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from bot import installation
from bot.config import DEFAULT_DB, Config
from bot.exits import Exit
from quizzes.article import load_article
from quizzes.content import shipped_banks, shipped_seeds
from tests.paths import ROOT

ARTICLE = "000_b2ad9beff8a3f107"


def quizbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    """The console script's code path (bot.launcher), in a fresh interpreter."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("QUIZBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.launcher", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=60,
    )


def test_checkout_finds_the_article_and_banks() -> None:
    assert shipped_seeds() == ROOT / "seeds"
    assert shipped_banks() == ROOT / "quizzes" / "banks"
    assert len(load_article(shipped_seeds(), ARTICLE).paragraphs) == 13


def test_installed_layout_finds_the_article_inside_the_package(tmp_path: Path) -> None:
    # The layout the wheel has (pyproject's package-dir puts seeds/ at quizzes/seeds), away
    # from any checkout: the resolver must not look beside the source tree.
    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "quizzes", site / "quizzes", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "seeds", site / "quizzes" / "seeds")
    code = (
        "from quizzes.content import shipped_seeds as s, shipped_banks as b; print(s()); print(b())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seeds, banks = (Path(line) for line in result.stdout.splitlines())
    assert seeds == site / "quizzes" / "seeds" and banks == site / "quizzes" / "banks"
    assert len(load_article(seeds, ARTICLE).paragraphs) == 13


def test_default_database_is_absolute_and_a_relative_one_is_resolved() -> None:
    assert DEFAULT_DB.is_absolute() and DEFAULT_DB.name == "quizbot.sqlite3"
    assert Config.from_env({}, need_token=False).db_path == DEFAULT_DB
    relative = Config.from_env({"QUIZBOT_DB": "data/x.sqlite3"}, need_token=False).db_path
    assert relative == Path.cwd() / "data" / "x.sqlite3"


def copied_content(tmp_path: Path) -> tuple[Path, Path]:
    banks, seeds = tmp_path / "banks", tmp_path / "seeds"
    banks.mkdir()
    shutil.copy(shipped_banks() / "01_facts.yaml", banks / "01_facts.yaml")
    shutil.copytree(shipped_seeds(), seeds)
    return banks, seeds


def test_validate_checks_the_banks_and_article_the_bot_will_load(tmp_path: Path) -> None:
    banks, seeds = copied_content(tmp_path)
    env = {"QUIZBOT_BANKS": str(banks), "QUIZBOT_SEEDS": str(seeds)}
    result = quizbot("validate", "--coverage", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 1 banks, 18 questions" in result.stdout
    assert str(banks / "01_facts.yaml") in result.stdout

    (banks / "99_broken.yaml").write_text("id: Broken\nquestions: []\n", encoding="utf-8")
    result = quizbot("validate", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert f"{banks / '99_broken.yaml'}:1: bank id 'Broken'" in result.stdout

    # Explicit files still win over the folder.
    result = quizbot("validate", str(banks / "01_facts.yaml"), cwd=tmp_path, env=env)
    assert result.returncode == 0 and "OK: 1 banks" in result.stdout


def test_validate_reads_the_article_from_quizbot_seeds(tmp_path: Path) -> None:
    banks, _ = copied_content(tmp_path)
    empty = tmp_path / "no-article"
    empty.mkdir()
    env = {"QUIZBOT_BANKS": str(banks), "QUIZBOT_SEEDS": str(empty)}
    result = quizbot("validate", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert f"article text not found: {empty / ARTICLE}.txt" in result.stdout


def test_validate_an_empty_banks_folder_fails(tmp_path: Path) -> None:
    result = quizbot("validate", cwd=tmp_path, env={"QUIZBOT_BANKS": str(tmp_path)})
    assert result.returncode == 1
    assert f"{tmp_path}:1: no bank file (*.yaml) in this folder" in result.stdout


def test_play_takes_its_banks_from_quizbot_banks(tmp_path: Path) -> None:
    banks, seeds = copied_content(tmp_path)
    facts = banks / "01_facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("id: facts\n", "id: local\n", 1),
        encoding="utf-8",
    )
    env = {"QUIZBOT_BANKS": str(banks), "QUIZBOT_SEEDS": str(seeds)}
    result = quizbot("play", "facts", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "available: local" in result.stderr
    answers = "1\n" * 40
    result = quizbot(
        "play", "local", "--seed", "1", "--digits", "western", cwd=tmp_path, env=env, stdin=answers
    )
    assert result.returncode == 0, result.stderr
    assert "انتهت المحاولة" in result.stdout and "النتيجة:" in result.stdout


def test_version_comes_from_the_installed_metadata(tmp_path: Path) -> None:
    result = quizbot("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"quizbot {metadata.version('quizbot')}"


def test_version_without_an_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert installation.version() == "unknown (not installed)"


def test_our_own_install_has_no_clash(tmp_path: Path) -> None:
    assert installation.clash() is None
    assert quizbot("validate", cwd=tmp_path).returncode == 0


def test_a_foreign_package_first_on_the_path_is_named(tmp_path: Path) -> None:
    foreign = tmp_path / "elsewhere" / "quizzes"
    foreign.mkdir(parents=True)
    (foreign / "__init__.py").write_text("", encoding="utf-8")
    env = {"PYTHONPATH": f"{foreign.parent}{os.pathsep}{ROOT}"}
    result = quizbot("validate", cwd=tmp_path, env=env)
    assert result.returncode == Exit.CLASH == 78
    assert result.stdout == "" and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert f"the 'quizzes' package imported from {foreign / '__init__.py'} is not quizbot's" in line


def test_another_distribution_with_the_same_top_level_name_is_named(tmp_path: Path) -> None:
    # What pip leaves when a second distribution puts its files into our storage/ folder.
    info = tmp_path / "site" / "other_storage-2.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: other-storage\nVersion: 2.0\n", encoding="utf-8"
    )
    (info / "top_level.txt").write_text("storage\n", encoding="utf-8")
    (info / "RECORD").write_text("storage/__init__.py,,\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{ROOT}{os.pathsep}{info.parent}"}
    result = quizbot("--version", cwd=tmp_path, env=env)
    assert result.returncode == Exit.CLASH
    (line,) = result.stderr.splitlines()
    assert "the distribution 'other-storage' also installs a top-level 'storage' package" in line


def test_every_package_of_the_checkout_goes_into_the_wheel() -> None:
    """pyproject lists the packages by name: one left out installs without its modules."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("bot", "quizzes", "storage")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed == set()
