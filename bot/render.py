"""Render domain objects into HTML message texts, using only templates from `texts`."""

from __future__ import annotations

from collections.abc import Sequence

from bot import texts
from quizzes.attempt import AnswerRecord, Attempt, Summary
from quizzes.grading import Verdict
from quizzes.model import Bank, Citation, Option, Question, QuestionType


def option_text(question: Question, option: Option) -> str:
    """Option text; true/false options are labelled here, not in the bank."""
    if question.type is QuestionType.TRUE_FALSE:
        return texts.TRUE_LABEL if option.key == "t" else texts.FALSE_LABEL
    return option.text


def letter(index: int) -> str:
    return texts.OPTION_LETTERS[index]


def quote(citation: Citation) -> str:
    """The article's own words at a citation, with the paragraph number."""
    return texts.QUOTE.format(
        text=texts.esc(citation.passage.text), paragraph=texts.num(citation.paragraph)
    )


def evidence(citations: Sequence[Citation]) -> str:
    return "\n".join([texts.EVIDENCE_HEADER, *(quote(c) for c in citations)])


def header(position: int, total: int) -> str:
    return texts.QUESTION_HEADER.format(number=texts.num(position + 1), total=texts.num(total))


def _hint(question: Question) -> str:
    if question.type is QuestionType.MULTI:
        return texts.QUESTION_MULTI_HINT
    if question.type is QuestionType.TRUE_FALSE:
        return texts.QUESTION_TF_HINT
    if not question.is_choice:
        return texts.QUESTION_TYPE_HINT
    return ""


def question_text(question: Question, order: Sequence[str], position: int, total: int) -> str:
    """A question with its options listed in the order this attempt shows them."""
    lines = (
        [
            texts.OPTION_LINE.format(
                letter=letter(i), text=texts.esc(option_text(question, question.option(k)))
            )
            for i, k in enumerate(order)
        ]
        if question.type not in (QuestionType.TRUE_FALSE,)
        else []
    )
    hint = _hint(question)
    body = "\n".join(filter(None, ["\n".join(lines), hint]))
    return texts.QUESTION.format(
        header=header(position, total), prompt=texts.esc(question.prompt), options=body
    ).rstrip()


def shown_options(question: Question, order: Sequence[str], keys: frozenset[str]) -> str:
    """Chosen or correct options, named by the letters this student saw."""
    return texts.LIST_SEPARATOR.join(
        f"{letter(i)}) {texts.esc(option_text(question, question.option(k)))}"
        for i, k in enumerate(order)
        if k in keys
    )


def feedback(question: Question, attempt: Attempt, position: int, record: AnswerRecord) -> str:
    """After an answer: the verdict, the correct answer, the explanation and the evidence."""
    order = attempt.options_shown(position)
    chosen = frozenset(record.choice.split(",")) if record.choice else frozenset()
    notes = "".join(
        texts.MISCONCEPTION.format(note=texts.esc(o.misconception))
        for o in question.options
        if o.key in chosen and o.misconception
    )
    return verdict_text(
        question,
        header(position, attempt.total),
        Verdict(record.correct, record.score),
        your_answer=shown_options(question, order, chosen) + ("\n" + notes if notes else ""),
        correct=shown_options(question, order, question.answer),
    )


def verdict_text(
    question: Question, head: str, verdict: Verdict, *, your_answer: str, correct: str
) -> str:
    if verdict.correct:
        mark, said = texts.MARK_CORRECT, texts.VERDICT_CORRECT
    elif verdict.score > 0:
        mark, said = texts.MARK_PARTIAL, texts.VERDICT_PARTIAL
    else:
        mark, said = texts.MARK_WRONG, texts.VERDICT_WRONG
    return texts.FEEDBACK.format(
        header=head,
        prompt=texts.esc(question.prompt),
        mark=mark,
        verdict=said,
        your_answer=texts.YOUR_ANSWER.format(answer=your_answer) if your_answer else "",
        correct=correct,
        explanation=texts.esc(question.explanation),
        evidence=evidence(question.citations),
    ).rstrip()


def duration(seconds: int) -> str:
    minutes, rest = divmod(max(0, seconds), 60)
    if not minutes:
        return texts.count("second", rest)
    return texts.DURATION_MINUTES.format(
        minutes=texts.count("minute", minutes), seconds=texts.count("second", rest)
    )


def summary(bank: Bank, attempt: Attempt, result: Summary) -> str:
    if result.missed:
        lines = "\n".join(
            texts.MISSED_LINE.format(
                number=texts.num(attempt.question_ids.index(qid) + 1),
                prompt=texts.esc(_short(bank.question(qid).prompt)),
            )
            for qid in result.missed
        )
        missed = texts.SUMMARY_MISSED.format(count=texts.num(len(result.missed)), lines=lines)
    else:
        missed = texts.SUMMARY_PERFECT
    return texts.SUMMARY.format(
        title=texts.esc(bank.title),
        score=texts.num(result.score),
        out_of=texts.count("question", result.out_of),
        percent=texts.percent(result.percent),
        time=duration(result.seconds),
        missed=missed,
    )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def points(question: Question) -> str:
    """A discussion question's points to consider, each with its passages."""
    lines = [texts.POINTS_HEADER]
    for point in question.points:
        lines.append(
            texts.POINT_LINE.format(
                text=texts.esc(point.text), quotes="\n".join(quote(c) for c in point.citations)
            )
        )
    return "\n".join(lines)


def text_feedback(question: Question, head: str, verdict: Verdict, raw: str) -> str:
    """After a typed answer: short answers and evidence get a verdict; discussion gets points."""
    if question.type is QuestionType.DISCUSSION:
        return "\n\n".join([head, texts.RESPONSE_RECORDED, points(question)])
    if question.type is QuestionType.SHORT:
        correct = texts.esc(verdict.matched or question.accepted[0])
    else:
        correct = texts.LIST_SEPARATOR.join(
            f"«{texts.esc(c.passage.text)}»" for c in question.citations
        )
    return verdict_text(question, head, verdict, your_answer=texts.esc(raw), correct=correct)
