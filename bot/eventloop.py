"""The event loop the bot runs on: uvloop where it is installed, else asyncio's own.

Every press is a few tasks, futures and thread hand-offs on the loop; uvloop does that work in
C. In the benchmark's default scenario it processed 11% more answers per second (1,606 against
1,445 on asyncio's loop; bench/run.py --asyncio-loop). It has no Windows build, so there the
bot runs on asyncio's loop, unchanged. The tests run on the same loop (tests/conftest.py).
"""

from __future__ import annotations

import asyncio

try:
    import uvloop
except ImportError:  # Windows
    uvloop = None

NAME = "uvloop" if uvloop is not None else "asyncio"


def new_loop() -> asyncio.AbstractEventLoop:
    """A new event loop of the kind the bot runs on."""
    return uvloop.new_event_loop() if uvloop is not None else asyncio.new_event_loop()


def install() -> str:
    """Make the loops PTB creates (run_polling, run_webhook) uvloop's; returns the loop's name."""
    if uvloop is not None:
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return NAME
