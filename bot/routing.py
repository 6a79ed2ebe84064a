"""Button presses, routed by the kind at the head of their callback data.

Every button's data starts with its kind (bot/keyboards.py: `an:…`, `la:…`). One
CallbackQueryHandler looks the kind up in a dict, instead of PTB trying a regex handler after
another: a live answer came after 20 of them. A kind has exactly one handler, so two handlers
can never compete for a button; an unknown kind goes to the fallback (the stale notice).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from telegram import Update

from bot.context import QuizContext

Handler = Callable[[Update, QuizContext], Awaitable[None]]


class ButtonRouter:
    """Maps a callback data kind to its handler."""

    def __init__(self, routes: Iterable[tuple[str, Handler]], fallback: Handler) -> None:
        self.routes: dict[str, Handler] = {}
        for kind, handler in routes:
            if kind in self.routes or ":" in kind:
                raise ValueError(f"button kind {kind!r} is taken or malformed")
            self.routes[kind] = handler
        self.fallback = fallback

    async def __call__(self, update: Update, context: QuizContext) -> None:
        data = update.callback_query.data or ""
        kind = data.split(":", 1)[0]
        await self.routes.get(kind, self.fallback)(update, context)
