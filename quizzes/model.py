"""The bank model: frozen dataclasses for banks, questions, options and citations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from quizzes.article import Passage


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TRUE_FALSE = "true_false"
    SHORT = "short"
    DISCUSSION = "discussion"
    PEER = "peer"
    EVIDENCE = "evidence"


CHOICE_TYPES = frozenset(
    {QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUE_FALSE, QuestionType.PEER}
)
TEXT_TYPES = frozenset({QuestionType.SHORT, QuestionType.DISCUSSION, QuestionType.EVIDENCE})
SCORED_TYPES = frozenset(QuestionType) - {QuestionType.DISCUSSION}

TRUE_KEY = "t"
FALSE_KEY = "f"


@dataclass(frozen=True)
class Citation:
    """A cited passage: the paragraph number and the article's own text there.

    `sentence` is the article sentence the passage lies in (None if it spans two), so that an
    evidence item citing one clause still gives full credit for the whole sentence.
    """

    paragraph: int
    quote: str
    passage: Passage
    sentence: Passage | None = None


@dataclass(frozen=True)
class Option:
    """One answer option. True/false options have empty text; the bot labels them."""

    key: str
    text: str
    misconception: str | None = None


# What students add around a correct short answer, removed before it is compared. These are
# the defaults; a bank or a question can replace each list (docs/bank-format.md).
# Particles whose meaning the question already carries («في أي عام؟» → «في 2011»). Not «منذ»,
# «حتى», «قبل», «بعد»: they change what a date or place answer says. Not «على»: normalized, it
# is the name «علي», so «علي حسن» would pass for «حسن».
LEADING_PARTICLES = ("في", "ب", "ل", "ك", "و", "ف", "من", "إلى", "عن", "مع", "عند")
TITLES = (
    "الرئيس",
    "الزعيم",
    "القائد",
    "المحلل",
    "الخبير",
    "الباحث",
    "الكاتب",
    "الصحفي",
    "السيد",
    "السيدة",
    "الأستاذ",
    "الدكتور",
    "الجنرال",
    "الوزير",
    "المدير",
    "الملك",
    "الأمير",
    "الشيخ",
)
# Words that mark a number as a year: «عام 2011», «سنة 2014» before it; «2011م», «1432 هـ» after.
YEAR_BEFORE = ("عام", "العام", "سنة", "السنة")
YEAR_AFTER = ("م", "هـ", "ميلادي", "ميلادية", "للميلاد", "هجري", "هجرية", "للهجرة")


@dataclass(frozen=True)
class MatchRules:
    """How lenient short-answer matching is: the domain's defaults, the bank's, the question's.

    `synonyms` and `variants` are groups of words that count as the same word (a unit noun's
    singular and plural; spellings of a foreign name). Leading particles and titles are removed
    from what the student typed, never from the accepted answers; year words from both.
    """

    optional_article: bool = False
    optional_waw: bool = False
    typos: bool = False
    years: bool = True
    leading_particles: tuple[str, ...] = LEADING_PARTICLES
    titles: tuple[str, ...] = TITLES
    synonyms: tuple[tuple[str, ...], ...] = ()
    variants: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Point:
    """A point to consider after a discussion prompt, with its passages."""

    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Question:
    """One question of a bank."""

    id: str
    type: QuestionType
    prompt: str
    explanation: str
    citations: tuple[Citation, ...]
    options: tuple[Option, ...] = ()
    answer: frozenset[str] = frozenset()
    difficulty: str | None = None
    skill: str | None = None
    time_limit: int | None = None
    accepted: tuple[str, ...] = ()
    match: MatchRules = field(default_factory=MatchRules)
    points: tuple[Point, ...] = ()
    min_length: int = 0
    discussion_seconds: int = 60

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED_TYPES

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)

    @property
    def correct_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.key in self.answer)

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """Paragraphs this question rests on, in citation order, without repeats."""
        return tuple(dict.fromkeys(c.paragraph for c in self.citations))


@dataclass(frozen=True)
class PeerBand:
    """The band of first-vote shares (percent correct) in which a live peer round runs its
    discussion: above `high` the class already knows (a short reveal), below `low` the teacher
    may explain first. The defaults follow the peer-instruction literature (35-70 %)."""

    low: float = 35.0
    high: float = 70.0


@dataclass(frozen=True)
class ContentVersion:
    """What a homework or live session was asked from: the bank's content hash, and the id and
    hash of its article. Reports compare it with what is loaded now, since a bank or article
    edited later no longer says what the students saw."""

    bank_sha256: str
    article_id: str
    article_sha256: str


@dataclass(frozen=True)
class Bank:
    """A question bank written from one article."""

    id: str
    title: str
    description: str
    article_id: str
    article_sha256: str
    level: int
    questions: tuple[Question, ...]
    source: str = ""
    peer: PeerBand = PeerBand()
    sha256: str = ""  # of the bank file's text as loaded

    @property
    def version(self) -> ContentVersion:
        return ContentVersion(self.sha256, self.article_id, self.article_sha256)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @property
    def scored_count(self) -> int:
        return sum(1 for q in self.questions if q.is_scored)
