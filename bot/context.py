"""Typed callback context: handlers reach the services as context.repo, context.banks, …"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from telegram.ext import Application, CallbackContext

from bot.admin_cache import AdminCache
from bot.api import QuizBot
from bot.config import Config
from bot.formatting import Formatter
from bot.live.runtime import LiveRuntime
from bot.review_runtime import ReviewRuntime
from quizzes.article import Article
from quizzes.ask import ArticleIndex
from quizzes.errors import UnknownBank
from quizzes.model import Bank
from storage.lease import Lease
from storage.repository import Repository


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """What handlers need, created once in build_application (PTB instantiates it empty)."""

    config: Config | None = None
    repo: Repository | None = None
    banks: dict[str, Bank] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)  # by article id
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], datetime] = utc_now
    admin_cache: AdminCache = field(default_factory=lambda: AdminCache())
    live: LiveRuntime = field(default_factory=LiveRuntime)
    ask_index: dict[str, ArticleIndex] = field(default_factory=dict)  # by article id, on first use
    review: ReviewRuntime = field(default_factory=ReviewRuntime)
    fmt: Formatter = field(default_factory=Formatter)  # numbers in the configured digits
    # Held before anything else starts: the standby of a fail-over pair waits here.
    lease: Lease = field(default_factory=Lease)


class QuizContext(CallbackContext[QuizBot, dict, dict, Services]):
    """CallbackContext with typed access to our services."""

    @property
    def services(self) -> Services:
        return self.bot_data

    @property
    def repo(self) -> Repository:
        assert self.bot_data.repo is not None, "repository is opened in post_init"
        return self.bot_data.repo

    @property
    def banks(self) -> dict[str, Bank]:
        return self.bot_data.banks

    def article_for(self, bank: Bank) -> Article:
        """The article a bank was written from."""
        return self.bot_data.articles[bank.article_id]

    @property
    def config(self) -> Config:
        assert self.bot_data.config is not None
        return self.bot_data.config

    @property
    def fmt(self) -> Formatter:
        """Numbers and counted nouns in the configured digit style."""
        return self.bot_data.fmt

    def now(self) -> datetime:
        return self.bot_data.clock()

    def bank(self, bank_id: str) -> Bank:
        try:
            return self.bot_data.banks[bank_id]
        except KeyError:
            raise UnknownBank(bank_id) from None


QuizApp = Application[QuizBot, QuizContext, dict, dict, Services, object]
