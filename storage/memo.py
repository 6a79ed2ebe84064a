"""Rows this process last wrote that most presses would write again unchanged (a student's
name, a chat's title): skipping those saves two write transactions a press.

Only where this process is the database's one writer: on a shared database another process
may have deleted the row (a /forgetme through another bot), and a skipped write would then
leave answers pointing at a student who is not there."""

from __future__ import annotations

Key = tuple[str, int]


class WrittenRows:
    """What each memoized row held when this process last wrote it."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._rows: dict[Key, tuple[object, ...]] = {}

    def unchanged(self, key: Key, value: tuple[object, ...]) -> bool:
        """Whether the row already holds `value`, as this process last wrote it."""
        return self.enabled and self._rows.get(key) == value

    def wrote(self, key: Key, value: tuple[object, ...] | None) -> None:
        """Note what a row now holds (None: it was deleted, so the next save must write)."""
        if value is None:
            self._rows.pop(key, None)
        else:
            self._rows[key] = value
