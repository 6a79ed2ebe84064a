"""The people of the real-HTTP benchmarks: a class playing a live session, a student alone.

Each finds its buttons by their labels in the keyboards the bot drew, and presses them with
their data, as a Telegram client would. Timings (how long a student thinks, reads) are drawn
from the benchmark's seeded random generator.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.client import PRIVATE_CONTROL_LABELS, TEACHER, Players, Press, student
from bot import texts

FIRST_GROUP = -1_000_000
FIRST_STUDENT = 10_000


def group_chat(number: int) -> int:
    return FIRST_GROUP - number


@dataclass
class Toasts:
    """Every press pushed, with its kind, so the presses scheduled within a window can be cut
    out and timed, the slow ones included: a window's figures wait for its last toast."""

    pressed: list[tuple[Press, str]] = field(default_factory=list)  # kind: "live", "private"
    # A private "next" press's scheduled moment, and the seconds until the next question was
    # drawn: the rate limiter holds messages back rather than draw a 429, so an overloaded
    # token shows here, not in the toasts.
    next_question: list[tuple[float, float]] = field(default_factory=list)

    async def wait(self, players: Players, press: Press, kind: str) -> None:
        self.pressed.append((press, kind))
        await players.toast(press)

    async def between(
        self, players: Players, start: float, end: float, within: float = 60.0
    ) -> dict[str, list[float]]:
        """Press-to-toast seconds of the presses scheduled in [start, end), by kind; the
        presses still unanswered `within` seconds later are counted under "unanswered"."""
        out: dict[str, list[float]] = {"live": [], "private": [], "unanswered": []}
        for press, kind in list(self.pressed):
            if start <= press.at < end:
                try:
                    out[kind].append(await players.toast(press, within))
                except TimeoutError:
                    out["unanswered"].append(press.at)
        return out


class LiveClass:
    """One group: its teacher opens a bank with /quiz, its students join, the teacher starts."""

    def __init__(self, players: Players, number: int, students: int, title: str) -> None:
        self.players = players
        self.chat = group_chat(number)
        base = FIRST_STUDENT + number * 1000
        self.students = [student(base + i) for i in range(students)]
        self.title = title
        self.last = 0  # the newest question (or lobby) message dealt with

    async def open(self) -> None:
        """From /quiz to the first question on the screen."""
        players, chat = self.players, self.chat
        players.command(chat, "/quiz")
        mid, data = await players.until(lambda: players.drawn(chat, self.title), "the bank list")
        players.press(chat, TEACHER, mid, data)
        lobby, join = await players.until(
            lambda: players.drawn(chat, texts.LIVE_BUTTON_JOIN, mid - 1), "the lobby"
        )
        await players.acks([players.press(chat, s, lobby, join) for s in self.students])
        mid, data = await players.until(
            lambda: players.drawn(chat, texts.LIVE_BUTTON_START, lobby - 1), "the start button"
        )
        players.press(chat, TEACHER, mid, data)
        self.last = lobby

    def question(self) -> tuple[int, str] | None:
        """The question message newer than the last one dealt with, once the bot drew it."""
        players, chat = self.players, self.chat
        return players.drawn(chat, texts.LIVE_BUTTON_REVEAL, self.last) or players.drawn(
            chat, texts.LIVE_BUTTON_CLOSE_VOTE, self.last
        )

    def plan(
        self,
        message_id: int,
        start: float,
        window: float,
        rng: random.Random,
        buttons: tuple[list[str], str | None] | None = None,
    ) -> list[tuple[float, dict[str, Any], str]]:
        """Every student's press on this question, at a random moment in the window: on the
        `buttons` seen when the question appeared, or those on it now."""
        options, confirm = buttons or self.players.options(self.chat, message_id)
        plan = []
        for s in self.students:
            at = start + rng.uniform(0, window)
            if options:
                plan.append((at, s, rng.choice(options)))
                if confirm:
                    plan.append((at + 0.3, s, confirm))
        return plan

    async def revealed(self, message_id: int, within: float = 120.0) -> tuple[int, str]:
        players, chat = self.players, self.chat
        return await players.until(
            lambda: players.drawn(chat, texts.LIVE_BUTTON_NEXT, message_id - 1),
            "the reveal",
            within,
        )

    async def play(
        self,
        rng: random.Random,
        toasts: Toasts,
        running: Callable[[], bool],
        answer_within: tuple[float, float] = (18.0, 24.0),
        delay: float = 0.0,
    ) -> None:
        """After `delay` seconds, play question after question until `running()` turns false:
        every student answers within a window drawn from `answer_within` seconds, and the bot
        reveals and moves on by its own timers. A finished quiz is opened again."""
        await asyncio.sleep(delay)
        await self.open()
        while running():
            try:
                mid, _ = await self.players.until(self.question, "a question", 90.0, every=0.1)
            except TimeoutError:  # the bank has run out: the session ended; start another
                await self.open()
                continue
            window = rng.uniform(*answer_within)
            plan = self.plan(mid, time.monotonic() + 2.0, window - 2.0, rng)
            self.last = mid
            presses = [self.players.press_at(at, self.chat, s, mid, data) for at, s, data in plan]
            for press in asyncio.as_completed(presses):
                await toasts.wait(self.players, await press, "live")

    async def stop(self) -> None:
        found = self.players.drawn(self.chat, texts.LIVE_BUTTON_STOP)
        if found:
            self.players.press(self.chat, TEACHER, *found)


