"""The README's commands run when pasted, and every relative link in README and docs/ resolves.

Each fenced bash block of the README is parsed by `bash -n`, then run for real in a sandbox
folder: `python3 -m venv` and `pip` are stand-ins there (the sandbox must not download or
install anything), `quizbot` is this checkout's, and the Bot API is a local server that rejects
the README's placeholder token, so the quick start ends where a real one would first need
Telegram. The test command is not run (it is the whole suite): it must be what .ci/run runs.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.exits import Exit
from tests.api_servers import RejectingApi, serving
from tests.paths import ROOT

README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def bash_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [body for language, body in FENCE.findall(text) if language in ("bash", "sh")]


def test_the_readme_has_the_two_commands() -> None:
    blocks = bash_blocks()
    assert any("quizbot run" in block for block in blocks)
    assert any("pytest" in block for block in blocks)


@pytest.mark.parametrize("block", bash_blocks())
def test_each_block_is_valid_shell(block: str) -> None:
    result = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_token_line_is_a_shell_assignment_of_a_token_shaped_value() -> None:
    (line,) = [
        line for block in bash_blocks() for line in block.splitlines() if "BOT_TOKEN" in line
    ]
    assert line.startswith("export TELEGRAM_BOT_TOKEN=")
    result = subprocess.run(
        ["bash", "-c", f'{line}\nprintf %s "$TELEGRAM_BOT_TOKEN"'],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+:[A-Za-z0-9_-]+", result.stdout), result.stdout


# --- the blocks, run in a sandbox ---------------------------------------------------------------


@pytest.fixture
def api() -> Iterator[tuple[str, list[str]]]:
    with serving(RejectingApi, paths=[]) as (url, handler):
        yield url, handler.paths


def sandbox(tmp_path: Path) -> Path:
    """A folder where `python3 -m venv DIR` makes DIR/bin/{pip,python,quizbot} stand-ins."""
    shims = tmp_path / "shims"
    venv_bin = tmp_path / "venv-bin"
    shims.mkdir()
    venv_bin.mkdir()
    python = shlex.quote(sys.executable)
    scripts = {
        shims / "python3": (
            '[ "$1 $2" = "-m venv" ] && { mkdir -p "$3" && cp -r "$VENV_BIN" "$3/bin"; exit 0; }\n'
            f'exec {python} "$@"\n'
        ),
        venv_bin / "pip": 'echo "$*" >>"$PIP_LOG"\n',
        venv_bin / "python": f'exec {python} "$@"\n',
        venv_bin / "quizbot": f'exec {python} -m bot.cli "$@"\n',
    }
    for path, body in scripts.items():
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    work = tmp_path / "work"
    (work / "home").mkdir(parents=True)
    return work


def run_block(block: str, tmp_path: Path, work: Path, api_url: str) -> tuple[int, str]:
    env = {
        "PATH": f"{tmp_path / 'shims'}:/usr/bin:/bin",
        "HOME": str(work / "home"),
        "VENV_BIN": str(tmp_path / "venv-bin"),
        "PIP_LOG": str(tmp_path / "pip.log"),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_API_URL": api_url,
        "QUIZBOT_DB": str(work / "quiz.sqlite3"),
        "QUIZBOT_STARTUP_TIMEOUT": "2",
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        input="1\n" * 100,  # answers for `quizbot play`: the first option every time
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_blocks_run_in_order_when_pasted(tmp_path: Path, api: tuple[str, list[str]]) -> None:
    # In the README's order, in one folder, as a newcomer pastes them one after the other.
    url, paths = api
    work = sandbox(tmp_path)
    runnable = [block for block in bash_blocks() if "pytest" not in block]
    assert len(runnable) >= 2
    for block in runnable:
        code, output = run_block(block, tmp_path, work, url)
        if "quizbot run" in block:
            # Everything before `run` worked, and `run` asked Telegram with the README's token.
            assert code == Exit.TOKEN_REJECTED, output
            assert "Telegram rejected the bot token" in output
            assert len(paths) == 1 and paths[0].endswith("/getMe"), paths
        else:
            assert code == 0, (block, output)
        if "quizbot play" in block:
            assert "انتهت المحاولة" in output
    assert (tmp_path / "pip.log").read_text().split() == ["install", "."]


def commands(text: str) -> set[tuple[str, ...]]:
    """Shell commands, in a form where CI's and the README's spelling of one compare equal."""
    found = set()
    for line in text.splitlines():
        if line.strip().startswith("#"):
            continue
        for part in re.split(r"&&|;", line):
            words = [w for w in shlex.split(part, comments=True) if w != "--quiet"]
            words = [Path(w).name if w.startswith(".venv/bin/") else w for w in words]
            words = ["python" if w == "python3" else w for w in words]
            if words[:3] == ["python", "-m", "pip"]:
                words = ["pip", *words[3:]]
            if words[-2:] == ["-p", "no:cacheprovider"]:
                words = words[:-2]
            if words:
                found.add(tuple(words))
    return found


def test_the_test_command_is_what_ci_runs() -> None:
    (block,) = [block for block in bash_blocks() if "pytest" in block]
    ci = commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    readme = commands(block)
    assert readme == {
        ("python", "-m", "venv", ".venv"),
        ("pip", "install", "-e", ".[dev]"),
        ("python", "-m", "pytest", "-q"),
    }
    assert readme <= ci, readme - ci


# --- links ---------------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


@pytest.mark.parametrize("document", DOCS, ids=lambda p: p.name)
def test_relative_links_point_to_files_and_headings_that_exist(document: Path) -> None:
    text = FENCE.sub("", document.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        where, _, anchor = target.partition("#")
        path = (document.parent / where).resolve() if where else document
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(target)
    assert not broken, f"{document.name}: {broken}"
