"""The bot's clock: UTC time that follows the wall clock without jumping at small steps.

Deadlines (a live question's end, a lobby's countdown, a homework's due date) are stored as
absolute UTC times, the only base that survives a restart. While the process runs, though, the
wall clock can be stepped: NTP correcting it, an operator, a virtual machine resumed. Read
directly, a step forward would end an open question early and a step backward would keep it open
for as long as the step.

SteadyClock starts at the wall clock and then advances with the system's monotonic clock (boot
time, so a suspended machine still counts the time it slept). A difference with the wall clock
of up to STEP_OVER (60 s) is absorbed slowly, by at most `slew` (1%) of the elapsed time, the
way NTP slews: a 30-second question lasts 30 +/- 0.3 seconds whatever the wall clock does
meanwhile, and the clock never goes backwards.

A larger difference is not slewed: the clock is set to the wall clock at once, with a WARNING in
the log. Slewing has to stop somewhere, because at 1% a step of one hour takes a hundred hours to
absorb, and every time stored meanwhile (answers, ends of sessions, homework deadlines) would be
off by up to that hour. The threshold is a minute because the bot shows and exports times to the
minute: a difference under a minute is invisible, and it is gone within STEP_OVER / slew (100
minutes). A difference over a minute would be visible, for hours. Its cost, stepped: a question
open at that moment ends early (or runs long) by the step; the stored step of the session still
lets each transition happen once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

log = logging.getLogger(__name__)

SLEW = 0.01
STEP_OVER = 60.0  # seconds: a difference with the wall clock beyond this is stepped, not slewed


def _boot_seconds() -> float:
    """Seconds on a clock no one can set, counting suspend where the system can (Linux)."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def _wall() -> datetime:
    return datetime.now(UTC)


class SteadyClock:
    """A callable returning the current UTC time, steady across small wall-clock steps."""

    def __init__(
        self,
        wall: Callable[[], datetime] = _wall,
        ticks: Callable[[], float] | None = None,
        slew: float = SLEW,
        step_over: float = STEP_OVER,
    ) -> None:
        self._wall = wall
        self._ticks = ticks or (
            _boot_seconds if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic
        )
        self._slew = slew
        self._step_over = step_over
        self._lock = threading.Lock()  # cheap insurance: a worker thread may read it too
        self._at = self._ticks()
        self._now = wall()

    def __call__(self) -> datetime:
        with self._lock:
            ticks = self._ticks()
            elapsed = max(0.0, ticks - self._at)
            steady = self._now + timedelta(seconds=elapsed)
            wall = self._wall()
            gap = (wall - steady).total_seconds()
            if abs(gap) > self._step_over:
                log.warning(
                    "the wall clock moved %+.0f s against the bot's clock; following it at once "
                    "(differences over %.0f s are not slewed): an open live question may end "
                    "early or run long by that much",
                    gap,
                    self._step_over,
                )
                steady = wall
            else:
                limit = elapsed * self._slew
                steady += timedelta(seconds=min(max(gap, -limit), limit))
            self._at, self._now = ticks, steady
            return steady
