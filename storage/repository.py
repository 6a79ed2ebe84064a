"""The repository the bot talks to: one object over one database, domain objects in and out.

It is built from one part per feature (storage/attempts.py, live.py, live_answers.py,
reports.py, peer_votes.py, reviews.py). Each part is given what it shares with the others in
its constructor, and uses only their public API: the Store (the connection and the write path),
the live-session cache, the written-rows memo, the session writes. The repository owns those
and the parts, and offers every part's methods as its own, so callers write
`repo.get_live(...)` whichever part serves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.attempts import AttemptResult, AttemptsPart
from storage.base import Store
from storage.live import LiveSessionsPart
from storage.live_answers import LiveAnswersPart
from storage.live_cache import LiveSessionCache
from storage.live_writes import SessionWrites
from storage.memo import WrittenRows
from storage.peer_votes import PeerVotesPart
from storage.reports import ReportsPart
from storage.reviews import ReviewsPart
from storage.sqlite import SqliteStore
from storage.urls import is_postgres, sqlite_path

__all__ = ["Repository", "AttemptResult"]


class Flat:
    """A part's method offered as the repository's own: `repo.name` is `repo.<part>_part.name`."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, repo: object, owner: type | None = None) -> Any:
        if repo is None:
            return self
        return getattr(getattr(repo, self.part), self.name)


def make_store(target: Path | str, *, synchronous: str = "full") -> Store:
    """The store for a SQLite file (a path, or a `sqlite:///PATH` URL) or a `postgresql://` URL."""
    if is_postgres(target):
        from storage.postgres import PostgresStore  # asyncpg only where PostgreSQL is used

        return PostgresStore(str(target))
    if isinstance(target, str) and (path := sqlite_path(target)) is not None:
        target = path
    return SqliteStore(target, synchronous=synchronous)


class Repository:
    """Every storage operation of the bot, over one Store shared by the feature parts."""

    def __init__(self, target: Path | str, *, synchronous: str = "full", bot_id: int = 0) -> None:
        self.target = target
        # The bot this process runs (the number before the token's colon): the sessions it
        # resumes and the chats it has served are recorded under it.
        self.bot_id = bot_id
        self.store = store = make_store(target, synchronous=synchronous)
        # Another process may change the rows of a shared database: no memo of what was written.
        self.written = WrittenRows(enabled=not store.shared)
        self.live_cache = LiveSessionCache()
        self.attempts_part = AttemptsPart(store, self.written, bot_id)
        writes = SessionWrites(store, self.live_cache)
        self.live_sessions_part = LiveSessionsPart(store, self.live_cache, writes, bot_id)
        self.live_answers_part = LiveAnswersPart(store, self.live_cache, writes)
        self.reports_part = ReportsPart(store, self.written, self.live_cache)
        self.peer_votes_part = PeerVotesPart(store)
        self.reviews_part = ReviewsPart(store)

    @property
    def shared(self) -> bool:
        """Whether other processes may change the same rows (the district's PostgreSQL)."""
        return self.store.shared

    async def __aenter__(self) -> Repository:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- the store --------------------------------------------------------------------------------
    open = Flat("store")
    close = Flat("store")
    fetchall = Flat("store")
    fetchone = Flat("store")
    write = Flat("store")
    write_one = Flat("store")
    transaction = Flat("store")
    snapshot = Flat("store")

    # --- attempts ---------------------------------------------------------------------------------
    save_student = Flat("attempts_part")
    save_chat = Flat("attempts_part")
    start_attempt = Flat("attempts_part")
    get_attempt = Flat("attempts_part")
    attempt_and_answer = Flat("attempts_part")
    active_attempt = Flat("attempts_part")
    save_progress = Flat("attempts_part")
    record_answer = Flat("attempts_part")
    get_answer = Flat("attempts_part")
    answers_for = Flat("attempts_part")
    cancel_attempt = Flat("attempts_part")
    history = Flat("attempts_part")

    # --- live sessions ----------------------------------------------------------------------------
    create_live = Flat("live_sessions_part")
    get_live = Flat("live_sessions_part")
    open_live_in = Flat("live_sessions_part")
    open_lives = Flat("live_sessions_part")
    save_live = Flat("live_sessions_part")
    end_live = Flat("live_sessions_part")
    unshown_ended_lives = Flat("live_sessions_part")
    set_live_message = Flat("live_sessions_part")
    mark_live_shown = Flat("live_sessions_part")
    save_live_scores = Flat("live_sessions_part")
    live_results = Flat("live_sessions_part")
    live_answer_rows = Flat("live_sessions_part")
    ended_live_count = Flat("live_sessions_part")

    # --- live answers -----------------------------------------------------------------------------
    join_live = Flat("live_answers_part")
    record_live_answer = Flat("live_answers_part")
    live_answers = Flat("live_answers_part")
    live_joined_at = Flat("live_answers_part")
    live_selection = Flat("live_answers_part")
    set_live_selection = Flat("live_answers_part")
    student_names = Flat("live_answers_part")

    # --- reports ----------------------------------------------------------------------------------
    note_member = Flat("reports_part")
    mark_teacher = Flat("reports_part")
    keep_teacher_marks = Flat("reports_part")
    teacher_marks = Flat("reports_part")
    is_member = Flat("reports_part")
    roster = Flat("reports_part")
    known_classes = Flat("reports_part")
    get_class = Flat("reports_part")
    create_homework = Flat("reports_part")
    get_homework = Flat("reports_part")
    homework_by_code = Flat("reports_part")
    link_homework = Flat("reports_part")
    homework_attempts = Flat("reports_part")
    homework_finishers = Flat("reports_part")
    homework_count = Flat("reports_part")
    class_attempts = Flat("reports_part")
    forget_student = Flat("reports_part")
    student_exists = Flat("reports_part")

    # --- peer votes -------------------------------------------------------------------------------
    record_first_vote = Flat("peer_votes_part")
    first_vote = Flat("peer_votes_part")

    # --- reviews ----------------------------------------------------------------------------------
    schedule_reviews = Flat("reviews_part")
    review_item = Flat("reviews_part")
    due_reviews = Flat("reviews_part")
    review_items = Flat("reviews_part")
    review_settings = Flat("reviews_part")
    set_review_window = Flat("reviews_part")
    students_to_remind = Flat("reviews_part")
    claim_review_day = Flat("reviews_part")
    release_review_day = Flat("reviews_part")
    block_reviews = Flat("reviews_part")
    add_review_prompt = Flat("reviews_part")
    review_prompt = Flat("reviews_part")
    review_prompt_for_poll = Flat("reviews_part")
    open_text_prompt = Flat("reviews_part")
    record_review_answer = Flat("reviews_part")
    review_answers_of = Flat("reviews_part")
    review_rows = Flat("reviews_part")
