"""Run the production Application in-process: real handlers, real SQLite, fake transport."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Config
from tests import backends, buttons, factories
from tests.buttons import Button, Matcher
from tests.factories import Person
from tests.fakes import Call, RecordingRequest

TOKEN = "123456:TEST-token-never-sent"


class Harness:
    """Feeds real Update objects to a running Application and exposes the recorded calls."""

    def __init__(self, app: Application, request: RecordingRequest, errors: list[BaseException]):
        self.app = app
        self.request = request
        self.errors = errors

    @property
    def bot(self) -> Any:
        return self.app.bot

    @property
    def repo(self) -> Any:
        return self.app.bot_data.repo

    async def process(self, update: Update) -> list[Call]:
        """Deliver `update` as production does (the update queue, then the application's own
        update processor) and wait until it has been handled; return the calls it made."""
        start = len(self.request.calls)
        await self.app.update_queue.put(update)
        await self.app.update_queue.join()
        return self.request.calls[start:]

    async def deliver(self, updates: list[Update]) -> list[Call]:
        """Deliver several updates at once, as a burst from Telegram, and wait for them all."""
        start = len(self.request.calls)
        for update in updates:
            await self.app.update_queue.put(update)
        await self.app.update_queue.join()
        return self.request.calls[start:]

    async def send(
        self, text: str, person: Person, chat_id: int | None = None, reply_to: dict | None = None
    ) -> list[Call]:
        return await self.process(factories.message(self.bot, text, person, chat_id, reply_to))

    def button(
        self,
        label: str | Matcher | None = None,
        *,
        chat_id: int,
        message_id: int | None = None,
        position: int | None = None,
        contains: bool = False,
        stale: bool = False,
    ) -> Button:
        """The button labelled `label` (equal, or containing it with `contains`; or a matcher
        such as `buttons.option(q, key)`), or at `position`, in the newest keyboard shown in
        `chat_id` that has it (or on message `message_id`). With `stale`, also the keyboards
        shown before: a late or repeated press from a screen that has not caught up.
        See tests/buttons.py."""
        return buttons.find(
            [*self.request.earlier, *self.request.calls],
            chat_id,
            label,
            message_id=message_id,
            position=position,
            contains=contains,
            stale=stale,
        )

    def tap_update(self, button: Button, person: Person, update_id: int | None = None) -> Update:
        """The callback query Telegram sends when `person` presses `button` (to replay it)."""
        return factories.callback(
            self.bot, button.data, person, button.chat_id, button.message_id, update_id
        )

    async def tap(
        self,
        person: Person,
        label: str | Matcher | Button | None = None,
        chat_id: int | None = None,
        message_id: int | None = None,
        *,
        contains: bool = False,
        position: int | None = None,
        stale: bool = False,
    ) -> list[Call]:
        """`person` presses a button the bot drew in `chat_id` (default: their private chat),
        found as `button()` finds it, or a `Button` found earlier (pressed again, maybe after
        its keyboard changed or the bot restarted). Returns the calls it caused."""
        if not isinstance(label, Button):
            chat = person.id if chat_id is None else chat_id
            label = self.button(
                label,
                chat_id=chat,
                message_id=message_id,
                position=position,
                contains=contains,
                stale=stale,
            )
        return await self.process(self.tap_update(label, person))

    async def start_bank(self, person: Person, bank_id: str) -> list[Call]:
        """/start in private, then the bank's button on the list it shows; returns the calls
        of the press (its last sendMessage is the first question)."""
        await self.send("/start", person)
        title = self.app.bot_data.banks[bank_id].title
        return await self.tap(person, f"{title} (", contains=True)

    async def press_data(
        self,
        data: str,
        person: Person,
        chat_id: int | None = None,
        message_id: int = 1,
        update_id: int | None = None,
    ) -> list[Call]:
        """A press carrying callback data the test wrote itself: only for forged data, or a
        button the bot never drew (an old version, another chat). Press what the bot drew
        with `tap`."""
        return await self.process(
            factories.callback(self.bot, data, person, chat_id, message_id, update_id)
        )

    def toast(self, calls: list[Call]) -> str:
        """The text of the single answerCallbackQuery among `calls` ('' when it had none)."""
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert len(answers) == 1, f"expected one answerCallbackQuery, got {len(answers)}"
        return str(answers[0].params.get("text", ""))


def make_config(tmp_path: Any, **overrides: Any) -> Config:
    values: dict[str, Any] = {
        "token": TOKEN,
        "db_path": tmp_path / "quiz.sqlite3",
        "database_url": backends.current,  # the test's PostgreSQL database, when it runs on one
    }
    values.update(overrides)
    return Config(**values)


@asynccontextmanager
async def running(
    config: Config,
    *,
    clock: Callable[[], datetime] | None = None,
    seed: int = 7,
    request: RecordingRequest | None = None,
    expect_errors: bool = False,
    **build: Any,
) -> AsyncIterator[Harness]:
    """Build with the production function, start like run_polling does, stop cleanly.

    Any handler exception fails the test, unless `expect_errors` (the test then checks
    `harness.errors` itself).
    """
    request = request or RecordingRequest()
    errors: list[BaseException] = []
    options: dict[str, Any] = {"request": request, "rate_limiter": None, "rng": random.Random(seed)}
    if clock is not None:
        options["clock"] = clock
    options.update(build)
    app = build_application(config, **options)

    async def collect(update: object, context: Any) -> None:
        errors.append(context.error)

    app.add_error_handler(collect)
    # The order run_polling uses: initialize, post_init, start; then stop, shutdown.
    await app.initialize()
    await app.post_init(app)
    await app.start()
    try:
        yield Harness(app, request, errors)
    finally:
        if app.running:
            await app.stop()
        await app.post_shutdown(app)
        await app.shutdown()
    assert expect_errors or not errors, f"handler errors: {errors!r}"
