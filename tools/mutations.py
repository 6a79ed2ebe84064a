"""Mutation check: break the code in named, plausible ways and see whether the tests notice.

Each mutation is one search/replace in one real source file, with the tests that should catch
it. The script copies the checkout (without .venv, .git and caches) into a temporary folder,
applies one mutation at a time there, runs its tests with this interpreter's pytest, and puts
the file back before the next one. The checkout itself is never written to.

    .venv/bin/python tools/mutations.py              # every mutation
    .venv/bin/python tools/mutations.py -k live      # those whose name contains "live"
    .venv/bin/python tools/mutations.py --list
    .venv/bin/python tools/mutations.py --all-tests  # the whole suite for each mutation

A mutation whose search text is not found (the code moved on) is reported as "stale": update
its search text rather than drop it. Exit status: 0 when every mutation was caught, 1 when one
survived or went stale.

Not collected by pytest (testpaths = tests).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(
    ".venv*", ".git", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "*.egg-info",
    "build", "dist", "*.sqlite3*", "mutants",
)  # fmt: skip


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    search: str
    replace: str
    tests: tuple[str, ...]
    why: str


LIVE_TESTS = ("tests/test_live_group.py", "tests/test_live_peer.py", "tests/test_live_typed.py")
PRIVATE_TESTS = ("tests/test_private_quiz.py", "tests/test_typed_answers.py")
GRADING_TESTS = ("tests/test_grading.py", "tests/test_typed_answers.py")
LOADER_TESTS = ("tests/test_loader.py",)
ARTICLE_TESTS = ("tests/test_articles_cli.py", "tests/test_article_import.py")
LIVE_DOMAIN_TESTS = ("tests/test_live_domain.py", "tests/test_live_rounds.py")
CACHE_TESTS = ("tests/test_live_session_cache.py", "tests/test_live_cache.py")

MUTATIONS = (
    # --- the buttons: what a press sends ----------------------------------------------------
    Mutation(
        "live-answer-sends-next-key",
        "bot/live/keyboards.py",
        "            session.position,\n            key,\n        )\n"
        "        for i, key in enumerate(order)",
        "            session.position,\n            order[(i + 1) % len(order)],\n        )\n"
        "        for i, key in enumerate(order)",
        LIVE_TESTS,
        "a live option button carries the key of the option after it",
    ),
    Mutation(
        "private-answer-sends-next-key",
        "bot/keyboards.py",
        "callback_data=pack(kind, attempt.id, attempt.position, key)",
        "callback_data=pack(kind, attempt.id, attempt.position, order[(index + 1) % len(order)])",
        PRIVATE_TESTS,
        "a private option button carries the key of the option after it",
    ),
    Mutation(
        "private-toggle-sends-next-key",
        "bot/keyboards.py",
        "callback_data=pack(QUIZ_TOGGLE, attempt.id, attempt.position, key)",
        "callback_data=pack(QUIZ_TOGGLE, attempt.id, attempt.position, "
        "order[(index + 1) % len(order)])",
        PRIVATE_TESTS + ("tests/test_teachers.py",),
        "a private multi-select toggle carries the key of the option after it",
    ),
    Mutation(
        "private-second-vote-sends-next-key",
        "bot/keyboards.py",
        "callback_data=pack(PEER_SECOND, attempt.id, position, key)",
        "callback_data=pack(PEER_SECOND, attempt.id, position, order[(index + 1) % len(order)])",
        PRIVATE_TESTS,
        "a private peer round's second-vote button carries the next option's key",
    ),
    Mutation(
        "controls-drawn-with-next-step",
        "bot/live/keyboards.py",
        "_button(label, LIVE_CONTROL, session.id, session.step, action)",
        "_button(label, LIVE_CONTROL, session.id, session.step + 1, action)",
        LIVE_TESTS,
        "the teacher's controls carry a step the session is not at",
    ),
    Mutation(
        "controls-drawn-with-previous-step",
        "bot/live/keyboards.py",
        "_button(label, LIVE_CONTROL, session.id, session.step, action)",
        "_button(label, LIVE_CONTROL, session.id, session.step - 1, action)",
        LIVE_TESTS,
        "the teacher's controls carry the step before the session's",
    ),
    # --- what the buttons say (the tests find options by their text alone) ------------------
    Mutation(
        "live-speed-label-always-on",
        "bot/live/keyboards.py",
        "speed = texts.LIVE_BUTTON_SPEED_ON if session.speed else texts.LIVE_BUTTON_SPEED_OFF",
        "speed = texts.LIVE_BUTTON_SPEED_ON",
        ("tests/test_buttons.py",),
        "the speed-points toggle says 'on' whatever its state",
    ),
    Mutation(
        "live-option-letters-missing",
        "bot/live/keyboards.py",
        "letter=letter(i), text=option_text(q, q.option(key))",
        'letter="", text=option_text(q, q.option(key))',
        ("tests/test_buttons.py", "tests/test_live_render.py"),
        "live option buttons lose their letters (the reveal names options by letter)",
    ),
    Mutation(
        "private-option-letters-missing",
        "bot/keyboards.py",
        "label = texts.BUTTON_OPTION.format(letter=letter(index), text=",
        'label = texts.BUTTON_OPTION.format(letter="", text=',
        ("tests/test_buttons.py", *PRIVATE_TESTS),
        "private option buttons lose their letters (the feedback names options by letter)",
    ),
    # --- the live outbox: edits ------------------------------------------------------------------
    Mutation(
        "live-edit-not-found-raises",
        "bot/live/outbox.py",
        """if "not found" in said or "can't be edited" in said:""",
        """if "can't be edited" in said:""",
        ("tests/test_faults_live.py",),
        'an edit of a deleted live message ("message to edit not found") stops the session',
    ),
    Mutation(
        "live-edit-cant-be-edited-raises",
        "bot/live/outbox.py",
        """if "not found" in said or "can't be edited" in said:""",
        """if "not found" in said:""",
        ("tests/test_faults_live.py",),
        "an edit of a live message too old to edit stops the session",
    ),
    Mutation(
        "live-edit-not-modified-raises",
        "bot/live/outbox.py",
        """    if "not modified" in said:\n        return\n""",
        "",
        ("tests/test_faults_live.py",),
        'an edit that changes nothing ("message is not modified") stops the session',
    ),
    # --- who may do what -----------------------------------------------------------------------
    Mutation(
        "per-user-lock-removed",
        "bot/updates.py",
        "            async with lock, self._free:\n                await coroutine\n",
        "            async with self._free:\n                await coroutine\n",
        (
            "tests/test_updates.py",
            "tests/test_live_ack.py",
            "tests/test_committed_before_ack.py",
            "tests/test_faults_private.py",
        ),
        "one user's updates run at the same time as each other",
    ),
    Mutation(
        "get-chat-member-error-makes-a-teacher",
        "bot/teachers.py",
        "        if _transient(error):\n"
        '            raise TeacherUnknown(f"chat {chat.id}, user {user.id}") from error\n'
        "        return False\n",
        "        return True\n",
        ("tests/test_teacher_check.py", "tests/test_teachers.py", "tests/test_live_group.py"),
        "when Telegram cannot say who is an admin, the presser is taken for a teacher",
    ),
    # --- the live session's domain (quizzes/live/) -----------------------------------------
    Mutation(
        "live-domain-second-press-counts",
        "quizzes/live/answering.py",
        "    if user_id in session.answered:\n"
        "        return session, (), Outcome(refusal=Refusal.ALREADY)\n",
        "",
        (*LIVE_DOMAIN_TESTS, *LIVE_TESTS),
        "a student's second press in the same round is recorded too",
    ),
    Mutation(
        "live-domain-press-at-deadline-counts",
        "quizzes/live/answering.py",
        "if session.deadline is not None and at >= session.deadline:",
        "if session.deadline is not None and at > session.deadline:",
        LIVE_DOMAIN_TESTS,
        "a press exactly at the deadline still counts",
    ),
    Mutation(
        "live-domain-first-vote-counts",
        "quizzes/live/scoring.py",
        "if key not in latest or a.round > latest[key].round:",
        "if key not in latest or a.round < latest[key].round:",
        (*LIVE_DOMAIN_TESTS, "tests/test_live_peer.py"),
        "a peer round's first vote counts instead of the re-vote",
    ),
    Mutation(
        "live-domain-tie-to-the-slower",
        "quizzes/live/scoring.py",
        "key=lambda s: (-round(s.score, 6), s.total_ms, s.user_id)",
        "key=lambda s: (-round(s.score, 6), -s.total_ms, s.user_id)",
        LIVE_DOMAIN_TESTS,
        "a tie on points goes to the slower student",
    ),
    Mutation(
        "live-domain-silence-is-fast",
        "quizzes/live/scoring.py",
        "        row[3] += sum(p.seconds * 1000 for p in asked"
        " if p.scored and p.question_id not in mine)\n",
        "",
        LIVE_DOMAIN_TESTS,
        "a question left unanswered costs no answer time, so silence wins ties",
    ),
    Mutation(
        "live-domain-speed-points-flat",
        "quizzes/live/scoring.py",
        "return round(credit * (1.0 - (1.0 - floor) * share), 3)",
        "return round(credit, 3)",
        LIVE_DOMAIN_TESTS,
        "speed points do not fall with the time taken",
    ),
    Mutation(
        "live-domain-late-joiner-closes",
        "quizzes/live/machine.py",
        "and session.expected <= session.answered",
        "and session.joined <= session.answered",
        (*LIVE_DOMAIN_TESTS, *LIVE_TESTS),
        "a question waits for late joiners before closing early (or closes without them)",
    ),
    Mutation(
        "live-domain-abandon-cancels-started",
        "quizzes/live/machine.py",
        "    status = Status.STOPPED if session.started_at is not None else Status.CANCELLED\n"
        "    return _end(session, now, status)\n",
        "    return _end(session, now, Status.CANCELLED)\n",
        ("tests/test_live_domain.py", "tests/test_faults_live.py"),
        "a started session the bot can no longer run is cancelled and its scores lost",
    ),
    Mutation(
        "live-domain-abandon-keeps-clock",
        "quizzes/live/machine.py",
        "    status = Status.STOPPED if session.started_at is not None else Status.CANCELLED\n"
        "    return _end(session, now, status)\n",
        "    status = Status.STOPPED if session.started_at is not None else Status.CANCELLED\n"
        "    ended, events = _end(session, now, status)\n"
        "    return replace(ended, deadline=session.deadline), events\n",
        ("tests/test_live_domain.py", "tests/test_faults_live.py"),
        "an abandoned session keeps its deadline, so a timer would still fire for it",
    ),
    # --- grading ---------------------------------------------------------------------------------
    Mutation(
        "typos-allowed-in-numbers",
        "quizzes/grading.py",
        "    if any(char.isdigit() for char in word):\n        return 0\n",
        "    if any(char.isdigit() for char in word):\n        return 1\n",
        GRADING_TESTS,
        "a typed number one digit off (2014 for 2011) is accepted",
    ),
    Mutation(
        "typo-budget-long-words",
        "quizzes/grading.py",
        "    if len(word) >= 9:\n        return 2\n",
        "    if len(word) >= 10:\n        return 2\n",
        GRADING_TESTS,
        "words of nine letters get one typo instead of two",
    ),
    Mutation(
        "typo-budget-short-words",
        "quizzes/grading.py",
        "    return 1 if len(word) >= 5 else 0\n",
        "    return 1 if len(word) >= 4 else 0\n",
        GRADING_TESTS,
        "four-letter words get a typo",
    ),
    Mutation(
        "evidence-partial-threshold-up",
        "quizzes/grading.py",
        "EVIDENCE_PARTIAL = 0.4\n",
        "EVIDENCE_PARTIAL = 0.5\n",
        GRADING_TESTS,
        "a fragment needs half the sentence for partial credit",
    ),
    Mutation(
        "evidence-partial-threshold-down",
        "quizzes/grading.py",
        "EVIDENCE_PARTIAL = 0.4\n",
        "EVIDENCE_PARTIAL = 0.3\n",
        GRADING_TESTS,
        "a fragment of under a third of the sentence gets partial credit",
    ),
    Mutation(
        "evidence-full-threshold-down",
        "quizzes/grading.py",
        "EVIDENCE_FULL = 0.9\n",
        "EVIDENCE_FULL = 0.8\n",
        GRADING_TESTS,
        "a paste missing a fifth of the sentence gets full credit",
    ),
    # --- the bank loader -------------------------------------------------------------------------
    Mutation(
        "citation-unknown-keys-ignored",
        "quizzes/loader/citations.py",
        '        check.unknown_keys(item, {"paragraph", "quote"}, where, "a citation")\n',
        "",
        LOADER_TESTS,
        "a misspelt key in a citation (qoute:) is silently ignored",
    ),
    Mutation(
        "multi-validated-as-single",
        "quizzes/loader/validators.py",
        "    QuestionType.MULTI: multi,\n",
        "    QuestionType.MULTI: single,\n",
        LOADER_TESTS,
        "the validator table checks a multi question as single: a list of answers is refused",
    ),
    Mutation(
        "peer-validated-as-single",
        "quizzes/loader/validators.py",
        "    QuestionType.PEER: peer,\n",
        "    QuestionType.PEER: single,\n",
        LOADER_TESTS,
        "the validator table drops a peer question's discussion_seconds",
    ),
    Mutation(
        "bank-level-bounds-removed",
        "quizzes/loader/bank.py",
        'check.integer(data, "level", (), 1, 99)',
        'check.integer(data, "level", (), -(10**9), 10**9)',
        LOADER_TESTS,
        "a bank's level may be 0, negative or 1000",
    ),
    # --- the live-session cache: never a stale session -----------------------------------------
    Mutation(
        "cache-keeps-overlapping-read",
        "storage/live_cache.py",
        "if not session.is_open or self.changes(session.id) != changes:",
        "if not session.is_open:",
        CACHE_TESTS,
        "a read that overlapped a write is kept, with the rows from before the write",
    ),
    Mutation(
        "cache-failed-write-keeps-read",
        "storage/live_cache.py",
        "        try:\n            yield\n        finally:\n"
        "            self.invalidate(session_id)",
        "        yield\n        self.invalidate(session_id)",
        CACHE_TESTS,
        "a read made during a write that failed (or was cancelled, and committed) is kept",
    ),
    Mutation(
        "cache-forget-misses-reads-in-flight",
        "storage/live_cache.py",
        "        self._epoch += 1\n",
        "",
        CACHE_TESTS,
        "a read in flight when a student is forgotten keeps their id in the kept session",
    ),
    Mutation(
        "cache-cancelled-write-not-followed",
        "storage/live_writes.py",
        "            task = asyncio.ensure_future(self._drop_after_batch(session_id))\n"
        "            self._settling.add(task)\n"
        "            task.add_done_callback(self._settling.discard)\n",
        "",
        CACHE_TESTS,
        "a session write whose caller was cancelled commits later, under a kept copy",
    ),
    Mutation(
        "cache-answer-not-kept",
        "storage/live_answers.py",
        "self.live_cache.keep_written(kept.with_answer(answer.user_id, bool(answer.correct)))",
        "pass",
        CACHE_TESTS,
        "the kept session misses an answer that was recorded",
    ),
    # --- articles and content folders ------------------------------------------------------------
    Mutation(
        "article-blank-line-accepted",
        "quizzes/article.py",
        "        if not paragraph.strip():",
        "        if False:",
        ARTICLE_TESTS,
        "a blank line in an article becomes an empty paragraph and shifts every citation",
    ),
    Mutation(
        "content-folder-ignored",
        "quizzes/content.py",
        "            listed.append(Folder(extra, False))",
        "            pass",
        ARTICLE_TESTS,
        "QUIZBOT_CONTENT is read by no one: a teacher's articles and banks are not served",
    ),
    Mutation(
        "article-collision-first-wins",
        "quizzes/loader/articles.py",
        "            if len(found) > 1:",
        "            if False:",
        ARTICLE_TESTS,
        "an article id in two folders silently takes the shipped copy",
    ),
    Mutation(
        "article-import-not-nfc",
        "quizzes/article_import.py",
        'unicodedata.normalize("NFC", _LINE_BREAKS.sub("\\n", text))',
        '_LINE_BREAKS.sub("\\n", text)',
        ARTICLE_TESTS,
        "an imported article keeps decomposed letters that quotes typed in NFC never match",
    ),
    Mutation(
        "coverage-sums-articles",
        "bot/cli.py",
        "    own = [b for b in banks if b.article_id == article.id]",
        "    own = list(banks)",
        ARTICLE_TESTS,
        "validate --coverage adds other articles' citations to each article's table",
    ),
    Mutation(
        "article-add-force-overwrites-shipped",
        "bot/cli_articles.py",
        "    if force and mine == paths:",
        "    if force:",
        ARTICLE_TESTS,
        "article add --force writes a second copy of the shipped article's id",
    ),
)


def run(
    mutation: Mutation, copy: Path, tests: tuple[str, ...], timeout: float
) -> tuple[str, float]:
    """Apply `mutation` in `copy`, run `tests`, restore; ('caught' | 'survived' | ..., seconds)."""
    target = copy / mutation.path
    original = target.read_text(encoding="utf-8")
    found = original.count(mutation.search)
    if found != 1:
        return (f"stale ({found} matches)", 0.0)
    target.write_text(original.replace(mutation.search, mutation.replace), encoding="utf-8")
    started = time.monotonic()
    try:
        code = pytest(copy, tests, timeout)
    finally:
        target.write_text(original, encoding="utf-8")
    outcome = {0: "survived", 1: "caught", -1: "caught (timeout)"}.get(code, f"error (rc {code})")
    return outcome, time.monotonic() - started


def pytest(copy: Path, tests: tuple[str, ...], timeout: float) -> int:
    """pytest's exit status over `tests` in `copy` (-1 when it ran out of time)."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=copy,
            env={**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            timeout=timeout,
        ).returncode
    except subprocess.TimeoutExpired:
        return -1


