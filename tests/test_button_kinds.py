"""The table of button kinds (bot/buttons.py): its prefixes and argument values are a wire
format, pinned here byte for byte, since buttons sent before an upgrade stay in chats; each
prefix is one kind's, and the router dispatches every kind to one handler in its place."""

from __future__ import annotations

import pytest

from bot import buttons
from bot.app import BUTTONS, PLACES
from bot.buttons import BadPayload, Kind, Where
from bot.routing import ANYWHERE, GROUP, PRIVATE, ButtonRouter

# name: (prefix, arguments, where). Change a prefix or a value only with a migration path for
# the buttons already in chats; a new kind gets a new prefix.
PINNED = {
    "QUIZ_BANK": ("bk", 1, Where.PRIVATE),
    "QUIZ_ANSWER": ("an", 3, Where.PRIVATE),
    "QUIZ_TOGGLE": ("tg", 3, Where.PRIVATE),
    "QUIZ_CONFIRM": ("ok", 2, Where.PRIVATE),
    "QUIZ_NEXT": ("nx", 2, Where.PRIVATE),
    "QUIZ_RETRY": ("rt", 1, Where.PRIVATE),
    "QUIZ_MENU": ("mn", 0, Where.PRIVATE),
    "QUIZ_RESUME": ("rs", 1, Where.PRIVATE),
    "PEER_FIRST": ("v1", 3, Where.PRIVATE),
    "PEER_SECOND": ("v2", 3, Where.PRIVATE),
    "LIVE_BANK": ("lq", 1, Where.GROUP),
    "LIVE_JOIN": ("lj", 1, Where.SESSION),
    "LIVE_ANSWER": ("la", 3, Where.SESSION),
    "LIVE_REVOTE": ("lr", 3, Where.SESSION),
    "LIVE_SELECT": ("ls", 3, Where.SESSION),
    "LIVE_CONFIRM": ("lk", 2, Where.SESSION),
    "LIVE_CONTROL": ("lc", 3, Where.SESSION),
    "HOMEWORK_PENDING": ("hp", 1, Where.GROUP),
    "EXPORT_CLASS": ("xc", 2, Where.PRIVATE),
    "REPORT_CLASS": ("rc", 2, Where.PRIVATE),
    "FORGET": ("fg", 1, Where.PRIVATE),
    "ARTICLE": ("ar", 2, Where.ANYWHERE),
    "REVIEW_WINDOW": ("rw", 1, Where.PRIVATE),
    "REVIEW_START": ("rv", 0, Where.PRIVATE),
    "REVIEW_ANSWER": ("ra", 2, Where.PRIVATE),
}
VALUES = {
    "CONTROL_START": "go",
    "CONTROL_SPEED": "sp",
    "CONTROL_PAUSE": "pa",
    "CONTROL_RESUME": "re",
    "CONTROL_SKIP": "sk",
    "CONTROL_STOP": "st",
    "CONTROL_RESPONSES": "rs",
    "CONTROL_EXPLAIN_FIRST": "ex",
    "CONTROL_DISCUSS_ANYWAY": "dc",
    "FORGET_YES": "y",
    "FORGET_NO": "n",
    "REVIEW_OFF": "off",
}


def test_every_kind_keeps_its_prefix_arguments_and_place() -> None:
    kinds = {name: v for name, v in vars(buttons).items() if isinstance(v, Kind)}
    assert {name: (k.prefix, k.arity, k.where) for name, k in kinds.items()} == PINNED
    assert set(buttons.KINDS) == set(kinds.values())
    # Class pickers drawn before they carried the attempts still open the class.
    assert buttons.EXPORT_CLASS.older == buttons.REPORT_CLASS.older == (1,)


def test_every_argument_value_keeps_its_spelling() -> None:
    assert {name: getattr(buttons, name) for name in VALUES} == VALUES
    assert len(set(buttons.CONTROL_ACTIONS)) == len(buttons.CONTROL_ACTIONS) == 9
    assert set(buttons.CONTROL_ACTIONS) == {v for n, v in VALUES.items() if n[:8] == "CONTROL_"}


def test_prefixes_are_unique_and_well_formed() -> None:
    prefixes = [kind.prefix for kind in buttons.KINDS]
    assert len(set(prefixes)) == len(prefixes)
    for prefix in prefixes:
        assert prefix.isascii() and prefix.isalnum(), prefix


def test_the_router_has_one_handler_per_kind_in_its_place() -> None:
    assert [kind for kind, _ in BUTTONS] == list(dict.fromkeys(kind for kind, _ in BUTTONS))
    assert {kind for kind, _ in BUTTONS} == set(buttons.KINDS)
    assert PLACES[Where.PRIVATE] is PRIVATE
    assert PLACES[Where.GROUP] is GROUP
    assert PLACES[Where.ANYWHERE] is ANYWHERE
    router = ButtonRouter(BUTTONS, PLACES, fallback=BUTTONS[0][1])
    for kind, handler in BUTTONS:
        route = router.routes[kind.prefix]
        assert route.handler is handler and route.place is PLACES[kind.where]


def test_pack_and_unpack_round_trip_with_the_kinds_arity() -> None:
    data = buttons.pack(buttons.QUIZ_ANSWER, 12, 0, "b")
    assert data == "an:12:0:b"
    assert buttons.unpack(data, buttons.QUIZ_ANSWER).args == ("12", "0", "b")
    with pytest.raises(BadPayload):
        buttons.unpack(data, buttons.LIVE_ANSWER)
    with pytest.raises(BadPayload):
        buttons.unpack("an:12:0", buttons.QUIZ_ANSWER)
    assert buttons.unpack("xc:-100", buttons.EXPORT_CLASS, 1).int_arg(0) == -100
    with pytest.raises(ValueError, match="64 bytes"):
        buttons.pack(buttons.QUIZ_BANK, "x" * 64)


def test_a_button_is_never_drawn_with_the_wrong_arguments() -> None:
    with pytest.raises(ValueError, match="an carries 3 arguments, not 2"):
        buttons.pack(buttons.QUIZ_ANSWER, 12, 0)
    with pytest.raises(ValueError, match="mn carries 0 arguments, not 1"):
        buttons.pack(buttons.QUIZ_MENU, 1)
