"""The lower bounds in pyproject.toml and the pins in .ci/lowest.txt, which CI installs to run
the tests at the oldest versions pyproject allows, say the same thing.

A bound raised in one place and not the other would leave CI testing versions no install can
get, or never testing the ones it can.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest

from tests.paths import ROOT

# A PEP 508 line, as far as these files use it: name, [extras], specifiers, ; marker.
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[(?P<extras>[^\]]*)\])?"
    r"\s*(?P<specs>[^;]*?)\s*(?:;\s*(?P<marker>.*))?$"
)
# The clauses that set a floor: >=, == and the compatible-release ~=.
FLOOR = re.compile(r"(?:>=|==|~=)\s*([0-9][0-9A-Za-z.]*)")


def canonical(name: str) -> str:
    """PEP 503 normalized name: PyYAML, pyyaml and py_yaml are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def release(version: str) -> tuple[int, ...]:
    """A release as numbers without trailing zeros, so 0.20 and 0.20.0 compare equal."""
    parts = [int(p) for p in version.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def parse(line: str) -> dict[str, str]:
    match = REQUIREMENT.match(line.strip())
    assert match, f"not a requirement: {line!r}"
    return {k: v or "" for k, v in match.groupdict().items()}


def floor(specs: str) -> str | None:
    found = FLOOR.findall(specs)
    return found[0] if len(found) == 1 else None


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def runtime() -> dict[str, dict[str, str]]:
    return {canonical(parse(r)["name"]): parse(r) for r in project()["dependencies"]}


def blocks() -> list[list[str]]:
    """The constraints file as its blank-line separated blocks of lines."""
    text = (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8")
    return [b.splitlines() for b in re.split(r"\n\s*\n", text.strip())]


def pins() -> dict[str, dict[str, str]]:
    return {
        canonical(parse(line)["name"]): parse(line)
        for block in blocks()
        for line in block
        if not line.startswith("#")
    }


def test_every_runtime_dependency_has_a_lower_bound() -> None:
    missing = [name for name, req in runtime().items() if floor(req["specs"]) is None]
    assert missing == []


def test_every_runtime_dependency_is_pinned_at_its_lower_bound() -> None:
    pinned = pins()
    wrong = {}
    for name, req in runtime().items():
        pin = pinned.get(name)
        if pin is None or not pin["specs"].startswith("==") or pin["marker"] != req["marker"]:
            wrong[name] = f"pyproject {req['specs']} {req['marker']}, lowest.txt {pin}"
        elif release(floor(pin["specs"]) or "") != release(floor(req["specs"]) or ""):
            wrong[name] = f"pyproject {req['specs']}, lowest.txt {pin['specs']}"
    assert wrong == {}


def test_every_other_pin_comes_with_its_reason() -> None:
    """Pins beyond pyproject's own dependencies stand in blocks that open with a comment."""
    direct = set(runtime())
    unexplained = [
        line
        for block in blocks()
        if not block[0].startswith("#")
        for line in block
        if canonical(parse(line)["name"]) not in direct
    ]
    assert unexplained == []


def ptb_extras_floors() -> dict[str, str]:
    """The lower bounds the installed PTB declares for the extras pyproject asks of it."""
    wanted = {e.strip() for e in runtime()["python-telegram-bot"]["extras"].split(",")}
    floors = {}
    for line in metadata.requires("python-telegram-bot") or []:
        req = parse(line)
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", req["marker"])
        if extra and extra.group(1) in wanted and floor(req["specs"]):
            floors[canonical(req["name"])] = floor(req["specs"]) or ""
    return floors


def test_the_telegram_extras_are_pinned_at_the_bounds_ptb_declares() -> None:
    pin = pins()["python-telegram-bot"]
    installed = metadata.version("python-telegram-bot")
    if release(installed) != release(floor(pin["specs"]) or ""):
        pytest.skip(f"PTB {installed} is installed; its extras' bounds may differ from the pin's")
    floors = ptb_extras_floors()
    assert floors, "PTB declares no bounds for the extras pyproject asks for"
    pinned = {name: floor(pins()[name]["specs"]) for name in floors if name in pins()}
    assert {k: release(v or "") for k, v in pinned.items()} == {
        k: release(v) for k, v in floors.items()
    }


@pytest.mark.parametrize(
    ("text", "name", "bound"),
    [
        ("python-telegram-bot[job-queue,webhooks]>=22.8,<23", "python-telegram-bot", "22.8"),
        ("uvloop>=0.19; sys_platform != 'win32'", "uvloop", "0.19"),
        ("tornado~=6.5", "tornado", "6.5"),
        ("PyYAML", "PyYAML", None),
        ("numpy<2", "numpy", None),
    ],
)
def test_the_parser_reads_names_and_floors(text: str, name: str, bound: str | None) -> None:
    req = parse(text)
    assert req["name"] == name and floor(req["specs"]) == bound
