"""Render domain objects into HTML message texts, using only templates from `texts`."""

from __future__ import annotations

from collections.abc import Sequence

from bot import bidi, texts
from bot.formatting import Formatter
from quizzes.arabic import normalize
from quizzes.article import Article, Passage
from quizzes.attempt import AnswerRecord, Attempt, Summary
from quizzes.grading import Verdict
from quizzes.model import Bank, Citation, Option, Question, QuestionType
from quizzes.peer import Shift
from quizzes.typed import MAX_CHARS, TextProblem, response_length


def option_text(question: Question, option: Option) -> str:
    """Option text; true/false options are labelled here, not in the bank."""
    if question.type is QuestionType.TRUE_FALSE:
        return texts.TRUE_LABEL if option.key == "t" else texts.FALSE_LABEL
    return option.text


def letter(index: int) -> str:
    return texts.OPTION_LETTERS[index]


def quote(fmt: Formatter, citation: Citation) -> str:
    """The article's own words at a citation, with the paragraph number."""
    return texts.QUOTE.format(
        text=bidi.esc(citation.passage.text), paragraph=fmt.num(citation.paragraph)
    )


def evidence(fmt: Formatter, citations: Sequence[Citation]) -> str:
    return "\n".join([texts.EVIDENCE_HEADER, *(quote(fmt, c) for c in citations)])


def header(fmt: Formatter, position: int, total: int) -> str:
    return texts.QUESTION_HEADER.format(number=fmt.num(position + 1), total=fmt.num(total))


def _hint(fmt: Formatter, question: Question) -> str:
    if question.type is QuestionType.MULTI:
        return texts.QUESTION_MULTI_HINT
    if question.type is QuestionType.TRUE_FALSE:
        return texts.QUESTION_TF_HINT
    if question.type is QuestionType.PEER:
        return texts.QUESTION_PEER_HINT
    if question.type is QuestionType.SHORT:
        return texts.QUESTION_SHORT_HINT
    if question.type is QuestionType.EVIDENCE:
        return texts.QUESTION_EVIDENCE_HINT
    if question.type is QuestionType.DISCUSSION:
        if question.min_length:
            return texts.QUESTION_DISCUSSION_HINT.format(
                length=fmt.count("character", question.min_length)
            )
        return texts.QUESTION_DISCUSSION_HINT_FREE
    if not question.is_choice:
        return texts.QUESTION_TYPE_HINT
    return ""


def question_text(
    fmt: Formatter,
    question: Question,
    order: Sequence[str],
    position: int,
    total: int,
    hint: str | None = None,
) -> str:
    """A question with its options listed in the order this attempt shows them.

    `hint` replaces the chat's how-to-answer line (the terminal has no buttons)."""
    lines = (
        [
            texts.OPTION_LINE.format(
                letter=letter(i), text=bidi.esc(option_text(question, question.option(k)))
            )
            for i, k in enumerate(order)
        ]
        if question.type not in (QuestionType.TRUE_FALSE,)
        else []
    )
    hint = _hint(fmt, question) if hint is None else hint
    body = "\n".join(filter(None, ["\n".join(lines), hint]))
    return texts.QUESTION.format(
        header=header(fmt, position, total), prompt=bidi.esc(question.prompt), options=body
    ).rstrip()


def shown_options(question: Question, order: Sequence[str], keys: frozenset[str]) -> str:
    """Chosen or correct options, named by the letters this student saw."""
    return texts.LIST_SEPARATOR.join(
        f"{letter(i)}) {bidi.esc(option_text(question, question.option(k)))}"
        for i, k in enumerate(order)
        if k in keys
    )


def feedback(
    fmt: Formatter, question: Question, attempt: Attempt, position: int, record: AnswerRecord
) -> str:
    """After an answer: the verdict, the correct answer, the explanation and the evidence."""
    order = attempt.options_shown(position)
    chosen = frozenset(record.choice.split(",")) if record.choice else frozenset()
    notes = "".join(
        texts.MISCONCEPTION.format(note=bidi.esc(o.misconception))
        for o in question.options
        if o.key in chosen and o.misconception
    )
    return verdict_text(
        fmt,
        question,
        header(fmt, position, attempt.total),
        Verdict(record.correct, record.score),
        your_answer=shown_options(question, order, chosen) + ("\n" + notes if notes else ""),
        correct=shown_options(question, order, question.answer),
    )


