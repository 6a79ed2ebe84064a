"""Helpers for the fault suite: Bot API failures to inject, a Telegram that accepts one answer
per callback query, crash snapshots of the SQLite file, and direct reads of what was stored."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from telegram import Update
from telegram.error import TimedOut

from bot.ratelimit import TelegramLimiter
from quizzes.attempt import Attempt
from tests import backends, buttons
from tests.buttons import Button
from tests.factories import Person
from tests.fakes import Call
from tests.harness import Harness

Answer = tuple[int, dict] | BaseException


def api_error(status: int, description: str, **parameters: Any) -> tuple[int, dict]:
    """A failed Bot API answer, as Telegram sends it."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body


def unlimited_but_retrying() -> TelegramLimiter:
    """The production limiter, its windows too wide to make a test wait: only its retries act."""
    return TelegramLimiter(
        max_retries=2, token_per_second=10**6, group_per_minute=10**6, chat_per_second=10**6
    )


def flood(seconds: float = 0.01) -> tuple[int, dict]:
    # Telegram sends whole seconds; a fraction keeps the retry fast and takes the same path.
    return api_error(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


# The start of the live "answer recorded" toast (texts.LIVE_TOAST_RECORDED), before its choice.
RECORDED = "سُجّلت إجابتك"
# The start of the standings a stopped session ends with (texts.LIVE_FINAL_STOPPED).
FINAL = "أنهى المعلم الجلسة"


TOO_OLD = api_error(
    400, "Bad Request: query is too old and response timeout expired or query id is invalid"
)
NOT_MODIFIED = api_error(
    400,
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message",
)
BLOCKED = api_error(403, "Forbidden: bot was blocked by the user")
KICKED = api_error(403, "Forbidden: bot was kicked from the supergroup chat")

# Transient failures PTB turns into NetworkError (or its TimedOut): a gateway error, a read
# timeout, and a connection that could not be made (raised by the transport, like httpx would).
TRANSIENT: dict[str, Callable[[], Answer]] = {
    "502": lambda: api_error(502, "Bad Gateway"),
    "500": lambda: api_error(500, "Internal Server Error"),
    "timeout": lambda: TimedOut("Timed out"),
    "network": lambda: httpx.ConnectError("[Errno 101] Network is unreachable"),
}


@dataclass
class Fault:
    """Fail the next `times` calls that match, with `answer` (a reply or an exception)."""

    method: str
    answer: Callable[[], Answer]
    times: int = 1
    where: Callable[[Call], bool] = lambda call: True
    hits: list[Call] = field(default_factory=list)

    def __call__(self, call: Call) -> tuple[int, dict] | None:
        if call.method != self.method or len(self.hits) >= self.times or not self.where(call):
            return None
        self.hits.append(call)
        answer = self.answer()
        if isinstance(answer, BaseException):
            raise answer
        return answer


class AnswerOnce:
    """Telegram's rule: a callback query takes one answer; a second one is refused."""

    def __init__(self) -> None:
        self.answered: dict[str, Call] = {}
        self.refused: list[Call] = []

    def __call__(self, call: Call) -> tuple[int, dict] | None:
        if call.method != "answerCallbackQuery":
            return None
        query = str(call.params["callback_query_id"])
        if query in self.answered:
            self.refused.append(call)
            return TOO_OLD
        self.answered[query] = call
        return None


def text_has(*parts: str) -> Callable[[Call], bool]:
    return lambda call: all(p in call.text for p in parts)


def snapshot(db_path: Path, into: Path) -> Path:
    """Copy the database as a killed process would leave it: the file and its WAL, as they are
    now (everything committed so far, nothing else). Returns the copy's path."""
    into.mkdir(parents=True, exist_ok=True)
    copy = into / db_path.name
    for suffix in ("", "-wal"):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{copy}{suffix}")
    return copy


def rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read what is stored, through a connection of its own (like an operator's sqlite3), on
    whichever database the test runs."""
    return backends.read(db_path, sql, params)


def count(db_path: Path, table: str, where: str = "TRUE", params: tuple = ()) -> int:
    return rows(db_path, f"SELECT COUNT(*) FROM {table} WHERE {where}", params)[0][0]


async def replay(h: Harness, update: Update) -> list[Call]:
    """Telegram delivers an update again (same update_id, same query id), maybe to a new
    process: rebuilt for this harness's bot."""
    return await h.process(Update.de_json(update.to_dict(), h.bot))


def answers_to(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "answerCallbackQuery"]


# --- a private attempt ------------------------------------------------------------------

STUDENT = Person(5301, "سلمى", "العلي", "salma")


async def begin(h: Harness) -> tuple[Attempt, Call]:
    """Start an attempt at the facts bank from /start's list; the attempt and its first
    question's message."""
    calls = await h.start_bank(STUDENT, "facts")
    question = [c for c in calls if c.method == "sendMessage" and c.buttons][-1]
    attempt = await h.repo.active_attempt(STUDENT.id, STUDENT.id)
    assert attempt is not None
    return attempt, question


def right(h: Harness, attempt: Attempt, question_call: Call) -> Button:
    """The correct option's button on a question's message, as the bot drew it there (maybe
    since replaced by the feedback: pressed again from a screen that has not caught up)."""
    q = h.app.bot_data.banks[attempt.bank_id].question(attempt.current_question_id)
    (key,) = q.answer
    return h.button(
        buttons.option(q, key),
        chat_id=question_call.chat_id or STUDENT.id,
        message_id=question_call.result["message_id"],
        stale=True,
    )


def stored(h: Harness, attempt: Attempt) -> list[tuple]:
    """(question_id, correct) of every answer row of the attempt, straight from SQLite."""
    return rows(
        h.app.bot_data.config.db_path,
        "SELECT question_id, correct FROM answers WHERE attempt_id = ? ORDER BY id",
        (attempt.id,),
    )


def position(h: Harness, attempt: Attempt) -> int:
    return rows(
        h.app.bot_data.config.db_path, "SELECT position FROM attempts WHERE id = ?", (attempt.id,)
    )[0][0]
