"""`quizbot play`: the same quiz in a terminal, with no Telegram and no token.

It follows the private chat: the same question texts, the same checks on typed answers with
the same messages, the same grading, peer rounds with a first vote, a second look at the
article and a scored second vote. Only the ways to answer differ: letters or numbers for
options, and a few slash commands where the chat has buttons.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TextIO

from bot import bidi, render, texts
from bot.exits import Exit
from bot.formatting import Formatter
from bot.terminal_screen import LOGICAL, Screen
from quizzes.arabic import normalize
from quizzes.article import Article
from quizzes.attempt import AnswerRecord, Attempt, advance, new_attempt, summarize
from quizzes.grading import Verdict, grade_choice, grade_typed
from quizzes.model import FALSE_KEY, TRUE_KEY, Bank, Question, QuestionType
from quizzes.peer import shift
from quizzes.typed import check_text

_TRUE_WORDS = {"ص", "صح", "صحيح", "نعم", "1", "t", "true"}
_FALSE_WORDS = {"خ", "خطا", "خطأ", "لا", "2", "f", "false"}
# Commands, in Latin (as the help line shows them) and in Arabic (no keyboard switch needed).
_SKIP = {"/skip", "/تخطي", "/تخط"}
_QUIT = {"/quit", "/exit", "/خروج"}
_ARTICLE = {"/article", "/فقرة"}


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


_HINTS = {
    QuestionType.SINGLE: texts.TERMINAL_HINT_SINGLE,
    QuestionType.MULTI: texts.TERMINAL_HINT_MULTI,
    QuestionType.TRUE_FALSE: texts.TERMINAL_HINT_TRUE_FALSE,
    QuestionType.PEER: texts.TERMINAL_HINT_PEER,
    QuestionType.SHORT: texts.TERMINAL_HINT_SHORT,
    QuestionType.EVIDENCE: texts.TERMINAL_HINT_EVIDENCE,
}


def how_to_answer(fmt: Formatter, question: Question) -> str:
    """The line under a question saying what to type (the chat's says which button)."""
    if question.type is QuestionType.DISCUSSION:
        if question.min_length:
            return texts.TERMINAL_HINT_DISCUSSION.format(
                length=fmt.count("character", question.min_length)
            )
        return texts.TERMINAL_HINT_DISCUSSION_FREE
    return _HINTS[question.type]


def _prompt(question: Question) -> str:
    if question.type is QuestionType.MULTI:
        return texts.TERMINAL_PROMPT_MULTI
    if question.type is QuestionType.TRUE_FALSE:
        return texts.TERMINAL_PROMPT_TF
    if question.type is QuestionType.PEER:
        return texts.TERMINAL_PROMPT_FIRST_VOTE
    if question.is_choice:
        return texts.TERMINAL_PROMPT_CHOICE
    return texts.TERMINAL_PROMPT_TEXT


def _bad_choice(fmt: Formatter, question: Question, order: tuple[str, ...]) -> str:
    if question.type is QuestionType.TRUE_FALSE:
        hint = texts.TERMINAL_HINT_TF
    else:
        template = (
            texts.TERMINAL_HINT_MULTI_CHOICE
            if question.type is QuestionType.MULTI
            else texts.TERMINAL_HINT_CHOICE
        )
        hint = template.format(first=fmt.num(1), last=fmt.num(len(order)))
    return texts.TERMINAL_BAD_INPUT.format(hint=hint)


class _Stopped(Exception):
    """Input ended, or the player typed /quit, before the last question."""


class _Skipped(Exception):
    """The player typed /skip: the question stays unanswered."""


@dataclass
class _Session:
    """One terminal attempt: the bank, its article, the input and the screen."""

    bank: Bank
    article: Article
    stdin: TextIO
    screen: Screen
    attempt: Attempt
    answers: list[AnswerRecord]
    fmt: Formatter

    def read(self, prompt: str) -> str:
        """One typed line that is not a command; commands are carried out here."""
        while True:
            self.screen.prompt(prompt)
            line = self.stdin.readline()
            if line and not self.stdin.isatty():
                self.screen.echo(line.rstrip("\n"))
            if line == "":
                raise _Stopped
            raw = line.strip()
            word, _, rest = raw.partition(" ")
            command = word.lower()
            if command in _QUIT:
                raise _Stopped
            if command in _SKIP:
                raise _Skipped
            if command in _ARTICLE:
                self.show_paragraph(rest.strip())
                continue
            return raw

    def show_paragraph(self, number: str) -> None:
        total = len(self.article.paragraphs)
        digits = number.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        if not digits.isdigit():
            self.screen.line(
                texts.TERMINAL_ARTICLE_USAGE.format(
                    example=self.fmt.num(1), paragraphs=self.fmt.count("paragraph", total)
                )
            )
        elif not 1 <= int(digits) <= total:
            self.screen.line(
                texts.ARTICLE_BAD_NUMBER.format(first=self.fmt.num(1), last=self.fmt.num(total))
            )
        else:
            self.screen.show(
                bidi.strip_html(
                    texts.ARTICLE_PARAGRAPH.format(
                        number=self.fmt.num(int(digits)),
                        total=self.fmt.num(total),
                        text=bidi.esc(self.article.paragraph(int(digits))),
                    )
                )
            )

    def show(self, html_text: str) -> None:
        self.screen.show(bidi.strip_html(html_text))

    def choose(self, question: Question, order: tuple[str, ...], prompt: str) -> frozenset[str]:
        while (keys := parse_choice(question, order, self.read(prompt))) is None:
            self.screen.line(_bad_choice(self.fmt, question, order))
        return keys

    def record(
        self, question: Question, choice: str, verdict: Verdict, raw: str | None
    ) -> AnswerRecord:
        record = AnswerRecord(
            1, question.id, choice, verdict.correct, verdict.score, datetime.now(UTC), 0, raw
        )
        self.answers.append(record)
        return record


def _choice_round(s: _Session, question: Question, position: int) -> None:
    order = s.attempt.options_shown(position)
    keys = s.choose(question, order, _prompt(question))
    verdict = grade_choice(question, keys)
    record = s.record(question, ",".join(sorted(keys)), verdict, None)
    s.show(render.feedback(s.fmt, question, s.attempt, position, record))


def _peer_round(s: _Session, question: Question, position: int) -> None:
    """Vote, look again at the cited paragraphs, vote again; only the second vote scores."""
    order = s.attempt.options_shown(position)
    (first,) = s.choose(question, order, texts.TERMINAL_PROMPT_FIRST_VOTE)
    s.show(render.peer_reconsider(s.fmt, question, s.article, s.attempt, position, first))
    (second,) = s.choose(question, order, texts.TERMINAL_PROMPT_SECOND_VOTE)
    record = s.record(question, second, grade_choice(question, {second}), None)
    s.show(
        render.peer_reveal(
            s.fmt, question, s.attempt, position, first, record, shift(question, first, second)
        )
    )


def _text_round(s: _Session, question: Question, position: int) -> None:
    while problem := check_text(question, raw := s.read(_prompt(question))):
        s.screen.line(bidi.strip_html(render.text_problem(s.fmt, problem, question, raw)))
    verdict, elsewhere = grade_typed(question, s.article, raw)
    s.record(question, "", verdict, raw)
    s.show(
        render.text_feedback(
            s.fmt,
            question,
            render.header(s.fmt, position, s.attempt.total),
            verdict,
            raw,
            article=s.article,
            elsewhere=elsewhere,
        )
    )


def _run(s: _Session) -> None:
    """Ask every question in turn, appending to the answers; raise _Stopped to stop early."""
    bank = s.bank
    s.show(
        texts.ATTEMPT_STARTED.format(
            title=bidi.esc(bank.title),
            description=bidi.esc(bank.description),
            questions=s.fmt.count("question", len(bank.questions)),
        )
    )
    s.screen.show(texts.TERMINAL_HOW_TO)
    while s.attempt.finished_at is None:
        position = s.attempt.position
        question = bank.question(s.attempt.current_question_id)
        order = s.attempt.options_shown(position)
        hint = how_to_answer(s.fmt, question)
        s.show(render.question_text(s.fmt, question, order, position, s.attempt.total, hint=hint))
        round_ = (
            _peer_round
            if question.type is QuestionType.PEER
            else _choice_round
            if question.is_choice
            else _text_round
        )
        try:
            round_(s, question, position)
        except _Skipped:
            s.screen.show(texts.TERMINAL_SKIPPED)
        s.attempt = advance(s.attempt, position, datetime.now(UTC))
    s.show(render.summary(s.fmt, bank, s.attempt, summarize(s.attempt, bank, s.answers)))


def _stopped(s: _Session) -> None:
    """The stop notice and the score so far, over the scored questions answered."""
    scored = [a for a in s.answers if s.bank.question(a.question_id).is_scored]
    s.screen.out.write("\n")
    s.screen.line(texts.TERMINAL_STOPPED)
    fields = {
        "answered": s.fmt.num(len(s.answers)),
        "total": s.fmt.count("question_of", s.attempt.total),
    }
    if scored:
        line = texts.TERMINAL_PARTIAL_SCORE.format(
            **fields,
            score=s.fmt.num(float(sum(a.score for a in scored))),
            scored=s.fmt.count("question_of", len(scored)),
        )
    else:
        line = texts.TERMINAL_PARTIAL_NONE.format(**fields)
    s.screen.line(line)
    s.screen.out.flush()


def play(
    bank: Bank,
    article: Article,
    stdin: TextIO,
    out: TextIO,
    *,
    seed: int | None = None,
    digits: str = "arabic",
    bidi: str = LOGICAL,
    width: int | None = None,
) -> int:
    """Run one attempt over stdin/stdout. Returns 0 at the end of the bank; when input ends
    early (Ctrl-D, /quit) or the player presses Ctrl-C, says so with the score so far and
    returns 1 or 130 (bot/exits.py)."""
    attempt = new_attempt(bank, 0, 0, datetime.now(UTC), random.Random(seed))
    screen = Screen(out, bidi, width)
    session = _Session(bank, article, stdin, screen, replace(attempt, id=1), [], Formatter(digits))
    try:
        _run(session)
    except _Stopped:
        _stopped(session)
        return Exit.FAILED
    except KeyboardInterrupt:
        _stopped(session)
        return Exit.INTERRUPTED
    return Exit.OK
