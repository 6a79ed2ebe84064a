"""A slow acknowledgement does not hold up the class: the session's lock is not held for it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram.request import RequestData

from tests.fakes import RecordingRequest
from tests.harness import running
from tests.live_support import FakeClock, Room, live_config, make_class


class GatedAcks(RecordingRequest):
    """Holds the first student's answerCallbackQuery until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.held_user: int | None = None
        self.held_query: str | None = None
        self.holding = asyncio.Event()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        if url.endswith("/answerCallbackQuery") and self.held_user is not None:
            query_id = str(request_data.parameters["callback_query_id"])
            if query_id == self.held_query:
                self.holding.set()
                await self.gate.wait()
        return await super().do_request(url, method, request_data, *args, **kwargs)


async def test_second_answer_is_recorded_while_the_first_ack_is_in_flight(tmp_path: Path) -> None:
    clock = FakeClock()
    first, second, third = make_class(3)
    request = GatedAcks()
    async with running(live_config(tmp_path), clock=clock, request=request) as h:
        room = Room(h, clock)
        s = await room.begin("facts", (first, second, third))
        key = s.current.order[0]
        press_a = h.tap_update(await room.option(key), first)
        request.held_user, request.held_query = first.id, press_a.callback_query.id
        await h.app.update_queue.put(press_a)
        await asyncio.wait_for(request.holding.wait(), timeout=5)
        # The first toast is stuck in flight; another student's press must still go through.
        await h.app.update_queue.put(h.tap_update(await room.option(key), second))

        async def both_recorded() -> set[int]:
            while True:
                answered = {a.user_id for a in await h.repo.live_answers(s.id, s.position)}
                if second.id in answered:
                    return answered
                await asyncio.sleep(0.01)

        assert await asyncio.wait_for(both_recorded(), timeout=5) == {first.id, second.id}
        request.gate.set()
        await asyncio.wait_for(h.app.update_queue.join(), timeout=5)
        toasts = [
            c
            for c in h.request.of("answerCallbackQuery")
            if c.params["callback_query_id"] == press_a.callback_query.id
        ]
        assert len(toasts) == 1 and toasts[0].params.get("text")
