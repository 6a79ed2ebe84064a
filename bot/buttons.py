"""Every kind of button the bot draws, in one table, and the callback-data format behind them.

Callback data is `prefix:arg:arg…`, at most 64 bytes (the loader guarantees it for every id).
The prefix names the kind; bot/routing.py dispatches on it. Prefixes and argument values are
a wire format: buttons already sent stay in chats for months and must keep working after an
upgrade, so a prefix or value here never changes meaning (tests/test_button_kinds.py pins them).
Keyboard modules pack with these kinds; handlers unpack with them; bot/app.py gives each kind
its handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Where(Enum):
    """Where a kind's buttons are valid; bot/app.py maps each to the place that checks it."""

    PRIVATE = "private chat"
    GROUP = "group"
    ANYWHERE = "private chat or group"
    SESSION = "the message its live session shows now"


@dataclass(frozen=True)
class Kind:
    """One kind of button: its prefix, how many arguments it carries, where it is valid.
    `older` lists argument counts that buttons drawn by earlier versions carry."""

    prefix: str
    arity: int
    where: Where
    summary: str
    older: tuple[int, ...] = ()


# --- private quizzes (bot/keyboards.py, bot/handlers/private_quiz.py) -----------------------
QUIZ_BANK = Kind("bk", 1, Where.PRIVATE, "start a bank: bk:<bank>")
QUIZ_ANSWER = Kind("an", 3, Where.PRIVATE, "answer: an:<attempt>:<position>:<option>")
QUIZ_TOGGLE = Kind(
    "tg", 3, Where.PRIVATE, "toggle a multi option: tg:<attempt>:<position>:<option>"
)
QUIZ_CONFIRM = Kind("ok", 2, Where.PRIVATE, "confirm a multi choice: ok:<attempt>:<position>")
QUIZ_NEXT = Kind("nx", 2, Where.PRIVATE, "next question or results: nx:<attempt>:<position>")
QUIZ_RETRY = Kind("rt", 1, Where.PRIVATE, "retry the missed questions: rt:<attempt>")
QUIZ_MENU = Kind("mn", 0, Where.PRIVATE, "the bank list again: mn")
QUIZ_RESUME = Kind("rs", 1, Where.PRIVATE, "continue an attempt: rs:<attempt>")
# Private peer rounds (bot/handlers/private_peer.py): the first vote, then the second.
PEER_FIRST = Kind("v1", 3, Where.PRIVATE, "first vote: v1:<attempt>:<position>:<option>")
PEER_SECOND = Kind("v2", 3, Where.PRIVATE, "second vote: v2:<attempt>:<position>:<option>")

# --- live group sessions (bot/live_keyboards.py, bot/handlers/live.py) ----------------------
# The bank list of /quiz is not stored: a bank button is valid in any group, and opens a lobby
# only where no session is open. The others carry the session id first, and are valid only on
# the message that session shows now.
LIVE_BANK = Kind("lq", 1, Where.GROUP, "open a lobby: lq:<bank>")
LIVE_JOIN = Kind("lj", 1, Where.SESSION, "join: lj:<session>")
LIVE_ANSWER = Kind("la", 3, Where.SESSION, "answer: la:<session>:<position>:<option>")
LIVE_REVOTE = Kind("lr", 3, Where.SESSION, "peer re-vote: lr:<session>:<position>:<option>")
LIVE_SELECT = Kind("ls", 3, Where.SESSION, "toggle privately: ls:<session>:<position>:<option>")
LIVE_CONFIRM = Kind("lk", 2, Where.SESSION, "confirm a multi choice: lk:<session>:<position>")
LIVE_CONTROL = Kind("lc", 3, Where.SESSION, "teacher control: lc:<session>:<step>:<action>")

