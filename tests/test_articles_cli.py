"""`quizbot article add|list`, `quizbot bank new`, and a teacher's content folder beside the
shipped one, run through the real CLI against tmp_path folders, with a second Arabic article."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot import cli
from bot.app import load_content
from bot.config import DEFAULT_SEEDS, Config
from quizzes.article import load_article
from quizzes.errors import ArticleError, BankError
from quizzes.loader import article_source, parse_bank
from quizzes.starter import EXAMPLE
from tests.paths import ROOT

SEED = "000_b2ad9beff8a3f107"
SEED_SHA256 = "ff1010d133bb21f9ac8ea0ba34a4b3796f5d1831da90050c3a1154a9a2edf4ad"
TITLE = "افتتاح محطة لتحلية المياه في مدينة ساحلية"
PARAGRAPHS = (
    "افتتحت الحكومة يوم الاثنين محطة جديدة لتحلية مياه البحر في المدينة الساحلية، بطاقة "
    "إنتاجية تبلغ مئتي ألف متر مكعب يومياً. وقال وزير المياه في كلمة خلال الافتتاح إن المحطة "
    "ستغطي حاجة نحو نصف مليون نسمة.",
    "وأوضح الوزير أن المشروع استغرق ثلاث سنوات، وبلغت كلفته نحو أربعمئة مليون دولار، موّل "
    "البنك الدولي جزءاً منها بقرض ميسر. وأضاف أن المحطة تعمل جزئياً بالطاقة الشمسية، مما يخفض "
    "استهلاكها من الكهرباء.",
    "ويرى خبراء في شؤون البيئة أن التحلية حل مكلف، وأن المياه المالحة المتبقية قد تضر بالحياة "
    "البحرية إذا لم تُعالج. ودعا بعضهم إلى الاستثمار أيضاً في إصلاح شبكات التوزيع التي يُهدر "
    "فيها جزء كبير من المياه.",
    "وتعاني المنطقة منذ سنوات من شح الأمطار وتراجع منسوب المياه الجوفية. وتأمل السلطات أن تسهم "
    "المحطة في إنهاء انقطاع المياه الذي يشكو منه السكان كل صيف.",
)
# NFD of «آ» (U+0622): alef + madda above, as some editors save it.
DECOMPOSED = "\u0627\u0653"


def wrapped(paragraph: str, width: int = 6) -> list[str]:
    """A paragraph hard-wrapped every `width` words, as a word processor exports it."""
    words = paragraph.split()
    return [" ".join(words[i : i + width]) for i in range(0, len(words), width)]


def messy_blocks() -> bytes:
    """The article as wrapped blocks with CRLF, a BOM, doubled spaces, NBSP, ZWSP and NFD."""
    blocks = ["\r\n".join(wrapped(p)) for p in PARAGRAPHS]
    text = "\ufeff" + "\r\n\r\n\r\n".join(blocks) + "\r\n\r\n"
    text = text.replace("محطة جديدة", "محطة  جديدة\u200b").replace("ثلاث سنوات", "ثلاث\u00a0سنوات")
    text = text.replace("الاثنين", "  الاثنين\t")
    return text.replace("آ", DECOMPOSED).encode("utf-8")


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A teacher's content folder, the shipped banks and article alongside."""
    for variable in ("QUIZBOT_BANKS", "QUIZBOT_SEEDS"):
        monkeypatch.delenv(variable, raising=False)
    folder = tmp_path / "content"
    monkeypatch.setenv("QUIZBOT_CONTENT", str(folder))
    return folder


