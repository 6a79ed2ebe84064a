"""GIFT and Moodle XML: exports Moodle's importer takes, and GIFT or Aiken files in as drafts.

The readers are held to the examples of Moodle's own documentation (tests/fixtures/moodle);
every shipped bank is exported in both formats and checked against Moodle's rules.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot import cli
from bot.cli_interop import wording
from bot.formatting import Formatter
from quizzes.content import shipped_banks, shipped_seeds
from quizzes.interop.aiken import read_aiken
from quizzes.interop.gift import escape, write_gift
from quizzes.interop.gift_read import read_gift
from quizzes.interop.imported import Imported
from quizzes.interop.moodle_xml import write_moodle_xml
from quizzes.interop.plan import spellings
from quizzes.loader import bank_files, load_banks
from quizzes.model import TRUE_KEY, Bank, QuestionType
from tests.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "moodle"
ARTICLE = "000_b2ad9beff8a3f107"
BANKS = load_banks(bank_files(shipped_banks()), shipped_seeds())
BY_ID = {bank.id: bank for bank in BANKS}
# question_bank::fraction_options_full(): the grades Moodle's import accepts (to within 1e-5).
MOODLE_GRADES = [1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3,
                 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0]  # fmt: skip
TEXT_FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown"}


def valid_grade(percent: float) -> bool:
    return any(abs(abs(percent) / 100 - grade) < 1e-5 for grade in MOODLE_GRADES)


# --- the readers against Moodle's documentation ------------------------------------------------


def docs_gift() -> dict[str, Imported]:
    questions, problems = read_gift((FIXTURES / "docs_gift.gift").read_text(encoding="utf-8"))
    assert problems == []
    return {q.name or q.text: q for q in questions}


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("Q1", "truefalse"),
        ("Q2", "multichoice"),
        ("Q3", "shortanswer"),
        ("Q4", "match"),
        ("Q5", "numerical"),
        ("Q6", "numerical"),
        ("Q7", "numerical"),
        ("Q8", "essay"),
        ("Grants tomb", "multichoice"),
        ("What two people are entombed in Grant's tomb?", "multichoice"),
        ("Grant is buried in Grant's tomb.", "truefalse"),
        ("How are you?", "essay"),
        ("1 + 2 =", "shortanswer"),
        ("The largest desert on Earth is:", "multichoice"),
    ],
)
def test_gift_docs_examples_get_moodles_types(key: str, kind: str) -> None:
    assert docs_gift()[key].kind == kind


def test_gift_docs_examples_keep_answers_weights_and_feedback() -> None:
    found = docs_gift()
    q2 = found["Q2"]
    assert q2.text == "What's between orange and green in the spectrum?"
    assert [(c.text, c.fraction, c.feedback) for c in q2.choices] == [
        ("yellow", 1.0, "right; good!"),
        ("red", 0.0, "wrong, it's yellow"),
        ("blue", 0.0, "wrong, it's yellow"),
    ]
    tomb = found["Grants tomb"]
    assert tomb.choices[2].feedback == "He was buried in France"
    multi = found["What two people are entombed in Grant's tomb?"]
    assert not multi.single
    assert [c.fraction for c in multi.choices] == [-1.0, 0.5, 0.5, -1.0]
    assert found["Q3"].text == "Two plus _____ equals four."
    assert [c.text for c in found["Q3"].choices] == ["two", "2"]
    assert found["Q1"].truth is True and found["Grant is buried in Grant's tomb."].truth is False
    assert found["How are you?"].general_feedback == "We hope you're feeling well."
    assert found["Moodle costs _____ to download from moodle.org."].choices[1].fraction == 1.0


def test_gift_escapes_are_undone_after_parsing() -> None:
    found = docs_gift()
    assert [c.text for c in found["1 + 2 ="].choices] == ["3"]
    assert found["The largest desert on Earth is:"].choices[0].text == "Antarctica"
    text = (
        "::a1::سؤال فيه \\{قوسان\\} و\\#و\\~ و\\=؟ "
        "{=نعم\\: هذا #ملاحظة\\: هنا ~لا\\\\ ####عام\\nسطر}"
    )
    (question,), _ = read_gift(text)
    assert question.text == "سؤال فيه {قوسان} و#و~ و=؟"
    assert [(c.text, c.feedback) for c in question.choices] == [
        ("نعم: هذا", "ملاحظة: هنا"),
        ("لا\\", ""),
    ]
    assert question.general_feedback == "عام\nسطر"


def test_gift_text_format_prefixes_are_not_text() -> None:
    (question,), _ = read_gift("::x::[markdown]Who? {=[plain]a ~b}")
    assert question.text == "Who?" and question.choices[0].text == "a"


def test_aiken_docs_examples() -> None:
    questions, problems = read_aiken((FIXTURES / "docs_aiken.txt").read_text(encoding="utf-8"))
    assert problems == []
    first, second = questions
    assert first.text == "What is the correct answer to this question?"
    assert [c.fraction for c in first.choices] == [0, 0, 0, 1]
    assert [c.text for c in second.choices][:2] == ["Moodle", "ATutor"]
    assert second.choices[0].fraction == 1


def test_aiken_reports_a_wrong_answer_letter_and_a_missing_answer() -> None:
    _, problems = read_aiken("Q?\nA. x\nB. y\nANSWER: C\n\nR?\nA. x\nB. y\n")
    assert [p.line for p in problems] == [1, 6]


# --- import-bank: a draft bank, and the validator names what lacks a quote ------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_reports_unsupported_types_and_validate_names_missing_quotes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs.yaml"
    code, _, err = run(
        capsys, "import-bank", str(FIXTURES / "docs_gift.gift"), "--article", ARTICLE,
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    draft = out.read_text(encoding="utf-8")
    for name, kind in [("Q4", "match"), ("Q5", "numerical"), ("Q7", "numerical"), ("Q8", "essay")]:
        assert f"::{name}:: ({kind})" in err
        assert f"::{name}:: ({kind})" in draft
    assert "(essay) How are you?" in err
    lacking = err.split("need a quote from the article: ")[1].split(";")[0].split(", ")
    assert lacking[:3] == ["q01", "q02", "q03"] and len(lacking) == 13
    code, stdout, _ = run(capsys, "validate", str(out))
    assert code == 1
    for qid in lacking:
        assert f"question '{qid}' has no quote" in stdout, qid


def test_import_aiken_draft_is_a_bank_once_quotes_are_filled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "aiken.yaml"
    code, _, err = run(
        capsys, "import-bank", str(FIXTURES / "docs_aiken.txt"), "--article", ARTICLE,
        "--out", str(out),
    )  # fmt: skip
    assert code == 0 and "2 question(s) imported from Aiken" in err
    filled = fill_todos(out.read_text(encoding="utf-8"))
    out.write_text(filled, encoding="utf-8")
    code, stdout, _ = run(capsys, "validate", str(out))
    assert code == 0, stdout
    (bank,) = load_banks([out], shipped_seeds())
    assert [q.answer for q in bank.questions] == [frozenset("d"), frozenset("a")]


def test_import_never_writes_over_a_draft_unasked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft.yaml"
    out.write_text("# the teacher's quotes\n", encoding="utf-8")
    source = str(FIXTURES / "docs_aiken.txt")
    code, _, err = run(capsys, "import-bank", source, "--article", ARTICLE, "--out", str(out))
    assert code == 2 and "exists" in err
    assert out.read_text(encoding="utf-8") == "# the teacher's quotes\n"
    assert run(capsys, "import-bank", source, "--article", ARTICLE, "--out", str(out),
               "--force")[0] == 0  # fmt: skip
    assert "id: draft" in out.read_text(encoding="utf-8")


def test_import_with_an_unknown_article_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import-bank", str(FIXTURES / "docs_aiken.txt"), "--article", "nope")
    assert code == 2 and "error: article text not found" in err


def fill_todos(draft: str) -> str:
    """What a teacher does to a draft: a title, a description, explanations and a real quote."""
    return (
        draft.replace('title: ""', 'title: "بنك مستورد"')
        .replace('description: ""', 'description: "أسئلة مستوردة."')
        .replace('explanation: ""', 'explanation: "شرح."')
        .replace('quote: ""', 'quote: "لا نتخلى عن أهلنا"')
    )


# --- the round trip: GIFT -> YAML -> GIFT -----------------------------------------------------


def shape(questions: list[Imported]) -> list[tuple]:
    return [
        (q.name, q.kind, q.text, q.single, q.truth,
         tuple((c.text, round(c.fraction, 5), c.feedback) for c in q.choices), q.general_feedback)
        for q in questions
    ]  # fmt: skip


@pytest.mark.parametrize("bank_id", ["facts", "causes", "voices", "discuss"])
def test_round_trip_of_a_shipped_bank_keeps_questions_answers_and_feedback(
    bank_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.gift"
    draft = tmp_path / f"{bank_id}.yaml"
    again = tmp_path / "again.gift"
    assert run(capsys, "export-bank", bank_id, "--format", "gift", "--no-essays",
               "--out", str(first))[0] == 0  # fmt: skip
    code, _, err = run(capsys, "import-bank", str(first), "--article", ARTICLE, "--out", str(draft))
    assert code == 0 and "need a quote" not in err, err
    draft.write_text(fill_todos(draft.read_text(encoding="utf-8")), encoding="utf-8")
    assert run(capsys, "export-bank", str(draft), "--format", "gift", "--no-essays",
               "--out", str(again))[0] == 0  # fmt: skip
    before, _ = read_gift(first.read_text(encoding="utf-8"))
    after, _ = read_gift(again.read_text(encoding="utf-8"))
    assert len(before) == len([q for q in BY_ID[bank_id].questions if q.type in SCORED_OUT])
    assert shape(after) == shape(before)


SCORED_OUT = {QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUE_FALSE,
              QuestionType.SHORT, QuestionType.PEER}  # fmt: skip


def test_round_trip_of_moodles_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "docs.yaml"
    run(capsys, "import-bank", str(FIXTURES / "docs_gift.gift"), "--article", ARTICLE,
        "--out", str(draft))  # fmt: skip
    draft.write_text(fill_todos(draft.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(capsys, "export-bank", str(draft), "--format", "gift")
    assert code == 0, err
    before = {q.text: q for q in docs_gift().values() if q.kind in ("multichoice", "truefalse",
              "shortanswer")}  # fmt: skip
    after = {q.text: q for q in read_gift(out)[0]}
    assert set(after) == set(before)
    for text, old in before.items():
        new = after[text]
        assert (new.kind, new.single, new.truth) == (old.kind, old.single, old.truth), text
        assert [c.text for c in new.choices] == [c.text for c in old.choices], text
        assert [c.fraction > 0 for c in new.choices] == [c.fraction > 0 for c in old.choices]
        # Feedback on wrong options comes back; on a right option it has no place in a bank.
        assert [c.feedback for c in new.choices if c.fraction <= 0] == [
            c.feedback for c in old.choices if c.fraction <= 0
        ], text
    multi = after["What two people are entombed in Grant's tomb?"]
    assert [c.fraction for c in multi.choices] == [-1.0, 0.5, 0.5, -1.0]


@pytest.mark.parametrize(
    "text",
    ["نسبة ٥٠٪: {النصف} أو #أقل", "a=b ~ c", "سطر\nوسطر", "مسار\\ملف", "::اسم::", "####"],
)
def test_special_characters_survive_gift(text: str) -> None:
    bank = BY_ID["facts"]
    question = bank.questions[0]
    options = (dataclasses.replace(question.options[0], text=text), *question.options[1:])
    changed = dataclasses.replace(question, prompt=text, options=options)
    gift, _ = write_gift(dataclasses.replace(bank, questions=(changed,)), wording(Formatter()))
    (read,), problems = read_gift(gift)
    assert problems == []
    assert read.text == text.strip() and read.choices[0].text == text.strip()


@pytest.mark.parametrize("char", ["~", "=", "#", "{", "}", ":", "\\"])
def test_gift_escapes_each_special_character(char: str) -> None:
    assert escape(f"أ{char}ب") == f"أ\\{char}ب"
    assert escape("سطر\nسطر") == "سطر\\nسطر"


# --- Moodle's rules, for every shipped bank in both formats -----------------------------------


def xml_problems(text: str) -> list[str]:
    """What Moodle's XML import would refuse or misread: a strict check without a schema."""
    root = ET.fromstring(text.encode("utf-8"))
    problems: list[str] = []
    if root.tag != "quiz":
        return [f"root is <{root.tag}>, not <quiz>"]

    def need(q: ET.Element, path: str, where: str) -> ET.Element | None:
        found = q.find(path)
        if found is None:
            problems.append(f"{where}: no {path}")
        return found

    for q in root.findall("question"):
        kind = q.get("type")
        if kind == "category":
            need(q, "category/text", "category")
            continue
        name = need(q, "name/text", str(kind))
        where = f"{kind} {name.text if name is not None else '?'}"
        for tag in ("questiontext", "generalfeedback"):
            element = need(q, tag, where)
            if element is not None and element.get("format") not in TEXT_FORMATS:
                problems.append(f"{where}: {tag} format {element.get('format')!r}")
            need(q, f"{tag}/text", where)
        if not (q.findtext("questiontext/text") or "").strip():
            problems.append(f"{where}: empty question text")
        answers = q.findall("answer")
        fractions = [float(a.get("fraction", "nan")) for a in answers]
        for answer, fraction in zip(answers, fractions, strict=True):
            if answer.find("text") is None:
                problems.append(f"{where}: an answer without <text>")
            if not valid_grade(fraction):
                problems.append(f"{where}: fraction {fraction} is not a Moodle grade")
        if kind == "multichoice":
            single = q.findtext("single")
            if single not in ("true", "false") or q.findtext("shuffleanswers") not in (
                "true",
                "false",
            ):
                problems.append(f"{where}: single/shuffleanswers missing")
            if len(answers) < 2:
                problems.append(f"{where}: fewer than two answers")
            if single == "true" and (fractions.count(100) != 1 or max(fractions) > 100):
                problems.append(f"{where}: a single-answer question needs one 100 answer")
            if single == "false":
                positive = sum(f for f in fractions if f > 0)
                if abs(positive - 100) > 0.01 or not any(f <= 0 for f in fractions):
                    problems.append(f"{where}: positive fractions sum to {positive}")
        elif kind == "truefalse":
            texts = sorted(a.findtext("text") or "" for a in answers)
            if texts != ["false", "true"] or sorted(fractions) != [0, 100]:
                problems.append(f"{where}: true/false answers {texts} {fractions}")
        elif kind == "shortanswer":
            if not answers or 100 not in fractions:
                problems.append(f"{where}: no fully right answer")
        elif kind == "essay":
            for tag in ("responseformat", "graderinfo"):
                need(q, tag, where)
        else:
            problems.append(f"{where}: a type this export should not write")
    return problems


