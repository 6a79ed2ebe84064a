"""Options and answer keys: the choice questions (single, multi, peer) and true_false."""

from __future__ import annotations

import re

from quizzes.loader.checker import Checker, shown
from quizzes.loader.yaml_lines import NodePath
from quizzes.model import FALSE_KEY, TRUE_KEY, Option, QuestionType

OPTION_KEY = re.compile(r"^[a-f]$")
MAX_OPTION_CHARS = 100
MAX_ALERT_CHARS = 200


def read_options(check: Checker, q: dict, path: NodePath, low: int) -> list[Option]:
    """The options of a choice question (`low` to 6) with their misconception notes."""
    raw = q.get("options")
    if not isinstance(raw, dict) or not raw:
        check.add(path, "'options' must be a mapping of keys a..f to option texts")
        return []
    if not low <= len(raw) <= 6:
        check.add((*path, "options"), f"give {low} to 6 options (found {len(raw)})")
    notes = q.get("misconceptions") or {}
    if not isinstance(notes, dict):
        check.add((*path, "misconceptions"), "'misconceptions' must map wrong option keys to notes")
        notes = {}
    options: list[Option] = []
    for key, text in raw.items():
        where = (*path, "options", key)
        if not isinstance(key, str) or not OPTION_KEY.match(key):
            check.add((*where, "@key"), f"option key '{key}' must be one of a, b, c, d, e, f")
            continue
        if not isinstance(text, str | int) or not str(text).strip():
            check.add(where, f"option '{key}' needs a text")
            continue
        text = str(text).strip()
        if len(text) > MAX_OPTION_CHARS:
            check.add(
                where,
                f"option '{key}' has {len(text)} characters; buttons show at most "
                f"{MAX_OPTION_CHARS}: shorten it",
            )
        note = notes.get(key)
        if note is not None and (not isinstance(note, str) or len(note) > MAX_ALERT_CHARS):
            check.add(
                (*path, "misconceptions", key),
                f"misconception note for '{key}' must be a text of at most "
                f"{MAX_ALERT_CHARS} characters (a Telegram alert)",
            )
            note = None
        options.append(Option(key, text, note.strip() if isinstance(note, str) else None))
    for key in notes:
        if key not in raw:
            check.add(
                (*path, "misconceptions", key, "@key"),
                f"misconception for '{key}', which is not an option",
            )
    return options


def read_answer(
    check: Checker, q: dict, path: NodePath, qtype: QuestionType, options: list[Option]
) -> frozenset[str]:
    """The correct option keys: one for single and peer, one or more for multi, a bool
    for true_false."""
    raw = q.get("answer")
    where = (*path, "answer")
    if raw is None:
        check.add(path, "missing 'answer'")
        return frozenset()
    if qtype is QuestionType.TRUE_FALSE:
        if not isinstance(raw, bool):
            check.add(where, "a true_false answer must be true or false")
            return frozenset()
        return frozenset({TRUE_KEY if raw else FALSE_KEY})
    keys = [raw] if not isinstance(raw, list) else raw
    if qtype is not QuestionType.MULTI and isinstance(raw, list):
        check.add(where, f"a {qtype} question has exactly one answer key")
        return frozenset()
    if not keys:
        check.add(where, "give at least one answer key")
    option_keys = {o.key for o in options}
    for key in keys:
        # A key must be one of the option letters; a list or mapping here is not a key at all.
        if not isinstance(key, str) or key not in option_keys:
            check.add(
                where,
                f"answer {shown(key)} is not among the options ({', '.join(sorted(option_keys))})",
            )
    answer = frozenset(k for k in keys if isinstance(k, str))
    if qtype is QuestionType.MULTI and option_keys and answer >= option_keys:
        check.add(where, "a multi question must have at least one wrong option")
    for option in options:
        if option.key in answer and option.misconception:
            check.add(
                (*path, "misconceptions", option.key),
                f"'{option.key}' is a correct answer; misconceptions are for wrong options",
            )
    return answer
