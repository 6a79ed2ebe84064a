"""The review job's pacing and state, held by the application's services."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

REMINDER_RATE = 20.0  # daily messages per second, of the token's 30


class Pacer:
    """Hands out send slots at most `rate` per second, on an injectable clock and sleep (so
    tests and the bench can run it on virtual time)."""

    def __init__(
        self,
        rate: float = REMINDER_RATE,
        monotonic: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.gap = 1.0 / rate
        self._monotonic = monotonic or (lambda: asyncio.get_running_loop().time())
        self._sleep = sleep
        self._next: float | None = None

    async def slot(self) -> None:
        now = self._monotonic()
        at = now if self._next is None else max(now, self._next)
        self._next = at + self.gap
        if at > now:
            await self._sleep(at - now)


@dataclass
class ReviewRuntime:
    """The review job's state for one application."""

    pacer: Pacer = field(default_factory=Pacer)
    running: asyncio.Lock = field(default_factory=asyncio.Lock)
