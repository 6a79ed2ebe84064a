"""The bot runs on uvloop where it is installed, and so do these tests."""

from __future__ import annotations

import asyncio

from bot import eventloop


async def test_the_tests_run_on_the_production_loop() -> None:
    loop = asyncio.get_running_loop()
    assert type(loop).__module__.split(".")[0] == eventloop.NAME
    assert eventloop.NAME == "uvloop"  # installed with the project on Linux (pyproject.toml)


def test_install_makes_new_loops_of_that_kind() -> None:
    before = asyncio.get_event_loop_policy()
    try:
        assert eventloop.install() == "uvloop"
        loop = asyncio.new_event_loop()
        try:
            assert type(loop).__module__.split(".")[0] == "uvloop"
        finally:
            loop.close()
    finally:
        asyncio.set_event_loop_policy(before)
