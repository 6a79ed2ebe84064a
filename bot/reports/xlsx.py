"""The teacher's workbook: students, results, questions, paragraphs (one sheet per article),
discussion, test statistics, reviews and peer rounds, with native charts.

The builder is synchronous and pure over ClassData, so the bot runs it in a thread and the CLI
calls it directly.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from bot import texts
from bot.formatting import Formatter
from bot.reports import peer_rounds, reliability_sheet
from bot.reports.analysis_rows import (
    discussion_rows,
    items_by_article,
    paragraph_excerpt,
    question_rows,
)
from bot.reports.rows import RESULT_HEADER, result_rows, review_rows, student_rows
from bot.reports.worksheet import DATE_CELL, PERCENT, add_sheet, bar_chart, sheet_name
from quizzes.analysis import (
    ClassData,
    ItemStats,
    item_analysis,
    paragraph_stats,
)
from quizzes.article import Article
from quizzes.model import Bank
from quizzes.reliability import Attempts, bank_stats, select

# openpyxl is imported where a workbook is built, so the bot starts without loading it.
if TYPE_CHECKING:
    from openpyxl import Workbook


def workbook(
    fmt: Formatter,
    data: ClassData,
    banks: Mapping[str, Bank],
    articles: Mapping[str, Article],
    tz: tzinfo,
    attempts: Attempts = Attempts.FIRST,
) -> bytes:
    """The teacher's workbook: students, results, questions, paragraphs (one sheet per article),
    discussion, charts.

    The results and answers sheets hold every attempt; the item statistics (questions,
    paragraphs, reliability) count the `attempts` chosen, as the reliability sheet says."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    add_sheet(
        book,
        texts.SHEET_STUDENTS,
        texts.STUDENT_COLUMNS,
        student_rows(data, tz),
        formats={5: PERCENT, 6: PERCENT, 8: DATE_CELL},
        widths={1: 24},
    )
    add_sheet(
        book,
        texts.SHEET_RESULTS,
        RESULT_HEADER,
        [
            row[:8] + [None if row[8] is None else row[8] / 100] + row[9:]
            for row in result_rows(data, banks, tz)
        ],
        formats={6: DATE_CELL, 9: PERCENT},
        widths={1: 24, 4: 22},
    )
    chosen, chosen_answers = select(data.results, data.answers, attempts)
    items = item_analysis(chosen_answers, banks)
    reliability = bank_stats(chosen, chosen_answers, banks)
    questions = add_sheet(
        book,
        texts.SHEET_QUESTIONS,
        texts.QUESTION_COLUMNS,
        question_rows(items, banks),
        formats={7: PERCENT, 8: "0.00"},
        widths={1: 20, 4: 50, 9: 30, 11: 50},
    )
    reliability_sheet.item_rest_columns(questions, items, reliability)
    bar_chart(questions, texts.CHART_QUESTIONS_TITLE, 7, 3, len(items), "O2")
    _paragraph_sheets(book, data, items, banks, articles)
    add_sheet(
        book,
        texts.SHEET_DISCUSSION,
        texts.DISCUSSION_COLUMNS,
        discussion_rows(data, banks, tz),
        formats={6: DATE_CELL},
        widths={1: 24, 4: 50, 5: 80},
    )
    reliability_sheet.statistics_sheet(fmt, book, reliability, banks, attempts)
    if data.reviews:
        rows = review_rows(list(data.reviews), banks, tz)
        add_sheet(book, texts.SHEET_REVIEWS, texts.REVIEW_COLUMNS, rows, formats={9: DATE_CELL})
    if peer := peer_rounds.peer_table(data.peer_rounds, banks, tz):
        add_sheet(book, peer.title, peer.header, peer.rows, peer.formats, peer.widths)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _paragraph_sheets(
    book: Workbook,
    data: ClassData,
    items: Sequence[ItemStats],
    banks: Mapping[str, Bank],
    articles: Mapping[str, Article],
) -> None:
    """One paragraph sheet per article the results were asked from (its questions only)."""
    by_article = items_by_article(data, items, banks)
    names: set[str] = set()
    for article_id in sorted(by_article) or sorted(articles)[:1]:
        article = articles.get(article_id)
        title = article.title if article else article_id
        name = texts.SHEET_PARAGRAPHS if len(by_article) <= 1 else sheet_name(title, names)
        names.add(name)
        count = len(article.paragraphs) if article else 0
        paragraphs = paragraph_stats(by_article.get(article_id, []), banks, count)
        sheet = add_sheet(
            book,
            name,
            texts.PARAGRAPH_COLUMNS,
            [
                [
                    p.paragraph,
                    paragraph_excerpt(article, p.paragraph),
                    p.questions,
                    p.answered,
                    p.facility,
                ]
                for p in paragraphs
            ],
            formats={5: PERCENT},
            widths={2: 60},
        )
        bar_chart(sheet, texts.CHART_PARAGRAPHS_TITLE, 5, 1, len(paragraphs), "G2")