def check_imports(copy: Path) -> None:
    """The tests must import the mutated copy, not the installed checkout."""
    probe = "import bot, quizzes, storage; print(bot.__file__, quizzes.__file__, storage.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrong = [p for p in out if not Path(p).resolve().is_relative_to(copy.resolve())]
    if wrong:
        raise SystemExit(f"the copy's packages are shadowed by {wrong}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only mutations whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--all-tests", action="store_true", help="run the whole suite each time")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per mutation")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.k in m.name]
    if args.list:
        for m in chosen:
            print(f"{m.name:40} {m.path:24} {m.why}")
        return 0
    survived = 0
    with tempfile.TemporaryDirectory(prefix="quizbot-mutations-") as folder:
        copy = Path(folder) / "repo"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        check_imports(copy)
        if not args.no_baseline:
            # Unbroken, the chosen tests must pass, or "caught" would mean nothing.
            tests = () if args.all_tests else tuple(sorted({t for m in chosen for t in m.tests}))
            if pytest(copy, tests, args.timeout) != 0:
                raise SystemExit("the tests fail without any mutation: fix that first")
        print(f"{'mutation':40} {'outcome':22} {'seconds':>7}")
        for m in chosen:
            outcome, seconds = run(m, copy, () if args.all_tests else m.tests, args.timeout)
            survived += not outcome.startswith("caught")
            print(f"{m.name:40} {outcome:22} {seconds:7.1f}", flush=True)
    print(f"{len(chosen) - survived} of {len(chosen)} caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
