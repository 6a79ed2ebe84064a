"""Shared fixtures: a running bot over a temporary database, on SQLite and on PostgreSQL.

Every test that can reach the database runs twice, once per backend (the `backend` fixture).
A test can reach it when it takes `tmp_path` and its module builds a repository or a running
bot. Tests of what only SQLite has (its files, pragmas, worker thread) are marked
`sqlite_only`, and those that need a PostgreSQL server whatever else they do,
`postgresql_only`. Without a PostgreSQL server the PostgreSQL runs are skipped, saying why; under
CI (the CI variable set) they fail instead, so CI can never pass without them.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from functools import cache
from pathlib import Path

import pytest

from bot import eventloop
from tests import backends
from tests.harness import Harness, make_config, running

BACKENDS = ("sqlite", "postgresql")
# What in a test module's source means that its tests may use the database.
USES_DATABASE = ("Repository(", "running(", "harness", "make_config(")


@cache
def _module_uses_database(path: str) -> bool:
    source = Path(path).read_text(encoding="utf-8")
    return any(marker in source for marker in USES_DATABASE)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames or "tmp_path" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if metafunc.definition.get_closest_marker("postgresql_only"):
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
        return
    if not _module_uses_database(str(metafunc.module.__file__)):
        return
    metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        yield name
        return
    try:
        server = backends.server()
    except RuntimeError as error:
        server, reason = None, str(error)
    else:
        reason = "PostgreSQL is not installed here (no pg_ctl or pg_config on PATH)"
    if server is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs every test on PostgreSQL too: {reason}")
        pytest.skip(f"{reason}; set {backends.ENV} to run these on a server of yours")
    fresh = request.node.get_closest_marker("fresh_database") is not None
    url = backends._on_own_loop(backends.create_database if fresh else backends.shared_database)
    backends.current = url
    try:
        yield name
    finally:
        backends.current = None
        if fresh:
            backends._on_own_loop(lambda: backends.drop_database(url))


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(make_config(tmp_path)) as h:
        yield h


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict:
    """The tests run on the loop production runs on (bot/eventloop.py)."""
    return {eventloop.NAME: eventloop.new_loop}
