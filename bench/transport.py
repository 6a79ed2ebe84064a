"""A lean in-process Bot API for the benchmark: answers at once, keeps counts, not calls.

It reuses the test fake's answers (tests/fakes.py) but stores no call list, so memory measures
the bot and not the recorder.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from tests.fakes import Call, RecordingRequest


class InstantRequest(RecordingRequest):
    """Counts calls per method and per chat; timestamps every answerCallbackQuery."""

    def __init__(self) -> None:
        super().__init__()
        self.per_method: Counter[str] = Counter()
        self.per_chat: Counter[int] = Counter()
        self.acked: dict[str, float] = {}
        self.waiting: set[str] = set()
        self.all_acked: asyncio.Event | None = None

    def expect(self, query_ids: set[str]) -> asyncio.Event:
        """An event set once every one of these callback queries has been answered."""
        self.waiting = set(query_ids) - set(self.acked)
        self.all_acked = asyncio.Event()
        if not self.waiting:
            self.all_acked.set()
        return self.all_acked

    def record(self, call: Call) -> None:
        """Count the call instead of keeping it; timestamp acknowledgements."""
        self.per_method[call.method] += 1
        if call.chat_id is not None:
            self.per_chat[call.chat_id] += 1
        if call.method == "answerCallbackQuery":
            query_id = str(call.params["callback_query_id"])
            self.acked[query_id] = time.perf_counter()
            self.waiting.discard(query_id)
            if not self.waiting and self.all_acked is not None:
                self.all_acked.set()
