"""The log formatter: no secret gets through any part of a record, and no log call raises."""

from __future__ import annotations

import logging
import subprocess
import sys
import traceback

from bot.redaction import RedactingFormatter, redact, remember, setup_logging
from tests.log_support import own_log
from tests.paths import ROOT

TOKEN = "987654321:AAF-secret_Part-of-the-token"
ID, SECRET = TOKEN.split(":")
ENCODED = TOKEN.replace(":", "%3A")


def leaks(text: str) -> list[str]:
    return [part for part in (TOKEN, SECRET, ENCODED) if part in text]


def record(**fields: object) -> logging.LogRecord:
    values: dict = {"msg": "hello", "args": (), "exc_info": None} | fields
    return logging.LogRecord("quizbot", logging.ERROR, __file__, 1, **values)


def test_every_part_of_a_record_is_redacted() -> None:
    with own_log():
        remember(TOKEN)
        try:
            raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
        except ValueError as error:
            exc_info = (type(error), error, error.__traceback__)
        stack = "".join(traceback.format_stack()) + f"  url = 'https://x/bot{ENCODED}/getMe'\n"
        formatter = RedactingFormatter("%(message)s")
        cases = {
            "msg": record(msg=f"GET https://api.telegram.org/bot{TOKEN}/getMe"),
            "args": record(msg="token %s, secret %r", args=(TOKEN, SECRET)),
            "dict args": record(msg="%(url)s", args=({"url": f"/bot{ENCODED}/x"},)),
            "exc_info": record(exc_info=exc_info),
            "stack_info": record(sinfo=stack),
        }
        for name, case in cases.items():
            text = formatter.format(case)
            assert not leaks(text), (name, text)
            assert "<token>" in text, name
        # Formatting caches the traceback on the record: a second handler must not get it clear.
        assert not leaks(cases["exc_info"].exc_text or "")


def test_a_malformed_log_call_becomes_one_line_not_an_exception() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

        def __repr__(self) -> str:
            raise RuntimeError("no")

    with own_log() as stream:
        handler = setup_logging("INFO", TOKEN, stream=stream)
        # Only our handler: pytest's own capture would raise on these records.
        log = logging.getLogger("quizbot.test.malformed")
        log.propagate = False
        log.addHandler(handler)
        try:
            log.info("%s and %s", TOKEN)  # one argument short
            log.info("%d", "not a number")
            log.info("%s", Unprintable())
            log.info("still logging")
        finally:
            log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4, lines
    assert all("unformattable log call" in line for line in lines[:3]), lines
    assert "<unprintable Unprintable>" in lines[2] and lines[3].endswith("still logging")
    assert not leaks(stream.getvalue())


def test_the_secret_half_alone_and_other_secrets_are_redacted() -> None:
    with own_log():
        remember(TOKEN, "webhook-secret-value")
        assert redact(f"{SECRET} webhook-secret-value") == "<token> <secret>"
        # The bot id is public (every user sees it); only the whole token and its secret go.
        assert redact(f"bot id {ID}") == f"bot id {ID}"


def test_short_secrets_are_not_redacted_everywhere() -> None:
    with own_log():
        remember("ab", "x")
        assert redact("a bxab") == "a bxab"


LEAKY_PROCESS = f"""
import logging, sys, warnings
from bot.redaction import setup_logging
setup_logging("INFO", {TOKEN!r})
warnings.warn("a warning about {TOKEN}")
logging.getLogger("x").error("failed", exc_info=ValueError("{TOKEN}"), stack_info=True)
logging.getLogger("x").info("%s %s", "one")
closed = open("/dev/null", "w")
closed.close()
setup_logging("INFO", stream=closed)
logging.getLogger("x").error("to a closed stream: %s", "{TOKEN}")
print("done")
"""


def test_a_whole_process_writes_no_secret() -> None:
    """Warnings go through logging, and a handler that cannot write reports it in one line."""
    result = subprocess.run(
        [sys.executable, "-c", LEAKY_PROCESS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0 and result.stdout == "done\n", output
    assert not leaks(output), output
    assert "py.warnings" in output and "a warning about <token>" in output
    assert "--- Logging error ---" not in output
    assert "logging failed: ValueError" in output
