"""docs/architecture.md names modules and functions; each name must still exist in the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.paths import ROOT

DOC = ROOT / "docs" / "architecture.md"
SOURCES = [
    p for layer in ("bot", "quizzes", "storage", "tests") for p in (ROOT / layer).rglob("*.py")
]
NAMED = sorted(set(re.findall(r"`([^`\s]+)`", DOC.read_text(encoding="utf-8"))))
FILES = [n for n in NAMED if re.fullmatch(r"[\w/]+\.py", n)]


def modules(tail: str) -> list[str]:
    """The dotted names of the modules whose path ends with `tail` (a file or a package)."""
    found = []
    for path in SOURCES:
        relative = path.relative_to(ROOT).with_suffix("")
        if relative.name == "__init__":
            relative = relative.parent
        if relative.as_posix() == tail or relative.as_posix().endswith("/" + tail):
            found.append(".".join(relative.parts))
    return found


# `live/engine.commit`, `presenter.show`: a module (by the end of its path) and a name in it,
# or in one of its classes (`context.fmt`). Without a slash the first part may be an object
# instead (`repo.save_live`, `Store.write`).
DOTTED = [n for n in NAMED if re.fullmatch(r"[\w/]+\.\w+", n) and not n.endswith(".py")]
ATTRIBUTES = [n for n in DOTTED if "/" in n or modules(n.rsplit(".", 1)[0])]


@pytest.mark.parametrize("name", FILES)
def test_each_module_the_doc_names_exists(name: str) -> None:
    assert any(p.as_posix().endswith("/" + name) for p in SOURCES), name


@pytest.mark.parametrize("name", ATTRIBUTES)
def test_each_function_the_doc_names_exists(name: str) -> None:
    tail, attribute = name.rsplit(".", 1)
    found = [importlib.import_module(m) for m in modules(tail)]
    classes = [
        c for m in found for c in vars(m).values() if getattr(c, "__module__", "") == m.__name__
    ]
    holders = [*found, *(c for c in classes if isinstance(c, type))]
    assert any(hasattr(o, attribute) for o in holders), (name, found)


def test_the_doc_names_the_live_modules() -> None:
    """The checks above look at what the doc names; this one, at what it leaves out."""
    live = ROOT / "bot" / "live"
    named = {Path(n).name for n in FILES}
    on_disk = [p.name for p in sorted(live.rglob("*.py")) if p.name != "__init__.py"]
    assert [name for name in on_disk if name not in named] == []
