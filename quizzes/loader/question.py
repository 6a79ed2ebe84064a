"""The questions: each one's common fields, its type's fields, and the limits Telegram sets on
what it renders to (button data, message length); ids unique within the bank."""

from __future__ import annotations

import re
from typing import Any

from quizzes.article import Article
from quizzes.loader.checker import Checker, shown
from quizzes.loader.citations import read_citations
from quizzes.loader.validators import TYPE_KEYS, VALIDATORS, Given
from quizzes.loader.yaml_lines import NodePath
from quizzes.model import Question, QuestionType

QUESTION_ID = re.compile(r"^[a-z0-9_]{1,12}$")
MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64
# Room the bot's own words take around bank text in the longest message (feedback).
MESSAGE_OVERHEAD = 400
# The widest button payload the bot builds: kind, attempt or session id, position, key.
WIDEST_CALLBACK = "xx:{bank}:{question}:999999999999:f"
DIFFICULTIES = ("easy", "medium", "hard")
SKILLS = ("fact", "inference", "attribution", "vocabulary", "cause", "sequence", "evaluation")
# `waive` holds lint waivers (quizzes/lint.py checks them); the bank model does not keep them.
COMMON_KEYS = {
    "id",
    "type",
    "prompt",
    "explanation",
    "cite",
    "difficulty",
    "skill",
    "time_limit",
    "waive",
}


def read_question(
    check: Checker,
    q: Any,
    path: NodePath,
    article: Article | None,
    bank_id: str,
    bank_match: dict[str, Any],
) -> Question | None:
    """One question, or None when it is not a mapping or has no valid id or type.

    Every problem found in it is reported, not only the first."""
    if not isinstance(q, dict):
        check.add(path, "each question must be a mapping with id, type, prompt, …")
        return None
    qid = q.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        check.add((*path, "id"), f"question id {shown(qid)} must match {QUESTION_ID.pattern}")
        qid = None
    raw_type = q.get("type")
    try:
        qtype = QuestionType(raw_type)
    except ValueError:
        check.add(
            (*path, "type"),
            f"unknown type {shown(raw_type)}; use one of "
            f"{', '.join(t.value for t in QuestionType)}",
        )
        return None
    check.unknown_keys(q, COMMON_KEYS | TYPE_KEYS[qtype], path, f"a {qtype} question")
    prompt = check.text(q, "prompt", path)
    explanation = check.text(q, "explanation", path)
    citations = read_citations(check, q.get("cite"), (*path, "cite"), article, qid)
    difficulty = q.get("difficulty")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        check.add((*path, "difficulty"), f"difficulty must be one of {', '.join(DIFFICULTIES)}")
    skill = q.get("skill")
    if skill is not None and skill not in SKILLS:
        check.add((*path, "skill"), f"skill must be one of {', '.join(SKILLS)}")
    validate = VALIDATORS[qtype]
    options, fields = validate(check, q, path, Given(article, bank_match, citations))
    time_limit = check.integer(q, "time_limit", path, 5, 600)
    if bank_id and qid:
        payload = WIDEST_CALLBACK.format(bank=bank_id, question=qid)
        if len(payload.encode()) > MAX_CALLBACK_BYTES:
            check.add((*path, "id"), "bank id plus question id too long for button data")
    size = (
        len(prompt)
        + len(explanation)
        + sum(len(o.text) + len(o.misconception or "") for o in options)
        + sum(len(c.passage.text) for c in citations)
        + sum(
            len(p.text) + sum(len(c.passage.text) for c in p.citations)
            for p in fields.get("points", ())
        )
        + MESSAGE_OVERHEAD
    )
    if size > MAX_MESSAGE_CHARS:
        check.add(
            path,
            f"question renders to about {size} characters; a Telegram message "
            f"holds {MAX_MESSAGE_CHARS}: shorten the prompt, explanation or quotes",
        )
    if qid is None:
        return None
    return Question(
        id=qid,
        type=qtype,
        prompt=prompt,
        explanation=explanation,
        citations=tuple(citations),
        options=tuple(options),
        difficulty=difficulty,
        skill=skill,
        time_limit=time_limit,
        **fields,
    )


def read_questions(
    check: Checker,
    raw_questions: Any,
    article: Article | None,
    bank_id: str,
    bank_match: dict[str, Any],
) -> list[Question]:
    """The bank's valid questions, each id once; the first of two with one id is kept."""
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
    return questions
