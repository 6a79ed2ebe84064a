"""Button presses, routed by the kind at the head of their callback data, where they are valid.

Every button's data starts with its kind's prefix (bot/buttons.py: `an:…`, `la:…`). One
CallbackQueryHandler looks the kind up in a dict, instead of PTB trying a regex handler after
another: a live answer came after 20 of them. A kind has exactly one handler, so two handlers
can never compete for a button; an unknown kind goes to the fallback (the stale notice).

Callback data comes from the client, so it can be forged or copied onto another message: every
kind also declares where it is valid (a private chat, a group, or the message a live session
shows now), and the wiring gives each of those a place that checks it. A press anywhere else
goes to the fallback too, before its handler runs, so it changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from telegram import Update
from telegram.constants import ChatType

from bot.buttons import Kind, Where
from bot.context import QuizContext

log = logging.getLogger(__name__)
Handler = Callable[[Update, QuizContext], Awaitable[None]]


class Place(Protocol):
    """Where the buttons of one kind may be pressed."""

    name: str

    async def admits(self, update: Update, context: QuizContext) -> bool: ...


@dataclass(frozen=True)
class InChats:
    """Valid in chats of these types only."""

    name: str
    types: frozenset[str]

    async def admits(self, update: Update, context: QuizContext) -> bool:
        chat = update.effective_chat
        return chat is not None and chat.type in self.types


PRIVATE = InChats("private chat", frozenset({ChatType.PRIVATE}))
GROUP = InChats("group", frozenset({ChatType.GROUP, ChatType.SUPERGROUP}))
ANYWHERE = InChats("private chat or group", PRIVATE.types | GROUP.types)


@dataclass(frozen=True)
class Route:
    kind: str
    handler: Handler
    place: Place


class ButtonRouter:
    """Maps a callback data prefix to its kind's handler and the place its buttons are valid in."""

    def __init__(
        self,
        routes: Iterable[tuple[Kind, Handler]],
        places: Mapping[Where, Place],
        fallback: Handler,
    ) -> None:
        self.routes: dict[str, Route] = {}
        for kind, handler in routes:
            prefix = kind.prefix
            if prefix in self.routes or ":" in prefix:
                raise ValueError(f"button kind {prefix!r} is taken or malformed")
            self.routes[prefix] = Route(prefix, handler, places[kind.where])
        self.fallback = fallback

    async def __call__(self, update: Update, context: QuizContext) -> None:
        data = update.callback_query.data or ""
        route = self.routes.get(data.split(":", 1)[0])
        if route is None:
            await self.fallback(update, context)
            return
        if not await route.place.admits(update, context):
            log.info("button %r pressed outside its place (%s)", data, route.place.name)
            await self.fallback(update, context)
            return
        await route.handler(update, context)
