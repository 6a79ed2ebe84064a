"""What a teacher learns from a class's results: rows to export, item and paragraph analysis.

Pure and synchronous. Every source of results (private homework attempts, live sessions) is
first turned into the same two record types, ResultRow (one per student per session or
homework) and AnswerRow (one per answer); everything else is computed from those.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from quizzes import live
from quizzes.adaptive import RoundGain
from quizzes.arabic import natural_key, normalize
from quizzes.attempt import AnswerRecord, Attempt
from quizzes.live import LiveAnswer, LiveResult
from quizzes.model import Bank, ContentVersion, Question, QuestionType
from quizzes.review import ReviewRow

# Upper and lower groups for the discrimination index: Kelley's 27%.
GROUP_SHARE = 0.27


def is_anonymous(user_id: int) -> bool:
    """Telegram user ids are positive; storage gives ids <= 0 to forgotten students."""
    return user_id <= 0


class SessionKind(StrEnum):
    HOMEWORK = "homework"
    LIVE = "live"
    # A private attempt that counts for a class without a homework (kept for other features).
    PRACTICE = "practice"


@dataclass(frozen=True)
class Member:
    """A student as the class knows them."""

    user_id: int
    name: str
    username: str | None = None


@dataclass(frozen=True)
class ResultRow:
    """One student's result in one session or homework of a class.

    `student` is None when the student asked to be forgotten: the row still counts in the
    class statistics, but carries no identity. `key` is unique among a class's rows.
    """

    key: str
    class_chat_id: int
    kind: SessionKind
    session_id: int
    bank_id: str
    student: Member | None
    date: datetime
    score: float
    out_of: int
    seconds: int
    # Who made the attempt (a forgotten student keeps one anonymous id), for first attempts.
    user_id: int | None = None
    version: ContentVersion | None = None  # what was asked, when the session recorded it

    def article_id(self, banks: Mapping[str, Bank]) -> str | None:
        """The article the row was asked from: the recorded one, else its bank's now."""
        if self.version is not None:
            return self.version.article_id
        bank = banks.get(self.bank_id)
        return bank.article_id if bank else None

    def changed(self, banks: Mapping[str, Bank]) -> bool:
        """Whether the bank or its article was edited (or re-pointed) since it was asked."""
        bank = banks.get(self.bank_id)
        return self.version is not None and (bank is None or bank.version != self.version)

    @property
    def graded(self) -> bool:
        """False for a discussion-only homework: nothing in it is scored."""
        return self.out_of > 0

    @property
    def percent(self) -> float:
        return 100 * self.score / self.out_of if self.out_of else 0.0

    @property
    def session(self) -> tuple[SessionKind, int]:
        return (self.kind, self.session_id)


@dataclass(frozen=True)
class AnswerRow:
    """One answer, with the result row of the student and session it belongs to."""

    result: ResultRow
    question_id: str
    choice: str
    correct: bool | None
    score: float
    raw_text: str | None
    answered_at: datetime
    latency_ms: int


@dataclass(frozen=True)
class ClassAttempt:
    """A private attempt that counts for a class, as storage yields it."""

    attempt: Attempt
    homework_id: int | None
    student: Member | None
    answers: tuple[AnswerRecord, ...]
    version: ContentVersion | None = None  # the homework's, when it is one


@dataclass(frozen=True)
class ClassData:
    """Everything an export or a chart of one class is built from."""

    chat_id: int
    title: str
    roster: tuple[Member, ...]
    results: tuple[ResultRow, ...]
    answers: tuple[AnswerRow, ...]
    peer_rounds: tuple[tuple[RoundGain, str], ...] = ()  # live peer rounds, with their bank
    reviews: tuple[ReviewRow, ...] = ()  # spaced-review answers of the roster's students


