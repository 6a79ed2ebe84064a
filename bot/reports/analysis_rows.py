"""The rows of the workbook's analysis sheets: one per question (with its most chosen wrong
answer), the paragraph excerpts, the discussion prompts, and the items grouped by article."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from bot import dates, texts
from bot.reports.rows import answer_text, bank_title, find_question
from quizzes.analysis import AnswerRow, ClassData, ItemStats, discussion_answers
from quizzes.article import Article
from quizzes.model import Bank

EXCERPT = 80


def _wrong_answer(item: ItemStats, banks: Mapping[str, Bank]) -> str:
    question = find_question(banks, item.bank_id, item.question_id)
    if item.wrong_answer is None or question is None:
        return ""
    if question.is_choice:
        return answer_text(question, item.wrong_answer, None)
    return item.wrong_answer


def question_rows(items: Sequence[ItemStats], banks: Mapping[str, Bank]) -> list[list[Any]]:
    rows = []
    for item in items:
        question = find_question(banks, item.bank_id, item.question_id)
        rows.append(
            [
                banks[item.bank_id].title,
                item.number or None,
                item.question_id,
                question.prompt if question else texts.QUESTION_GONE,
                "، ".join(str(p) for p in question.paragraphs) if question else "",
                item.answered,
                item.facility,
                None if item.discrimination is None else round(item.discrimination, 2),
                _wrong_answer(item, banks),
                item.wrong_count or None,
                item.misconception or "",
            ]
        )
    return rows


def items_by_article(
    data: ClassData, items: Sequence[ItemStats], banks: Mapping[str, Bank]
) -> dict[str, list[ItemStats]]:
    """Items grouped by the article their bank was asked from (the latest session's record)."""
    article_of: dict[str, str] = {}
    for result in data.results:
        article_id = result.article_id(banks)
        if article_id is not None:
            article_of[result.bank_id] = article_id
    grouped: dict[str, list[ItemStats]] = {}
    for item in items:
        article_id = article_of.get(item.bank_id) or banks[item.bank_id].article_id
        grouped.setdefault(article_id, []).append(item)
    return grouped


def paragraph_excerpt(article: Article | None, number: int) -> str:
    """The start of a paragraph, for the sheet that lists the paragraphs."""
    if article is None:
        return ""
    if not 1 <= number <= len(article.paragraphs):
        return ""
    text = article.paragraph(number)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _answer_prompt(banks: Mapping[str, Bank], answer: AnswerRow) -> str:
    """The question an answer was given to, or its id once the question is gone."""
    question = find_question(banks, answer.result.bank_id, answer.question_id)
    return question.prompt if question else answer.question_id


def discussion_rows(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> list[list[Any]]:
    """One row per discussion response of an identified student, with the question's prompt."""
    return [
        [
            a.result.student.name,
            a.result.student.username or "",
            bank_title(banks, a.result.bank_id),
            _answer_prompt(banks, a),
            a.raw_text,
            dates.local(a.answered_at, tz),
        ]
        for a in discussion_answers(data.answers, banks)
        if a.result.student is not None
    ]
