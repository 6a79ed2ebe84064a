"""Schema migrations: an ordered list of named steps, each applied once in a transaction.

Append new steps at the end; never edit or reorder an applied one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import aiosqlite

Migration = tuple[str, Callable[[aiosqlite.Connection], Awaitable[None]]]


async def run_script(db: aiosqlite.Connection, script: str) -> None:
    """Run DDL statements one by one: executescript would commit the open transaction."""
    for statement in script.split(";"):
        if statement.strip():
            await db.execute(statement)


async def _initial(db: aiosqlite.Connection) -> None:
    await run_script(
        db,
        """
        CREATE TABLE students (
            user_id      INTEGER PRIMARY KEY,
            display_name TEXT NOT NULL,
            username     TEXT,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE TABLE chats (
            chat_id    INTEGER PRIMARY KEY,
            type       TEXT NOT NULL,
            title      TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE attempts (
            id            INTEGER PRIMARY KEY,
            user_id       INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            chat_id       INTEGER NOT NULL REFERENCES chats(chat_id),
            bank_id       TEXT NOT NULL,
            class_chat_id INTEGER REFERENCES chats(chat_id),
            retry_of      INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
            question_ids  TEXT NOT NULL,  -- JSON list, in the order asked
            option_order  TEXT NOT NULL,  -- JSON list of lists: option keys as shown
            position      INTEGER NOT NULL DEFAULT 0,
            selection     TEXT NOT NULL DEFAULT '[]',
            status        TEXT NOT NULL CHECK (status IN ('active', 'finished', 'cancelled')),
            started_at    TEXT NOT NULL,
            finished_at   TEXT
        );
        CREATE INDEX attempts_by_user ON attempts(user_id, chat_id, status);
        CREATE TABLE answers (
            id          INTEGER PRIMARY KEY,
            attempt_id  INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            choice      TEXT NOT NULL,
            correct     INTEGER,          -- NULL for unscored (discussion) answers
            score       REAL NOT NULL,
            raw_text    TEXT,
            answered_at TEXT NOT NULL,
            latency_ms  INTEGER NOT NULL,
            UNIQUE (attempt_id, question_id)
        );
        """,
    )


async def _teacher_reports(db: aiosqlite.Connection) -> None:
    """Class rosters, homework, attempts tied to a homework, and the anonymous owner.

    Forgotten students' attempts are handed to user id 0 (Telegram never uses it) instead of
    being deleted by the ON DELETE CASCADE of attempts.user_id, so class statistics keep them.
    """
    await run_script(
        db,
        """
        CREATE TABLE class_members (
            chat_id    INTEGER NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
            user_id    INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            is_teacher INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            last_seen  TEXT NOT NULL,
            PRIMARY KEY (chat_id, user_id)
        );
        CREATE TABLE homework (
            id         INTEGER PRIMARY KEY,
            code       TEXT NOT NULL UNIQUE,
            chat_id    INTEGER NOT NULL REFERENCES chats(chat_id),
            bank_id    TEXT NOT NULL,
            teacher_id INTEGER,  -- not a student reference: teachers need not be students
            created_at TEXT NOT NULL,
            deadline   TEXT
        );
        CREATE INDEX homework_by_chat ON homework(chat_id, created_at);
        ALTER TABLE attempts ADD COLUMN homework_id INTEGER REFERENCES homework(id);
        CREATE INDEX attempts_by_class ON attempts(class_chat_id, status);
        CREATE INDEX attempts_by_homework ON attempts(homework_id, user_id)
        """,
    )
    now = datetime.now(UTC).isoformat()
    await db.execute(
        "INSERT OR IGNORE INTO students (user_id, display_name, username, created_at, updated_at)"
        " VALUES (0, '', NULL, ?, ?)",
        (now, now),
    )
    await db.execute(
        "INSERT OR IGNORE INTO chats (chat_id, type, title, created_at)"
        " VALUES (0, 'private', NULL, ?)",
        (now,),
    )


async def _live_sessions(db: aiosqlite.Connection) -> None:
    """Live group sessions: the session row (stage, deadline, step), who joined, the answers
    (one per session, question, round and student: replays insert nothing), private multi-select
    choices in progress, and the scores saved when a session ends."""
    await run_script(
        db,
        """
        CREATE TABLE live_sessions (
            id            INTEGER PRIMARY KEY,
            chat_id       INTEGER NOT NULL REFERENCES chats(chat_id),
            bank_id       TEXT NOT NULL,
            teacher_id    INTEGER,          -- who opened it, not a student reference
            plan          TEXT NOT NULL,    -- JSON: [[question_id, [option keys shown], seconds]]
            left_out      INTEGER NOT NULL DEFAULT 0,
            speed         INTEGER NOT NULL DEFAULT 0,
            status        TEXT NOT NULL
                          CHECK (status IN ('open', 'finished', 'stopped', 'cancelled')),
            phase         TEXT NOT NULL CHECK (phase IN ('lobby', 'question', 'reveal', 'ended')),
            position      INTEGER NOT NULL DEFAULT 0,
            step          INTEGER NOT NULL DEFAULT 0,
            deadline      TEXT,             -- absolute UTC, NULL while paused or ended
            opened_at     TEXT,
            paused_left_ms INTEGER,
            reason        TEXT,
            message_id    INTEGER,
            shown_step    INTEGER NOT NULL DEFAULT -1,
            created_at    TEXT NOT NULL,
            started_at    TEXT,
            ended_at      TEXT
        );
        CREATE UNIQUE INDEX live_one_open_per_chat ON live_sessions(chat_id)
            WHERE status = 'open';
        CREATE INDEX live_sessions_by_chat ON live_sessions(chat_id, status);
        CREATE TABLE live_participants (
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            user_id    INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,  -- -1 for the lobby, else the question joined at
            joined_at  TEXT NOT NULL,
            PRIMARY KEY (session_id, user_id)
        );
        CREATE TABLE live_answers (
            id          INTEGER PRIMARY KEY,
            session_id  INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            position    INTEGER NOT NULL,
            round       INTEGER NOT NULL DEFAULT 0,
            user_id     INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            choice      TEXT NOT NULL,     -- option keys, sorted, comma-separated
            correct     INTEGER NOT NULL,
            points      REAL NOT NULL,
            answered_at TEXT NOT NULL,
            elapsed_ms  INTEGER NOT NULL,
            UNIQUE (session_id, question_id, round, user_id)
        );
        CREATE INDEX live_answers_by_position ON live_answers(session_id, position);
        CREATE TABLE live_selections (
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            user_id    INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            keys       TEXT NOT NULL,
            PRIMARY KEY (session_id, position, user_id)
        );
        CREATE TABLE live_scores (
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            user_id    INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            score      REAL NOT NULL,
            correct    INTEGER NOT NULL,
            answered   INTEGER NOT NULL,
            total_ms   INTEGER NOT NULL,
            rank       INTEGER NOT NULL,
            PRIMARY KEY (session_id, user_id)
        )
        """,
    )


async def _private_peer_votes(db: aiosqlite.Connection) -> None:
    """First votes of peer rounds played in private; the second vote is the row in answers."""
    await run_script(
        db,
        """
        CREATE TABLE peer_first_votes (
            attempt_id  INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            choice      TEXT NOT NULL,
            voted_at    TEXT NOT NULL,
            PRIMARY KEY (attempt_id, question_id)
        )
        """,
    )


async def _live_typed_and_peer_rounds(db: aiosqlite.Connection) -> None:
    """Live sessions with typed replies, discussion prompts and peer rounds.

    Sessions get the stage of the open question (answer, discuss, revote) and the teacher's
    choice to quote discussion responses. Answers get the reply's raw text and its partial
    credit, and `correct` becomes nullable (NULL: an unscored discussion response, as in
    `answers`); SQLite cannot drop a NOT NULL, so live_answers is rebuilt. Nothing references
    live_answers, so dropping the old table cascades nowhere.
    """
    await run_script(
        db,
        """
        ALTER TABLE live_sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'answer'
            CHECK (stage IN ('answer', 'discuss', 'revote'));
        ALTER TABLE live_sessions ADD COLUMN show_responses INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE live_answers_new (
            id          INTEGER PRIMARY KEY,
            session_id  INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            position    INTEGER NOT NULL,
            round       INTEGER NOT NULL DEFAULT 0,  -- 1: the re-vote of a peer round
            user_id     INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            choice      TEXT NOT NULL,     -- option keys, sorted, comma-separated ('' if typed)
            correct     INTEGER,           -- NULL for unscored (discussion) responses
            credit      REAL,              -- partial credit of a typed answer, NULL: all or none
            raw_text    TEXT,              -- a typed reply as sent
            points      REAL NOT NULL,
            answered_at TEXT NOT NULL,
            elapsed_ms  INTEGER NOT NULL,
            UNIQUE (session_id, question_id, round, user_id)
        );
        INSERT INTO live_answers_new (id, session_id, question_id, position, round, user_id,
            choice, correct, points, answered_at, elapsed_ms)
            SELECT id, session_id, question_id, position, round, user_id,
            choice, correct, points, answered_at, elapsed_ms FROM live_answers;
        DROP TABLE live_answers;
        ALTER TABLE live_answers_new RENAME TO live_answers;
        CREATE INDEX live_answers_by_position ON live_answers(session_id, position)
        """,
    )


async def _peer_paths(db: aiosqlite.Connection) -> None:
    """Adaptive peer rounds: the path the open peer question took after its first vote (NULL
    before it closed, and for other questions), and the bank's band the session runs with,
    fixed when it was created. Sessions stored before get the default band."""
    await run_script(
        db,
        """
        ALTER TABLE live_sessions ADD COLUMN peer_path TEXT
            CHECK (peer_path IN ('discuss', 'consensus', 'choose', 'explain'));
        ALTER TABLE live_sessions ADD COLUMN peer_low REAL NOT NULL DEFAULT 35;
        ALTER TABLE live_sessions ADD COLUMN peer_high REAL NOT NULL DEFAULT 70
        """,
    )


async def _review_schedule(db: aiosqlite.Connection) -> None:
    """Spaced review: each student's items and Leitner boxes, their delivery settings, what
    was sent (a quiz poll's id maps back to its student and item), and the answers, once per
    sighting of an item."""
    await run_script(
        db,
        """
        CREATE TABLE review_items (
            user_id     INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            bank_id     TEXT NOT NULL,
            question_id TEXT NOT NULL,
            box         INTEGER NOT NULL,            -- 0-based into the Leitner intervals
            due_at      TEXT NOT NULL,               -- UTC, the start of the local due day
            reviews     INTEGER NOT NULL DEFAULT 0,  -- review answers recorded so far
            done        INTEGER NOT NULL DEFAULT 0,
            added_at    TEXT NOT NULL,
            PRIMARY KEY (user_id, bank_id, question_id)
        );
        CREATE INDEX review_items_due ON review_items(done, due_at);
        CREATE TABLE review_settings (
            user_id      INTEGER PRIMARY KEY REFERENCES students(user_id) ON DELETE CASCADE,
            window       TEXT,  -- NULL: no daily message (the default until the student opts in)
            last_sent_on TEXT,  -- the local day of the last daily message
            blocked_at   TEXT   -- the bot was blocked: no more daily messages
        );
        CREATE TABLE review_prompts (
            id           INTEGER PRIMARY KEY,
            user_id      INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            bank_id      TEXT NOT NULL,
            question_id  TEXT NOT NULL,
            sighting     INTEGER NOT NULL,  -- 2: the first review after the miss
            kind         TEXT NOT NULL CHECK (kind IN ('poll', 'buttons', 'text')),
            poll_id      TEXT UNIQUE,
            option_order TEXT NOT NULL DEFAULT '[]',  -- JSON option keys as shown
            sent_at      TEXT NOT NULL
        );
        CREATE INDEX review_prompts_by_user ON review_prompts(user_id, kind, id);
        CREATE TABLE review_answers (
            id          INTEGER PRIMARY KEY,
            prompt_id   INTEGER NOT NULL REFERENCES review_prompts(id) ON DELETE CASCADE,
            user_id     INTEGER NOT NULL REFERENCES students(user_id) ON DELETE CASCADE,
            bank_id     TEXT NOT NULL,
            question_id TEXT NOT NULL,
            sighting    INTEGER NOT NULL,
            choice      TEXT NOT NULL,
            raw_text    TEXT,
            correct     INTEGER NOT NULL,
            score       REAL NOT NULL,
            answered_at TEXT NOT NULL,
            UNIQUE (user_id, bank_id, question_id, sighting)
        )
        """,
    )


async def _content_versions(db: aiosqlite.Connection) -> None:
    """Homework and live sessions record what they asked: the bank's content hash and its
    article's id and hash, so reports use that article and can tell when either changed since.
    NULL for rows stored before: reports then fall back to the bank's article as loaded."""
    statements = []
    for table in ("homework", "live_sessions"):
        for column in ("bank_sha256", "article_id", "article_sha256"):
            statements.append(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    await run_script(db, ";".join(statements))


async def _bot_ownership(db: aiosqlite.Connection) -> None:
    """Several bots may share a database: each live session records the bot that runs it (NULL
    for sessions stored before, when one database had one bot: that bot's), and each chat the
    bots that have served it."""
    await run_script(
        db,
        """
        ALTER TABLE live_sessions ADD COLUMN bot_id INTEGER;
        CREATE TABLE bot_chats (
            bot_id     INTEGER NOT NULL,
            chat_id    INTEGER NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (bot_id, chat_id)
        )
        """,
    )


MIGRATIONS: list[Migration] = [
    ("0001_initial", _initial),
    ("0002_teacher_reports", _teacher_reports),
    ("0003_live_sessions", _live_sessions),
    ("0004_private_peer_votes", _private_peer_votes),
    ("0005_live_typed_and_peer_rounds", _live_typed_and_peer_rounds),
    ("0006_peer_adaptive_rounds", _peer_paths),
    ("0007_content_versions", _content_versions),
    ("0008_review_schedule", _review_schedule),
    ("0009_failover_bot_ownership", _bot_ownership),
]


async def migrate(db: aiosqlite.Connection, migrations: list[Migration] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied now."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations"
        " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    async with db.execute("SELECT name FROM schema_migrations") as cursor:
        applied = {row[0] async for row in cursor}
    done: list[str] = []
    for name, step in migrations:
        if name in applied:
            continue
        await db.execute("BEGIN IMMEDIATE")
        try:
            await step(db)
            await db.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat()),
            )
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        done.append(name)
    return done
