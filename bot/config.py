"""Configuration: one frozen dataclass read from the environment, once, at startup."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_path

from quizzes.content import ContentFolders, combine, shipped_banks, shipped_seeds
from storage.urls import is_postgres, redact

# The source checkout this module was imported from. Only meaningful in a checkout (the tests
# find README.md there); the shipped banks and article are found through quizzes.content.
# Absolute, so that starting the bot from another folder never opens a new, empty database.
DEFAULT_DB = user_data_path("quizbot", appauthor=False) / "quizbot.sqlite3"
DEFAULT_BANKS = shipped_banks()
DEFAULT_SEEDS = shipped_seeds()
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# The Bot API clients QUIZBOT_HTTP may name (bot/http.py builds them).
HTTP_CLIENTS = ("aiohttp", "httpx")
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def content_dirs(env: Mapping[str, str] | None = None) -> tuple[Path, Path]:
    """The banks folder and the seeds folder: QUIZBOT_BANKS and QUIZBOT_SEEDS, or the shipped."""
    env = os.environ if env is None else env
    banks = env.get("QUIZBOT_BANKS", "").strip()
    seeds = env.get("QUIZBOT_SEEDS", "").strip()
    return (Path(banks) if banks else DEFAULT_BANKS), (Path(seeds) if seeds else DEFAULT_SEEDS)


def own_content(env: Mapping[str, str] | None = None) -> Path | None:
    """QUIZBOT_CONTENT: a teacher's folder of articles/ and banks/, read beside the others."""
    env = os.environ if env is None else env
    raw = env.get("QUIZBOT_CONTENT", "").strip()
    return Path(raw).expanduser() if raw else None


def content_folders(env: Mapping[str, str] | None = None) -> ContentFolders:
    """Every folder of banks and articles the bot reads, as the environment sets them."""
    banks, seeds = content_dirs(env)
    return combine(banks, seeds, own_content(env))


def db_path(env: Mapping[str, str] | None = None) -> Path:
    """QUIZBOT_DB or the default, made absolute so logs and errors name the real file."""
    env = os.environ if env is None else env
    raw = env.get("QUIZBOT_DB", "").strip()
    return Path(raw).expanduser().resolve() if raw else DEFAULT_DB


class ConfigError(Exception):
    """The environment does not describe a runnable bot; the message says what to set."""


def _int_set(raw: str, variable: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(";", ",").split(",") if part.strip())
    except ValueError:
        raise ConfigError(f"{variable} must be comma-separated Telegram user ids") from None


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise ConfigError(
            "QUIZBOT_STARTUP_TIMEOUT must be a number of seconds above 0, at most 3600"
        )
    return value


@dataclass(frozen=True)
class Variable:
    """One environment variable `quizbot run` reads, as `quizbot run --help` lists it."""

    name: str
    default: str
    meaning: str
    secret: bool = False