def _verdict_words(verdict: Verdict) -> tuple[str, str]:
    if verdict.correct:
        return texts.MARK_CORRECT, texts.VERDICT_CORRECT
    if verdict.score > 0:
        return texts.MARK_PARTIAL, texts.VERDICT_PARTIAL
    return texts.MARK_WRONG, texts.VERDICT_WRONG


def verdict_text(
    fmt: Formatter,
    question: Question,
    head: str,
    verdict: Verdict,
    *,
    your_answer: str,
    correct: str,
    said: str | None = None,
) -> str:
    """The feedback message; `said` replaces the standard verdict sentence when given."""
    mark, standard = _verdict_words(verdict)
    return texts.FEEDBACK.format(
        header=head,
        prompt=bidi.esc(question.prompt),
        mark=mark,
        verdict=said or standard,
        your_answer=texts.YOUR_ANSWER.format(answer=your_answer) if your_answer else "",
        correct=correct,
        explanation=bidi.esc(question.explanation),
        evidence=evidence(fmt, question.citations),
    ).rstrip()


def duration(fmt: Formatter, seconds: int) -> str:
    minutes, rest = divmod(max(0, seconds), 60)
    if not minutes:
        return fmt.count("second", rest)
    return texts.DURATION_MINUTES.format(
        minutes=fmt.count("minute", minutes), seconds=fmt.count("second", rest)
    )


def summary(fmt: Formatter, bank: Bank, attempt: Attempt, result: Summary) -> str:
    if result.missed:
        lines = "\n".join(
            texts.MISSED_LINE.format(
                number=fmt.num(attempt.question_ids.index(qid) + 1),
                prompt=bidi.esc(_short(bank.question(qid).prompt)),
            )
            for qid in result.missed
        )
        missed = texts.SUMMARY_MISSED.format(count=fmt.num(len(result.missed)), lines=lines)
    else:
        missed = texts.SUMMARY_PERFECT
    return texts.SUMMARY.format(
        title=bidi.esc(bank.title),
        score=fmt.num(result.score),
        out_of=fmt.count("question_of", result.out_of),
        percent=fmt.percent(result.percent),
        time=duration(fmt, result.seconds),
        missed=missed,
    )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def points(fmt: Formatter, question: Question) -> str:
    """A discussion question's points to consider, each with its passages."""
    lines = [texts.POINTS_HEADER]
    for point in question.points:
        lines.append(
            texts.POINT_LINE.format(
                text=bidi.esc(point.text), quotes="\n".join(quote(fmt, c) for c in point.citations)
            )
        )
    return "\n".join(lines)


def text_feedback(
    fmt: Formatter,
    question: Question,
    head: str,
    verdict: Verdict,
    raw: str,
    *,
    article: Article | None = None,
    elsewhere: Passage | None = None,
) -> str:
    """After a typed answer: short answers and evidence get a verdict; discussion gets points.

    With the article, evidence feedback shows the whole cited paragraph with the supporting
    sentence in bold, and the paragraph of `elsewhere` (another sentence the student pasted).
    """
    if question.type is QuestionType.DISCUSSION:
        return discussion_feedback(fmt, question, head)
    if question.type is QuestionType.EVIDENCE and article is not None:
        return evidence_feedback(fmt, question, head, verdict, raw, article, elsewhere)
    if question.type is QuestionType.SHORT:
        main = verdict.matched or question.accepted[0]
        said = texts.VERDICT_FUZZY.format(answer=bidi.esc(main)) if verdict.fuzzy else None
        return verdict_text(
            fmt,
            question,
            head,
            verdict,
            your_answer=echo(raw),
            correct=accepted_answers(question, main),
            said=said,
        )
    correct = texts.LIST_SEPARATOR.join(f"«{bidi.esc(c.passage.text)}»" for c in question.citations)
    return verdict_text(fmt, question, head, verdict, your_answer=echo(raw), correct=correct)


