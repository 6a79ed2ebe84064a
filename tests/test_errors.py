"""Failures: a handler error is logged with its update and the user gets a short apology."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import texts
from bot.redaction import setup_logging
from tests.factories import Person
from tests.fakes import Call
from tests.harness import make_config, running
from tests.log_support import own_log

STUDENT = Person(7001, "نور")


def refuse_send(call: Call) -> tuple[int, dict] | None:
    if call.method == "sendMessage" and "السؤال" in call.text:
        return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    return None


async def test_handler_error_is_logged_and_user_gets_an_apology(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(make_config(tmp_path), expect_errors=True) as h:
        h.request.responders.append(refuse_send)
        with caplog.at_level(logging.ERROR, logger="bot.errors"):
            calls = await h.start_bank(STUDENT, "facts")
        assert len(h.errors) == 1 and "chat not found" in str(h.errors[0]).lower()
        apologies = [c for c in calls if c.method == "answerCallbackQuery"]
        # The button was acknowledged first; the apology reaches the user as a message.
        assert any(c.text == texts.APOLOGY for c in calls if c.method == "sendMessage") or any(
            c.params.get("text") == texts.APOLOGY for c in apologies
        )
        record = next(r for r in caplog.records if r.name == "bot.errors")
        assert f"user={STUDENT.id}" in record.getMessage() and record.exc_info
        # The attempt was created before the failure and is still there to continue.
        assert await h.repo.active_attempt(STUDENT.id, STUDENT.id) is not None


async def test_token_never_appears_in_any_call_or_log(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    with own_log() as stream:
        setup_logging("DEBUG", config.token, stream=stream)
        async with running(config) as h:
            await h.start_bank(STUDENT, "facts")
            sent = repr([c.params for c in h.request.calls])
    assert config.token not in sent
    logged = stream.getvalue()
    assert "Set Bot API URL: https://api.telegram.org/bot<token>" in logged
    assert config.token not in logged
