"""The repository the bot talks to: one object, one connection, domain objects in and out.

It is built from one part per feature (storage/attempts.py, live.py, reports.py, peer_votes.py,
reviews.py). Each part is given what it shares with the others in its constructor, and uses
only their public API: the Store (the connection and the write path), the live-session cache,
the written-rows memo. The repository owns those and the parts, and offers every part's
methods as its own, so callers write `repo.get_live(...)` whichever part serves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.attempts import AttemptResult, AttemptsPart
from storage.base import Store
from storage.live import LivePart
from storage.live_cache import LiveSessionCache
from storage.memo import WrittenRows
from storage.peer_votes import PeerVotesPart
from storage.reports import ReportsPart
from storage.reviews import ReviewsPart

__all__ = ["Repository", "AttemptResult"]


class Flat:
    """A part's method offered as the repository's own: `repo.name` is `repo.<part>.name`."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, repo: object, owner: type | None = None) -> Any:
        if repo is None:
            return self
        return getattr(getattr(repo, self.part), self.name)


class Repository(Store):
    """Every storage operation of the bot, over one Store shared by the feature parts."""

    def __init__(self, path: Path | str, *, synchronous: str = "full") -> None:
        super().__init__(path, synchronous=synchronous)
        self.written = WrittenRows()
        self.live_cache = LiveSessionCache()
        self.attempts = AttemptsPart(self, self.written)
        self.live = LivePart(self, self.live_cache)
        self.reports = ReportsPart(self, self.written, self.live_cache)
        self.peer_votes = PeerVotesPart(self)
        self.reviews = ReviewsPart(self)

    # --- attempts -----------------------------------------------------------------------
    save_student = Flat("attempts")
    save_chat = Flat("attempts")
    start_attempt = Flat("attempts")
    get_attempt = Flat("attempts")
    attempt_and_answer = Flat("attempts")
    active_attempt = Flat("attempts")
    save_progress = Flat("attempts")
    record_answer = Flat("attempts")
    get_answer = Flat("attempts")
    answers_for = Flat("attempts")
    cancel_attempt = Flat("attempts")
    history = Flat("attempts")

    # --- live ---------------------------------------------------------------------------
    create_live = Flat("live")
    get_live = Flat("live")
    open_live_in = Flat("live")
    open_lives = Flat("live")
    save_live = Flat("live")
    end_live = Flat("live")
    unshown_ended_lives = Flat("live")
    set_live_message = Flat("live")
    mark_live_shown = Flat("live")
    join_live = Flat("live")
    record_live_answer = Flat("live")
    live_answers = Flat("live")
    live_joined_at = Flat("live")
    live_selection = Flat("live")
    set_live_selection = Flat("live")
    student_names = Flat("live")
    save_live_scores = Flat("live")
    live_results = Flat("live")
    live_answer_rows = Flat("live")
    ended_live_count = Flat("live")

    # --- reports ------------------------------------------------------------------------
    note_member = Flat("reports")
    roster = Flat("reports")
    known_classes = Flat("reports")
    get_class = Flat("reports")
    create_homework = Flat("reports")
    get_homework = Flat("reports")
    homework_by_code = Flat("reports")
    link_homework = Flat("reports")
    homework_attempts = Flat("reports")
    homework_finishers = Flat("reports")
    homework_count = Flat("reports")
    class_attempts = Flat("reports")
    forget_student = Flat("reports")
    student_exists = Flat("reports")

    # --- peer votes ---------------------------------------------------------------------
    record_first_vote = Flat("peer_votes")
    first_vote = Flat("peer_votes")

    # --- reviews ------------------------------------------------------------------------
    schedule_reviews = Flat("reviews")
    review_item = Flat("reviews")
    due_reviews = Flat("reviews")
    review_items = Flat("reviews")
    review_settings = Flat("reviews")
    set_review_window = Flat("reviews")
    students_to_remind = Flat("reviews")
    claim_review_day = Flat("reviews")
    release_review_day = Flat("reviews")
    block_reviews = Flat("reviews")
    add_review_prompt = Flat("reviews")
    review_prompt = Flat("reviews")
    review_prompt_for_poll = Flat("reviews")
    open_text_prompt = Flat("reviews")
    record_review_answer = Flat("reviews")
    review_answers_of = Flat("reviews")
    review_rows = Flat("reviews")