# --- discussion: typed answers, discussion responses, private peer rounds, evidence, /ask ---

# A typed answer is quoted back at most this long: a pasted paragraph would crowd out the
# feedback (and, with the paragraphs shown, could pass Telegram's 4096 characters).
ECHO_LIMIT = 300
OTHER_ACCEPTED_SHOWN = 3


def echo(raw: str) -> str:
    """The student's own text, escaped and clipped, as the feedback quotes it."""
    return bidi.esc(_short(raw.strip(), ECHO_LIMIT))


def accepted_answers(question: Question, main: str) -> str:
    """The accepted answer quoted first, then a few other accepted forms that differ from it."""
    seen = {normalize(main)}
    others = []
    for answer in question.accepted:
        key = normalize(answer)
        if key not in seen and len(others) < OTHER_ACCEPTED_SHOWN:
            seen.add(key)
            others.append(bidi.esc(answer))
    if not others:
        return bidi.esc(main)
    return texts.ACCEPTED_ALSO.format(
        answer=bidi.esc(main), others=texts.LIST_SEPARATOR.join(others)
    )


def discussion_feedback(fmt: Formatter, question: Question, head: str) -> str:
    """After a discussion response: the points to consider with their passages."""
    return texts.DISCUSSION_FEEDBACK.format(
        header=head,
        prompt=bidi.esc(question.prompt),
        recorded=texts.RESPONSE_RECORDED,
        points=points(fmt, question),
        explanation=bidi.esc(question.explanation),
    )


def highlighted(article: Article, number: int, passages: Sequence[Passage]) -> str:
    """Paragraph `number` with the given passages of it in bold."""
    text = article.paragraph(number)
    spans = sorted((p.start, p.end) for p in passages if p.paragraph == number)
    parts: list[str] = []
    at = 0
    for start, end in spans:
        if start < at:  # overlapping citations: the earlier bold part already covers it
            continue
        parts.append(
            texts.HIGHLIGHT.format(
                before=bidi.esc(text[at:start]), part=bidi.esc(text[start:end]), after=""
            )
        )
        at = end
    parts.append(bidi.esc(text[at:]))
    return "".join(parts)


def evidence_feedback(
    fmt: Formatter,
    question: Question,
    head: str,
    verdict: Verdict,
    raw: str,
    article: Article,
    elsewhere: Passage | None,
) -> str:
    """After an evidence paste: the verdict, and the cited paragraph(s) shown back."""
    mark, said = _verdict_words(verdict)
    if elsewhere is not None:
        said = texts.VERDICT_EVIDENCE_ELSEWHERE
    elif verdict.correct is False and verdict.score > 0:
        said = texts.VERDICT_EVIDENCE_PARTIAL
    cited = [c.passage for c in question.citations]
    blocks = [
        texts.EVIDENCE_PARAGRAPH.format(
            number=fmt.num(number), text=highlighted(article, number, cited)
        )
        for number in question.paragraphs
    ]
    if elsewhere is not None and elsewhere.paragraph not in question.paragraphs:
        blocks.append(
            texts.EVIDENCE_YOUR_PARAGRAPH.format(
                number=fmt.num(elsewhere.paragraph),
                text=highlighted(article, elsewhere.paragraph, [elsewhere]),
            )
        )
    return texts.EVIDENCE_FEEDBACK.format(
        header=head,
        prompt=bidi.esc(question.prompt),
        mark=mark,
        verdict=said,
        your_answer=texts.YOUR_ANSWER.format(answer=echo(raw)),
        elsewhere=(
            texts.EVIDENCE_ELSEWHERE.format(paragraph=fmt.num(elsewhere.paragraph))
            if elsewhere is not None
            else ""
        ),
        explanation=bidi.esc(question.explanation),
        paragraphs="\n\n".join(blocks),
    ).rstrip()


