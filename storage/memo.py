"""Rows this process last wrote that most presses would write again unchanged (a student's
name, a chat's title): skipping those saves two write transactions a press."""

from __future__ import annotations

Key = tuple[str, int]


class WrittenRows:
    """What each memoized row held when this process last wrote it."""

    def __init__(self) -> None:
        self._rows: dict[Key, tuple[object, ...]] = {}

    def unchanged(self, key: Key, value: tuple[object, ...]) -> bool:
        """Whether the row already holds `value`, as this process last wrote it."""
        return self._rows.get(key) == value

    def wrote(self, key: Key, value: tuple[object, ...] | None) -> None:
        """Note what a row now holds (None: it was deleted, so the next save must write)."""
        if value is None:
            self._rows.pop(key, None)
        else:
            self._rows[key] = value
