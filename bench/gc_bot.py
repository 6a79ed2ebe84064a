"""`quizbot run` with one addition for the memory benchmark: on SIGUSR1, a full garbage
collection, then the file named by BENCH_GC_DONE is written, so the benchmark reads the
resident memory of live objects only, and knows when to read it."""

from __future__ import annotations

import gc
import os
import signal
import time
from pathlib import Path
from types import FrameType

from bot.launcher import main


def _collect(signum: int, frame: FrameType | None) -> None:
    gc.collect()
    Path(os.environ["BENCH_GC_DONE"]).write_text(str(time.monotonic()))


if __name__ == "__main__":
    signal.signal(signal.SIGUSR1, _collect)
    raise SystemExit(main(["run"]))
