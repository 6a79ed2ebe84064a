"""The table of commands (bot/commands.py): every registered CommandHandler comes from it, each
menu Telegram is given lists what it says in its order with the Arabic descriptions, and the
texts, the menus and /help name no command the table does not handle."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from telegram.ext import CommandHandler

from bot import commands, texts
from bot.app import build_application
from bot.commands import COMMANDS, Menu, private_only
from bot.handlers import homework
from bot.handlers.live import group_only
from tests.harness import Harness, make_config

REFUSALS = (private_only, group_only, homework.group_only)
SCOPES = {"all_private_chats": Menu.PRIVATE, "all_group_chats": Menu.GROUPS}


def test_every_registered_command_handler_is_in_the_table_and_back(tmp_path: Path) -> None:
    app = build_application(make_config(tmp_path))
    registered = Counter(
        (name, handler.callback)
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    )
    expected = Counter(
        (c.name, handler)
        for c in COMMANDS
        for handler in (c.link[1] if c.link else None, c.private, c.groups, c.anywhere)
        if handler is not None
    )
    assert registered == expected
    assert len({c.name for c in COMMANDS}) == len(COMMANDS)


def test_a_command_is_handled_in_one_way_per_chat_type() -> None:
    for c in COMMANDS:
        if c.anywhere is not None:
            assert c.private is None and c.groups is None, c.name
        else:
            assert c.private is not None and c.groups is not None, c.name


def test_a_menu_lists_only_commands_that_work_in_its_chats() -> None:
    for c in COMMANDS:
        for menu in c.menus:
            handler = c.anywhere or (c.private if menu is Menu.PRIVATE else c.groups)
            assert handler not in REFUSALS, (c.name, menu)


def test_the_descriptions_are_those_of_the_menus_commands() -> None:
    for menu, descriptions in commands.DESCRIPTIONS.items():
        assert list(descriptions) == [c.name for c in COMMANDS if menu in c.menus], menu


async def test_each_menu_scope_lists_what_the_table_says(harness: Harness) -> None:
    published = {SCOPES[c.params["scope"]["type"]]: c for c in harness.request.of("setMyCommands")}
    assert set(published) == set(Menu)
    for menu, call in published.items():
        listed = [(c["command"], c["description"]) for c in call.params["commands"]]
        table = [c.name for c in COMMANDS if menu in c.menus]
        assert listed == [(name, commands.DESCRIPTIONS[menu][name]) for name in table]


def test_help_names_only_commands_that_work_in_private_chats() -> None:
    named = set(re.findall(r"(?<![<\w])/([a-z]+)", texts.HELP))
    working = {c.name for c in COMMANDS if c.anywhere or c.private not in (None, *REFUSALS)}
    assert named and named <= working
