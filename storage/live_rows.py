"""How live sessions, answers and results are stored in rows, and read back from them."""

from __future__ import annotations

import json

from quizzes.adaptive import PeerPath
from quizzes.live import (
    CloseReason,
    LiveAnswer,
    LiveResult,
    LiveSession,
    Phase,
    Planned,
    Stage,
    Status,
    asked_so_far,
)
from quizzes.model import PeerBand
from storage import versions
from storage.base import Row, dumps, from_text, to_text

SESSION_COLUMNS = (
    "speed = ?, status = ?, phase = ?, position = ?, step = ?, deadline = ?, opened_at = ?,"
    " paused_left_ms = ?, reason = ?, message_id = ?, started_at = ?, ended_at = ?, stage = ?,"
    " show_responses = ?, peer_path = ?, peer_low = ?, peer_high = ?"
)


def plan_from_json(text: str) -> tuple[Planned, ...]:
    """[question_id, order, seconds, discuss, scored]; plans stored before peer rounds and
    typed questions have only the first three (a single round, scored)."""
    return tuple(
        Planned(q, tuple(order), seconds, *extra) for q, order, seconds, *extra in json.loads(text)
    )


def plan_json(plan: tuple[Planned, ...]) -> str:
    return dumps([[p.question_id, list(p.order), p.seconds, p.discuss, p.scored] for p in plan])


def asked_count(plan: tuple[Planned, ...], position: int, started: bool) -> int:
    """Scored questions asked up to `position`: the "out of" of a result."""
    return sum(1 for p in asked_so_far(plan, position, started) if p.scored)


def session_from_row(
    row: Row,
    joined: dict[int, int],
    answered: frozenset[int],
    right: frozenset[int] = frozenset(),
) -> LiveSession:
    position = row["position"]
    return LiveSession(
        id=row["id"],
        chat_id=row["chat_id"],
        bank_id=row["bank_id"],
        teacher_id=row["teacher_id"],
        plan=plan_from_json(row["plan"]),
        created_at=from_text(row["created_at"]),
        left_out=row["left_out"],
        speed=bool(row["speed"]),
        show_responses=bool(row["show_responses"]),
        status=Status(row["status"]),
        phase=Phase(row["phase"]),
        position=position,
        stage=Stage(row["stage"]),
        step=row["step"],
        deadline=from_text(row["deadline"]),
        opened_at=from_text(row["opened_at"]),
        paused_left_ms=row["paused_left_ms"],
        reason=CloseReason(row["reason"]) if row["reason"] else None,
        message_id=row["message_id"],
        shown_step=row["shown_step"],
        started_at=from_text(row["started_at"]),
        ended_at=from_text(row["ended_at"]),
        joined=frozenset(joined),
        # Lobby joiners carry -1; a late joiner carries the question they joined at.
        expected=frozenset(u for u, at in joined.items() if at < position),
        answered=answered,
        right=right,
        path=PeerPath(row["peer_path"]) if row["peer_path"] else None,
        band=PeerBand(row["peer_low"], row["peer_high"]),
        version=versions.read(row),
    )


def session_values(session: LiveSession) -> tuple:
    return (
        int(session.speed),
        session.status.value,
        session.phase.value,
        session.position,
        session.step,
        to_text(session.deadline),
        to_text(session.opened_at),
        session.paused_left_ms,
        session.reason.value if session.reason else None,
        session.message_id,
        to_text(session.started_at),
        to_text(session.ended_at),
        session.stage.value,
        int(session.show_responses),
        session.path.value if session.path else None,
        session.band.low,
        session.band.high,
    )


def answer_from_row(row: Row) -> LiveAnswer:
    return LiveAnswer(
        session_id=row["session_id"],
        question_id=row["question_id"],
        position=row["position"],
        user_id=row["user_id"],
        keys=frozenset(k for k in row["choice"].split(",") if k),
        correct=None if row["correct"] is None else bool(row["correct"]),
        points=row["points"],
        answered_at=from_text(row["answered_at"]),
        elapsed_ms=row["elapsed_ms"],
        round=row["round"],
        raw_text=row["raw_text"],
        credit=row["credit"],
    )


def result_from_row(row: Row) -> LiveResult:
    return LiveResult(
        session_id=row["session_id"],
        chat_id=row["chat_id"],
        bank_id=row["bank_id"],
        status=Status(row["status"]),
        user_id=row["user_id"],
        name=row["display_name"],
        username=row["username"],
        score=row["score"],
        correct=row["correct"],
        answered=row["answered"],
        asked=asked_count(
            plan_from_json(row["plan"]), row["position"], row["started_at"] is not None
        ),
        total_ms=row["total_ms"],
        rank=row["rank"],
        started_at=from_text(row["started_at"]),
        ended_at=from_text(row["ended_at"]),
        version=versions.read(row),
    )


def ended_filter(chat_id: int | None, session_id: int | None) -> tuple[str, tuple]:
    """The optional group and session conditions on `se` (live_sessions) for result queries."""
    where, params = "", ()
    if chat_id is not None:
        where, params = where + " AND se.chat_id = ?", (*params, chat_id)
    if session_id is not None:
        where, params = where + " AND se.id = ?", (*params, session_id)
    return where, params