def gift_problems(text: str) -> list[str]:
    """The same rules, on the GIFT as Moodle's GIFT import reads it."""
    questions, unread = read_gift(text)
    problems = [str(p) for p in unread]
    for q in questions:
        fractions = [c.fraction * 100 for c in q.choices]
        if q.kind == "multichoice":
            if q.single and fractions.count(100) != 1:
                problems.append(f"{q.name}: single needs one =answer")
            if not q.single and abs(sum(f for f in fractions if f > 0) - 100) > 0.01:
                problems.append(f"{q.name}: positive weights sum to {sum(fractions)}")
            if not all(valid_grade(f) for f in fractions):
                problems.append(f"{q.name}: weights {fractions}")
        elif q.kind not in ("truefalse", "shortanswer", "essay"):
            problems.append(f"{q.name}: type {q.kind}")
    return problems


EXPECTED_KIND = {
    QuestionType.SINGLE: "multichoice",
    QuestionType.MULTI: "multichoice",
    QuestionType.PEER: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.SHORT: "shortanswer",
    QuestionType.DISCUSSION: "essay",
    QuestionType.EVIDENCE: "essay",
}


@pytest.mark.parametrize("essays", [True, False])
@pytest.mark.parametrize("bank", BANKS, ids=lambda b: b.id)
def test_every_shipped_bank_exports_by_moodles_rules(bank: Bank, essays: bool) -> None:
    xml, xml_summary = write_moodle_xml(bank, wording(Formatter()), essays=essays)
    gift, gift_summary = write_gift(bank, wording(Formatter()), essays=essays)
    assert xml_problems(xml) == []
    assert gift_problems(gift) == []
    assert xml_summary == gift_summary
    kept = [q for q in bank.questions if essays or EXPECTED_KIND[q.type] != "essay"]
    elements = [
        q for q in ET.fromstring(xml.encode()).findall("question") if q.get("type") != "category"
    ]
    assert [(e.findtext("name/text"), e.get("type")) for e in elements] == [
        (q.id, EXPECTED_KIND[q.type]) for q in kept
    ]
    assert [(q.name, q.kind) for q in read_gift(gift)[0]] == [
        (q.id, EXPECTED_KIND[q.type]) for q in kept
    ]
    assert xml_summary.exported + len(xml_summary.skipped) == len(bank.questions)
    for read, question in zip(read_gift(gift)[0], kept, strict=True):
        if question.type is QuestionType.TRUE_FALSE:
            assert read.truth is (TRUE_KEY in question.answer), question.id
        elif question.is_choice:
            keys = [c.fraction > 0 for c in read.choices]
            assert keys == [o.key in question.answer for o in question.options], question.id
    for element, question in zip(elements, kept, strict=True):
        right = [float(a.get("fraction", "0")) > 0 for a in element.findall("answer")]
        if question.is_choice and question.type is not QuestionType.TRUE_FALSE:
            assert right == [o.key in question.answer for o in question.options], question.id
        if question.type is QuestionType.TRUE_FALSE:
            texts = [a.findtext("text") for a in element.findall("answer")]
            truth = "true" if TRUE_KEY in question.answer else "false"
            assert [t for t, r in zip(texts, right, strict=True) if r] == [truth], question.id
    # Arabic stays UTF-8 text, never character references.
    assert "&#" not in xml and escape(kept[0].prompt) in gift and kept[0].prompt in xml


