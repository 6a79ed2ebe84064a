"""Numbers and counted nouns in the configured digit style, held by a Formatter, not a global.

One Formatter is built from the config (QUIZBOT_DIGITS, or `quizbot play --digits`) and handed
to whatever writes text: handlers reach it as `context.fmt`, renderers, the live engine, exports
and the terminal take it as an argument. Two applications in one process can therefore speak
different digits. The noun forms themselves are data in `bot.texts.NOUNS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from babel.plural import PluralRule

from bot.bidi import FSI, PDI
from bot.texts import NOUNS

DIGIT_STYLES = ("arabic", "western")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_RULE: PluralRule = Locale("ar").plural_form


def plural_form(count: int) -> str:
    """The CLDR plural category of a count in Arabic: zero, one, two, few, many or other."""
    return _RULE(count)


@dataclass(frozen=True, slots=True)
class Formatter:
    """Numerals in one digit style: 'arabic' (٠١٢٣) or 'western' (0123)."""

    digits: str = "arabic"

    def __post_init__(self) -> None:
        if self.digits not in DIGIT_STYLES:
            raise ValueError(f"digit style must be 'arabic' or 'western', not {self.digits!r}")

    def num(self, value: int | float | str) -> str:
        """A number in this digit style (one decimal at most for fractions)."""
        if isinstance(value, float):
            value = f"{value:.1f}".rstrip("0").rstrip(".")
        text = str(value)
        if self.digits == "arabic":
            return text.translate(_ARABIC_INDIC).replace(".", "٫")
        return text

    def percent_sign(self) -> str:
        """The percent sign that goes with these digits: ٪ with ٠١٢, % with 012."""
        return "٪" if self.digits == "arabic" else "%"

    def percent(self, value: int) -> str:
        return f"{self.num(value)}{self.percent_sign()}"

    def count(self, noun: str, n: int) -> str:
        """A counted noun in the right Arabic form: سؤالان، ٣ أسئلة، ١١ سؤالًا."""
        return NOUNS[noun][plural_form(n)].format(n=self.num(n))

    def decimal(self, value: float) -> str:
        """A fraction with two decimals, isolated so that a minus sign stays on its number in a
        right-to-left line."""
        return f"{FSI}{self.num(f'{value:.2f}')}{PDI}"
