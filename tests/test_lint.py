"""The item-writing linter: each check fires on the flaw it names and stays quiet without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.config import DEFAULT_SEEDS
from quizzes.lint import CHECKS, BankLayout, Finding, lint
from quizzes.loader import article_source, load_banks

ARTICLE = "000_b2ad9beff8a3f107"
SHA = "ff1010d133bb21f9ac8ea0ba34a4b3796f5d1831da90050c3a1154a9a2edf4ad"
Q2 = {"paragraph": 2, "quote": "معمّر القذافي الذي أُطيح به وقتِل عام 2011"}
Q4 = {"paragraph": 4, "quote": "لكن بوتين امتنع عن أي رد فعل معلن أو تحرّك عسكري لمواجهة الأمر"}
Q5 = {"paragraph": 5, "quote": "تداعيات الحادث لموسكو ذات شقين، بحسب مراقبين"}
Q9 = {"paragraph": 9, "quote": "خسارة مادورو لا تشكّل بالضرورة كارثة سياسية لموسكو"}
Q11 = {"paragraph": 11, "quote": "العلاقات بين موسكو وكاراكاس تعود إلى بداية الألفية"}
Q12 = {"paragraph": 12, "quote": "منذ توليه السلطة، التقى مادورو ببوتين مرات متعددة"}


def single(qid: str, options: dict[str, str], answer: str, **extra: Any) -> dict[str, Any]:
    question = {
        "id": qid,
        "type": "single",
        "prompt": extra.pop("prompt", f"سؤال تجريبي رقم {qid} عن المقال؟"),
        "options": options,
        "answer": answer,
        "explanation": extra.pop("explanation", "شرح قصير للإجابة."),
        "cite": extra.pop("cite", [Q11]),
    }
    question.update(extra)
    return question


def bank(questions: list[dict[str, Any]], bank_id: str = "t1", **extra: Any) -> dict[str, Any]:
    return {
        "id": bank_id,
        "title": "بنك تجريبي",
        "description": "وصف",
        "article": ARTICLE,
        "article_sha256": SHA,
        "level": 1,
        "questions": questions,
        **extra,
    }


def run(tmp_path: Path, *banks: dict[str, Any]) -> list[Finding]:
    files = []
    for data in banks:
        path = tmp_path / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        files.append(path)
    loaded = load_banks(files, DEFAULT_SEEDS)
    layouts = {b.source: BankLayout.read(Path(b.source).read_text("utf-8")) for b in loaded}
    return lint(loaded, layouts, article_source(DEFAULT_SEEDS))


def checks_of(findings: list[Finding], qid: str | None = None) -> set[str]:
    return {f.check for f in findings if not f.waived and (qid is None or f.question_id == qid)}


EVEN = {"a": "اشترت دبابات روسية", "b": "اشترت مقاتلات صينية", "c": "اشترت صواريخ إيرانية"}

CASES = [
    pytest.param(
        "key-longest",
        {"a": "دبابات", "b": "مقاتلات", "c": "دبابات ومروحيات ومقاتلات وصواريخ ومصنعاً"},
        "c",
        {},
        id="key-longest",
    ),
    pytest.param(
        "key-only-hedged",
        {"a": "ربما كانت العلاقات تجارية", "b": "كانت العلاقات عسكرية", "c": "كانت ثقافية"},
        "a",
        {},
        id="key-only-hedged",
    ),
    pytest.param(
        "key-only-unqualified",
        {"a": "تعاطف بوتين مع شافيز", "b": "رفضها الجميع دائماً", "c": "لم تنجح أبداً"},
        "a",
        {},
        id="key-only-unqualified",
    ),
    pytest.param(
        "all-none-above",
        {"a": "الدبابات", "b": "المقاتلات", "c": "كل ما سبق"},
        "c",
        {},
        id="all-none-above",
    ),
    pytest.param(
        "contradicts-premise",
        {"a": "لتعاطف بوتين", "b": "لصفقات السلاح", "c": "لم يحدث ذلك"},
        "a",
        {"prompt": "لماذا بدأت العلاقات بين موسكو وكاراكاس؟"},
        id="contradicts-premise-did-not-happen",
    ),
    pytest.param(
        "key-echoes-prompt",
        {"a": "بداية الألفية مع تعاطف بوتين وشافيز", "b": "عام 1990", "c": "عام 2014"},
        "a",
        {"prompt": "متى تعود العلاقات وإلى أي بداية؟ تعاطف بوتين مع شافيز في الألفية"},
        id="key-echoes-prompt",
    ),
]


@pytest.mark.parametrize(("check", "options", "answer", "extra"), CASES)
def test_each_option_check_fires_on_its_flaw(
    tmp_path: Path, check: str, options: dict[str, str], answer: str, extra: dict
) -> None:
    findings = run(tmp_path, bank([single("q1", options, answer, **extra)]))
    assert check in checks_of(findings, "q1")


@pytest.mark.parametrize("answer", ["a", "b", "c"])
def test_even_options_raise_no_option_warning(tmp_path: Path, answer: str) -> None:
    findings = run(tmp_path, bank([single("q1", EVEN, answer)]))
    assert checks_of(findings, "q1") == set()


def test_hedged_distractors_defuse_the_hedge_cue(tmp_path: Path) -> None:
    options = {
        "a": "ربما كانت العلاقات تجارية",
        "b": "يبدو أنها عسكرية بحسب محللين في كييف",
        "c": "قد تكون ثقافية",
    }
    assert "key-only-hedged" not in checks_of(run(tmp_path, bank([single("q1", options, "a")])))


@pytest.mark.parametrize(
    ("key", "hedged"),
    [
        ("قد يلعب الاستثمار دوراً", True),
        ("وقد تكون العلاقات تجارية", True),
        ("وقد ربطه المقال بالصفقات", False),  # قد + perfect verb asserts
        ("لقد كانت العلاقات تجارية", False),
    ],
)
def test_qad_hedges_only_before_an_imperfect_verb(tmp_path: Path, key: str, hedged: bool) -> None:
    options = {"a": key, "b": "كانت العلاقات عسكرية فقط", "c": "كانت العلاقات ثقافية فقط"}
    found = checks_of(run(tmp_path, bank([single("q1", options, "a")])), "q1")
    assert ("key-only-hedged" in found) is hedged


def test_a_close_length_key_is_not_flagged(tmp_path: Path) -> None:
    options = {"a": "دبابات ومروحيات", "b": "مقاتلات وصواريخ", "c": "دبابات ومروحيات ومقاتلات"}
    findings = run(tmp_path, bank([single("q1", options, "c")]))
    assert "key-longest" not in checks_of(findings)


def test_same_prompt_and_same_span_across_banks(tmp_path: Path) -> None:
    prompt = "متى تعود العلاقات بين موسكو وكاراكاس؟"
    first = bank([single("q1", EVEN, "a", prompt=prompt)], "t1")
    second = bank(
        [
            single("q2", EVEN, "b", prompt=prompt + " (بحسب المقال)"),
            single("q3", EVEN, "c", prompt="ماذا اشترت فنزويلا من روسيا؟"),
        ],
        "t2",
    )
    findings = run(tmp_path, first, second)
    assert "duplicate-prompt" in checks_of(findings, "q2")
    assert "duplicate-span" in checks_of(findings, "q3")  # same ¶11 span as q1
    assert checks_of(findings, "q1") == set()  # the first of a pair is not blamed


def test_different_passages_are_not_duplicates(tmp_path: Path) -> None:
    findings = run(
        tmp_path,
        bank(
            [
                single("q1", EVEN, "a", prompt="ماذا اشترت فنزويلا؟", cite=[Q11]),
                single("q2", EVEN, "b", prompt="كم مرة التقى مادورو بوتين؟", cite=[Q12]),
            ]
        ),
    )
    assert not {"duplicate-prompt", "duplicate-span"} & checks_of(findings)


def test_a_sentence_carrying_many_items_is_crowded(tmp_path: Path) -> None:
    on_one = [
        single(f"q{i}", EVEN, "abc"[i % 3], prompt=f"سؤال مختلف تماماً رقم {i * 41}؟", cite=[Q])
        for i, Q in enumerate([Q11, Q11, Q11, Q11, Q11, Q12])
    ]
    findings = run(tmp_path, bank(on_one))
    assert "crowded-sentence" in checks_of(findings, "q4")  # the fifth on ¶11's sentence
    spread = on_one[:4] + on_one[5:]
    assert "crowded-sentence" not in checks_of(run(tmp_path, bank(spread)))


def tf(qid: str, answer: bool, cite: dict) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "true_false",
        "prompt": f"عبارة رقم {qid} عن المقال.",
        "answer": answer,
        "explanation": "شرح.",
        "cite": [cite],
    }


def test_true_false_balance_and_key_positions(tmp_path: Path) -> None:
    cites = [Q2, Q4, Q5, Q9, Q11, Q12]
    lopsided = [tf(f"t{i}", True, cites[i]) for i in range(5)]
    all_a = [
        single(f"s{i}", EVEN, "a", prompt=f"سؤال مختلف تماماً رقم {i * 37}؟", cite=[cites[i % 6]])
        for i in range(8)
    ]
    findings = run(tmp_path, bank(lopsided + all_a))
    assert {"true-false-balance", "key-positions"} <= checks_of(findings)
    balanced = [tf(f"t{i}", i % 2 == 0, cites[i]) for i in range(5)]
    spread = [
        single(f"s{i}", EVEN, "abc"[i % 3], prompt=f"سؤال مختلف تماماً رقم {i * 37}؟", cite=[Q12])
        for i in range(8)
    ]
    findings = run(tmp_path, bank(balanced + spread))
    assert not {"true-false-balance", "key-positions"} & checks_of(findings)


def test_uncited_and_overcited_paragraphs(tmp_path: Path) -> None:
    crowd = [
        single(f"q{i}", EVEN, "abc"[i % 3], prompt=f"سؤال مختلف تماماً رقم {i * 41}؟")
        for i in range(8)
    ]
    findings = [f for f in run(tmp_path, bank(crowd)) if not f.question_id]
    messages = " ".join(f.message for f in findings)
    assert "paragraph-uncited" in checks_of(findings)
    assert "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13" in messages
    # Paragraph 11 has 8 items, every other paragraph none: the median is 0, so 8 is crowded.
    assert "paragraph-overcited" in checks_of(findings)


def test_explanation_must_not_credit_the_article_with_an_attributed_claim(
    tmp_path: Path,
) -> None:
    flat = single("q1", EVEN, "a", explanation="بحسب المقال، للحادث شقان.", cite=[Q5])
    named = single(
        "q2", EVEN, "b", explanation="بحسب المقال، يرى مراقبون أن للحادث شقين.", cite=[Q5]
    )
    own = single("q3", EVEN, "c", explanation="بحسب المقال، تعود العلاقات إلى الألفية.")
    findings = run(tmp_path, bank([flat, named, own]))
    assert "unattributed-claim" in checks_of(findings, "q1")
    assert "unattributed-claim" not in checks_of(findings, "q2")
    assert "unattributed-claim" not in checks_of(findings, "q3")


def test_a_waiver_with_a_reason_silences_one_check_for_one_item(tmp_path: Path) -> None:
    options = {"a": "دبابات", "b": "مقاتلات", "c": "دبابات ومروحيات ومقاتلات وصواريخ ومصنعاً"}
    reason = "المفتاح يعدّد ما يذكره المقال حرفياً، والمشتتات أجزاء منه."
    waived = single("q1", options, "c", waive={"key-longest": reason})
    plain = single("q2", options, "c", prompt="سؤال آخر مختلف عن الصفقات؟", cite=[Q12])
    findings = run(tmp_path, bank([waived, plain]))
    (kept,) = [f for f in findings if f.question_id == "q1" and f.check == "key-longest"]
    assert kept.waived == reason
    assert "key-longest" in checks_of(findings, "q2")


def test_waivers_must_name_a_check_and_give_a_reason(tmp_path: Path) -> None:
    layout = BankLayout.read(
        yaml.safe_dump(
            {
                "waive": {"no-such-check": "سبب طويل بما يكفي"},
                "questions": [{"id": "q1", "waive": {"key-longest": "قصير"}}],
            },
            allow_unicode=True,
        )
    )
    assert len(layout.problems) == 2
    assert "unknown check 'no-such-check'" in layout.problems[0]


def test_every_check_is_documented() -> None:
    doc = Path(__file__).parent.parent.joinpath("docs", "bank-format.md").read_text("utf-8")
    assert [c for c in CHECKS if f"`{c}`" not in doc] == []


def test_the_shipped_banks_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lint"])
    out = capsys.readouterr()
    assert code == 0, out.out
    assert "0 warning(s)" in out.err


def test_lint_cli_prints_file_and_line_and_fails(tmp_path: Path, capsys) -> None:
    options = {"a": "دبابات", "b": "مقاتلات", "c": "دبابات ومروحيات ومقاتلات وصواريخ ومصنعاً"}
    path = tmp_path / "t1.yaml"
    data = bank([single("q1", options, "c")])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert main(["lint", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:8: warning [key-longest]: q1:" in out