def test_feedback_carries_explanation_passage_and_misconceptions() -> None:
    bank = BY_ID["facts"]
    question = bank.questions[0]
    xml, _ = write_moodle_xml(bank, wording(Formatter()))
    element = ET.fromstring(xml.encode()).find("question[@type='multichoice']")
    assert element is not None
    general = element.findtext("generalfeedback/text") or ""
    assert question.explanation in general
    passage = question.citations[0].passage.text
    assert f"«{passage}» — الفقرة ١" in general
    feedback = {a.findtext("text"): a.findtext("feedback/text") for a in element.findall("answer")}
    for option in question.options:
        note = option.misconception
        assert (note or "") in (feedback[f'<p dir="rtl">{option.text}</p>'] or "")


@pytest.mark.parametrize("right", [1, 2, 3, 4, 5])
def test_multi_answer_credit_is_a_moodle_grade_summing_to_100(right: int) -> None:
    bank = BY_ID["facts"]
    multi = next(q for q in bank.questions if q.type is QuestionType.MULTI)
    options = tuple(
        dataclasses.replace(multi.options[0], key=k, text=f"خيار {k}") for k in "abcdef"
    )
    changed = dataclasses.replace(multi, options=options, answer=frozenset("abcdef"[:right]))
    xml, _ = write_moodle_xml(dataclasses.replace(bank, questions=(changed,)), wording(Formatter()))
    assert xml_problems(xml) == []
    fractions = [float(a.get("fraction", "")) for a in ET.fromstring(xml.encode()).iter("answer")]
    assert fractions.count(-100) == 6 - right


