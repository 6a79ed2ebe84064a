"""Problem collection: one file's problems, each placed on the line of the node it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizzes.errors import Problem
from quizzes.loader.yaml_lines import NodePath


def shown(value: Any) -> str:
    """A value as a problem message quotes it: its repr, clipped to stay one readable line."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass
class Checker:
    """Collects problems for one file while the bank is built."""

    file: str
    lines: dict[NodePath, int]
    problems: list[Problem]

    def line(self, path: NodePath) -> int:
        """The line of a path's node, or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def add(self, path: NodePath, message: str) -> None:
        """Record a problem at the line of the node the path names."""
        self.problems.append(Problem(self.file, self.line(path), message))

    def text(self, data: dict, key: str, path: NodePath, *, required: bool = True) -> str:
        """A stripped non-empty text at `key`, or "" after a problem (or when optional)."""
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, f"missing '{key}': add a non-empty Arabic text")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add((*path, key), f"'{key}' must be a non-empty text")
            return ""
        return value.strip()

    def integer(self, data: dict, key: str, path: NodePath, low: int, high: int) -> int | None:
        """A whole number within bounds at `key`, or None when absent or after a problem."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add((*path, key), f"'{key}' must be a whole number from {low} to {high}")
            return None
        return value

    def unknown_keys(self, data: dict, allowed: set[str], path: NodePath, what: str) -> None:
        """Report every key of `data` not in `allowed`: a misspelt key is a problem, not silence."""
        for key in data:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.add(
                    (*path, key, "@key"), f"unknown key '{key}' in {what}; expected: {expected}"
                )