def quizbot(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add_water(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    source = tmp_path / "water.txt"
    source.write_bytes(messy_blocks())
    code, out, err = quizbot(capsys, "article", "add", str(source), "--id", "water", *extra)
    assert code == 0, err
    return out


def seed_untouched() -> None:
    text = DEFAULT_SEEDS / f"{SEED}.txt"
    assert hashlib.sha256(text.read_bytes()).hexdigest() == SEED_SHA256
    meta = yaml.safe_load((DEFAULT_SEEDS / f"{SEED}.yaml").read_text(encoding="utf-8"))
    assert meta["sha256"] == SEED_SHA256


def test_add_normalizes_blocks_and_writes_what_the_loader_reads(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = add_water(tmp_path, capsys, "--title", TITLE)
    assert "paragraphs: 4, read as blocks separated by blank lines" in out
    for number, paragraph in enumerate(PARAGRAPHS, start=1):
        opening = " ".join(paragraph.split()[:8])
        assert f"¶ {number}: {opening} …" in out
    article = load_article(content / "articles", "water")
    assert article.paragraphs == PARAGRAPHS
    assert article.title == TITLE
    raw = (content / "articles" / "water.txt").read_bytes()
    assert raw == ("\n".join(PARAGRAPHS) + "\n").encode("utf-8")
    assert unicodedata.is_normalized("NFC", raw.decode("utf-8"))
    meta = yaml.safe_load((content / "articles" / "water.yaml").read_text(encoding="utf-8"))
    shipped = yaml.safe_load((DEFAULT_SEEDS / f"{SEED}.yaml").read_text(encoding="utf-8"))
    assert list(meta) == list(shipped)
    assert meta == {
        "id": "water",
        "title": TITLE,
        "language": "ar",
        "paragraphs": 4,
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    assert not list((content / "articles").glob("*.partial"))
    seed_untouched()


def test_add_one_paragraph_per_line_with_default_id_and_title_line(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "lines.txt"
    source.write_text(TITLE + "\n" + "\n\n".join(PARAGRAPHS), encoding="utf-8")
    code, out, err = quizbot(capsys, "article", "add", str(source))
    assert code == 0, err
    assert "read as one paragraph per line (blank lines between them dropped)" in out
    assert f"title: {TITLE}" in out and "taken from the file's first line" in out
    (text,) = (content / "articles").glob("*.txt")
    sha = hashlib.sha256(text.read_bytes()).hexdigest()
    assert text.stem == f"001_{sha[:16]}"  # the shipped one is 000_<hash16>
    assert load_article(text.parent, text.stem).paragraphs == PARAGRAPHS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \r\n\n\t\n", "is empty"),
        ("\ufeff\u200b\n".encode(), "only spaces and invisible characters"),
        ("مقال قصير".encode("cp1256"), "is not UTF-8"),
        ("مقال".encode("utf-16"), "not UTF-8"),
    ],
)
def test_add_refuses_a_file_that_is_not_an_article(
    tmp_path: Path,
    content: Path,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    message: str,
) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(data)
    code, out, err = quizbot(capsys, "article", "add", str(source), "--id", "bad")
    assert code == 1
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not (content / "articles").exists() or not list((content / "articles").iterdir())


def test_add_refuses_an_existing_id_unless_forced_and_never_the_shipped_one(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_water(tmp_path, capsys, "--title", TITLE)
    before = (content / "articles" / "water.yaml").read_bytes()
    source = tmp_path / "other.txt"
    source.write_text("فقرة أخرى.\nوفقرة ثانية.\n", encoding="utf-8")
    code, _, err = quizbot(capsys, "article", "add", str(source), "--id", "water")
    assert code == 1 and "article id 'water' already exists" in err and "--force" in err
    assert (content / "articles" / "water.yaml").read_bytes() == before
    code, _, err = quizbot(capsys, "article", "add", str(source), "--id", "water", "--force")
    assert code == 0, err
    assert len(load_article(content / "articles", "water").paragraphs) == 2
    code, _, err = quizbot(capsys, "article", "add", str(source), "--id", SEED, "--force")
    assert code == 1 and str(DEFAULT_SEEDS / f"{SEED}.txt") in err
    assert not (content / "articles" / f"{SEED}.txt").exists()
    seed_untouched()


def test_add_usage_and_unwritable_folder(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    source = tmp_path / "water.txt"
    source.write_bytes(messy_blocks())
    code, _, err = quizbot(capsys, "article", "add", str(tmp_path / "missing.txt"))
    assert code == 2 and "not found" in err
    code, _, err = quizbot(capsys, "article", "add", str(source), "--id", "Bad Id")
    assert code == 2 and "--id" in err
    content.mkdir()
    (content / "articles").write_text("a file where the folder should be", encoding="utf-8")
    code, _, err = quizbot(capsys, "article", "add", str(source), "--id", "water")
    assert code == 1 and f"cannot write to {content / 'articles'}" in err
    monkeypatch.delenv("QUIZBOT_CONTENT")
    code, _, err = quizbot(capsys, "article", "add", str(source), "--id", "water")
    assert code == 2 and "QUIZBOT_CONTENT" in err
    seed_untouched()


def test_list_shows_both_articles_and_whose_banks(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_water(tmp_path, capsys, "--title", TITLE)
    assert quizbot(capsys, "bank", "new", "water")[0] == 0
    code, out, err = quizbot(capsys, "article", "list")
    assert code == 0, err
    lines = out.splitlines()
    seed_line = lines.index(f"{SEED}  موسكو وسقوط مادورو  (13 paragraphs)  [shipped]")
    assert lines[seed_line + 1] == (
        "    banks: facts [shipped], causes [shipped], voices [shipped], discuss [shipped]"
    )
    water_line = lines.index(f"water  {TITLE}  (4 paragraphs)  [yours]")
    assert lines[water_line + 1] == "    banks: water [yours]"


def test_an_id_in_two_folders_is_an_error_naming_both(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = content / "articles"
    articles.mkdir(parents=True)
    for suffix in (".txt", ".yaml"):
        name = SEED + suffix
        (articles / name).write_bytes((DEFAULT_SEEDS / name).read_bytes())
    code, out, _ = quizbot(capsys, "article", "list")
    assert code == 1
    assert str(DEFAULT_SEEDS / f"{SEED}.txt") in out and str(articles / f"{SEED}.txt") in out
    code, out, _ = quizbot(capsys, "validate")
    assert code == 1 and "is in two folders" in out and str(articles / f"{SEED}.txt") in out
    # A bank id used twice: both files named, by the bot's own loader.
    (articles / f"{SEED}.txt").unlink()
    banks = content / "banks"
    banks.mkdir()
    shipped = ROOT / "quizzes" / "banks" / "01_facts.yaml"
    (banks / "facts.yaml").write_bytes(shipped.read_bytes())
    with pytest.raises(BankError) as raised:
        load_content(Config.from_env(need_token=False))
    (problem,) = raised.value.problems
    assert problem.file == str(banks / "facts.yaml") and str(shipped) in problem.message


def test_bank_new_loads_as_written_and_with_each_example_uncommented(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_water(tmp_path, capsys, "--title", TITLE)
    code, out, err = quizbot(capsys, "bank", "new", "water", "--id", "water1")
    assert code == 0, err
    path = content / "banks" / "water1.yaml"
    assert f"wrote {path}" in out
    text = path.read_text(encoding="utf-8")
    for number, paragraph in enumerate(PARAGRAPHS, start=1):
        assert f"# ¶{number}: {paragraph}\n" in text
    source = article_source(content / "articles")
    bank, problems = parse_bank(text, str(path), source)
    assert not problems and bank is not None and len(bank.questions) == 1
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(EXAMPLE)]
    kinds = {lines[i].removeprefix(EXAMPLE) for i in starts}
    assert kinds == {"multi", "true_false", "short", "discussion", "peer", "evidence"}
    every = list(lines)
    for start in starts:
        one = list(lines)
        end = start + 1
        while lines[end]:
            one[end] = every[end] = lines[end].removeprefix("# ")
            end += 1
        bank, problems = parse_bank("\n".join(one), str(path), source)
        assert not problems, (lines[start], problems)
        assert {q.type.value for q in bank.questions} == {"single", lines[start][len(EXAMPLE) :]}
    bank, problems = parse_bank("\n".join(every), str(path), source)
    assert not problems and len(bank.questions) == 7
    # The starter is in the teacher's banks folder: the bot loads it beside the shipped banks.
    articles, banks = load_content(Config.from_env(need_token=False))
    assert banks["water1"].article_id == "water" and "facts" in banks
    assert articles["water"].paragraphs == PARAGRAPHS
    code, _, err = quizbot(capsys, "bank", "new", "water", "--id", "water1")
    assert code == 1 and "bank id 'water1' is already used" in err


def test_bank_new_refusals(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    code, _, err = quizbot(capsys, "bank", "new", "nosuch")
    assert code == 1 and "nosuch" in err and SEED in err
    out = tmp_path / "draft.yaml"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = quizbot(capsys, "bank", "new", SEED, "--out", str(out))
    assert code == 1 and "already exists" in err and out.read_text(encoding="utf-8") == "keep me"
    code, _, err = quizbot(capsys, "bank", "new", SEED, "--out", str(tmp_path))
    assert code == 2 and "is a directory" in err
    monkeypatch.delenv("QUIZBOT_CONTENT")
    code, _, err = quizbot(capsys, "bank", "new", SEED)
    assert code == 2 and "--out" in err
    code, _, err = quizbot(capsys, "bank", "new", SEED, "--out", str(tmp_path / "s.yaml"))
    assert code == 0, err
    assert "id: a000\n" in (tmp_path / "s.yaml").read_text(encoding="utf-8")


def test_coverage_is_one_table_per_article(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_water(tmp_path, capsys, "--title", TITLE)
    assert quizbot(capsys, "bank", "new", "water")[0] == 0
    code, out, err = quizbot(capsys, "validate", "--coverage")
    assert code == 0, err
    seed_part, water_part = out.split(f"Article water: {TITLE} (banks: water)")
    assert f"Article {SEED}: موسكو وسقوط مادورو (banks: facts, causes, voices, discuss)" in (
        seed_part
    )
    assert re.findall(r"¶\s*(\d+):", water_part) == ["1", "2", "3", "4"]
    assert re.search(r"¶ 1:\s+1 #\n", water_part)
    assert "By type:  single 1" in water_part
    assert len(re.findall(r"¶\s*\d+:", seed_part)) == 13
    assert "By type:  discussion 10, evidence 5" in seed_part  # the water bank is not in it


def test_play_and_lint_read_the_teachers_folder(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_water(tmp_path, capsys, "--title", TITLE)
    assert quizbot(capsys, "bank", "new", "water")[0] == 0
    code, out, _ = quizbot(capsys, "lint")
    assert "water.yaml" in out and "paragraph-uncited" in out
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QUIZBOT_CONTENT": str(content)}
    played = subprocess.run(
        [sys.executable, "-m", "bot.cli", "play", "water", "--seed", "1"],
        input="1\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert played.returncode == 0, played.stderr
    assert "اكتب السؤال هنا؟" in played.stdout


def test_a_blank_line_in_an_article_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    text = tmp_path / "gap.txt"
    text.write_bytes("الفقرة الأولى.\nالفقرة الثانية.\n\nالفقرة الثالثة.\n".encode())
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    (tmp_path / "gap.yaml").write_text(f"id: gap\ntitle: t\nsha256: {digest}\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=re.escape(f"{text}:3: blank line")):
        load_article(tmp_path, "gap")
    assert len(load_article(DEFAULT_SEEDS, SEED).paragraphs) == 13


def test_an_unused_article_in_two_folders_still_stops_the_bot(
    tmp_path: Path, content: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    base = tmp_path / "base"
    base.mkdir()
    for suffix in (".txt", ".yaml"):
        (base / (SEED + suffix)).write_bytes((DEFAULT_SEEDS / (SEED + suffix)).read_bytes())
    add_water(tmp_path, capsys, "--title", TITLE)
    for suffix in (".txt", ".yaml"):
        (base / ("water" + suffix)).write_bytes(
            (content / "articles" / ("water" + suffix)).read_bytes()
        )
    monkeypatch.setenv("QUIZBOT_SEEDS", str(base))
    with pytest.raises(BankError) as raised:
        load_content(Config.from_env(need_token=False))
    (problem,) = raised.value.problems
    assert problem.file == str(content / "articles" / "water.txt")
    assert str(base / "water.txt") in problem.message
