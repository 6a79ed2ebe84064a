"""Classes, homework, the rows teachers export, and forgetting a student.

A class is a group chat. Its roster is the people the bot has seen there (class_members);
teachers are marked there so that they are not counted as students, and so that every bot of a
district on one database can tell a teacher their classes, including those another bot serves.
A forgotten student's attempts and live-session rows move to a new anonymous owner (a negative
id, no name): their answers stay for class statistics, with no name, no Telegram id
and no typed text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from quizzes.analysis import ClassAttempt, Member, is_anonymous
from quizzes.classes import ClassInfo
from quizzes.homework import Homework
from storage import versions
from storage.attempts import answer_from_row, attempt_from_row
from storage.base import IntegrityError, Row, Store, from_text, to_text
from storage.live_cache import LiveSessionCache
from storage.memo import WrittenRows

# Telegram user ids are positive. Migration 0002 reserves user and chat 0; each forgotten
# student's rows go to a new negative id, and their attempts' private chat becomes chat 0.
ANONYMOUS_CHAT = 0


def _homework(row: Row) -> Homework:
    return Homework(
        id=row["id"],
        code=row["code"],
        chat_id=row["chat_id"],
        bank_id=row["bank_id"],
        teacher_id=row["teacher_id"],
        created_at=from_text(row["created_at"]),
        deadline=from_text(row["deadline"]),
        version=versions.read(row),
    )


class ReportsPart:
    """Repository part for classes, homework, exports and /forgetme, over the shared store."""

    def __init__(self, store: Store, written: WrittenRows, live_cache: LiveSessionCache) -> None:
        self.store = store
        self.written = written
        self.live_cache = live_cache

    written: WrittenRows

    # --- roster ------------------------------------------------------------------------------

    async def note_member(
        self, chat_id: int, user_id: int, now: datetime, teacher: bool = False
    ) -> None:
        """Record that a person was seen in a class (the student and chat rows must exist).

        A later plain message of a person marked a teacher leaves the mark: it must not put
        them back on the list of students who owe homework. Only `mark_teacher` clears it.
        """
        await self.store.write_one(
            "INSERT INTO class_members (chat_id, user_id, is_teacher, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, user_id) DO UPDATE SET"
            " last_seen = excluded.last_seen,"
            " is_teacher = CASE WHEN excluded.is_teacher > class_members.is_teacher"
            " THEN excluded.is_teacher ELSE class_members.is_teacher END",
            (chat_id, user_id, int(teacher), to_text(now), to_text(now)),
        )

    async def mark_teacher(self, chat_id: int, user_id: int, teacher: bool, now: datetime) -> None:
        """What the bot serving a class has just learnt: `user_id` teaches it, or no longer does.

        Only the bot in the group can ask Telegram, so its mark is what the district's other
        bots trust (bot/classes.py). A mark is written for a person and a class already stored
        (a teacher need not be a student, but a mark needs the row the roster reads), and read
        first so that the common case, nothing changed, costs no write.
        """
        row = await self.store.fetchone(
            "SELECT is_teacher FROM class_members WHERE chat_id = ? AND user_id = ?",
            (chat_id, user_id),
        )
        if bool(row and row["is_teacher"]) == teacher:
            return
        if not teacher:
            await self.store.write_one(
                "UPDATE class_members SET is_teacher = 0 WHERE chat_id = ? AND user_id = ?",
                (chat_id, user_id),
            )
            return
        stamp = to_text(now)
        await self.store.write_one(
            "INSERT INTO class_members (chat_id, user_id, is_teacher, first_seen, last_seen)"
            " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 1, CAST(? AS TEXT), CAST(? AS TEXT)"
            " WHERE EXISTS (SELECT 1 FROM students WHERE user_id = ?)"
            " AND EXISTS (SELECT 1 FROM chats WHERE chat_id = ?)"
            " ON CONFLICT (chat_id, user_id) DO UPDATE SET is_teacher = 1",
            (chat_id, user_id, stamp, stamp, user_id, chat_id),
        )

    async def keep_teacher_marks(self, chat_id: int, teachers: set[int]) -> None:
        """The class's whole list of teachers is known (its administrators, from the bot in the
        group): clear the mark of anyone marked who is no longer on it."""
        rows = await self.store.fetchall(
            "SELECT user_id FROM class_members WHERE chat_id = ? AND is_teacher = 1", (chat_id,)
        )
        gone = sorted({r["user_id"] for r in rows} - teachers)
        if gone:
            await self.store.write_one(
                "UPDATE class_members SET is_teacher = 0 WHERE chat_id = ?"
                f" AND user_id IN ({', '.join('?' * len(gone))})",
                (chat_id, *gone),
            )

    async def teacher_marks(self, user_id: int) -> set[int]:
        """The classes where a bot of the district has marked `user_id` a teacher."""
        rows = await self.store.fetchall(
            "SELECT chat_id FROM class_members WHERE user_id = ? AND is_teacher = 1", (user_id,)
        )
        return {r["chat_id"] for r in rows}

    async def is_member(self, chat_id: int, user_id: int) -> bool:
        """Whether a person is on a class's stored roster (students and teachers alike)."""
        row = await self.store.fetchone(
            "SELECT 1 FROM class_members WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )
        return row is not None

    async def roster(self, chat_id: int) -> list[Member]:
        """The students seen in a class (teachers left out), by name."""
        rows = await self.store.fetchall(
            "SELECT s.user_id, s.display_name, s.username FROM class_members m"
            " JOIN students s ON s.user_id = m.user_id"
            " WHERE m.chat_id = ? AND m.is_teacher = 0 AND s.user_id > 0"
            " ORDER BY s.display_name, s.user_id",
            (chat_id,),
        )
        return [Member(r["user_id"], r["display_name"], r["username"]) for r in rows]

    async def known_classes(self) -> list[ClassInfo]:
        """Every group chat the bot has seen, by title."""
        rows = await self.store.fetchall(
            "SELECT chat_id, title, type FROM chats WHERE type IN ('group', 'supergroup')"
            " ORDER BY title, chat_id"
        )
        return [ClassInfo(r["chat_id"], r["title"] or str(r["chat_id"]), r["type"]) for r in rows]

    async def get_class(self, chat_id: int) -> ClassInfo | None:
        row = await self.store.fetchone(
            "SELECT chat_id, title, type FROM chats WHERE chat_id = ?"
            " AND type IN ('group', 'supergroup')",
            (chat_id,),
        )
        return ClassInfo(row["chat_id"], row["title"] or str(chat_id), row["type"]) if row else None

    # --- homework ----------------------------------------------------------------------------

    async def create_homework(self, homework: Homework) -> Homework:
        async with self.store.transaction() as db:
            homework_id = await db.insert(
                "INSERT INTO homework (code, chat_id, bank_id, teacher_id, created_at, deadline,"
                " bank_sha256, article_id, article_sha256)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    homework.code,
                    homework.chat_id,
                    homework.bank_id,
                    homework.teacher_id,
                    to_text(homework.created_at),
                    to_text(homework.deadline),
                    *versions.values(homework.version),
                ),
            )
        return await self.get_homework(homework_id)

    async def get_homework(self, homework_id: int) -> Homework | None:
        row = await self.store.fetchone("SELECT * FROM homework WHERE id = ?", (homework_id,))
        return _homework(row) if row else None

    async def homework_by_code(self, code: str) -> Homework | None:
        row = await self.store.fetchone("SELECT * FROM homework WHERE code = ?", (code,))
        return _homework(row) if row else None

    async def link_homework(self, attempt_id: int, homework_id: int) -> None:
        """Mark an attempt as this homework's (it already counts for the homework's class)."""
        await self.store.write_one(
            "UPDATE attempts SET homework_id = ? WHERE id = ?", (homework_id, attempt_id)
        )

    async def homework_attempts(self, user_id: int, homework_id: int) -> list[tuple[int, str]]:
        """(attempt id, status) of a student's attempts at a homework, newest first."""
        rows = await self.store.fetchall(
            "SELECT id, status FROM attempts WHERE user_id = ? AND homework_id = ?"
            " ORDER BY id DESC",
            (user_id, homework_id),
        )
        return [(r["id"], r["status"]) for r in rows]

    async def homework_finishers(self, homework_id: int) -> set[int]:
        rows = await self.store.fetchall(
            "SELECT DISTINCT user_id FROM attempts WHERE homework_id = ? AND status = 'finished'",
            (homework_id,),
        )
        return {r["user_id"] for r in rows}

    async def homework_count(self, chat_id: int) -> int:
        """How many homework a class was given."""
        row = await self.store.fetchone(
            "SELECT COUNT(*) AS n FROM homework WHERE chat_id = ?", (chat_id,)
        )
        return row["n"] if row else 0

    # --- export rows -------------------------------------------------------------------------

    async def class_attempts(self, class_chat_id: int) -> list[ClassAttempt]:
        """Finished private attempts that count for a class, with their answers, oldest first."""
        rows = await self.store.fetchall(
            "SELECT a.*, s.display_name, s.username, h.bank_sha256 AS hw_bank_sha256,"
            " h.article_id AS hw_article_id, h.article_sha256 AS hw_article_sha256"
            " FROM attempts a JOIN students s ON s.user_id = a.user_id"
            " LEFT JOIN homework h ON h.id = a.homework_id"
            " WHERE a.class_chat_id = ? AND a.status = 'finished' ORDER BY a.started_at, a.id",
            (class_chat_id,),
        )
        answers = defaultdict(list)
        for answer_row in await self.store.fetchall(
            "SELECT n.* FROM answers n JOIN attempts a ON a.id = n.attempt_id"
            " WHERE a.class_chat_id = ? AND a.status = 'finished' ORDER BY n.id",
            (class_chat_id,),
        ):
            answers[answer_row["attempt_id"]].append(answer_from_row(answer_row))
        return [
            ClassAttempt(
                attempt=attempt_from_row(r),
                homework_id=r["homework_id"],
                student=None
                if is_anonymous(r["user_id"])
                else Member(r["user_id"], r["display_name"], r["username"]),
                answers=tuple(answers[r["id"]]),
                version=versions.read(r, "hw_"),
            )
            for r in rows
        ]

    # --- privacy -----------------------------------------------------------------------------

    async def forget_student(self, user_id: int, now: datetime) -> int:
        """Delete a student's identity; keep their answers, anonymous, for class statistics.

        In one transaction: cancel their running attempts, drop the text they typed in private
        and in live sessions (it may name them), hand their attempts and live-session rows to a
        new anonymous owner (a negative id with no name: live tables allow one row per student
        and session, so two forgotten students cannot share one owner), then delete the student
        row (class memberships go with it) and their private chat row. Returns the attempts and
        live results kept anonymously.
        """
        if is_anonymous(user_id):
            return 0
        try:
            return await self._forget(user_id, now)
        finally:
            # Also when it failed, or its caller was cancelled while COMMIT was under way (which
            # then goes in all the same): forgetting what was kept costs only a read.
            self.written.wrote(("student", user_id), None)
            self.written.wrote(("chat", user_id), None)
            self.live_cache.invalidate_all()  # their live rows have a new owner

    async def _forget(self, user_id: int, now: datetime) -> int:
        async with self.store.transaction() as db:
            # One forgetting at a time, across processes too: each takes the next free id.
            await db.lock("forget")
            (owner,) = await db.fetchone(
                "SELECT CASE WHEN MIN(user_id) < 0 THEN MIN(user_id) ELSE 0 END - 1 FROM students"
            )
            stamp = to_text(now)
            await db.execute(
                "INSERT INTO students (user_id, display_name, username, created_at, updated_at)"
                " VALUES (?, '', NULL, ?, ?)",
                (owner, stamp, stamp),
            )
            await db.execute(
                "UPDATE attempts SET status = 'cancelled', finished_at = ?"
                " WHERE user_id = ? AND status = 'active'",
                (stamp, user_id),
            )
            await db.execute(
                "UPDATE answers SET raw_text = NULL"
                " WHERE attempt_id IN (SELECT id FROM attempts WHERE user_id = ?)",
                (user_id,),
            )
            await db.execute(
                "UPDATE live_answers SET raw_text = NULL WHERE user_id = ?", (user_id,)
            )
            kept = await db.execute(
                "UPDATE attempts SET user_id = ?, chat_id = ? WHERE user_id = ?",
                (owner, ANONYMOUS_CHAT, user_id),
            )
            # Live sessions (storage/live.py) cascade on the student too: move their rows.
            owned = kept
            for table in ("live_participants", "live_answers", "live_scores"):
                moved = await db.execute(
                    f"UPDATE {table} SET user_id = ? WHERE user_id = ?", (owner, user_id)
                )
                owned += moved
                if table == "live_scores":
                    kept += moved
            await db.execute("DELETE FROM live_selections WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM students WHERE user_id = ?", (user_id,))
            # An owner with no rows goes; one with only an open session's answers stays, or
            # deleting it would cascade to them and the class's answers would lose theirs.
            if owned == 0:
                await db.execute("DELETE FROM students WHERE user_id = ?", (owner,))
            try:
                async with db.savepoint():
                    await db.execute(
                        "DELETE FROM chats WHERE chat_id = ? AND type = 'private'", (user_id,)
                    )
            except IntegrityError:
                # Another feature still points at the private chat row; it holds no name.
                pass
        return kept

    async def student_exists(self, user_id: int) -> bool:
        row = await self.store.fetchone("SELECT 1 FROM students WHERE user_id = ?", (user_id,))
        return row is not None
