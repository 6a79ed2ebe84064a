"""The bot's clock: UTC time that follows the wall clock but never jumps with it.

Deadlines (a live question's end, a lobby's countdown, a homework's due date) are stored as
absolute UTC times, the only base that survives a restart. While the process runs, though, the
wall clock can be stepped: NTP correcting it, an operator, a virtual machine resumed. Read
directly, a step forward would end an open question early and a step backward would keep it open
for as long as the step.

SteadyClock starts at the wall clock and then advances with the system's monotonic clock (boot
time, so a suspended machine still counts the time it slept). A difference with the wall clock is
absorbed slowly, by at most `slew` (1%) of the elapsed time, the way NTP slews: a 30-second question
lasts 30 +/- 0.3 seconds whatever the wall clock does meanwhile, the clock never goes backwards,
and after a step it comes back to the wall clock by itself (a 10-second step in 1000 seconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _boot_seconds() -> float:
    """Seconds on a clock no one can set, counting suspend where the system can (Linux)."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def _wall() -> datetime:
    return datetime.now(UTC)


class SteadyClock:
    """A callable returning the current UTC time, steady across wall-clock steps."""

    def __init__(
        self,
        wall: Callable[[], datetime] = _wall,
        ticks: Callable[[], float] | None = None,
        slew: float = 0.01,
    ) -> None:
        self._wall = wall
        self._ticks = ticks or (
            _boot_seconds if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic
        )
        self._slew = slew
        self._lock = threading.Lock()  # cheap insurance: a worker thread may read it too
        self._at = self._ticks()
        self._now = wall()

    def __call__(self) -> datetime:
        with self._lock:
            ticks = self._ticks()
            elapsed = max(0.0, ticks - self._at)
            steady = self._now + timedelta(seconds=elapsed)
            gap = (self._wall() - steady).total_seconds()
            limit = elapsed * self._slew
            steady += timedelta(seconds=min(max(gap, -limit), limit))
            self._at, self._now = ticks, steady
            return steady