# Every variable Config.from_env reads (a test holds the two together).
ENVIRONMENT = (
    Variable("TELEGRAM_BOT_TOKEN", "required", "the bot token from @BotFather", secret=True),
    Variable(
        "TELEGRAM_API_URL", "https://api.telegram.org", "root URL of a self-hosted Bot API server"
    ),
    Variable("QUIZBOT_DB", str(DEFAULT_DB), "the SQLite database file"),
    Variable(
        "QUIZBOT_DATABASE_URL",
        "none: the SQLite file",
        "postgresql://user:password@host/db: a PostgreSQL database instead",
        secret=True,
    ),
    Variable("QUIZBOT_BANKS", "the shipped banks", "folder of question banks (*.yaml)"),
    Variable("QUIZBOT_SEEDS", "the shipped article", "folder of articles"),
    Variable(
        "QUIZBOT_CONTENT", "none", "your own folder: its articles/ and banks/ add to the above"
    ),
    Variable(
        "QUIZBOT_SYNCHRONOUS",
        "full",
        "full: a commit survives a power cut; normal: a killed process only",
    ),
    Variable("QUIZBOT_HTTP", "aiohttp", "the Bot API client: aiohttp, or httpx (PTB's own)"),
    Variable("QUIZBOT_DIGITS", "arabic", "digits in the bot's messages: arabic or western"),
    Variable("QUIZBOT_TEACHER_IDS", "none", "comma-separated Telegram user ids of teachers"),
    Variable("QUIZBOT_TIMEZONE", "UTC", "IANA time zone for deadlines and export dates"),
    Variable("QUIZBOT_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR"),
    Variable("QUIZBOT_STARTUP_TIMEOUT", "45", "seconds to keep retrying an unreachable Bot API"),
    Variable(
        "QUIZBOT_WEBHOOK_URL", "none: long polling", "an https:// URL: webhook instead of polling"
    ),
    Variable("QUIZBOT_WEBHOOK_LISTEN", "0.0.0.0", "address the webhook server listens on"),
    Variable("QUIZBOT_WEBHOOK_PORT", "8443", "port the webhook server listens on"),
    Variable(
        "QUIZBOT_WEBHOOK_SECRET",
        "generated at each start",
        "secret Telegram sends with each update",
        True,
    ),
)


def environment_help() -> str:
    """The table of ENVIRONMENT, for the epilog of `quizbot run --help`."""
    width = max(len(v.name) for v in ENVIRONMENT)
    lines = ["environment variables [default]:"]
    for v in ENVIRONMENT:
        lines.append(f"  {v.name:<{width}}  {v.meaning} [{v.default}]")
    return "\n".join(lines)


