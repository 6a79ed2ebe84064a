"""One bank's YAML text to a Bank, or every problem found in it with its line."""

from __future__ import annotations

import hashlib

from quizzes.errors import Problem
from quizzes.loader.articles import ArticleSource
from quizzes.loader.bank_fields import BANK_ID, BANK_KEYS, read_article, read_peer
from quizzes.loader.checker import Checker, shown
from quizzes.loader.match_rules import read_match
from quizzes.loader.question import read_questions
from quizzes.loader.yaml_lines import read_yaml
from quizzes.model import Bank


def parse_bank(text: str, file: str, articles: ArticleSource) -> tuple[Bank | None, list[Problem]]:
    """Parse and validate one bank's YAML text. Returns the bank (if valid) and its problems."""
    document = read_yaml(text, file)
    if isinstance(document, Problem):
        return None, [document]
    problems: list[Problem] = []
    check = Checker(file, document.lines, problems)
    for key, line in document.dupes:
        problems.append(Problem(file, line, f"key '{key}' appears twice in the same mapping"))
    data = document.data
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
    article = read_article(check, data, articles)
    questions = read_questions(check, data.get("questions"), article, bank_id, bank_match)
    # Stable, so problems on one line keep the order they were found in.
    problems.sort(key=lambda p: p.line)
    if problems:
        return None, problems
    return Bank(
        id=bank_id,
        title=title,
        description=description,
        article_id=str(data.get("article")),
        article_sha256=str(data.get("article_sha256")),
        level=level,
        questions=tuple(questions),
        source=file,
        peer=peer,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    ), problems
