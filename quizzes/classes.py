"""A class as the bot knows it: a group chat, named by its title."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClassInfo:
    """A group chat the bot knows."""

    chat_id: int
    title: str
    type: str