# The actions of lc. Control buttons carry the session step they were drawn for, so a repeated
# or replayed press goes stale instead of skipping twice.
CONTROL_START = "go"
CONTROL_SPEED = "sp"
CONTROL_PAUSE = "pa"
CONTROL_RESUME = "re"
CONTROL_SKIP = "sk"
CONTROL_STOP = "st"
CONTROL_RESPONSES = "rs"
CONTROL_EXPLAIN_FIRST = "ex"  # after a weak first vote of a peer round: the passage, re-vote
CONTROL_DISCUSS_ANYWAY = "dc"  # after a weak first vote: the discussion as usual
CONTROL_ACTIONS = (
    CONTROL_START,
    CONTROL_SPEED,
    CONTROL_PAUSE,
    CONTROL_RESUME,
    CONTROL_SKIP,
    CONTROL_STOP,
    CONTROL_RESPONSES,
    CONTROL_EXPLAIN_FIRST,
    CONTROL_DISCUSS_ANYWAY,
)

# --- teachers and /forgetme (bot/teacher_keyboards.py) --------------------------------------
# Under a homework post in its group (the handler checks that it is the homework's group).
HOMEWORK_PENDING = Kind("hp", 1, Where.GROUP, "who has not done it: hp:<homework>")
# A class picker carries the attempts the command asked for; older ones carried only the chat.
EXPORT_CLASS = Kind("xc", 2, Where.PRIVATE, "export a class: xc:<chat>:<attempts>", older=(1,))
REPORT_CLASS = Kind("rc", 2, Where.PRIVATE, "chart a class: rc:<chat>:<attempts>", older=(1,))
FORGET = Kind("fg", 1, Where.PRIVATE, "confirm or cancel /forgetme: fg:y | fg:n")
FORGET_YES, FORGET_NO = "y", "n"

# --- several articles (bot/keyboards.py, bot/handlers/articles.py) --------------------------
# /article outside an attempt or session: the article (by id, stable across restarts) and the
# paragraph.
ARTICLE = Kind("ar", 2, Where.ANYWHERE, "show a paragraph: ar:<article>:<paragraph>")

# --- spaced review (bot/review_keyboards.py, bot/handlers/review.py) ------------------------
REVIEW_WINDOW = Kind("rw", 1, Where.PRIVATE, "daily reminder window: rw:<window> | rw:off")
REVIEW_START = Kind("rv", 0, Where.PRIVATE, "start or go on with the review: rv")
REVIEW_ANSWER = Kind("ra", 2, Where.PRIVATE, "answer a long-option item: ra:<prompt>:<option>")
REVIEW_OFF = "off"

KINDS: tuple[Kind, ...] = (
    QUIZ_BANK,
    QUIZ_ANSWER,
    QUIZ_TOGGLE,
    QUIZ_CONFIRM,
    QUIZ_NEXT,
    QUIZ_RETRY,
    QUIZ_MENU,
    QUIZ_RESUME,
    PEER_FIRST,
    PEER_SECOND,
    LIVE_BANK,
    LIVE_JOIN,
    LIVE_ANSWER,
    LIVE_REVOTE,
    LIVE_SELECT,
    LIVE_CONFIRM,
    LIVE_CONTROL,
    HOMEWORK_PENDING,
    EXPORT_CLASS,
    REPORT_CLASS,
    FORGET,
    ARTICLE,
    REVIEW_WINDOW,
    REVIEW_START,
    REVIEW_ANSWER,
)


@dataclass(frozen=True)
class Payload:
    kind: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        try:
            return int(self.args[index])
        except (ValueError, IndexError):
            raise BadPayload(f"argument {index} of {self.args!r} is not a number") from None


class BadPayload(ValueError):
    """Callback data this bot does not understand (old version, or forged)."""


def pack(kind: Kind, *args: object) -> str:
    """The callback data of one button; drawing one its handler would refuse is a bug here."""
    if len(args) != kind.arity:
        raise ValueError(f"{kind.prefix} carries {kind.arity} arguments, not {len(args)}")
    data = ":".join([kind.prefix, *(str(a) for a in args)])
    if len(data.encode()) > 64:
        raise ValueError(f"callback data over 64 bytes: {data!r}")
    return data


def unpack(data: str | None, kind: Kind, arity: int | None = None) -> Payload:
    """Split callback data of a known kind, checking the argument count (the kind's own unless
    an older count is asked for)."""
    parts = (data or "").split(":")
    expected = kind.arity if arity is None else arity
    if parts[0] != kind.prefix or len(parts) != expected + 1:
        raise BadPayload(data)
    return Payload(parts[0], tuple(parts[1:]))
