"""Arabic text handling: folding for quote matching, normalization for grading, light stemming.

Two levels of folding exist on purpose. Quote matching is conservative (only marks that never
change a word: tashkeel, tatweel, quote style, whitespace), so that a citation still proves
the article's own wording. Answer normalization is aggressive (hamza forms, alef maqsura,
taa marbuta, digits, punctuation), because students type fast on phones.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic annotation marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
_QUOTE_MARKS = "«»“”„‟\"'‘’‚‹›"
_WHITESPACE = re.compile(r"\s+")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Alef forms fold to bare alef and alef maqsura to yaa. The hamza seats ؤ and ئ fold to the bare
# hamza ء, so that the two accepted spellings مسؤول / مسئول, and شيء / شئ below, compare equal.
# Persian and Urdu keyboard letters (ی ک ہ ۀ) fold to their Arabic twins.
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ہ": "ه",
        "ۀ": "ه",
        "ؤ": "ء",
        "ئ": "ء",
    }
)
# A yaa carrying a trailing hamza (شيء، بريء) is also written with ئ alone (شئ، برئ).
_YAA_HAMZA = re.compile("يء")
# Invisible characters phones insert or students use to send "empty" messages: format
# characters (ZWNJ, RLM, bidi isolates, BOM, soft hyphen) are removed, not turned into spaces,
# so they cannot split a word; Hangul fillers are letters to Unicode but show nothing.
_INVISIBLE = re.compile("[\u3164\u115f\u1160\uffa0]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_TAA_MARBUTA_AT_END = re.compile("ة\\b")
_NON_WORD = re.compile(r"[^\w\s]|_")
# Buk-2MA, Buk 2MA and Buk2MA, or عام2011 and عام 2011, are the same answer: split digit runs
# from letter runs.
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")

_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف")
_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "ية", "يه", "ه", "ي")


def strip_diacritics(text: str) -> str:
    """Remove tashkeel and tatweel, keeping every letter."""
    return _DIACRITICS.sub("", text).replace(TATWEEL, "")


def fold_for_quote(text: str) -> tuple[str, list[int]]:
    """Fold text for quote matching and map each folded character to its source index.

    The map lets a match in folded text be cut back out of the original, so the bot always
    shows the article's own characters.
    """
    folded: list[str] = []
    origin: list[int] = []
    previous_space = True
    for index, char in enumerate(unicodedata.normalize("NFC", text)):
        if char == TATWEEL or _DIACRITICS.match(char):
            continue
        if char.isspace():
            if previous_space:
                continue
            char = " "
            previous_space = True
        else:
            previous_space = False
            if char in _QUOTE_MARKS:
                char = '"'
        folded.append(char)
        origin.append(index)
    while folded and folded[-1] == " ":
        folded.pop()
        origin.pop()
    return "".join(folded), origin


def _without_invisibles(text: str) -> str:
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return _INVISIBLE.sub("", text)


def _without_latin_accents(text: str) -> str:
    """Chávez -> Chavez. Only Latin letters are decomposed: Arabic hamza seats must survive."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if "\u00c0" <= char <= "\u024f":
            char = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
        out.append(char)
    return "".join(out)


def normalize(text: str) -> str:
    """Normalize for grading and search: letters, digits and single spaces only.

    Removes tashkeel, tatweel and invisible characters; folds alef forms, alef maqsura, the
    hamza seats and final taa marbuta; maps Arabic-Indic and Persian digits to 0-9 and splits
    them from letters; drops punctuation; lowercases Latin letters and their accents.
    """
    text = _without_invisibles(unicodedata.normalize("NFKC", text))
    text = _without_latin_accents(strip_diacritics(text))
    text = text.translate(_LETTERS).translate(_DIGITS)
    text = _YAA_HAMZA.sub("ء", text)
    text = _DIGIT_LETTER.sub(" ", text)
    text = _TAA_MARBUTA_AT_END.sub("ه", text)
    text = _NON_WORD.sub(" ", text).casefold()
    return _WHITESPACE.sub(" ", text).strip()


def western_digits(text: str) -> str:
    """Map Arabic-Indic and Persian digits to 0-9, leaving everything else as it is."""
    return text.translate(_DIGITS)


def words(text: str) -> list[str]:
    """Split normalized text into words."""
    return normalize(text).split()


def light_stem(word: str) -> str:
    """Strip one common prefix and one common suffix, keeping at least three letters."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def arabic_ratio(text: str) -> float:
    """Share of Arabic letters among all letters (0.0 when there are none)."""
    letters = sum(1 for char in text if char.isalpha())
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


_SENTENCE_END = re.compile(r"(?<=[.!؟?؛])\s+")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of a paragraph, ending at . ! ؟ or ؛."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        spans.append((start, match.start()))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans


_DIGIT_RUN = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key that reads digit runs as numbers, Western or Arabic-Indic alike, so طالب2 comes
    before طالب10 and ٣ before 12. Texts that differ only in how a number is written (07 and ٧)
    are then ordered by their code points, so the order is total."""
    parts = _DIGIT_RUN.split(text)
    # Even places hold text, odd places digit runs: same index, same type, so tuples compare.
    return (tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), text)
