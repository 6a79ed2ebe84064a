"""A second, small article (four paragraphs of Modern Standard Arabic) and a bank written from
it, made in a test's own folders beside copies of the shipped article and banks."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import yaml

from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS, Config
from tests.harness import make_config

WATER = "001_water"
WATER_TITLE = "تحلية مياه البحر"
WATER_PARAGRAPHS = (
    "تعتمد مدن كثيرة على شواطئ الخليج العربي على تحلية مياه البحر لتأمين مياه الشرب، "
    "وتنتج محطات التحلية في المنطقة ملايين الأمتار المكعبة كل يوم.",
    "وأكثر طرق التحلية انتشارًا اليوم هي التناضح العكسي، إذ تُدفع المياه المالحة تحت ضغط عالٍ "
    "عبر أغشية دقيقة تحجز الأملاح. وقد حلّت هذه الطريقة محلّ التقطير الحراري في معظم المحطات "
    "الجديدة لأنها تستهلك طاقة أقل.",
    "غير أن للتحلية ثمنًا بيئيًّا، فالمحطات تعيد إلى البحر ماءً شديد الملوحة يُسمّى المحلول "
    "الملحي المركّز، وقد يضرّ بالشعاب المرجانية والكائنات البحرية قرب مخارج الصرف.",
    "ولهذا يدعو الباحثون إلى تشغيل المحطات بالطاقة الشمسية، وإلى تخفيف المحلول الملحي قبل "
    "صرفه، حتى تبقى التحلية حلًّا لعطش المدن لا عبئًا جديدًا على البحر.",
)
REVERSE_OSMOSIS = "أكثر طرق التحلية انتشارًا اليوم هي التناضح العكسي"
# The sentence an evidence question asks for, as the article has it.
WHY_OSMOSIS = (
    "وقد حلّت هذه الطريقة محلّ التقطير الحراري في معظم المحطات الجديدة لأنها تستهلك طاقة أقل."
)
BRINE = "تعيد إلى البحر ماءً شديد الملوحة يُسمّى المحلول الملحي المركّز"
SEED = "000_b2ad9beff8a3f107"
SEED_TITLE = "موسكو وسقوط مادورو"


def water_bank(article_sha256: str) -> dict:
    return {
        "id": "water",
        "title": "التحلية وأثرها",
        "description": "أسئلة عن طرق تحلية مياه البحر وأثرها في البيئة.",
        "article": WATER,
        "article_sha256": article_sha256,
        "level": 1,
        "questions": [
            {
                "id": "w01",
                "type": "single",
                "prompt": "بحسب المقال، ما أكثر طرق التحلية انتشارًا اليوم؟",
                "options": {
                    "a": "التقطير الحراري",
                    "b": "التناضح العكسي",
                    "c": "التجميد",
                    "d": "الطاقة الشمسية",
                },
                "answer": "b",
                "explanation": "يذكر المقال أن التناضح العكسي هو الأكثر انتشارًا اليوم.",
                "cite": [{"paragraph": 2, "quote": REVERSE_OSMOSIS}],
            },
            {
                "id": "w02",
                "type": "true_false",
                "prompt": "بحسب المقال، لا تترك محطات التحلية أي أثر في البحر.",
                "answer": False,
                "explanation": "يذكر المقال أن المحطات تعيد إلى البحر محلولًا ملحيًّا مركّزًا.",
                "cite": [{"paragraph": 3, "quote": BRINE}],
            },
            {
                "id": "w03",
                "type": "evidence",
                "prompt": "انسخ من المقال الجملة التي تبيّن لماذا حلّ التناضح العكسي محلّ التقطير.",
                "explanation": "تعلّل الجملة ذلك بأن الطريقة الجديدة تستهلك طاقة أقل.",
                # A clause: the whole sentence earns full credit only where the article is known.
                "cite": [{"paragraph": 2, "quote": "حلّت هذه الطريقة محلّ التقطير الحراري"}],
            },
        ],
    }


def add_water(banks: Path, seeds: Path, bank: dict | None = None) -> None:
    """The second article and its bank, written into the given folders."""
    text = "\n".join(WATER_PARAGRAPHS) + "\n"
    (seeds / f"{WATER}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = {"id": WATER, "title": WATER_TITLE, "language": "ar", "paragraphs": 4, "sha256": digest}
    (seeds / f"{WATER}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    data = bank or water_bank(digest)
    (banks / "05_water.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def two_article_config(tmp_path: Path, **overrides: Any) -> Config:
    """The shipped article and banks, plus the water article and its bank, in folders of the
    test's own (what QUIZBOT_BANKS and QUIZBOT_SEEDS point at)."""
    banks, seeds = tmp_path / "banks", tmp_path / "seeds"
    shutil.copytree(DEFAULT_BANKS, banks)
    shutil.copytree(DEFAULT_SEEDS, seeds)
    add_water(banks, seeds)
    return make_config(tmp_path, banks_dir=banks, seeds_dir=seeds, **overrides)