class PrivateStudent:
    """A student alone with the bot: a bank, then question after question, each answered after
    some thought and left after reading the feedback."""

    def __init__(self, players: Players, number: int, title: str) -> None:
        self.players = players
        self.user = student(500_000 + number)
        self.chat = self.user["id"]
        self.title = title
        self.last = 0

    async def choose_bank(self, after: int = 0) -> None:
        players, chat = self.players, self.chat
        mid, data = await players.until(
            lambda: players.drawn(chat, self.title, after), "the bank list", every=0.05
        )
        self.last = mid
        players.press(chat, self.user, mid, data)

    async def begin(self) -> None:
        self.players.command(self.chat, "/start", self.user)
        await self.choose_bank()

    def question(self) -> tuple[int, list[str], str | None] | None:
        markups = self.players.stub.markups.get(self.chat, {})
        for message_id in sorted(markups, reverse=True):
            if message_id <= self.last:
                break
            options, confirm = self.players.options(self.chat, message_id, PRIVATE_CONTROL_LABELS)
            if options:
                return message_id, options, confirm
        return None

    def next_button(self, message_id: int) -> tuple[int, str, bool] | None:
        players, chat = self.players, self.chat
        found = players.drawn(chat, texts.BUTTON_NEXT, message_id - 1)
        if found:
            return found[0], found[1], False
        found = players.drawn(chat, texts.BUTTON_RESULTS, message_id - 1)
        return (found[0], found[1], True) if found else None

    async def answer_one(
        self,
        rng: random.Random,
        toasts: Toasts,
        think: tuple[float, float] = (4.0, 10.0),
        read: tuple[float, float] = (4.0, 8.0),
    ) -> None:
        """Answer the question on the screen, read the feedback, press "next"."""
        players, chat = self.players, self.chat
        mid, options, confirm = await players.until(self.question, "a question", every=0.05)
        self.last = mid
        at = time.monotonic() + rng.uniform(*think)
        press = await players.press_at(at, chat, self.user, mid, options[0])
        await toasts.wait(players, press, "private")
        if confirm:
            at = time.monotonic() + 0.5
            press = await players.press_at(at, chat, self.user, mid, confirm)
            await toasts.wait(players, press, "private")
        feedback, data, last = await players.until(
            lambda: self.next_button(mid), "the feedback", every=0.05
        )
        at = time.monotonic() + rng.uniform(*read)
        press = await players.press_at(at, chat, self.user, feedback, data)
        await toasts.wait(players, press, "private")
        self.last = feedback
        if not last:
            await players.until(self.question, "the next question", every=0.01)
            toasts.next_question.append((at, time.monotonic() - at))
        if last:
            summary, again = await players.until(
                lambda: players.drawn(chat, texts.BUTTON_BANKS, feedback), "the summary"
            )
            # A student reads the summary, then the list of banks, before starting again.
            await asyncio.sleep(rng.uniform(*read))
            players.press(chat, self.user, summary, again)
            await asyncio.sleep(rng.uniform(*read))
            await self.choose_bank(summary)

    async def study(
        self,
        rng: random.Random,
        toasts: Toasts,
        running: Callable[[], bool],
        delay: float = 0.0,
    ) -> None:
        """After `delay` seconds, question after question until `running()` turns false."""
        await asyncio.sleep(delay)
        await self.begin()
        while running():
            await self.answer_one(rng, toasts)
