"""A class's results as the reports read them: ClassData gathered from the repository
(homework attempts, ended live sessions, peer rounds and reviews), for one class or for every
class the bot knows."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from quizzes.adaptive import RoundGain, round_gains
from quizzes.analysis import ClassData, rows_from_attempts, rows_from_live
from quizzes.model import Bank, QuestionType
from storage.repository import Repository


async def collect(
    repo: Repository,
    chat_id: int,
    banks: Mapping[str, Bank],
    teachers: Collection[int] = (),
) -> ClassData:
    """Every result of a class: homework attempts and ended live sessions, oldest first.

    `teachers` are left out of the roster (they are in the group, but not students)."""
    info = await repo.get_class(chat_id)
    roster = tuple(m for m in await repo.roster(chat_id) if m.user_id not in teachers)
    results, answers = rows_from_attempts(await repo.class_attempts(chat_id), banks)
    live_results, live_answers = rows_from_live(
        await repo.live_results(chat_id=chat_id), await repo.live_answer_rows(chat_id=chat_id)
    )
    results += [r for r in live_results if r.bank_id in banks]
    answers += [a for a in live_answers if a.result.bank_id in banks]
    return ClassData(
        chat_id=chat_id,
        title=info.title if info else str(chat_id),
        roster=roster,
        results=tuple(sorted(results, key=lambda r: (r.date, r.key))),
        answers=tuple(sorted(answers, key=lambda a: (a.result.date, a.result.key, a.answered_at))),
        peer_rounds=await class_rounds(repo, chat_id, banks),
        reviews=tuple(await repo.review_rows(m.user_id for m in roster)),
    )


async def class_rounds(
    repo: Repository, chat_id: int, banks: Mapping[str, Bank]
) -> tuple[tuple[RoundGain, str], ...]:
    """Every peer round of the class's ended live sessions, oldest first, with its bank id.
    Rounds of banks no longer loaded are left out: their questions' kind is unknown."""
    bank_of = {r.session_id: r.bank_id for r in await repo.live_results(chat_id=chat_id)}

    def peer(session_id: int, question_id: str) -> bool:
        bank = banks.get(bank_of.get(session_id, ""))
        found = bank and next((q for q in bank.questions if q.id == question_id), None)
        return bool(found) and found.type is QuestionType.PEER

    answers = [
        a for a in await repo.live_answer_rows(chat_id=chat_id) if peer(a.session_id, a.question_id)
    ]
    rounds = round_gains(answers, {a.question_id for a in answers})
    return tuple((r, bank_of[r.session_id]) for r in rounds)


class UnknownClass(LookupError):
    """No group chat with that id in the database."""


async def gather(
    repo: Repository,
    banks: Mapping[str, Bank],
    chat_id: int | None,
    teachers: Collection[int] = (),
) -> list[ClassData]:
    """One class (raises UnknownClass if the id is no group the bot knows), or every class."""
    if chat_id is not None:
        if await repo.get_class(chat_id) is None:
            known = ", ".join(str(c.chat_id) for c in await repo.known_classes()) or "none"
            raise UnknownClass(f"no class (group chat) with id {chat_id}; known: {known}")
        ids = [chat_id]
    else:
        ids = [c.chat_id for c in await repo.known_classes()]
    return [await collect(repo, i, banks, teachers) for i in ids]
