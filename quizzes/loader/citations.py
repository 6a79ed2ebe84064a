"""Citations: each quote looked up in its paragraph of the article, and the stricter rule
for evidence quotes (whole sentences or clauses, on word edges)."""

from __future__ import annotations

from typing import Any

from quizzes.arabic import strip_diacritics
from quizzes.article import Article, Passage
from quizzes.loader.checker import Checker
from quizzes.loader.yaml_lines import NodePath
from quizzes.model import Citation


def _sentence_of(article: Article, passage: Passage) -> Passage | None:
    """The sentence of the article that holds the whole passage, if one does."""
    for sentence in article.sentences:
        if (
            sentence.paragraph == passage.paragraph
            and sentence.start <= passage.start
            and passage.end <= sentence.end
        ):
            return sentence
    return None


def _on_word_edges(article: Article, passage: Passage) -> bool:
    """Whether a passage starts and ends between words (a letter's marks belong to it)."""
    text = strip_diacritics(article.paragraph(passage.paragraph)[: passage.start])
    before = text[-1:] or " "
    rest = article.paragraph(passage.paragraph)[passage.end :]
    after = (strip_diacritics(rest) or " ")[0]
    return not before.isalnum() and not after.isalnum()


def check_evidence_quotes(
    check: Checker, citations: list[Citation], path: NodePath, article: Article
) -> None:
    """An evidence item cites whole sentences or clauses: each gives full credit when pasted."""
    for index, citation in enumerate(citations):
        where = (*path, index, "quote")
        if citation.sentence is None:
            check.add(
                where,
                "an evidence quote must lie inside one sentence of the article: cite the "
                "sentence, or the clause of it that answers the prompt",
            )
        elif not _on_word_edges(article, citation.passage):
            check.add(where, "an evidence quote must start and end on whole words")


def read_citations(
    check: Checker, raw: Any, path: NodePath, article: Article | None, question: str | None = None
) -> list[Citation]:
    """The question's citations whose quotes are found in the article.

    With no article (it failed to load, and that is reported once) only the shape is checked."""
    if not isinstance(raw, list) or not raw:
        check.add(path, "'cite' must be a list of {paragraph, quote} with at least one entry")
        return []
    found: list[Citation] = []
    for index, item in enumerate(raw):
        where = (*path, index)
        if not isinstance(item, dict):
            check.add(where, "each citation needs 'paragraph' and 'quote'")
            continue
        check.unknown_keys(item, {"paragraph", "quote"}, where, "a citation")
        paragraph = item.get("paragraph")
        quote = item.get("quote")
        if isinstance(paragraph, bool) or not isinstance(paragraph, int):
            check.add(where, "citation 'paragraph' must be a paragraph number")
            continue
        if not isinstance(quote, str) or not quote.strip():
            # Draft banks (import-bank) leave quotes empty: the teacher looks for them by id.
            whose = f"question '{question}' has no quote: " if question else ""
            check.add(
                where, f"{whose}citation 'quote' must be a non-empty text copied from the paragraph"
            )
            continue
        if article is None:
            continue
        if not 1 <= paragraph <= len(article.paragraphs):
            check.add(
                (*where, "paragraph"),
                f"paragraph {paragraph} does not exist; the article has "
                f"{len(article.paragraphs)} paragraphs",
            )
            continue
        passage = article.find(paragraph, quote)
        if passage is None:
            check.add(
                (*where, "quote"),
                f"quote not found in paragraph {paragraph}: «{quote.strip()[:60]}»; copy it "
                "exactly from that paragraph (diacritics, quote marks and spacing may differ)",
            )
            continue
        found.append(Citation(paragraph, quote.strip(), passage, _sentence_of(article, passage)))
    return found