def rows_from_attempts(
    attempts: Iterable[ClassAttempt], banks: Mapping[str, Bank]
) -> tuple[list[ResultRow], list[AnswerRow]]:
    """Result and answer rows of private attempts. Attempts at banks no longer loaded are
    skipped. A question the bank no longer has still counts as it was asked: scored when its
    answer was, and reported by its id."""
    results: list[ResultRow] = []
    answers: list[AnswerRow] = []
    for item in attempts:
        attempt = item.attempt
        bank = banks.get(attempt.bank_id)
        if bank is None:
            continue
        questions = {q.id: q for q in bank.questions}
        kept = list(item.answers)
        answered = {a.question_id: a for a in kept}
        scored_ids = {q for q in attempt.question_ids if _scored(q, questions, answered)}
        end = attempt.finished_at or max((a.answered_at for a in kept), default=attempt.started_at)
        result = ResultRow(
            key=f"a{attempt.id}",
            class_chat_id=attempt.class_chat_id or 0,
            kind=SessionKind.HOMEWORK if item.homework_id else SessionKind.PRACTICE,
            session_id=item.homework_id or attempt.id or 0,
            bank_id=bank.id,
            student=item.student,
            date=attempt.started_at,
            score=sum(a.score for a in kept if a.question_id in scored_ids),
            out_of=len(scored_ids),
            seconds=max(0, int((end - attempt.started_at).total_seconds())),
            user_id=attempt.user_id,
            version=item.version,
        )
        results.append(result)
        answers.extend(
            AnswerRow(
                result,
                a.question_id,
                a.choice,
                a.correct,
                a.score,
                a.raw_text,
                a.answered_at,
                a.latency_ms,
            )
            for a in kept
        )
    return results, answers


def _scored(
    question_id: str, questions: Mapping[str, Question], answered: Mapping[str, AnswerRecord]
) -> bool:
    if question_id in questions:
        return questions[question_id].is_scored
    # Gone from the bank: its answer says whether it was scored; unanswered, it most likely was.
    answer = answered.get(question_id)
    return answer is None or answer.correct is not None


def rows_from_live(
    results: Iterable[LiveResult], answers: Iterable[LiveAnswer]
) -> tuple[list[ResultRow], list[AnswerRow]]:
    """Result and answer rows of ended live sessions.

    The score is the credit of the answers that count (1 per correct answer, 0.5 for an
    evidence fragment) out of the scored questions asked (speed points are a game mechanic, not
    a grade), so sessions and homework compare on one scale. The answer that counts is the
    latest round's (a peer re-vote replaces the first vote); typed replies keep their raw text,
    and discussion responses are rows with `correct` None, as in private attempts.
    """
    kept = live.counted(answers)
    credit: defaultdict[tuple[int, int], float] = defaultdict(float)
    for a in kept:
        credit[(a.session_id, a.user_id)] += a.score if a.correct is not None else 0.0
    rows: dict[tuple[int, int], ResultRow] = {}
    for r in results:
        if r.started_at is None:
            continue  # stopped in the lobby: nothing was asked
        rows[(r.session_id, r.user_id)] = ResultRow(
            key=f"l{r.session_id}:{r.user_id}",
            class_chat_id=r.chat_id,
            kind=SessionKind.LIVE,
            session_id=r.session_id,
            bank_id=r.bank_id,
            student=None if is_anonymous(r.user_id) else Member(r.user_id, r.name, r.username),
            date=r.started_at or r.ended_at or datetime.min.replace(tzinfo=UTC),
            score=credit.get((r.session_id, r.user_id), float(r.correct)),
            out_of=r.asked,
            seconds=r.total_ms // 1000,
            user_id=r.user_id,
            version=r.version,
        )
    answer_rows = [
        AnswerRow(
            rows[(a.session_id, a.user_id)],
            a.question_id,
            ",".join(sorted(a.keys)),
            a.correct,
            a.score if a.correct is not None else 0.0,
            a.raw_text,
            a.answered_at,
            a.elapsed_ms,
        )
        for a in kept
        if (a.session_id, a.user_id) in rows
    ]
    # A session that asked only discussion prompts grades nobody, but its responses are kept.
    return [r for r in rows.values() if r.out_of], answer_rows


# --- item analysis ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStats:
    """How a class did on one scored question.

    facility: share of answers that were correct (0..1). discrimination: share correct in the
    upper 27% minus share correct in the lower 27%, students ranked by their percent in that
    session (-1..1; None with fewer than two answers). wrong_answer: the most chosen wrong
    option key, or for typed questions the most frequent wrong answer as first typed.
    """

    bank_id: str
    question_id: str
    number: int
    answered: int
    correct: int
    facility: float | None
    discrimination: float | None
    wrong_answer: str | None
    wrong_count: int
    misconception: str | None