def test_short_answers_list_the_spellings_of_their_groups() -> None:
    s03 = BY_ID["discuss"].question("s03")
    listed = spellings(s03)
    assert listed[: len(s03.accepted)] == s03.accepted
    assert "ديلتا" in listed and "قوات دلتا" in listed


def test_cli_summary_names_what_is_not_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "discuss.xml"
    code, _, err = run(capsys, "export-bank", "discuss", "--format", "moodle-xml", "--no-essays",
                       "--out", str(out))  # fmt: skip
    assert code == 0
    assert "discuss: 16 exported as moodle-xml (6 multichoice, 10 shortanswer)" in err
    assert "discuss: 15 skipped" in err
    assert "not exported, open discussion prompt (not scored in the bot): d01, d02" in err
    xml = out.read_text(encoding="utf-8")
    assert "<!-- not exported: e01: evidence item" in xml
    _, gift, _ = run(capsys, "export-bank", "discuss", "--format", "gift", "--no-essays")
    assert "// not exported: d01: open discussion prompt" in gift
    assert run(capsys, "export-bank", "nosuch", "--format", "gift")[0] == 2


INTEROP_LAYER = """
import importlib, pkgutil, sys
import quizzes.interop as interop
for module in pkgutil.iter_modules(interop.__path__):
    importlib.import_module("quizzes.interop." + module.name)
print([m for m in sys.modules if m.split(".")[0] in ("telegram", "aiosqlite", "bot", "storage")])
"""


def test_interop_is_domain_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", INTEROP_LAYER], capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_paragraph_numbers_follow_quizbot_digits(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZBOT_DIGITS", "western")
    _, gift, _ = run(capsys, "export-bank", "facts", "--format", "gift")
    assert "الفقرة 2" in gift and "الفقرة ٢" not in gift
    monkeypatch.setenv("QUIZBOT_DIGITS", "hindi")
    assert run(capsys, "export-bank", "facts", "--format", "gift")[0] == 2
