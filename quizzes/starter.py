"""A starter bank for an article: one example of each question type, and the article's
paragraphs as numbered comments to copy quotes from.

The single-choice example is live, so the file loads as written; the others are commented,
and each loads once uncommented (tests/test_articles_cli.py uncomments them one by one).
"""

from __future__ import annotations

import json
import re

from quizzes.article import Article

# Marks the first line of a commented example; the example runs to the next blank line.
EXAMPLE = "# example: "
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def _quote(article: Article, words: int = 6) -> tuple[int, str]:
    """A short quote that is the start of the article's first sentence, on whole words."""
    first = article.sentences[0]
    picked = first.text.split()[:words]
    while picked and not _EDGE_PUNCTUATION.sub("", picked[-1]):
        picked.pop()
    text = " ".join(picked) if picked else first.text
    return first.paragraph, _EDGE_PUNCTUATION.sub("", text) or first.text


def _s(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: safe for any quote the article holds.
    return json.dumps(text, ensure_ascii=False)


def _examples(paragraph: int, quote: str, sentence: str) -> dict[str, str]:
    cite = f"    cite: [{{paragraph: {paragraph}, quote: {_s(quote)}}}]"
    return {
        "single": f"""  - id: q01
    type: single
    prompt: اكتب السؤال هنا؟
    options: {{a: الجواب الصحيح, b: خيار خاطئ أول, c: خيار خاطئ ثانٍ, d: خيار خاطئ ثالث}}
    answer: a
    explanation: اشرح لماذا كان الجواب صحيحاً بكلمات المقال.
{cite}""",
        "multi": f"""  - id: q02
    type: multi
    prompt: اختر كل ما ينطبق بحسب المقال.
    options: {{a: عبارة صحيحة, b: عبارة صحيحة أخرى, c: عبارة خاطئة}}
    answer: [a, b]
    explanation: اذكر أين يقول المقال كل عبارة صحيحة.
{cite}""",
        "true_false": f"""  - id: q03
    type: true_false
    prompt: اكتب عبارة يحكم الطالب عليها بالصواب أو الخطأ.
    answer: true
    explanation: اشرح الحكم.
{cite}""",
        "short": f"""  - id: q04
    type: short
    prompt: اكتب سؤالاً جوابه كلمة أو كلمتان.
    accepted: [الجواب]
    match: {{optional_article: true, typos: true}}
    explanation: اذكر الجواب ومكانه في المقال.
{cite}""",
        "discussion": f"""  - id: q05
    type: discussion
    prompt: اطرح سؤالاً للنقاش لا جواب واحداً له.
    min_length: 30
    points:
      - text: فكرة يُنتظر أن يذكرها الطالب.
{cite.replace("    cite", "        cite")}
    explanation: ما يُنتظر من جواب جيد.
{cite}""",
        "peer": f"""  - id: q06
    type: peer
    prompt: سؤال يختلف فيه الطلاب، فيتناقشون ثم يصوّتون مرة ثانية.
    options: {{a: الجواب الأرجح, b: جواب يغري به ظاهر النص}}
    answer: a
    discussion_seconds: 60
    explanation: اشرح لماذا كان الجواب هو الأرجح.
{cite}""",
        "evidence": f"""  - id: q07
    type: evidence
    prompt: انسخ من المقال الجملة التي تدل على ... .
    explanation: هذه الجملة هي الدليل لأنها ...
    cite:
      - paragraph: {paragraph}
        quote: {_s(sentence)}   # a whole sentence, or the clause of one that answers""",
    }


def starter_bank(article: Article, bank_id: str) -> str:
    """The YAML text of a starter bank for `article`."""
    paragraph, quote = _quote(article)
    sentence = article.sentences[0].text.strip()
    examples = _examples(paragraph, quote, sentence)
    lines = [
        f"# A starter bank for the article {article.id}: {article.title}",
        "# Replace the example below, uncomment the others you want (remove the '# ' at the",
        "# start of their lines), then: quizbot validate FILE, quizbot lint FILE.",
        "# Each question cites a paragraph (numbered as below) and a quote copied from it.",
        "# The format: docs/bank-format.md.",
        f"id: {bank_id}",
        "title: عنوان البنك",
        "description: جملة أو جملتان تصفان البنك للطالب.",
        f"article: {article.id}",
        f"article_sha256: {article.sha256}",
        "level: 1",
        "questions:",
        EXAMPLE.replace("# ", "# live ") + "single",
        examples.pop("single"),
        "",
    ]
    for kind, example in examples.items():
        lines.append(EXAMPLE + kind)
        lines.extend("# " + line for line in example.splitlines())
        lines.append("")
    lines.append(f"# The article's {len(article.paragraphs)} paragraphs, to copy quotes from:")
    for number, text in enumerate(article.paragraphs, start=1):
        lines.append(f"# ¶{number}: {text}")
    return "\n".join(lines) + "\n"
