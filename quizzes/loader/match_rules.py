"""The `match:` block of a bank or a short question, and the rules a question grades with
(the bank's settings under the question's own)."""

from __future__ import annotations

from typing import Any

from quizzes.arabic import normalize
from quizzes.loader.checker import Checker, shown
from quizzes.loader.yaml_lines import NodePath
from quizzes.model import MatchRules

MATCH_FLAGS = ("optional_article", "optional_waw", "typos", "years")
MATCH_WORDS = ("leading_particles", "titles")
MATCH_GROUPS = ("synonyms", "variants")
MATCH_KEYS = {*MATCH_FLAGS, *MATCH_WORDS, *MATCH_GROUPS}


def _single_words(check: Checker, raw: Any, path: NodePath, what: str) -> tuple[str, ...] | None:
    """A list of texts that are each one word once normalized, or None after a problem."""
    if not isinstance(raw, list):
        check.add(path, f"{what} must be a list of words")
        return None
    words: list[str] = []
    for index, item in enumerate(raw):
        if isinstance(item, bool) or not isinstance(item, str | int):
            check.add((*path, index), f"{what}: {shown(item)} is not a word")
            return None
        if len(normalize(str(item)).split()) != 1:
            check.add((*path, index), f"{what}: «{str(item)[:40]}» must be exactly one word")
            return None
        words.append(str(item).strip())
    return tuple(words)


def read_match(check: Checker, raw: Any, path: NodePath) -> dict[str, Any]:
    """A `match:` block's valid settings (bank or question level); problems for the rest."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.add(path, "'match' must be a mapping (see docs/bank-format.md)")
        return {}
    check.unknown_keys(raw, MATCH_KEYS, path, "'match'")
    found: dict[str, Any] = {}
    for key in MATCH_FLAGS:
        if key in raw:
            if isinstance(raw[key], bool):
                found[key] = raw[key]
            else:
                check.add((*path, key), f"'{key}' must be true or false")
    for key in MATCH_WORDS:
        if key in raw:
            words = _single_words(check, raw[key], (*path, key), f"'{key}'")
            if words is not None:
                found[key] = words
    for key in MATCH_GROUPS:
        if key not in raw:
            continue
        groups = raw[key]
        if not isinstance(groups, list):
            check.add((*path, key), f"'{key}' must be a list of groups like [قوة, قوات]")
            continue
        kept: list[tuple[str, ...]] = []
        for index, group in enumerate(groups):
            where = (*path, key, index)
            words = _single_words(check, group, where, f"a group of '{key}'")
            if words is None:
                continue
            if len({normalize(w) for w in words}) != len(words) or len(words) < 2:
                check.add(where, f"a group of '{key}' needs two or more different words")
                continue
            kept.append(words)
        found[key] = tuple(kept)
    seen: dict[str, int] = {}
    for index, group in enumerate((*found.get("synonyms", ()), *found.get("variants", ()))):
        for word in group:
            if seen.setdefault(normalize(word), index) != index:
                check.add(path, f"«{word}» is in two groups: a word may stand for one word only")
    return found


def merged_rules(
    check: Checker, bank: dict[str, Any], own: dict[str, Any], path: NodePath
) -> MatchRules:
    """The domain's defaults, then the bank's `match:`, then the question's; groups add up."""
    merged = {**bank, **own}
    for key in MATCH_GROUPS:
        merged[key] = (*bank.get(key, ()), *own.get(key, ()))
    inherited = {normalize(w) for key in MATCH_GROUPS for g in bank.get(key, ()) for w in g}
    for key in MATCH_GROUPS:
        for group in own.get(key, ()):
            for word in group:
                if normalize(word) in inherited:
                    check.add(
                        (*path, "match"),
                        f"«{word}» is already in a group of the bank's 'match': a word may "
                        "stand for one word only",
                    )
    return MatchRules(**merged)
