"""Every bot command in one table: its handler in private chats and in groups, and the menus
that list it. bot/app.py registers the handlers and publishes the menus from it; the menus'
descriptions are in bot/texts.py (PRIVATE_COMMANDS, GROUP_COMMANDS), keyed by command.

A command handled in a chat type its menu does not list answers there with a short refusal
(/score in a group, /quiz in private), so a student who types it still learns where it works.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import QuizContext
from bot.handlers import articles as article_handlers
from bot.handlers import ask as ask_handlers
from bot.handlers import general, homework, privacy, reports, review
from bot.handlers import live as live_handlers

Handler = Callable[[Update, QuizContext], Awaitable[None]]


async def private_only(update: Update, context: QuizContext) -> None:
    """Personal commands stay out of groups, so nobody's results are shown to the class."""
    await update.effective_message.reply_text(texts.PRIVATE_ONLY)


class Menu(Enum):
    """A command menu Telegram shows, by the chats it is shown in."""

    PRIVATE = "private chats"
    GROUPS = "groups"


SCOPES: dict[Menu, BotCommandScope] = {
    Menu.PRIVATE: BotCommandScopeAllPrivateChats(),
    Menu.GROUPS: BotCommandScopeAllGroupChats(),
}
DESCRIPTIONS: dict[Menu, Mapping[str, str]] = {
    Menu.PRIVATE: texts.PRIVATE_COMMANDS,
    Menu.GROUPS: texts.GROUP_COMMANDS,
}


@dataclass(frozen=True)
class Command:
    """One command. `private` and `groups` handle it in those chats; `anywhere` in any chat
    (and then neither of the others is set). `link` takes a private /start with a homework
    code before `private` sees it."""

    name: str
    menus: tuple[Menu, ...] = ()
    private: Handler | None = None
    groups: Handler | None = None
    anywhere: Handler | None = None
    link: tuple[str, Handler] | None = None


P, G = Menu.PRIVATE, Menu.GROUPS
# In menu order: each menu lists its commands in the order they appear here.
COMMANDS: tuple[Command, ...] = (
    # A homework deep link (/start hw-…) before the plain /start.
    Command(
        "start",
        (P,),
        private=general.start,
        groups=general.group_start,
        link=(homework.START_PATTERN, homework.open_link),
    ),
    Command("score", (P,), private=general.score, groups=private_only),
    # Live group sessions (bot/handlers/live.py).
    Command("quiz", (G,), private=live_handlers.group_only, groups=live_handlers.quiz),
    Command(
        "leaderboard", (G,), private=live_handlers.group_only, groups=live_handlers.leaderboard
    ),
    Command("article", (P, G), anywhere=article_handlers.article),
    # Discussion: the article's nearest sentences to a question, anywhere.
    Command("ask", (P, G), anywhere=ask_handlers.ask),
    Command("cancel", (P,), private=general.cancel, groups=private_only),
    Command("help", (P, G), anywhere=general.help_command),
    # Teachers: homework links, exports, charts, statistics; /forgetme for everyone.
    Command("homework", (G,), private=homework.group_only, groups=homework.post_homework),
    Command("export", (P, G), anywhere=reports.export_command),
    Command("report", (P, G), anywhere=reports.report_command),
    Command("stats", (P, G), anywhere=reports.stats_command),
    Command("forgetme", (P,), private=privacy.forgetme, groups=private_only),
    # Spaced review: its settings and start.
    Command("review", (P,), private=review.review_command, groups=private_only),
)


def handlers() -> list[BaseHandler]:
    """A CommandHandler for each command and chat type. None of them overlap but a /start with
    a homework code, which goes first."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    found: list[BaseHandler] = []
    for c in COMMANDS:
        if c.link is not None:
            pattern, handler = c.link
            found.append(CommandHandler(c.name, handler, private & filters.Regex(pattern)))
        if c.private is not None:
            found.append(CommandHandler(c.name, c.private, private))
        if c.groups is not None:
            found.append(CommandHandler(c.name, c.groups, groups))
        if c.anywhere is not None:
            found.append(CommandHandler(c.name, c.anywhere))
    return found


def menu(which: Menu) -> list[BotCommand]:
    """The commands one menu lists, with their Arabic descriptions."""
    return [BotCommand(c.name, DESCRIPTIONS[which][c.name]) for c in COMMANDS if which in c.menus]
