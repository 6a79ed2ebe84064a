"""Bank loader and validator: YAML in, Bank objects out, or every problem with its line.

Run `python -m quizzes.loader FILE...` to validate without the bot installed.

Its modules, one job each: `yaml_lines` (where each node is), `checker` (problem
collection), `bank` (one bank's text), `bank_fields`, `match_rules`, `question`, `options`
(options and answer keys), `validators` (the other fields of each question type),
`citations` (quotes in the article), `articles` and `files` (bank files loaded together).
The names below are the ones callers use.
"""

from quizzes.loader.articles import ArticleSource, article_source
from quizzes.loader.bank import parse_bank
from quizzes.loader.bank_fields import BANK_ID
from quizzes.loader.files import bank_files, load_banks, main
from quizzes.loader.question import QUESTION_ID

__all__ = [
    "BANK_ID",
    "QUESTION_ID",
    "ArticleSource",
    "article_source",
    "bank_files",
    "load_banks",
    "main",
    "parse_bank",
]
