"""Shared fixtures: a running bot over a temporary SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import eventloop
from tests.harness import Harness, make_config, running


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(make_config(tmp_path)) as h:
        yield h


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict:
    """The tests run on the loop production runs on (bot/eventloop.py)."""
    return {eventloop.NAME: eventloop.new_loop}
