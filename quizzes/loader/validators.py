"""One validator per question type, in a table: each reads the fields its type adds (options
and answer keys, accepted answers, discussion points) and the keys that type may have."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizzes.arabic import normalize
from quizzes.article import Article
from quizzes.grading import accepted_as
from quizzes.loader.checker import Checker
from quizzes.loader.citations import check_evidence_quotes, read_citations
from quizzes.loader.match_rules import merged_rules, read_match
from quizzes.loader.options import read_answer, read_options
from quizzes.loader.yaml_lines import NodePath
from quizzes.model import FALSE_KEY, TRUE_KEY, Citation, MatchRules, Option, Point, QuestionType


@dataclass(frozen=True)
class Given:
    """What a type's validator reads beside the question's own mapping."""

    # None when the bank's article did not load: quotes then go unchecked, as that problem
    # is already reported once for the bank.
    article: Article | None
    bank_match: dict[str, Any]
    citations: list[Citation]


# The options the question shows (for the message-size check) and the Question fields the
# type sets; problems go to the checker.
TypeFields = tuple[list[Option], dict[str, Any]]
Validator = Callable[[Checker, dict, NodePath, Given], TypeFields]


def read_accepted(check: Checker, q: dict, path: NodePath, rules: MatchRules) -> tuple[str, ...]:
    """A short question's accepted answers; one the rules already accept through another is
    reported, as it could never be the one matched."""
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


def read_points(check: Checker, raw: Any, path: NodePath, article: Article | None) -> list[Point]:
    """A discussion question's points, each with its citations."""
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


def _choice(check: Checker, q: dict, path: NodePath, qtype: QuestionType, low: int) -> TypeFields:
    """Options and the answer keys among them, shared by the choice types."""
    options = read_options(check, q, path, low)
    return options, {"answer": read_answer(check, q, path, qtype, options)}


def single(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """One correct option among two to six."""
    return _choice(check, q, path, QuestionType.SINGLE, 2)


def multi(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """Several correct options among three to six, and at least one wrong one."""
    # At least one option must be wrong, so a multi question needs three to be a choice.
    return _choice(check, q, path, QuestionType.MULTI, 3)


def peer(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """One correct option, voted on, discussed for `discussion_seconds`, then voted again."""
    options, fields = _choice(check, q, path, QuestionType.PEER, 2)
    seconds = check.integer(q, "discussion_seconds", path, 10, 900)
    fields["discussion_seconds"] = seconds or 60
    return options, fields


def true_false(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """A statement judged true or false: the two options are fixed."""
    options = [Option(TRUE_KEY, ""), Option(FALSE_KEY, "")]
    return options, {"answer": read_answer(check, q, path, QuestionType.TRUE_FALSE, options)}


def short(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """A typed answer, matched by the bank's rules under the question's own."""
    own = read_match(check, q.get("match"), (*path, "match"))
    rules = merged_rules(check, given.bank_match, own, path)
    return [], {"match": rules, "accepted": read_accepted(check, q, path, rules)}


def evidence(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """The student pastes a passage: each cited quote must be a whole sentence or clause."""
    if given.article is not None:
        check_evidence_quotes(check, given.citations, (*path, "cite"), given.article)
    return [], {}


def discussion(check: Checker, q: dict, path: NodePath, given: Given) -> TypeFields:
    """Points a student's reply should cover, each with its citations."""
    points = tuple(read_points(check, q.get("points"), (*path, "points"), given.article))
    min_length = check.integer(q, "min_length", path, 0, 1000)
    return [], {"points": points, "min_length": min_length or 0}


VALIDATORS: dict[QuestionType, Validator] = {
    QuestionType.SINGLE: single,
    QuestionType.MULTI: multi,
    QuestionType.TRUE_FALSE: true_false,
    QuestionType.SHORT: short,
    QuestionType.DISCUSSION: discussion,
    QuestionType.PEER: peer,
    QuestionType.EVIDENCE: evidence,
}
# The keys each type adds to the common ones; any other key is reported as unknown.
TYPE_KEYS: dict[QuestionType, set[str]] = {
    QuestionType.SINGLE: {"options", "answer", "misconceptions"},
    QuestionType.MULTI: {"options", "answer", "misconceptions"},
    QuestionType.TRUE_FALSE: {"answer"},
    QuestionType.SHORT: {"accepted", "match"},
    QuestionType.DISCUSSION: {"points", "min_length"},
    QuestionType.PEER: {"options", "answer", "misconceptions", "discussion_seconds"},
    QuestionType.EVIDENCE: set(),
}
