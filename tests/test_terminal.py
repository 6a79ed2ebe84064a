"""`quizbot play` behaves like the private chat: every bank type, peer rounds, input checks,
terminal wording and plural forms."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot import bidi, render, texts
from bot.exits import Exit
from bot.formatting import Formatter
from quizzes.grading import grade_typed
from quizzes.model import QuestionType
from quizzes.typed import MAX_CHARS, TextProblem, check_text
from tests.terminal_support import (
    OPINION,
    article_of,
    number_of,
    only,
    orders,
    right_answer,
    run,
    shipped,
    wrong_key,
)

ARABIC = Formatter()  # the default digits, as in the tests' config

BANKS = shipped()


def script(bank, wrong_peer_second: bool = False) -> list[str]:
    lines: list[str] = []
    for question, order in zip(bank.questions, orders(bank), strict=True):
        answer = right_answer(question, order)
        if wrong_peer_second and question.type is QuestionType.PEER:
            answer = [answer[0], number_of(order, wrong_key(question))]
        lines += answer
    return lines


@pytest.mark.parametrize("bank_id", ["facts", "causes", "voices", "discuss"])
def test_each_shipped_bank_plays_to_its_score_line(bank_id: str) -> None:
    bank = BANKS[bank_id]
    result = run(bank, script(bank))
    assert result.code == Exit.OK, result.out[-2000:]
    scored = bank.scored_count
    score = f"النتيجة: {ARABIC.num(scored)} من {ARABIC.count('question_of', scored)}"
    assert score in result.out
    assert texts.SUMMARY_PERFECT in result.out
    assert result.out.count("السؤال ١ من") == 2  # the question, then its feedback
    assert "<b>" not in result.out and "<blockquote>" not in result.out


def test_the_discuss_bank_has_every_typed_type() -> None:
    types = {q.type for q in BANKS["discuss"].questions}
    assert {QuestionType.PEER, QuestionType.SHORT, QuestionType.EVIDENCE} <= types
    assert QuestionType.DISCUSSION in types


def test_a_peer_round_shows_two_votes_with_the_reflection_between() -> None:
    bank = BANKS["discuss"]
    peer = next(q for q in bank.questions if q.type is QuestionType.PEER)
    small = only(bank, peer)
    (order,) = orders(small)
    first, second = number_of(order, wrong_key(peer)), right_answer(peer, order)[0]
    out = run(small, [first, second]).out
    steps = [
        texts.TERMINAL_PROMPT_FIRST_VOTE + first,
        "قبل أن تصوّت مرة ثانية",  # PEER_RECONSIDER: the second look at the article
        bidi.strip_html(texts.PEER_PARAGRAPH.split(":")[0]).format(
            number=ARABIC.num(peer.paragraphs[0])
        ),
        texts.TERMINAL_PROMPT_SECOND_VOTE + second,
        "تصويتك الأول:",  # the reveal shows both votes
        "تصويتك الثاني:",
        texts.SHIFT_TO_RIGHT,
    ]
    at = [0]
    for step in steps:  # each one after the one before
        at.append(out.find(step, at[-1]))
        assert at[-1] != -1, (step, out)
    at = at[1:]
    # The answer is not shown before the second vote.
    reflection = out[at[1] : at[3]]
    assert "الإجابة الصحيحة" not in reflection and texts.MARK_CORRECT not in reflection


def test_only_the_second_peer_vote_is_scored() -> None:
    bank = BANKS["discuss"]
    peers = sum(q.type is QuestionType.PEER for q in bank.questions)
    out = run(bank, script(bank, wrong_peer_second=True)).out
    scored = bank.scored_count
    assert f"النتيجة: {ARABIC.num(scored - peers)} من {ARABIC.count('question_of', scored)}" in out
    assert texts.SHIFT_TO_WRONG in out


def _first(qtype: QuestionType):
    return next(q for q in BANKS["discuss"].questions if q.type is qtype)


LONG = "ا" * (MAX_CHARS + 1)


@pytest.mark.parametrize(
    ("qtype", "bad", "problem"),
    [
        (QuestionType.DISCUSSION, "...", TextProblem.EMPTY),
        (QuestionType.DISCUSSION, LONG, TextProblem.TOO_LONG),
        (QuestionType.DISCUSSION, "I think the article is about Russia and its allies.", None),
        (QuestionType.DISCUSSION, "رأيي أنه صحيح", TextProblem.TOO_SHORT),
        (QuestionType.EVIDENCE, "the sentence in Latin letters here", TextProblem.NOT_ARABIC),
        (QuestionType.SHORT, "hgrvdl", TextProblem.NOT_ARABIC),
        (QuestionType.SHORT, LONG, TextProblem.TOO_LONG),
    ],
)
def test_each_input_check_says_what_the_bot_says(
    qtype: QuestionType, bad: str, problem: TextProblem | None
) -> None:
    question = _first(qtype)
    problem = problem or TextProblem.NOT_ARABIC
    assert check_text(question, bad) is problem
    (order,) = orders(only(BANKS["discuss"], question))
    result = run(only(BANKS["discuss"], question), [bad, *right_answer(question, order)])
    assert result.code == Exit.OK
    said = bidi.strip_html(render.text_problem(Formatter(), problem, question, bad))
    assert f"\n{said}\n" in result.out
    # Nothing was recorded for the bad line: the right answer afterwards earns the full score.
    if question.is_scored:
        assert texts.SUMMARY_PERFECT in result.out


def test_the_checks_use_the_bots_own_templates() -> None:
    question = _first(QuestionType.DISCUSSION)
    assert (
        render.text_problem(Formatter(), TextProblem.NOT_ARABIC, question, "x")
        == texts.TEXT_NOT_ARABIC
    )
    assert render.text_problem(Formatter(), TextProblem.EMPTY, question, "") == texts.TEXT_EMPTY
    short = render.text_problem(Formatter(), TextProblem.TOO_SHORT, question, "رأيي")
    assert short == texts.TEXT_TOO_SHORT.format(
        length=ARABIC.count("character", 4),
        minimum=ARABIC.count("character", question.min_length),
    )


def test_another_sentence_of_the_article_is_recognised() -> None:
    question = _first(QuestionType.EVIDENCE)
    article = article_of(BANKS["discuss"])
    other = next(
        s for s in article.sentences if s.paragraph not in question.paragraphs and len(s.text) > 40
    )
    verdict, elsewhere = grade_typed(question, article, other.text)
    assert elsewhere is not None and verdict.score == 0
    out = run(only(BANKS["discuss"], question), [other.text]).out
    assert texts.VERDICT_EVIDENCE_ELSEWHERE in out
    assert (
        bidi.strip_html(
            texts.EVIDENCE_ELSEWHERE.format(paragraph=ARABIC.num(other.paragraph))
        ).strip()
        in out
    )
    assert "النتيجة: ٠ من سؤال واحد" in out


BUTTON_WORDS = ("الزر", "الأزرار", "«تأكيد»", "في رسالة", "اضغط على", "اضغط كل")


@pytest.mark.parametrize("bank_id", ["facts", "discuss"])
def test_the_wording_fits_a_terminal(bank_id: str) -> None:
    bank = BANKS[bank_id]
    out = run(bank, script(bank)).out
    for words in BUTTON_WORDS:
        assert words not in out, words
    assert "/skip" in out and "/quit" in out and "Ctrl-D" in out


def test_options_are_typed_as_letters_or_numbers() -> None:
    question = next(q for q in BANKS["facts"].questions if q.type is QuestionType.MULTI)
    small = only(BANKS["facts"], question)
    (order,) = orders(small)
    letters = " ".join(texts.OPTION_LETTERS[order.index(k)] for k in sorted(question.answer))
    result = run(small, ["ي", letters])
    assert "لم أفهم إجابتك" in result.out and texts.SUMMARY_PERFECT in result.out


def test_skip_leaves_the_question_unanswered_and_missed() -> None:
    bank = BANKS["facts"]
    first, second = bank.questions[:2]
    small = only(bank, first, second)
    order = orders(small)[1]
    out = run(small, ["/skip", *right_answer(second, order)]).out
    assert texts.TERMINAL_SKIPPED in out
    assert "النتيجة: ١ من سؤالين" in out
    assert "الأسئلة التي أخطأت فيها" in out


def test_quit_stops_with_the_score_so_far() -> None:
    bank = BANKS["facts"]
    result = run(bank, [*right_answer(bank.questions[0], orders(bank)[0]), "/quit"])
    assert result.code == Exit.FAILED
    assert texts.TERMINAL_STOPPED in result.out
    assert "أجبت عن ١ من ١٨ سؤالًا" in result.out


def test_article_command_shows_a_paragraph_and_asks_again() -> None:
    bank = BANKS["discuss"]
    question = _first(QuestionType.EVIDENCE)
    article = article_of(bank)
    lines = ["/article ٣", "/article 99", "/article", *right_answer(question, ("",))]
    out = run(only(bank, question), lines).out
    assert article.paragraph(3)[:40] in out
    assert "لا توجد فقرة بهذا الرقم" in out
    assert "اكتب رقم الفقرة بعد الأمر" in out
    assert texts.SUMMARY_PERFECT in out


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (1, "١ من سؤال واحد"),
        (2, "١ من سؤالين"),
        (3, "١ من ٣ أسئلة"),
        (11, "١ من ١١ سؤالًا"),
        (100, "١ من ١٠٠ سؤال"),
    ],
)
def test_plural_forms_after_min(total: int, expected: str) -> None:
    question = next(q for q in BANKS["facts"].questions if q.type is QuestionType.SINGLE)
    bank = only(BANKS["facts"], *(replace(question, id=f"q{i}") for i in range(total)))
    order = orders(bank)
    answers = right_answer(question, order[0])
    stopped = run(bank, answers)  # input ends after the first answer (unless total is 1)
    whole = run(bank, [*answers, *["/skip"] * (total - 1)])
    assert f"النتيجة: {expected}" in whole.out
    if total > 1:
        assert stopped.code == Exit.FAILED
        assert f"أجبت عن {expected}، ونتيجتك حتى الآن في الأسئلة المحسوبة: ١ من" in stopped.out


def test_stopping_before_any_scored_answer_says_so() -> None:
    bank = BANKS["discuss"]
    discussion = _first(QuestionType.DISCUSSION)
    small = only(bank, discussion, _first(QuestionType.SHORT))
    out = run(small, [OPINION]).out
    assert texts.TERMINAL_PARTIAL_NONE.format(answered="١", total="سؤالين") in out