def text_problem(fmt: Formatter, problem: TextProblem, question: Question, text: str) -> str:
    """Why a typed message was not recorded, and what to send instead."""
    if problem is TextProblem.TOO_LONG:
        return texts.TEXT_TOO_LONG.format(
            length=fmt.count("character", len(text)),
            limit=fmt.count("character", MAX_CHARS),
        )
    if problem is TextProblem.TOO_SHORT:
        return texts.TEXT_TOO_SHORT.format(
            length=fmt.count("character", response_length(text)),
            minimum=fmt.count("character", question.min_length),
        )
    if problem is TextProblem.NOT_ARABIC:
        return texts.TEXT_NOT_ARABIC
    return texts.TEXT_EMPTY


def _options_list(question: Question, order: Sequence[str]) -> str:
    return "\n".join(
        texts.OPTION_LINE.format(
            letter=letter(i), text=bidi.esc(option_text(question, question.option(k)))
        )
        for i, k in enumerate(order)
    )


def peer_reconsider(
    fmt: Formatter,
    question: Question,
    article: Article,
    attempt: Attempt,
    position: int,
    first: str,
) -> str:
    """After the first vote of a private peer round: a second look, without the answer."""
    order = attempt.options_shown(position)
    paragraphs = "\n\n".join(
        texts.PEER_PARAGRAPH.format(
            number=fmt.num(number), text=bidi.esc(article.paragraph(number))
        )
        for number in question.paragraphs
    )
    return texts.PEER_RECONSIDER.format(
        header=header(fmt, position, attempt.total),
        prompt=bidi.esc(question.prompt),
        options=_options_list(question, order),
        first=shown_options(question, order, frozenset({first})),
        time=duration(fmt, question.discussion_seconds),
        paragraphs=paragraphs,
    )


_SHIFTS = {
    Shift.STAYED_RIGHT: texts.SHIFT_STAYED_RIGHT,
    Shift.TO_RIGHT: texts.SHIFT_TO_RIGHT,
    Shift.TO_WRONG: texts.SHIFT_TO_WRONG,
    Shift.STAYED_WRONG: texts.SHIFT_STAYED_WRONG,
    Shift.OTHER_WRONG: texts.SHIFT_OTHER_WRONG,
}


def peer_reveal(
    fmt: Formatter,
    question: Question,
    attempt: Attempt,
    position: int,
    first: str,
    record: AnswerRecord,
    shift: Shift,
) -> str:
    """After the second vote: both votes, the shift, the answer, explanation and passages."""
    order = attempt.options_shown(position)
    mark, said = _verdict_words(Verdict(record.correct, record.score))
    notes = "".join(
        texts.MISCONCEPTION.format(note=bidi.esc(o.misconception))
        for o in question.options
        if o.key == record.choice and o.misconception
    )
    return texts.PEER_REVEAL.format(
        header=header(fmt, position, attempt.total),
        prompt=bidi.esc(question.prompt),
        mark=mark,
        verdict=said,
        first=shown_options(question, order, frozenset({first})),
        second=shown_options(question, order, frozenset({record.choice})),
        shift=_SHIFTS[shift],
        notes=notes,
        correct=shown_options(question, order, question.answer),
        explanation=bidi.esc(question.explanation),
        evidence=evidence(fmt, question.citations),
    ).rstrip()


def ask_results(fmt: Formatter, passages: Sequence[Passage]) -> str:
    """The sentences /ask found, each with its paragraph number."""
    hits = "\n".join(
        texts.QUOTE.format(text=bidi.esc(p.text), paragraph=fmt.num(p.paragraph)) for p in passages
    )
    return texts.ASK_RESULTS.format(hits=hits)


def ask_results_of(fmt: Formatter, found: Sequence[tuple[str, Passage]]) -> str:
    """The sentences /ask found in several articles, each with its article and paragraph."""
    hits = "\n".join(
        texts.ASK_QUOTE_OF.format(
            text=bidi.esc(p.text), paragraph=fmt.num(p.paragraph), title=bidi.esc(title)
        )
        for title, p in found
    )
    return texts.ASK_RESULTS.format(hits=hits)