def group_size(takers: int) -> int:
    """27% of the takers, rounded half up (10 -> 3, 4 -> 1); 0 when fewer than two."""
    return 0 if takers < 2 else max(1, math.floor(GROUP_SHARE * takers + 0.5))


def discrimination(ranked_correct: Sequence[bool]) -> float | None:
    """Upper-group minus lower-group share correct, for answers ranked best student first."""
    n = group_size(len(ranked_correct))
    if n == 0:
        return None
    upper = sum(ranked_correct[:n])
    lower = sum(ranked_correct[-n:])
    return (upper - lower) / n


def _most_common(counts: Counter[str], order: Sequence[str]) -> tuple[str | None, int]:
    """The most frequent key; ties go to the one earliest in `order` (bank order)."""
    if not counts:
        return None, 0
    rank = {k: i for i, k in enumerate(order)}
    key = min(counts, key=lambda k: (-counts[k], rank.get(k, len(rank)), k))
    return key, counts[key]


def item_analysis(answers: Iterable[AnswerRow], banks: Mapping[str, Bank]) -> list[ItemStats]:
    """Per scored question that has answers, in bank order (banks by level, then id)."""
    by_question: dict[tuple[str, str], list[AnswerRow]] = defaultdict(list)
    for row in answers:
        if row.correct is not None:
            by_question[(row.result.bank_id, row.question_id)].append(row)
    stats: list[ItemStats] = []
    for bank in sorted(banks.values(), key=lambda b: (b.level, b.id)):
        for number, question in enumerate(bank.questions, start=1):
            rows = by_question.get((bank.id, question.id))
            if not question.is_scored or not rows:
                continue
            ranked = sorted(rows, key=lambda r: (-r.result.percent, r.result.key))
            wrong = [r for r in rows if not r.correct]
            if question.is_choice:
                counts = Counter(
                    k for r in wrong for k in r.choice.split(",") if k and k not in question.answer
                )
                key, count = _most_common(counts, [o.key for o in question.options])
                note = question.option(key).misconception if key else None
            else:
                spelled: dict[str, str] = {}
                counts = Counter()
                for r in wrong:
                    if r.raw_text and r.raw_text.strip():
                        folded = normalize(r.raw_text)
                        spelled.setdefault(folded, r.raw_text.strip())
                        counts[folded] += 1
                folded_key, count = _most_common(counts, list(spelled))
                key, note = (spelled[folded_key] if folded_key else None), None
            correct = sum(1 for r in rows if r.correct)
            stats.append(
                ItemStats(
                    bank_id=bank.id,
                    question_id=question.id,
                    number=number,
                    answered=len(rows),
                    correct=correct,
                    facility=correct / len(rows),
                    discrimination=discrimination([bool(r.correct) for r in ranked]),
                    wrong_answer=key,
                    wrong_count=count,
                    misconception=note,
                )
            )
        stats.extend(_gone_items(bank, by_question))
    return stats


def _gone_items(
    bank: Bank, by_question: Mapping[tuple[str, str], list[AnswerRow]]
) -> list[ItemStats]:
    """Answered questions the bank no longer has, by id (number 0): what was asked still shows."""
    ids = {q.id for q in bank.questions}
    found = []
    for (bank_id, question_id), rows in sorted(by_question.items()):
        if bank_id != bank.id or question_id in ids:
            continue
        correct = sum(1 for r in rows if r.correct)
        ranked = sorted(rows, key=lambda r: (-r.result.percent, r.result.key))
        found.append(
            ItemStats(
                bank_id=bank.id,
                question_id=question_id,
                number=0,
                answered=len(rows),
                correct=correct,
                facility=correct / len(rows),
                discrimination=discrimination([bool(r.correct) for r in ranked]),
                wrong_answer=None,
                wrong_count=0,
                misconception=None,
            )
        )
    return found


# --- paragraphs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphStats:
    """How the class did on the scored questions that cite one paragraph of the article."""

    paragraph: int
    questions: int
    answered: int
    correct: int

    @property
    def facility(self) -> float | None:
        return self.correct / self.answered if self.answered else None


