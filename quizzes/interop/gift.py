"""GIFT out: a bank as Moodle's GIFT text, each question named by its id.

Moodle's importer (question/format/gift) reads a backslash before ~ = # { } : as that
character, \\n as a line break and \\\\ as a backslash; everything else is UTF-8 text as is.
"""

from __future__ import annotations

from quizzes.interop.plan import Kind, Planned, Summary, Wording, category_name, plan
from quizzes.model import Bank

_RESERVED = str.maketrans(
    {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:"}
)


def escape(text: str) -> str:
    """Text as GIFT reads it back unchanged: special characters escaped, lines as \\n."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\\n".join(line.translate(_RESERVED) for line in lines)


def _weight(fraction: float) -> str:
    # Moodle matches an imported weight against its list of grades to within 1e-5 (of 1), so
    # 100/3 needs five decimals: 33.33333.
    text = f"{fraction:.5f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _comment(text: str) -> str:
    return "// " + " ".join(text.split())


def _body(planned: Planned) -> list[str]:
    question = planned.question
    head = f"::{escape(question.id)}::{escape(question.prompt)}"
    feedback = f"####{escape(planned.general_feedback)}" if planned.general_feedback else ""
    if planned.kind is Kind.TRUEFALSE:
        return [f"{head} {{{'TRUE' if planned.truth else 'FALSE'}{feedback}}}"]
    if planned.kind is Kind.ESSAY:
        return [f"{head} {{{feedback}}}"]
    lines = [head + " {"]
    for answer in planned.answers:
        if planned.kind is Kind.SHORTANSWER:
            mark = "="
        elif planned.single:
            mark = "=" if answer.fraction == 100 else "~"
        else:
            mark = f"~%{_weight(answer.fraction)}%"
        text = escape(answer.text)
        if planned.kind is Kind.SHORTANSWER:
            # Moodle reads * in a short answer as "any text": the bot never does.
            text = text.replace("*", "\\\\*")
        note = f" #{escape(answer.feedback)}" if answer.feedback else ""
        lines.append(f"\t{mark}{text}{note}")
    if feedback:
        lines.append(f"\t{feedback}")
    lines.append("}")
    return lines


def write_gift(bank: Bank, wording: Wording, *, essays: bool = True) -> tuple[str, Summary]:
    """The bank as GIFT, and a summary of what went and what did not."""
    summary = Summary()
    blocks = [
        f"// {bank.id}: {' '.join(bank.title.split())}\n"
        f"$CATEGORY: $course$/top/{category_name(bank)}"
    ]
    for question in bank.questions:
        planned = plan(question, wording, essays=essays)
        summary.add(planned)
        if planned.kind is None:
            blocks.append(_comment(f"not exported: {question.id}: {planned.lost}"))
            continue
        lines = [_comment(f"{question.id}: {planned.lost}")] if planned.lost else []
        if not planned.scored:
            lines.append(_comment("not scored in the bot: set its mark to 0 in Moodle"))
        blocks.append("\n".join([*lines, *_body(planned)]))
    return "\n\n".join(blocks) + "\n", summary
