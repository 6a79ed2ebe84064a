"""The fields each question type adds beyond options: accepted answers, discussion points."""

from __future__ import annotations

from typing import Any

from quizzes.arabic import normalize
from quizzes.article import Article
from quizzes.grading import accepted_as
from quizzes.loader.checker import Checker
from quizzes.loader.citations import read_citations
from quizzes.loader.yaml_lines import Path_
from quizzes.model import MatchRules, Point


def read_accepted(check: Checker, q: dict, path: Path_, rules: MatchRules) -> tuple[str, ...]:
    accepted = q.get("accepted")
    if (
        not isinstance(accepted, list)
        or not accepted
        or not all(
            not isinstance(a, bool) and isinstance(a, str | int) and str(a).strip()
            for a in accepted
        )
    ):
        check.add((*path, "accepted"), "'accepted' must be a non-empty list of answers")
        return ()
    answers = tuple(str(a).strip() for a in accepted)
    for index, answer in enumerate(answers):
        if not normalize(answer):
            check.add(
                (*path, "accepted", index),
                f"accepted answer «{answer[:40]}» has no letters or digits: it would accept "
                "an empty reply",
            )
            return ()
    reported: set[int] = set()
    for i, first in enumerate(answers):
        for j in range(i + 1, len(answers)):
            second = answers[j]
            if i in reported or j in reported:
                continue
            # The later one is reported unless it is the earlier one that adds words.
            if accepted_as(rules, first, second):
                extra, kept, at = second, first, j
            elif accepted_as(rules, second, first):
                extra, kept, at = first, second, i
            else:
                continue
            reported.add(at)
            check.add(
                (*path, "accepted", at),
                f"accepted answer «{extra}» is already accepted as «{kept}» (the same "
                "answer once normalized and matched): remove it",
            )
    return answers


def read_points(check: Checker, raw: Any, path: Path_, article: Article | None) -> list[Point]:
    if not isinstance(raw, list) or not raw:
        check.add(path, "'points' must be a list of {text, cite}")
        return []
    points: list[Point] = []
    for index, item in enumerate(raw):
        where = (*path, index)
        if not isinstance(item, dict):
            check.add(where, "each point needs 'text' and 'cite'")
            continue
        check.unknown_keys(item, {"text", "cite"}, where, "a point")
        text = check.text(item, "text", where)
        points.append(
            Point(text, tuple(read_citations(check, item.get("cite"), (*where, "cite"), article)))
        )
    return points