def paragraph_stats(
    items: Iterable[ItemStats], banks: Mapping[str, Bank], paragraph_count: int = 0
) -> list[ParagraphStats]:
    """Pool the answers of every question citing a paragraph (a question citing two paragraphs
    counts in both). With `paragraph_count`, paragraphs without questions are listed too."""
    questions: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    correct: Counter[int] = Counter()
    for item in items:
        if item.number == 0:
            continue  # gone from the bank: which paragraphs it cited is no longer known
        for paragraph in banks[item.bank_id].question(item.question_id).paragraphs:
            questions[paragraph] += 1
            answered[paragraph] += item.answered
            correct[paragraph] += item.correct
    numbers = sorted(set(questions) | set(range(1, paragraph_count + 1)))
    return [ParagraphStats(n, questions[n], answered[n], correct[n]) for n in numbers]


# --- students and classes --------------------------------------------------------------------


@dataclass(frozen=True)
class StudentSummary:
    """One student's results over every session and homework of a class."""

    student: Member
    sessions: int
    average_percent: float | None
    best_percent: float | None
    total_seconds: int
    last_date: datetime | None


def student_summaries(
    results: Iterable[ResultRow], roster: Iterable[Member]
) -> list[StudentSummary]:
    """Every identified student of the roster or the results, by name, numbers in names read as
    numbers (طالب2 before طالب10); forgotten rows are not anyone's and are left out. Roster
    members with no result appear with zero sessions."""
    people: dict[int, Member] = {}
    rows: dict[int, list[ResultRow]] = defaultdict(list)
    for row in results:
        if row.student is not None:
            people.setdefault(row.student.user_id, row.student)
            rows[row.student.user_id].append(row)
    for member in roster:
        people[member.user_id] = member
    summaries = []
    for user_id, member in people.items():
        own = rows.get(user_id, [])
        percents = [r.percent for r in own if r.graded]
        summaries.append(
            StudentSummary(
                student=member,
                sessions=len(own),
                average_percent=sum(percents) / len(percents) if percents else None,
                best_percent=max(percents) if percents else None,
                total_seconds=sum(r.seconds for r in own),
                last_date=max((r.date for r in own), default=None),
            )
        )
    return sorted(summaries, key=lambda s: (natural_key(s.student.name), s.student.user_id))


@dataclass(frozen=True)
class ClassStats:
    """Participation and the average of one class."""

    members: int
    participants: int
    homework: int
    live: int
    results: int
    average_percent: float | None


def class_stats(results: Sequence[ResultRow], roster: Iterable[Member]) -> ClassStats:
    """Members are the roster plus anyone with a result; the average is over every graded
    result row, forgotten students' included (they still count for the class)."""
    participants = {r.student.user_id for r in results if r.student is not None}
    members = {m.user_id for m in roster} | participants
    sessions = {r.session for r in results}
    graded = [r for r in results if r.graded]
    return ClassStats(
        members=len(members),
        participants=len(participants),
        homework=sum(1 for kind, _ in sessions if kind is SessionKind.HOMEWORK),
        live=sum(1 for kind, _ in sessions if kind is SessionKind.LIVE),
        results=len(results),
        average_percent=sum(r.percent for r in graded) / len(graded) if graded else None,
    )


def latest_session(results: Iterable[ResultRow]) -> tuple[SessionKind, int] | None:
    """The session or homework with the most recent result (practice attempts excluded)."""
    newest: dict[tuple[SessionKind, int], datetime] = {}
    for row in results:
        if row.kind is SessionKind.PRACTICE:
            continue
        if row.session not in newest or row.date > newest[row.session]:
            newest[row.session] = row.date
    if not newest:
        return None
    return max(newest, key=lambda s: (newest[s], s[1]))


def discussion_answers(answers: Iterable[AnswerRow], banks: Mapping[str, Bank]) -> list[AnswerRow]:
    """Identified students' typed responses to discussion questions, oldest first."""
    found = []
    for row in answers:
        bank = banks.get(row.result.bank_id)
        if bank is None or row.result.student is None or not row.raw_text:
            continue
        ids = {q.id: q for q in bank.questions}
        if row.question_id in ids and ids[row.question_id].type is QuestionType.DISCUSSION:
            found.append(row)
    return sorted(found, key=lambda r: (r.answered_at, r.result.key))
