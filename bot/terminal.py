"""`quizbot play`: the same quiz in a terminal, with no Telegram and no token."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import TextIO

from bot import render, texts
from bot.exits import Exit
from quizzes.arabic import normalize
from quizzes.article import Article
from quizzes.attempt import AnswerRecord, Attempt, advance, new_attempt, summarize
from quizzes.grading import Verdict, grade_choice, grade_text
from quizzes.model import FALSE_KEY, TRUE_KEY, Bank, Question, QuestionType

_TRUE_WORDS = {"ص", "صح", "صحيح", "نعم", "1", "t", "true"}
_FALSE_WORDS = {"خ", "خطا", "خطأ", "لا", "2", "f", "false"}


def _letters(order: tuple[str, ...]) -> dict[str, str]:
    """Map what a player may type (letter or 1-based number) to option keys."""
    mapping: dict[str, str] = {}
    for index, key in enumerate(order):
        mapping[normalize(texts.OPTION_LETTERS[index])] = key
        mapping[str(index + 1)] = key
    return mapping


def parse_choice(question: Question, order: tuple[str, ...], raw: str) -> frozenset[str] | None:
    """Read a typed choice; None when it cannot be understood."""
    words = normalize(raw).replace("،", " ").split()
    if question.type is QuestionType.TRUE_FALSE:
        if len(words) == 1 and words[0] in {normalize(w) for w in _TRUE_WORDS}:
            return frozenset({TRUE_KEY})
        if len(words) == 1 and words[0] in {normalize(w) for w in _FALSE_WORDS}:
            return frozenset({FALSE_KEY})
        return None
    mapping = _letters(order)
    keys = [mapping.get(w) for w in words]
    if not keys or None in keys:
        return None
    if question.type is not QuestionType.MULTI and len(keys) != 1:
        return None
    return frozenset(k for k in keys if k)


def _ask(question: Question, order: tuple[str, ...], stdin: TextIO, out: TextIO) -> str | None:
    if question.type is QuestionType.MULTI:
        prompt = texts.TERMINAL_PROMPT_MULTI
    elif question.type is QuestionType.TRUE_FALSE:
        prompt = texts.TERMINAL_PROMPT_TF
    elif question.is_choice:
        prompt = texts.TERMINAL_PROMPT_CHOICE
    else:
        prompt = texts.TERMINAL_PROMPT_TEXT
    out.write(prompt)
    out.flush()
    line = stdin.readline()
    if line and not stdin.isatty():
        out.write(line if line.endswith("\n") else line + "\n")
    return None if line == "" else line.strip()


def _hint(question: Question, order: tuple[str, ...]) -> str:
    if question.type is QuestionType.TRUE_FALSE:
        return texts.TERMINAL_HINT_TF
    if question.is_choice:
        return texts.TERMINAL_HINT_CHOICE.format(first=texts.num(1), last=texts.num(len(order)))
    return texts.TERMINAL_HINT_TEXT


def play(
    bank: Bank,
    article: Article,
    stdin: TextIO,
    out: TextIO,
    *,
    seed: int | None = None,
    digits: str = "arabic",
) -> int:
    """Run one attempt over stdin/stdout. Returns 0 at the end of the bank; when input ends
    early (Ctrl-D) or the player presses Ctrl-C, says so with the score so far and returns
    1 or 130 (bot/exits.py)."""
    texts.set_digit_style(digits)
    rng = random.Random(seed)
    attempt: Attempt = new_attempt(bank, 0, 0, datetime.now(UTC), rng)
    attempt = Attempt(**{**attempt.__dict__, "id": 1})
    answers: list[AnswerRecord] = []
    try:
        _run(bank, attempt, answers, stdin, out)
    except _Stopped:
        _stopped(bank, answers, attempt.total, out)
        return Exit.FAILED
    except KeyboardInterrupt:
        _stopped(bank, answers, attempt.total, out)
        return Exit.INTERRUPTED
    return Exit.OK


class _Stopped(Exception):
    """Input ended before the last question."""


def _stopped(bank: Bank, answers: list[AnswerRecord], total: int, out: TextIO) -> None:
    """The stop notice and the score so far, over the scored questions answered."""
    scored = [a for a in answers if bank.question(a.question_id).is_scored]
    out.write("\n" + texts.TERMINAL_STOPPED + "\n")
    out.write(
        texts.TERMINAL_PARTIAL_SCORE.format(
            answered=texts.num(len(answers)),
            total=texts.num(total),
            score=texts.num(float(sum(a.score for a in scored))),
            scored=texts.num(len(scored)),
        )
        + "\n"
    )
    out.flush()


def _run(
    bank: Bank, attempt: Attempt, answers: list[AnswerRecord], stdin: TextIO, out: TextIO
) -> None:
    """Ask every question in turn, appending to `answers`; raise _Stopped at end of input."""
    show = lambda html_text: out.write(texts.strip_html(html_text) + "\n\n")  # noqa: E731
    show(
        texts.ATTEMPT_STARTED.format(
            title=texts.esc(bank.title),
            description=texts.esc(bank.description),
            questions=texts.count("question", len(bank.questions)),
        )
    )
    while attempt.finished_at is None:
        position = attempt.position
        question = bank.question(attempt.current_question_id)
        order = attempt.options_shown(position)
        show(render.question_text(question, order, position, attempt.total))
        while True:
            raw = _ask(question, order, stdin, out)
            if raw is None:
                raise _Stopped
            if question.is_choice:
                keys = parse_choice(question, order, raw)
                if keys is not None:
                    break
            elif raw:
                break
            out.write(texts.TERMINAL_BAD_INPUT.format(hint=_hint(question, order)) + "\n")
        now = datetime.now(UTC)
        if question.is_choice:
            verdict = grade_choice(question, keys)
            record = AnswerRecord(
                1, question.id, ",".join(sorted(keys)), verdict.correct, verdict.score, now, 0
            )
            show(render.feedback(question, attempt, position, record))
        else:
            verdict = grade_text(question, raw)
            record = AnswerRecord(1, question.id, "", verdict.correct, verdict.score, now, 0, raw)
            show(
                render.text_feedback(
                    question,
                    render.header(position, attempt.total),
                    Verdict(verdict.correct, verdict.score, verdict.matched),
                    raw,
                )
            )
        answers.append(record)
        attempt = advance(attempt, position, now)
    show(render.summary(bank, attempt, summarize(attempt, bank, answers)))
