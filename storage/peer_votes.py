"""First votes of peer-instruction rounds played in private (the second vote is the answer)."""

from __future__ import annotations

from datetime import datetime

from quizzes.peer import FirstVote
from storage.base import Store, from_text, to_text


class PeerVotesPart:
    """Repository part for the first vote of a private peer round, over the shared store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def record_first_vote(self, vote: FirstVote) -> tuple[FirstVote, bool]:
        """Record a first vote once. Returns the stored vote and whether it is new.

        A replayed or second press keeps the first vote: the student's initial opinion is
        what the reveal compares against.
        """
        async with self.store.transaction() as db:
            inserted = 1 == await db.execute(
                "INSERT INTO peer_first_votes (attempt_id, question_id, choice, voted_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (attempt_id, question_id) DO NOTHING",
                (vote.attempt_id, vote.question_id, vote.choice, to_text(vote.voted_at)),
            )
        stored = await self.first_vote(vote.attempt_id, vote.question_id)
        assert stored is not None
        return stored, inserted

    async def first_vote(self, attempt_id: int, question_id: str) -> FirstVote | None:
        row = await self.store.fetchone(
            "SELECT * FROM peer_first_votes WHERE attempt_id = ? AND question_id = ?",
            (attempt_id, question_id),
        )
        if row is None:
            return None
        voted_at: datetime = from_text(row["voted_at"])
        return FirstVote(row["attempt_id"], row["question_id"], row["choice"], voted_at)
