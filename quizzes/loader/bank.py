"""One bank's YAML text to a Bank, or every problem found in it with its line."""

from __future__ import annotations

import hashlib
from typing import Any

import yaml

from quizzes.errors import ArticleError, Problem
from quizzes.loader.articles import ArticleSource
from quizzes.loader.bank_fields import BANK_ID, BANK_KEYS, read_peer
from quizzes.loader.checker import Checker, shown
from quizzes.loader.match_rules import read_match
from quizzes.loader.question import read_question
from quizzes.loader.yaml_lines import NodePath, line_map
from quizzes.model import Bank, Question


def parse_bank(text: str, file: str, articles: ArticleSource) -> tuple[Bank | None, list[Problem]]:
    """Parse and validate one bank's YAML text. Returns the bank (if valid) and its problems."""
    problems: list[Problem] = []
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        if isinstance(error, yaml.reader.ReaderError):
            line = text.count("\n", 0, error.position) + 1
            reason = f"character #x{error.character:04x} is not allowed in YAML ({error.reason})"
        return None, [Problem(file, line, f"YAML syntax error: {reason}")]
    except RecursionError:
        # PyYAML composes nested collections recursively; no bank is nested this deep.
        return None, [Problem(file, 1, "YAML nested too deeply: a bank is a few levels deep")]
    lines: dict[NodePath, int] = {}
    dupes: list[tuple[Any, int]] = []
    if node is not None:
        line_map(node, lines, dupes)
    check = Checker(file, lines, problems)
    for key, line in dupes:
        problems.append(Problem(file, line, f"key '{key}' appears twice in the same mapping"))
    if not isinstance(data, dict):
        check.add((), "a bank must be a mapping with id, title, description, article, questions")
        return None, problems
    check.unknown_keys(data, BANK_KEYS, (), "the bank")
    bank_id = data.get("id")
    if not isinstance(bank_id, str) or not BANK_ID.match(bank_id):
        check.add(("id",), f"bank id {shown(bank_id)} must match {BANK_ID.pattern}")
        bank_id = ""
    title = check.text(data, "title", ())
    description = check.text(data, "description", ())
    level = check.integer(data, "level", (), 1, 99) or 1
    bank_match = read_match(check, data.get("match"), ("match",))
    peer = read_peer(check, data.get("peer"), ("peer",))
    article = None
    article_id = data.get("article")
    if not isinstance(article_id, str):
        check.add(("article",), "'article' must name an article in seeds/ (its file stem)")
    else:
        try:
            article = articles(article_id)
        except ArticleError as error:
            check.add(("article",), str(error))
    recorded = data.get("article_sha256")
    if article is not None and recorded != article.sha256:
        check.add(
            ("article_sha256",),
            f"the bank was written from an article with SHA-256 {recorded}, but the "
            f"article now has {article.sha256}: re-check every quote, then update the hash",
        )
    raw_questions = data.get("questions")
    questions: list[Question] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        check.add(("questions",), "'questions' must be a non-empty list")
        raw_questions = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_questions):
        question = read_question(check, raw, ("questions", index), article, bank_id, bank_match)
        if question is None:
            continue
        if question.id in seen:
            check.add(
                ("questions", index, "id"),
                f"duplicate question id '{question.id}' (first at line {seen[question.id]})",
            )
            continue
        seen[question.id] = check.line(("questions", index, "id"))
        questions.append(question)
    problems.sort(key=lambda p: p.line)
    if problems:
        return None, problems
    return Bank(
        id=bank_id,
        title=title,
        description=description,
        article_id=str(article_id),
        article_sha256=str(recorded),
        level=level,
        questions=tuple(questions),
        source=file,
        peer=peer,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    ), problems
