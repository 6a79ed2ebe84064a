"""Fuzzing the bank loader: any YAML value in any field gives problems with lines, never a crash.

A valid bank with one question of each type is the seed. Hypothesis replaces, deletes or adds
values anywhere in it (None, numbers, booleans, dates, Arabic and Latin text, lists, nested
mappings, lists of lists), the result is dumped with PyYAML and loaded from a file by the real
loader. Loading must succeed or raise BankError whose every problem names a line of the file.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import DEFAULT_SEEDS
from quizzes.errors import BankError
from quizzes.loader import load_banks

SHA = "ff1010d133bb21f9ac8ea0ba34a4b3796f5d1831da90050c3a1154a9a2edf4ad"
CITE = [{"paragraph": 2, "quote": "ونُقل إلى نيويورك"}]
HEADER: dict[str, Any] = {
    "id": "fuzz",
    "title": "اختبار",
    "description": "بنك للاختبار",
    "article": "000_b2ad9beff8a3f107",
    "article_sha256": SHA,
    "level": 3,
    "match": {"typos": True, "variants": [["غرينلاند", "جرينلاند"]], "titles": ["الرئيس"]},
}
COMMON: dict[str, Any] = {
    "prompt": "إلى أين نُقل مادورو؟",
    "explanation": "نُقل إلى نيويورك.",
    "cite": CITE,
    "difficulty": "easy",
    "skill": "fact",
    "time_limit": 30,
}
OPTIONS = {"a": "موسكو", "b": "نيويورك", "c": "لندن"}
QUESTIONS: dict[str, dict[str, Any]] = {
    "single": {
        "options": OPTIONS,
        "answer": "b",
        "misconceptions": {"a": "يخلط بين مادورو والأسد."},
    },
    "multi": {"options": OPTIONS, "answer": ["b", "c"], "misconceptions": {"a": "خلط."}},
    "true_false": {"answer": True},
    "short": {
        "accepted": ["نيويورك", "مدينة نيويورك", 2011],
        "match": {
            "optional_article": True,
            "optional_waw": False,
            "typos": True,
            "years": True,
            "leading_particles": ["في", "ب"],
            "titles": ["الرئيس", "المحلل"],
            "synonyms": [["مدينة", "بلدة"]],
            "variants": [["نيويورك", "نيوورك"]],
        },
    },
    "discussion": {
        "min_length": 30,
        "points": [{"text": "نقطة للنقاش.", "cite": CITE}],
    },
    "peer": {"options": OPTIONS, "answer": "a", "discussion_seconds": 60},
    "evidence": {},
}


def _question(qtype: str) -> dict[str, Any]:
    return {"id": f"q_{qtype}"[:12], "type": qtype, **copy.deepcopy(COMMON), **QUESTIONS[qtype]}


def _bank(*types: str) -> dict[str, Any]:
    return {**copy.deepcopy(HEADER), "questions": [_question(t) for t in types]}


Path_ = tuple[Any, ...]


def _paths(node: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every place in the tree a value sits, the root excluded."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key)
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*path, index)
            yield from _paths(value, (*path, index))


def _containers(node: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every mapping in the tree, the root included: where an extra key can go."""
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from _containers(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _containers(value, (*path, index))


def _at(tree: Any, path: Path_) -> Any:
    for step in path:
        tree = tree[step]
    return tree


ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x0655), max_size=12)
TEXT = st.one_of(st.text(max_size=12), ARABIC, st.sampled_from(["a", "b", "t", "", " ", "ال"]))
KEYS = st.one_of(TEXT, st.integers(-3, 20), st.booleans(), st.none())
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1, 1, 1)),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=4),
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn, bank: dict[str, Any], where: str | None) -> dict[str, Any]:
    """The bank with one to three values replaced, deleted or added, in paths through `where`."""
    tree = copy.deepcopy(bank)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _paths(tree) if where is None or where in p]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "add":
            homes = [p for p in _containers(tree) if where is None or where in p or not p]
            home = _at(tree, draw(st.sampled_from(homes)))
            home[draw(KEYS)] = draw(VALUES)
            continue
        if not places:
            continue
        path = draw(st.sampled_from(places))
        parent = _at(tree, path[:-1])
        if action == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(VALUES)
    return tree


GROUPS = {
    "bank": (_bank("single"), None),
    **{f"question-{t}": (_bank(t), "questions") for t in QUESTIONS},
    "citations": (_bank("evidence", "discussion"), "cite"),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_the_seed_banks_are_valid(folder: Path) -> None:
    for name, (bank, _where) in GROUPS.items():
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (loaded,) = load_banks([path], DEFAULT_SEEDS)
        assert loaded.questions


@pytest.mark.parametrize("group", list(GROUPS))
def test_any_value_anywhere_gives_a_bank_error_or_a_bank(folder: Path, group: str) -> None:
    bank, where = GROUPS[group]
    path = folder / f"{group}.yaml"

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(bank, where))
    def load(tree: dict[str, Any]) -> None:
        text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        lines = text.count("\n") + 1
        try:
            load_banks([path], DEFAULT_SEEDS)
        except BankError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file == str(path)
                assert 1 <= problem.line <= lines, problem
                assert isinstance(problem.message, str) and problem.message

    load()
