"""Moodle XML out: a bank as the <quiz> file Moodle's question import reads (qformat_xml)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from quizzes.interop.plan import Kind, Planned, Summary, Wording, category_name, plan
from quizzes.model import Bank


def _html(text: str) -> str:
    """Plain lines as right-to-left HTML paragraphs (Moodle's html text format)."""
    return "".join(
        f'<p dir="rtl">{html.escape(line, quote=False)}</p>' for line in text.split("\n") if line
    )


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = _html(text) if fmt == "html" else text
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _comment(text: str) -> ET.Element:
    # "--" may not appear inside an XML comment.
    return ET.Comment(" " + " ".join(text.split()).replace("--", "- -") + " ")


def _fraction(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _answers(element: ET.Element, planned: Planned) -> None:
    plain = planned.kind is Kind.SHORTANSWER
    for answer in planned.answers:
        node = ET.SubElement(
            element,
            "answer",
            {"fraction": _fraction(answer.fraction), "format": "plain_text" if plain else "html"},
        )
        # Moodle reads * in a short answer as "any text": the bot never does.
        text = answer.text.replace("*", "\\*") if plain else _html(answer.text)
        ET.SubElement(node, "text").text = text
        _text(node, "feedback", answer.feedback)


def _question(quiz: ET.Element, bank: Bank, planned: Planned) -> None:
    question = planned.question
    assert planned.kind is not None
    element = ET.SubElement(quiz, "question", {"type": planned.kind.value})
    name = ET.SubElement(element, "name")
    ET.SubElement(name, "text").text = question.id
    _text(element, "questiontext", question.prompt)
    _text(element, "generalfeedback", planned.general_feedback)
    _value(element, "defaultgrade", "1" if planned.scored else "0")
    _value(element, "penalty", "1" if planned.kind is Kind.TRUEFALSE else "0.3333333")
    _value(element, "hidden", "0")
    _value(element, "idnumber", f"{bank.id}-{question.id}")
    if planned.kind is Kind.MULTICHOICE:
        _value(element, "single", "true" if planned.single else "false")
        _value(element, "shuffleanswers", "true")
        _value(element, "answernumbering", "abc")
        _value(element, "showstandardinstruction", "1")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _text(element, tag, "")
        if not planned.single:
            ET.SubElement(element, "shownumcorrect")
        _answers(element, planned)
    elif planned.kind is Kind.TRUEFALSE:
        for value in (True, False):
            node = ET.SubElement(
                element,
                "answer",
                {
                    "fraction": "100" if value == planned.truth else "0",
                    "format": "moodle_auto_format",
                },
            )
            ET.SubElement(node, "text").text = "true" if value else "false"
            _text(node, "feedback", "")
    elif planned.kind is Kind.SHORTANSWER:
        _value(element, "usecase", "0")
        _answers(element, planned)
    else:
        _value(element, "responseformat", "editor")
        _value(element, "responserequired", "1")
        _value(element, "responsefieldlines", "10")
        _value(element, "attachments", "0")
        _value(element, "attachmentsrequired", "0")
        _text(element, "graderinfo", planned.grader_info)
        _text(element, "responsetemplate", "")
    tags = [t for t in (question.skill, question.difficulty) if t]
    if tags:
        holder = ET.SubElement(element, "tags")
        for tag in tags:
            ET.SubElement(ET.SubElement(holder, "tag"), "text").text = tag


def write_moodle_xml(bank: Bank, wording: Wording, *, essays: bool = True) -> tuple[str, Summary]:
    """The bank as Moodle XML (UTF-8), and a summary of what went and what did not."""
    summary = Summary()
    quiz = ET.Element("quiz")
    quiz.append(_comment(f"{bank.id}: {bank.title}"))
    category = ET.SubElement(quiz, "question", {"type": "category"})
    ET.SubElement(
        ET.SubElement(category, "category"), "text"
    ).text = f"$course$/top/{category_name(bank)}"
    for question in bank.questions:
        planned = plan(question, wording, essays=essays)
        summary.add(planned)
        if planned.kind is None:
            quiz.append(_comment(f"not exported: {question.id}: {planned.lost}"))
            continue
        if planned.lost:
            quiz.append(_comment(f"{question.id}: {planned.lost}"))
        _question(quiz, bank, planned)
    ET.indent(quiz)
    body = ET.tostring(quiz, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", summary