@dataclass(frozen=True)
class Config:
    token: str = field(repr=False)
    db_path: Path = DEFAULT_DB
    # A postgresql:// URL: the database several bot processes share, instead of db_path.
    database_url: str | None = field(default=None, repr=False)
    banks_dir: Path = DEFAULT_BANKS
    seeds_dir: Path = DEFAULT_SEEDS
    # A teacher's own articles/ and banks/, read beside banks_dir and seeds_dir.
    content_dir: Path | None = None
    api_url: str | None = None
    digits: str = "arabic"
    log_level: str = "INFO"
    teacher_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    # IANA zone in which teachers type homework deadlines and read dates in exports.
    timezone: str = "UTC"
    # How long start-up keeps retrying a Bot API it cannot reach before it gives up.
    startup_timeout: float = 45.0
    # SQLite's synchronous level: what a commit, and so an acknowledged answer, survives.
    synchronous: str = "full"
    # The HTTP client the bot reaches the Bot API with (bot/http.py).
    http_client: str = "aiohttp"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, need_token: bool = True) -> Config:
        """Read QUIZBOT_* and TELEGRAM_* variables; raise ConfigError naming what is wrong."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if need_token and not token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it "
                "(see .env.example)"
            )
        digits = env.get("QUIZBOT_DIGITS", "arabic").strip().lower()
        if digits not in ("arabic", "western"):
            raise ConfigError("QUIZBOT_DIGITS must be 'arabic' (٠١٢٣) or 'western' (0123)")
        level = env.get("QUIZBOT_LOG_LEVEL", "INFO").strip().upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"QUIZBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        api_url = env.get("TELEGRAM_API_URL", "").strip().rstrip("/") or None
        if api_url and not api_url.startswith(("http://", "https://")):
            raise ConfigError("TELEGRAM_API_URL must start with http:// or https://")
        webhook_url = env.get("QUIZBOT_WEBHOOK_URL", "").strip() or None
        if webhook_url and not webhook_url.startswith("https://"):
            raise ConfigError("QUIZBOT_WEBHOOK_URL must be an https:// URL (Telegram requires it)")
        port_text = env.get("QUIZBOT_WEBHOOK_PORT", "8443").strip()
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ConfigError("QUIZBOT_WEBHOOK_PORT must be a port number from 1 to 65535")
        secret = env.get("QUIZBOT_WEBHOOK_SECRET", "").strip()
        if secret and not SECRET_PATTERN.match(secret):
            raise ConfigError("QUIZBOT_WEBHOOK_SECRET may use only A-Z, a-z, 0-9, _ and - (≤ 256)")
        if webhook_url and not secret:
            # Without a secret anyone who finds the URL could post fake updates.
            secret = secrets.token_urlsafe(32)
        timezone = env.get("QUIZBOT_TIMEZONE", "").strip() or "UTC"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"QUIZBOT_TIMEZONE {timezone!r} is not a time zone; use a name like Asia/Riyadh"
            ) from None
        banks_dir, seeds_dir = content_dirs(env)
        startup_timeout = _seconds(env.get("QUIZBOT_STARTUP_TIMEOUT", "").strip() or "45")
        synchronous = env.get("QUIZBOT_SYNCHRONOUS", "").strip().lower() or "full"
        if synchronous not in ("full", "normal"):
            raise ConfigError(
                "QUIZBOT_SYNCHRONOUS must be 'full' (survives a power cut) or 'normal'"
                " (survives a killed process)"
            )
        database_url = env.get("QUIZBOT_DATABASE_URL", "").strip() or None
        if database_url and not is_postgres(database_url):
            raise ConfigError(
                "QUIZBOT_DATABASE_URL must be a postgresql:// URL; for SQLite set QUIZBOT_DB"
            )
        http_client = env.get("QUIZBOT_HTTP", "").strip().lower() or "aiohttp"
        if http_client not in HTTP_CLIENTS:
            raise ConfigError("QUIZBOT_HTTP must be 'aiohttp' (the default) or 'httpx' (PTB's own)")
        return cls(
            token=token,
            db_path=db_path(env),
            database_url=database_url,
            banks_dir=banks_dir,
            seeds_dir=seeds_dir,
            content_dir=own_content(env),
            api_url=api_url,
            digits=digits,
            log_level=level,
            teacher_ids=_int_set(env.get("QUIZBOT_TEACHER_IDS", ""), "QUIZBOT_TEACHER_IDS"),
            webhook_url=webhook_url,
            webhook_listen=env.get("QUIZBOT_WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            webhook_port=int(port_text),
            webhook_secret=secret,
            timezone=timezone,
            startup_timeout=startup_timeout,
            synchronous=synchronous,
            http_client=http_client,
        )

    @property
    def bot_id(self) -> int:
        """The bot's Telegram id: the number before the token's colon (0 if there is none).
        Known without asking getMe, so a standby can wait for its lease before any call."""
        head = self.token.partition(":")[0]
        return int(head) if head.isdigit() else 0

    @property
    def database(self) -> Path | str:
        """Where the bot's data lives: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def database_name(self) -> str:
        """The database as a message may show it (a URL without its password)."""
        return redact(self.database_url) if self.database_url else str(self.db_path)

    @property
    def folders(self) -> ContentFolders:
        """Every folder of banks and articles, combined as docs/bank-format.md says."""
        return combine(self.banks_dir, self.seeds_dir, self.content_dir)

    @property
    def tz(self) -> tzinfo:
        """The teachers' time zone (deadlines typed, dates shown)."""
        return UTC if self.timezone == "UTC" else ZoneInfo(self.timezone)

    @property
    def base_url(self) -> str | None:
        """PTB's base_url for a self-hosted Bot API server: <url>/bot (PTB appends the token)."""
        return f"{self.api_url}/bot" if self.api_url else None

    @property
    def webhook_path(self) -> str:
        """The local path the webhook server listens on: the URL's path, or "telegram"."""
        if not self.webhook_url:
            return ""
        path = self.webhook_url.split("://", 1)[1].partition("/")[2]
        return path.strip("/") or "telegram"

    @property
    def base_file_url(self) -> str | None:
        return f"{self.api_url}/file/bot" if self.api_url else None
