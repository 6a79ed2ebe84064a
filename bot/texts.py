"""Every user-facing Arabic string, as named templates, and the forms of counted nouns.

Templates take named fields and are filled whole; sentences are never glued from fragments,
because right-to-left order breaks when they are. Messages use Telegram's HTML parse mode, so
every user-provided string goes through `bidi.name()` or `bidi.esc()` before it is placed.
Numbers and counted nouns are written by a `bot.formatting.Formatter`.
"""

from __future__ import annotations

# --- plurals: the forms of each counted noun (CLDR categories for Arabic) ---------------------

# Forms: zero, one, two, few (3–10), many (11–99), other (100, 101, …).
NOUNS: dict[str, dict[str, str]] = {
    "question": {
        "zero": "لا أسئلة",
        "one": "سؤال واحد",
        "two": "سؤالان",
        "few": "{n} أسئلة",
        "many": "{n} سؤالًا",
        "other": "{n} سؤال",
    },
    "student": {
        "zero": "لا أحد",
        "one": "طالب واحد",
        "two": "طالبان",
        "few": "{n} طلاب",
        "many": "{n} طالبًا",
        "other": "{n} طالب",
    },
    "second": {
        "zero": "{n} ثانية",
        "one": "ثانية واحدة",
        "two": "ثانيتان",
        "few": "{n} ثوانٍ",
        "many": "{n} ثانيةً",
        "other": "{n} ثانية",
    },
    "minute": {
        "zero": "{n} دقيقة",
        "one": "دقيقة واحدة",
        "two": "دقيقتان",
        "few": "{n} دقائق",
        "many": "{n} دقيقةً",
        "other": "{n} دقيقة",
    },
    "point": {
        "zero": "{n} نقطة",
        "one": "نقطة واحدة",
        "two": "نقطتان",
        "few": "{n} نقاط",
        "many": "{n} نقطةً",
        "other": "{n} نقطة",
    },
    "answer": {
        "zero": "لا إجابات",
        "one": "إجابة واحدة",
        "two": "إجابتان",
        "few": "{n} إجابات",
        "many": "{n} إجابةً",
        "other": "{n} إجابة",
    },
    "attempt": {
        "zero": "لا محاولات",
        "one": "محاولة واحدة",
        "two": "محاولتان",
        "few": "{n} محاولات",
        "many": "{n} محاولةً",
        "other": "{n} محاولة",
    },
    "paragraph": {
        "zero": "لا فقرات",
        "one": "فقرة واحدة",
        "two": "فقرتان",
        "few": "{n} فقرات",
        "many": "{n} فقرةً",
        "other": "{n} فقرة",
    },
}


# --- labels ----------------------------------------------------------------------------------

OPTION_LETTERS = ("أ", "ب", "ج", "د", "هـ", "و")
TRUE_LABEL = "صحيح"
FALSE_LABEL = "خطأ"
MARK_CORRECT = "✅"
MARK_WRONG = "❌"
MARK_PARTIAL = "🟡"
CHECKED = "☑️"
UNCHECKED = "⬜"

# --- commands (the menu is built from this table) --------------------------------------------

PRIVATE_COMMANDS: dict[str, str] = {
    "start": "البدء واختيار مجموعة أسئلة",
    "score": "نتائجي السابقة",
    "article": "عرض فقرة من المقال: /article رقم",
    "ask": "اسأل المقال: /ask سؤالك",
    "cancel": "إلغاء المحاولة الجارية",
    "help": "طريقة الاستخدام",
}

# --- general ---------------------------------------------------------------------------------

WELCOME = (
    "أهلًا {name}! 👋\n"
    "أنا بوت النقاش الصفّي حول مقال «{article}».\n"
    "اختر مجموعة أسئلة لتبدأ، وبعد كل إجابة ترى الدليل من نص المقال نفسه."
)
CHOOSE_BANK = "اختر مجموعة أسئلة:"
BANK_BUTTON = "{title} ({questions})"
HELP = (
    "<b>طريقة الاستخدام</b>\n"
    "• /start — اختر مجموعة أسئلة وأجب عنها بالضغط على الأزرار.\n"
    "• /score — نتائجك السابقة (لا يراها غيرك).\n"
    "• /article رقم — نص فقرة من المقال، مثل /article {example}؛ ودون رقم: بدايات الفقرات كلها.\n"
    "• /cancel — إلغاء المحاولة الجارية.\n"
    "• /ask سؤال — أقرب الجمل من المقال إلى سؤالك، مع أرقام فقراتها.\n"
    "بعد كل سؤال تظهر الإجابة الصحيحة والشرح والفقرة التي يستند إليها من المقال."
)
APOLOGY = "عذرًا، حدث خطأ غير متوقع ولم يُفقد شيء من إجاباتك. حاول مرة أخرى بعد قليل."
STALE = "هذا الزر قديم أو لم يعد صالحًا، ولم يتغير شيء."
NOT_YOURS = "هذا الزر ليس لك."
UNKNOWN_COMMAND = "لا أعرف هذا الأمر. أرسل /help لترى الأوامر المتاحة."
PRIVATE_ONLY = "هذا الأمر يعمل في المحادثة الخاصة مع البوت فقط."

# --- article ---------------------------------------------------------------------------------

ARTICLE_BAD_NUMBER = "لا توجد فقرة بهذا الرقم. أرقام الفقرات من {first} إلى {last}."
ARTICLE_PARAGRAPH = "<b>الفقرة {number}</b> من {total}\n\n{text}"
QUOTE = "<blockquote>«{text}»</blockquote> — الفقرة {paragraph}"

# --- private quiz ----------------------------------------------------------------------------

ATTEMPT_STARTED = "<b>{title}</b>\n{description}\n\nعدد الأسئلة: {questions}."
RETRY_STARTED = "<b>إعادة الأسئلة التي أخطأت فيها</b> ({questions})."
QUESTION_HEADER = "<b>السؤال {number} من {total}</b>"
QUESTION = "{header}\n\n{prompt}\n\n{options}"
QUESTION_MULTI_HINT = "<i>اختر كل ما ينطبق، ثم اضغط «تأكيد».</i>"
QUESTION_TF_HINT = "<i>هل العبارة صحيحة أم خاطئة؟</i>"
QUESTION_TYPE_HINT = "<i>اكتب إجابتك في رسالة.</i>"
OPTION_LINE = "{letter}) {text}"
BUTTON_OPTION = "{letter}) {text}"
BUTTON_CONFIRM = "تأكيد ✔️"
BUTTON_NEXT = "السؤال التالي ◀️"
BUTTON_RESULTS = "عرض النتيجة 🏁"
BUTTON_RETRY = "أعد الأسئلة التي أخطأت فيها 🔁"
BUTTON_BANKS = "مجموعة أخرى 📚"
BUTTON_RESUME = "▶️ تابع محاولتك (السؤال {number} من {total})"
TOAST_CORRECT = "إجابة صحيحة ✅"
TOAST_WRONG = "إجابة غير صحيحة ❌"
TOAST_PICK_FIRST = "اختر خيارًا واحدًا على الأقل قبل التأكيد."
TOAST_ANSWER_FIRST = "أجب عن السؤال أولًا."
FEEDBACK = (
    "{header}\n{prompt}\n\n"
    "{mark} {verdict}\n"
    "{your_answer}"
    "<b>الإجابة الصحيحة:</b> {correct}\n\n"
    "<b>الشرح:</b> {explanation}\n\n"
    "{evidence}"
)
VERDICT_CORRECT = "إجابتك صحيحة."
VERDICT_WRONG = "إجابتك غير صحيحة."
VERDICT_PARTIAL = "إجابتك صحيحة جزئيًا."
YOUR_ANSWER = "<b>إجابتك:</b> {answer}\n"
MISCONCEPTION = "<i>تنبيه:</i> {note}\n"
EVIDENCE_HEADER = "<b>من المقال:</b>"
LIST_SEPARATOR = "، "

SUMMARY = (
    "🏁 <b>انتهت المحاولة: {title}</b>\n\n"
    "النتيجة: <b>{score}</b> من {out_of} ({percent})\n"
    "الوقت: {time}\n"
    "{missed}"
)
SUMMARY_PERFECT = "أحسنت! أجبت عن كل الأسئلة إجابة صحيحة. 🎉"
SUMMARY_MISSED = "<b>الأسئلة التي أخطأت فيها ({count}):</b>\n{lines}"
MISSED_LINE = "• {number}) {prompt}"
DURATION_MINUTES = "{minutes} و{seconds}"
CANCELLED = "أُلغيت المحاولة الجارية. أرسل /start لتبدأ من جديد."
NOTHING_TO_CANCEL = "لا توجد محاولة جارية لإلغائها."
BANK_GONE = "لم تعد هذه المجموعة متاحة. أرسل /start لاختيار مجموعة أخرى."

# --- history ---------------------------------------------------------------------------------

HISTORY_EMPTY = "لم تُكمل أي محاولة بعد. أرسل /start لتبدأ."
HISTORY = "<b>نتائجك</b> (آخر {attempts}):\n{lines}"
HISTORY_LINE = "• {title}: {score} من {out_of} ({percent}) — {date}"

# --- typed answers and discussion ------------------------------------------------------------

POINTS_HEADER = "<b>نقاط للتفكير:</b>"
POINT_LINE = "• {text}\n{quotes}"
RESPONSE_RECORDED = "📝 سُجّل ردّك. إليك ما يستحق التفكير فيه:"
ACCEPTED_ANSWER = "{answer}"

# --- terminal play (`quizbot play`): typed letters and commands, no buttons -----------------

# After «من»: the genitive («من سؤالين»), where count() gives the nominative («سؤالان»).
NOUNS["question_of"] = {
    "zero": "{n} سؤال",
    "one": "سؤال واحد",
    "two": "سؤالين",
    "few": "{n} أسئلة",
    "many": "{n} سؤالًا",
    "other": "{n} سؤال",
}

# LRM (U+200E) around a command keeps its slash on its left in a right-to-left line.
TERMINAL_HOW_TO = (
    "اكتب إجابتك ثم اضغط \u200eEnter\u200e. للانتقال إلى السؤال التالي دون إجابة اكتب "
    "\u200e/skip\u200e، ولعرض فقرة من المقال اكتب \u200e/article\u200e ورقمها، "
    "وللخروج اكتب \u200e/quit\u200e أو اضغط \u200eCtrl-D\u200e."
)
TERMINAL_HINT_SINGLE = "اكتب حرف الخيار أو رقمه."
TERMINAL_HINT_MULTI = "اكتب حروف كل الخيارات الصحيحة أو أرقامها، بينها مسافات."
TERMINAL_HINT_TRUE_FALSE = "هل العبارة صحيحة أم خاطئة؟ اكتب «ص» أو «خ»."
TERMINAL_HINT_PEER = (
    "صوّت الآن بحرف الخيار أو رقمه. لن تظهر الإجابة قبل أن تراجع المقال وتصوّت مرة ثانية."
)
TERMINAL_HINT_SHORT = "اكتب إجابتك القصيرة."
TERMINAL_HINT_DISCUSSION = (
    "اكتب رأيك ({length} على الأقل). لا توجد إجابة واحدة صحيحة، والمهم أن تستند إلى ما في المقال."
)
TERMINAL_HINT_DISCUSSION_FREE = (
    "اكتب رأيك. لا توجد إجابة واحدة صحيحة، والمهم أن تستند إلى ما في المقال."
)
TERMINAL_HINT_EVIDENCE = (
    "انسخ الجملة التي تدعم الإجابة من المقال والصقها هنا. لعرض فقرة اكتب \u200e/article\u200e "
    "ورقمها."
)
TERMINAL_PROMPT_CHOICE = "إجابتك (الحرف أو الرقم): "
TERMINAL_PROMPT_MULTI = "إجاباتك (حروف أو أرقام بينها مسافات): "
TERMINAL_PROMPT_TF = "صحيح أم خطأ؟ (ص/خ): "
TERMINAL_PROMPT_TEXT = "اكتب إجابتك: "
TERMINAL_PROMPT_FIRST_VOTE = "تصويتك الأول (الحرف أو الرقم): "
TERMINAL_PROMPT_SECOND_VOTE = "تصويتك الثاني (الحرف أو الرقم): "
TERMINAL_BAD_INPUT = "لم أفهم إجابتك. اكتب {hint}."
TERMINAL_HINT_CHOICE = "حرفًا مثل «أ» أو رقمًا من {first} إلى {last}"
TERMINAL_HINT_MULTI_CHOICE = "حرفًا أو أكثر مثل «أ ج»، أو أرقامًا من {first} إلى {last}"
TERMINAL_HINT_TF = "«ص» للصحيح أو «خ» للخطأ"
TERMINAL_SKIPPED = "⏭ تخطّيت هذا السؤال، ويُحسب في النتيجة سؤالًا لم تُجب عنه."
TERMINAL_ARTICLE_USAGE = (
    "اكتب رقم الفقرة بعد الأمر، مثل: \u200e/article {example}\u200e. في المقال {paragraphs}."
)
TERMINAL_STOPPED = "توقّف الاختبار قبل نهايته."
TERMINAL_PARTIAL_SCORE = (
    "أجبت عن {answered} من {total}، ونتيجتك حتى الآن في الأسئلة المحسوبة: {score} من {scored}."
)
TERMINAL_PARTIAL_NONE = "أجبت عن {answered} من {total}، ولم تُجب بعد عن سؤال محسوب في النتيجة."

# --- live group sessions ---------------------------------------------------------------------

# The group command menu (BotCommandScopeAllGroupChats) is built from this table.
GROUP_COMMANDS: dict[str, str] = {
    "quiz": "بدء جلسة أسئلة مباشرة للصف (للمعلم)",
    "leaderboard": "الترتيب العام لجلسات هذه المجموعة",
    "article": "عرض فقرة من المقال: /article رقم",
    "ask": "اسأل المقال: /ask سؤالك",
    "help": "طريقة الاستخدام",
}

NOUNS["session"] = {
    "zero": "لا جلسات",
    "one": "جلسة واحدة",
    "two": "جلستان",
    "few": "{n} جلسات",
    "many": "{n} جلسةً",
    "other": "{n} جلسة",
}

LIVE_TEACHERS_ONLY = "هذا الإجراء للمعلم وحده، ولم يتغير شيء."
LIVE_GROUP_ONLY = (
    "الجلسات المباشرة تُدار في مجموعة الصف: أضف البوت إلى المجموعة، ثم أرسل /quiz هناك."
)
LIVE_CHOOSE_BANK = "🎯 <b>جلسة مباشرة</b>\nاختر مجموعة الأسئلة:"
LIVE_BANK_BUTTON = "{title} ({questions})"
LIVE_ALREADY_RUNNING = "في هذه المجموعة جلسة جارية الآن: «{title}». أنهِها أولًا، ثم ابدأ جلسة جديدة."
LIVE_ALREADY_RUNNING_TOAST = "في هذه المجموعة جلسة جارية الآن."

LIVE_LOBBY = (
    "🎯 <b>جلسة مباشرة: {title}</b>\n"
    "{questions}، {seconds}.\n"
    "{speed}\n"
    "{responses}"
    "{left_out}"
    "\n👥 المنضمّون: {joined}\n"
    "⏳ تبدأ الجلسة تلقائيًا عند {start}، أو حين يضغط المعلم «ابدأ».\n"
    "اضغط «انضمّ» لتشارك."
)
LIVE_SECONDS_FIXED = "{seconds} لكل سؤال"
LIVE_SECONDS_RANGE = "من {low} إلى {high} لكل سؤال"
LIVE_SPEED_ON = (
    "⚡ نقاط السرعة مفعّلة: الإجابة الصحيحة الفورية تنال نقطة كاملة، "
    "وتنقص حتى نصف نقطة عند انتهاء الوقت."
)
LIVE_SPEED_OFF = "نقطة واحدة لكل إجابة صحيحة."
LIVE_LEFT_OUT = "⚠️ أسئلة كتابية لا تدعمها الجلسات المباشرة بعدُ وستُتخطّى: {count}.\n"
LIVE_STARTED = (
    "🎯 <b>جلسة مباشرة: {title}</b>\n"
    "▶️ بدأت الجلسة. المنضمّون: {joined}.\n"
    "ومن لم ينضمّ يستطيع المشاركة بالإجابة عن أي سؤال."
)
LIVE_CANCELLED = "🎯 <b>جلسة مباشرة: {title}</b>\n✖️ أُلغيت الجلسة قبل أن تبدأ."

LIVE_BUTTON_JOIN = "✋ انضمّ"
LIVE_BUTTON_START = "▶️ ابدأ"
LIVE_BUTTON_SPEED_ON = "⚡ نقاط السرعة: مفعّلة"
LIVE_BUTTON_SPEED_OFF = "⚡ نقاط السرعة: معطّلة"
LIVE_BUTTON_CANCEL = "✖️ إلغاء"
LIVE_BUTTON_PAUSE = "⏸ إيقاف مؤقت"
LIVE_BUTTON_RESUME = "▶️ استئناف"
LIVE_BUTTON_REVEAL = "⏭ اكشف الإجابة"
LIVE_BUTTON_NEXT = "⏭ السؤال التالي"
LIVE_BUTTON_STOP = "⏹ إنهاء الجلسة"
LIVE_BUTTON_CONFIRM = "✔️ تأكيد اختياري"

LIVE_QUESTION = "{header}\n\n{prompt}\n\n{options}\n\n{status}\n{counter}"
LIVE_DEADLINE = "⏳ آخر موعد للإجابة: {time} ({seconds})"
# Telegram shows a date_time entity in each reader's own time zone; older apps show the text.
LIVE_TIME = '<tg-time unix="{unix}" format="T">{fallback}</tg-time>'
LIVE_TIME_FALLBACK = "{clock} UTC"
LIVE_PAUSED = "⏸ <b>الجلسة متوقفة مؤقتًا.</b> الوقت المتبقي: {seconds}."
LIVE_COUNTER = "📨 الإجابات: {answers} من {joined}"
LIVE_SELECT_HINT = "<i>اضغط كل خيار تراه صحيحًا (لا يرى اختيارك غيرك)، ثم اضغط «تأكيد اختياري».</i>"

LIVE_TOAST_JOINED = "انضممت إلى الجلسة ✅"
LIVE_TOAST_ALREADY_JOINED = "أنت منضمّ إلى الجلسة من قبل."
LIVE_TOAST_RECORDED = "سُجّلت إجابتك ({choice}). تظهر النتيجة حين يُكشف السؤال."
LIVE_TOAST_ALREADY = "لقد أجبت عن هذا السؤال من قبل، وتُحتسب إجابتك الأولى وحدها."
LIVE_TOAST_CLOSED = "انتهى وقت هذا السؤال، ولم تُسجَّل الإجابة."
LIVE_TOAST_PAUSED = "الجلسة متوقفة مؤقتًا، فانتظر حتى تُستأنف."
LIVE_TOAST_SELECTION = "اختيارك الآن: {choices}. اضغط «تأكيد اختياري» حين تنتهي."
LIVE_TOAST_SELECTION_EMPTY = "لم تختر شيئًا بعد."
LIVE_TOAST_PICK_FIRST = "اختر خيارًا واحدًا على الأقل، ثم اضغط «تأكيد اختياري»."

LIVE_REVEAL = (
    "{header}\n{prompt}\n\n"
    "{reason}\n"
    "✅ <b>الإجابة الصحيحة:</b> {correct}\n\n"
    "{bars}\n\n"
    "{totals}\n\n"
    "<b>الشرح:</b> {explanation}\n\n"
    "{evidence}"
    "{next}"
)
# RLM: a bar line has no Arabic letter to make it right-to-left on its own.
LIVE_BAR = "{mark}{letter}) {text}\n\u200f{bar} {count} · {percent}"
BAR_FULL = "█"
BAR_EMPTY = "░"
LIVE_TOTALS = "📨 الإجابات: {answers} من {joined} · الصحيحة منها: {correct}"
LIVE_REASON_TIMEOUT = "⌛ انتهى الوقت."
LIVE_REASON_ALL_ANSWERED = "👏 أجاب الجميع."
LIVE_REASON_SKIPPED = "⏭ كشف المعلم الإجابة."
LIVE_REASON_STOPPED = "⏹ أنهى المعلم الجلسة."
LIVE_NEXT = "\n\n⏭ السؤال التالي عند {time}."
LIVE_NEXT_PAUSED = "\n\n⏸ الجلسة متوقفة مؤقتًا."

LIVE_LEADERBOARD = "🏆 <b>الترتيب بعد السؤال {number} من {total}</b>\n\n{lines}\n\n{participants}"
LIVE_RANK_LINE = "{rank}. {name} — {points}"
LIVE_PODIUM_LINE = "{medal} {name} — {points}"
LIVE_MEDALS = ("🥇", "🥈", "🥉")
LIVE_POINTS_DECIMAL = "{n} نقطة"
LIVE_PARTICIPANTS = "👥 المشاركون: {count}"
LIVE_NOBODY = "لم يشارك أحد."
LIVE_FINAL = "🏁 <b>انتهت الجلسة: {title}</b>\n\n{ranking}\n\n{participants}"
LIVE_FINAL_STOPPED = (
    "⏹ <b>أنهى المعلم الجلسة: {title}</b>\n"
    "النتائج بعد السؤال {number} من {total}:\n\n{ranking}\n\n{participants}"
)
LIVE_STANDINGS = (
    "🏆 <b>الترتيب العام في هذه المجموعة</b>\n"
    "عدد الجلسات المنتهية: {sessions}\n\n{lines}\n\n{participants}"
)
LIVE_STANDINGS_EMPTY = "لم تنتهِ أي جلسة مباشرة في هذه المجموعة بعد. يبدأ المعلم جلسة بالأمر /quiz."

# --- teachers: homework, exports, reports, stats; privacy (/forgetme) ------------------------

PRIVATE_COMMANDS.update(
    {
        "export": "تصدير نتائج صفوفك (للمعلّم)",
        "report": "رسم بياني لآخر جلسة أو واجب (للمعلّم)",
        "stats": "المشاركة والمتوسطات في صفوفك (للمعلّم)",
        "forgetme": "حذف بياناتي",
    }
)
GROUP_COMMANDS.update(
    {
        "homework": "واجب منزلي برابط: /homework المجموعة [الموعد] (للمعلّم)",
        "export": "إرسال نتائج الصف إليك في الخاص (للمعلّم)",
        "report": "رسم بياني لآخر جلسة أو واجب (للمعلّم)",
        "stats": "المشاركة والمتوسطات في هذا الصف (للمعلّم)",
    }
)


# Who may do what.
NOT_TEACHER = "هذا الأمر للمعلّمين فقط."
NOT_TEACHER_BUTTON = "هذا الزر للمعلّم فقط."
# Telegram could not say (getChatMember failed) whether the sender administers the group.
TEACHER_CHECK_FAILED = (
    "تعذّر التحقق الآن من صلاحيات المعلّم لدى تيليجرام، ولم يتغير شيء. حاول مرة أخرى بعد قليل."
)
NOT_TEACHER_ANYWHERE = (
    "لست معلّمًا في أي صف أعرفه. أرسل الأمر داخل مجموعة الصف التي أنت مشرف فيها، "
    "أو اطلب من مدير البوت إضافة معرّفك إلى قائمة المعلّمين."
)
CHOOSE_CLASS = "اختر الصف:"
START_BOT_FIRST = (
    "لا أستطيع أن أرسل إليك في المحادثة الخاصة بعد. افتح المحادثة مع البوت واضغط «ابدأ»، "
    "ثم أعد الأمر: {link}"
)
SENT_PRIVATELY = "أرسلتُ إليك النتائج في المحادثة الخاصة."

# Homework.
DEADLINE_FORMATS = (
    "صيغ الموعد: مدة مثل <code>3d</code> (أيام) أو <code>12h</code> (ساعات) "
    "أو <code>90m</code> (دقائق)، أو تاريخ مثل <code>2026-12-01</code> (نهاية ذلك اليوم)، "
    "أو تاريخ ووقت مثل <code>2026-12-01T18:00</code>، بتوقيت {zone}."
)
HOMEWORK_USAGE = (
    "أرسل رمز مجموعة الأسئلة، ثم موعد التسليم إن شئت، مثل:\n"
    "<code>/homework {example} 3d</code>\n"
    "{formats}\n"
    "المجموعات المتاحة: {banks}"
)
HOMEWORK_BANK_LINE = "<code>{id}</code> ({title})"
HOMEWORK_UNKNOWN_BANK = "لا توجد مجموعة أسئلة بالرمز {bank}.\nالمجموعات المتاحة: {banks}"
HOMEWORK_BAD_DEADLINE = "لم أفهم موعد التسليم {text}.\n{formats}"
HOMEWORK_PAST_DEADLINE = "موعد التسليم {text} قد مضى. اختر موعدًا في المستقبل."
HOMEWORK_FAR_DEADLINE = "موعد التسليم {text} بعيد جدًّا؛ أقصى مدة سنة واحدة."
HOMEWORK_POSTED = (
    "📚 <b>واجب منزلي: {title}</b>\n"
    "{questions}. {deadline}\n\n"
    "افتح الرابط وأجب في المحادثة الخاصة مع البوت. لا يرى نتيجتك غيرك وغير معلّمك:\n"
    "{link}"
)
HOMEWORK_DEADLINE = "آخر موعد للتسليم: {date}."
HOMEWORK_NO_DEADLINE = "لا موعد نهائي للتسليم."
BUTTON_HOMEWORK_OPEN = "ابدأ الواجب 📝"
BUTTON_HOMEWORK_PENDING = "من لم يُنجزه بعد؟ (للمعلّم) 📋"
HOMEWORK_STARTED = (
    "📚 <b>واجب صف «{class_title}»: {title}</b>\n{description}\n\n"
    "عدد الأسئلة: {questions}. {deadline}\n"
    "تُحتسب هذه المحاولة لصفك، ولا يرى نتيجتها غيرك وغير معلّمك."
)
HOMEWORK_CLOSED = "انتهى موعد تسليم هذا الواجب في {date}، فلم يعد الرابط يعمل."
HOMEWORK_LINK_UNKNOWN = "هذا الرابط غير صالح. اطلب من معلّمك رابطًا جديدًا."
HOMEWORK_BANK_GONE = "لم تعد مجموعة أسئلة هذا الواجب متاحة. اطلب من معلّمك واجبًا جديدًا."
HOMEWORK_ALREADY_DONE = "أنجزت هذا الواجب من قبل، وسُجّلت نتيجتك. أرسل /score لتراها."
HOMEWORK_NOT_MEMBER = "هذا الواجب لطلاب صف «{class_title}» فقط."
HOMEWORK_STATUS = (
    "📋 <b>الواجب: {title}</b> — صف «{class_title}»\n"
    "{deadline}\n"
    "أنجزه {done} من {members}.\n\n"
    "{pending}\n\n"
    "<i>طلاب الصف هم من رآهم البوت في المجموعة أو فتحوا رابط الواجب.</i>"
)
HOMEWORK_PENDING = "<b>لم يُنجزه بعد:</b>\n{names}"
HOMEWORK_ALL_DONE = "أنجزه كل طلاب الصف المعروفين. 🎉"
HOMEWORK_NO_ROSTER = "لم يرَ البوت أي طالب في هذه المجموعة بعد."
HOMEWORK_LIST_SENT = "أرسلتُ إليك القائمة في المحادثة الخاصة."
HOMEWORK_GROUP_ONLY = "أرسل هذا الأمر في مجموعة الصف، لا في المحادثة الخاصة."
HOMEWORK_OPEN_PRIVATE_FIRST = "افتح المحادثة الخاصة مع البوت واضغط «ابدأ» أولًا."
NAME_LINE = "• {name}"

# Export (file captions; the column names are in the files).
EXPORT_EMPTY = "لا توجد نتائج لصف «{title}» بعد: لا واجبات منجزة ولا جلسات منتهية."
EXPORT_CAPTION_RESULTS = "نتائج صف «{title}»: سطر لكل طالب في كل جلسة أو واجب."
EXPORT_CAPTION_ANSWERS = "إجابات صف «{title}»: سطر لكل إجابة."
EXPORT_CAPTION_WORKBOOK = (
    "ملف Excel لصف «{title}»: ملخص الطلاب، وتحليل الأسئلة والفقرات، وردود النقاش."
)
KIND_LABELS = {"homework": "واجب منزلي", "live": "جلسة مباشرة", "practice": "تدريب"}
YES = "نعم"
NO = "لا"
ANONYMOUS = "طالب محذوف"
SHEET_STUDENTS = "الطلاب"
SHEET_RESULTS = "النتائج"
SHEET_QUESTIONS = "الأسئلة"
SHEET_PARAGRAPHS = "الفقرات"
SHEET_DISCUSSION = "ردود النقاش"
RESULT_COLUMNS = (
    "الاسم",
    "اسم المستخدم",
    "معرّف تيليجرام",
    "مجموعة الأسئلة",
    "النوع",
    "التاريخ",
    "الدرجة",
    "من",
    "النسبة المئوية",
    "الوقت (ثوانٍ)",
)
ANSWER_COLUMNS = (
    "الاسم",
    "اسم المستخدم",
    "معرّف تيليجرام",
    "مجموعة الأسئلة",
    "النوع",
    "التاريخ",
    "رمز السؤال",
    "السؤال",
    "الإجابة",
    "صحيحة",
    "الدرجة",
    "زمن الإجابة (ثوانٍ)",
)
STUDENT_COLUMNS = (
    "الاسم",
    "اسم المستخدم",
    "معرّف تيليجرام",
    "عدد الجلسات والواجبات",
    "متوسط النسبة",
    "أعلى نسبة",
    "مجموع الوقت (دقائق)",
    "آخر مشاركة",
)
QUESTION_COLUMNS = (
    "مجموعة الأسئلة",
    "رقم السؤال",
    "رمز السؤال",
    "السؤال",
    "الفقرات",
    "عدد الإجابات",
    "السهولة (٪ صحيح)",
    "معامل التمييز",
    "الإجابة الخاطئة الأكثر اختيارًا",
    "عدد من اختاروها",
    "الفهم الخاطئ الذي تكشفه",
)
PARAGRAPH_COLUMNS = (
    "الفقرة",
    "بداية الفقرة",
    "عدد الأسئلة",
    "عدد الإجابات",
    "٪ صحيح",
)
DISCUSSION_COLUMNS = ("الاسم", "اسم المستخدم", "مجموعة الأسئلة", "السؤال", "الرد", "التاريخ")
CHART_QUESTIONS_TITLE = "السهولة: ٪ الإجابات الصحيحة لكل سؤال"
CHART_PARAGRAPHS_TITLE = "٪ الإجابات الصحيحة حسب فقرة المقال"
CHART_PERCENT_AXIS = "٪ صحيح"

# /report: a PNG of the class's last session or homework.
REPORT_EMPTY = "لا توجد في صف «{title}» جلسة منتهية ولا واجب منجز بعد."
REPORT_CAPTION = (
    "📊 <b>{kind}: {bank}</b> — صف «{class_title}»\n{date} · {takers} · متوسط النتائج {average}"
)
REPORT_TITLE = "{kind}: {bank} — {date}"
# {sign}: the percent sign of the configured digits (Formatter.percent_sign()).
REPORT_QUESTIONS = "{sign} الإجابات الصحيحة لكل سؤال"
REPORT_PARAGRAPHS = "{sign} الإجابات الصحيحة حسب الفقرة (الأقصر أصعب)"
REPORT_AXIS = "{sign} صحيح"
REPORT_QUESTION_LABEL = "س{number}"
REPORT_PARAGRAPH_LABEL = "ف{number}"
REPORT_NO_DATA = "لا بيانات"

# /stats.
STATS_HEADER = "📈 <b>صفوفك</b>"
STATS_CLASS = (
    "<b>{title}</b>\n"
    "• طلاب الصف المعروفون: {members}\n"
    "• شارك منهم: {participants}\n"
    "• الواجبات: {homework} · الجلسات المباشرة: {live}\n"
    "• متوسط النتائج: {average}"
)
STATS_NO_AVERAGE = "لا نتائج بعد"

# /forgetme.
FORGET_CONFIRM = (
    "⚠️ سيُحذف اسمك ومعرّفك ونتائجك وما كتبته من ردود نهائيًّا، ولا يمكن التراجع.\n"
    "تبقى إجاباتك على الأسئلة بلا أي اسم، لتُحسب في إحصاءات الصف فقط.\n"
    "هل تريد المتابعة؟"
)
BUTTON_FORGET_YES = "نعم، احذف بياناتي"
BUTTON_FORGET_NO = "لا، تراجعت"
FORGET_DONE = "🗑️ حُذفت بياناتك. إن أرسلت /start لاحقًا فستبدأ من جديد."
FORGET_KEPT = "لم يُحذف شيء."

# --- discussion: typed answers, discussion responses, private peer rounds, evidence, /ask ---

NOUNS["character"] = {
    "zero": "{n} حرف",
    "one": "حرف واحد",
    "two": "حرفان",
    "few": "{n} أحرف",
    "many": "{n} حرفًا",
    "other": "{n} حرف",
}

QUESTION_SHORT_HINT = "<i>اكتب إجابتك القصيرة في رسالة.</i>"
QUESTION_DISCUSSION_HINT = (
    "<i>اكتب رأيك في رسالة ({length} على الأقل). لا توجد إجابة واحدة صحيحة، "
    "والمهم أن تستند إلى ما في المقال.</i>"
)
QUESTION_DISCUSSION_HINT_FREE = (
    "<i>اكتب رأيك في رسالة. لا توجد إجابة واحدة صحيحة، والمهم أن تستند إلى ما في المقال.</i>"
)
QUESTION_EVIDENCE_HINT = (
    "<i>انسخ الجملة من المقال والصقها في رسالة. لقراءة فقرة أرسل /article ورقمها.</i>"
)
QUESTION_PEER_HINT = "<i>صوّت الآن. لن تظهر الإجابة قبل أن تراجع المقال وتصوّت مرة ثانية.</i>"

# Bad input: nothing is recorded, the student sends the answer again.
TEXT_EMPTY = "لم أجد في رسالتك حروفًا أو أرقامًا. اكتب إجابتك نصًّا ثم أرسلها."
TEXT_TOO_LONG = (
    "رسالتك طويلة جدًّا ({length})، والحد الأقصى {limit}. اختصرها ثم أرسلها مرة أخرى؛ لم يُسجَّل شيء."
)
TEXT_NOT_ARABIC = (
    "اكتب إجابتك بالعربية من فضلك. إن ظهرت الحروف لاتينية فغيّر لغة لوحة المفاتيح ثم أعد الإرسال."
)
TEXT_TOO_SHORT = (
    "ردّك قصير: كتبت {length}، والمطلوب {minimum} على الأقل. وضّح رأيك واستند إلى المقال، "
    "ثم أرسله مرة أخرى."
)
MEDIA_NOT_TEXT = "لا أستطيع قراءة الملصقات أو الصور أو الرسائل الصوتية. اكتب إجابتك نصًّا في رسالة."
MEDIA_NO_QUESTION = (
    "لا أستطيع قراءة الملصقات أو الصور أو الرسائل الصوتية. أرسل /start لتختار مجموعة أسئلة، "
    "أو اكتب /ask ثم سؤالك لتبحث عنه في المقال."
)
NO_TEXT_QUESTION = (
    "لا يوجد سؤال ينتظر إجابة مكتوبة الآن. أرسل /start لتختار مجموعة أسئلة، "
    "أو اكتب /ask ثم سؤالك لتبحث عنه في المقال."
)
ANSWER_WITH_BUTTONS = "يُجاب عن هذا السؤال بالضغط على أحد الأزرار تحته."
ALREADY_ANSWERED = "سُجّلت إجابتك عن هذا السؤال من قبل. اضغط الزر تحت التصحيح لتتابع."

# Short answers.
VERDICT_FUZZY = "إجابتك صحيحة مع خطأ إملائي بسيط؛ تُكتب: {answer}."
ACCEPTED_ALSO = "{answer} <i>(ويُقبل أيضًا: {others})</i>"

# Discussion responses.
DISCUSSION_FEEDBACK = (
    "{header}\n{prompt}\n\n"
    "{recorded}\n\n"
    "{points}\n\n"
    "<b>للتأمل:</b> {explanation}\n\n"
    "<i>أسئلة النقاش لا تُصحَّح ولا تُحتسب في النتيجة.</i>"
)

# Evidence.
EVIDENCE_FEEDBACK = (
    "{header}\n{prompt}\n\n"
    "{mark} {verdict}\n"
    "{your_answer}"
    "{elsewhere}"
    "\n<b>الشرح:</b> {explanation}\n\n"
    "{paragraphs}"
)
VERDICT_EVIDENCE_PARTIAL = "نسخت جزءًا من الجملة الداعمة فقط، أو أضفت إليها كثيرًا، فلك نصف الدرجة."
VERDICT_EVIDENCE_ELSEWHERE = "هذه جملة من المقال، لكنها ليست الجملة التي تدعم الإجابة."
EVIDENCE_ELSEWHERE = "<i>الجملة التي نسختها من الفقرة {paragraph}.</i>\n"
EVIDENCE_PARAGRAPH = (
    "<b>الجملة الداعمة</b> (بخط عريض) في الفقرة {number}:\n<blockquote>{text}</blockquote>"
)
EVIDENCE_YOUR_PARAGRAPH = "<b>الفقرة {number}</b> التي نسخت منها:\n<blockquote>{text}</blockquote>"
HIGHLIGHT = "{before}<b>{part}</b>{after}"

# Peer rounds played alone: vote, look again at the paragraphs, vote again, reveal.
PEER_RECONSIDER = (
    "{header}\n{prompt}\n\n"
    "{options}\n\n"
    "🗳️ <b>تصويتك الأول:</b> {first}\n\n"
    "🤔 <b>قبل أن تصوّت مرة ثانية</b> (خذ {time} للتفكير):\n"
    "• ماذا يقول المقال بالضبط؟ ومن يقوله؟ وبأي درجة من اليقين؟\n"
    "• ما أقوى حجة قد يقدّمها زميل اختار إجابة أخرى؟\n\n"
    "{paragraphs}\n\n"
    "<i>صوّت مرة ثانية: يمكنك أن تبقى على اختيارك أو أن تغيّره.</i>"
)
PEER_PARAGRAPH = "<b>الفقرة {number}:</b>\n<blockquote>{text}</blockquote>"
PEER_REVEAL = (
    "{header}\n{prompt}\n\n"
    "{mark} {verdict}\n"
    "🗳️ <b>تصويتك الأول:</b> {first}\n"
    "🗳️ <b>تصويتك الثاني:</b> {second}\n"
    "{shift}\n"
    "{notes}"
    "<b>الإجابة الصحيحة:</b> {correct}\n\n"
    "<b>الشرح:</b> {explanation}\n\n"
    "{evidence}"
)
SHIFT_STAYED_RIGHT = "↔️ ثبتَّ على الإجابة الصحيحة بعد مراجعة المقال."
SHIFT_TO_RIGHT = "⬆️ غيّرت رأيك إلى الإجابة الصحيحة بعد مراجعة المقال. أحسنت!"
SHIFT_TO_WRONG = "⬇️ كان تصويتك الأول صحيحًا، ثم عدلت عنه."
SHIFT_STAYED_WRONG = "↔️ بقيت على اختيارك نفسه."
SHIFT_OTHER_WRONG = "↪️ غيّرت اختيارك، لكن إلى إجابة أخرى غير صحيحة."
TOAST_FIRST_VOTE = "سُجّل تصويتك الأول. راجع الفقرة ثم صوّت مرة ثانية."

# /ask, in private and in groups.
ASK_USAGE = (
    "اكتب سؤالك بعد الأمر، مثل:\n/ask لماذا لم يرد بوتين على احتجاز مادورو؟\n"
    "وسأعرض عليك أقرب الجمل إليه من المقال."
)
ASK_RESULTS = (
    "🔎 <b>أقرب ما في المقال إلى سؤالك:</b>\n\n{hits}\n\n"
    "<i>لقراءة الفقرة كاملة أرسل /article ورقمها.</i>"
)
ASK_NOTHING = (
    "لم أجد في المقال ما يجيب عن سؤالك. جرّب كلمات أخرى من نص المقال، "
    "أو اقرأ الفقرات بالأمر /article."
)
ASK_TOO_LONG = "سؤالك طويل جدًّا ({length})، والحد الأقصى {limit}. اختصره ثم أعد المحاولة."

# --- live sessions: typed replies, discussion prompts, peer rounds -----------------------------

# The lobby's choice of quoting discussion responses (shown only for banks with prompts).
LIVE_RESPONSES_ON = "💬 عند كشف كل سؤال نقاش تُعرض بعض الردود دون أسماء أصحابها.\n"
LIVE_RESPONSES_OFF = "💬 عند كشف كل سؤال نقاش يُعرض عدد الردود فقط، لا نصوصها.\n"
LIVE_BUTTON_RESPONSES_ON = "💬 عرض ردود النقاش: مفعّل"
LIVE_BUTTON_RESPONSES_OFF = "💬 عرض ردود النقاش: معطّل"

# Typed answers are replies to the question message; nothing is posted per reply.
LIVE_REPLY_SHORT_HINT = (
    "✍️ <i>أجب بالردّ على هذه الرسالة (اضغط عليها مطوّلًا ثم «ردّ») بكلمة أو عبارة قصيرة. "
    "يُحتسب ردّك النصّي الأول وحده.</i>"
)
LIVE_REPLY_EVIDENCE_HINT = (
    "✍️ <i>ردّ على هذه الرسالة (اضغط عليها مطوّلًا ثم «ردّ») بالجملة التي تدعم الإجابة، "
    "منسوخةً من المقال. يُحتسب ردّك النصّي الأول وحده.</i>"
)
LIVE_REPLY_DISCUSSION_HINT = (
    "💬 <i>ردّ على هذه الرسالة (اضغط عليها مطوّلًا ثم «ردّ») برأيك مستندًا إلى المقال، "
    "من {minimum} إلى {limit}. لا يُصحَّح الردّ ولا تُحتسب عليه نقاط.</i>"
)
LIVE_REPLY_DISCUSSION_HINT_FREE = (
    "💬 <i>ردّ على هذه الرسالة (اضغط عليها مطوّلًا ثم «ردّ») برأيك مستندًا إلى المقال، "
    "في {limit} على الأكثر. لا يُصحَّح الردّ ولا تُحتسب عليه نقاط.</i>"
)
LIVE_REPLY_SHOWN_NOTE = "<i>قد تُعرض بعض الردود عند الكشف دون أسماء أصحابها.</i>"

# Peer rounds: vote (results hidden) -> discuss -> vote again -> both votes revealed.
LIVE_PEER_VOTE_HINT = (
    "🗳️ <b>التصويت الأول:</b> صوّت وحدك، فالنتائج مخفية. بعده نقاش قصير، ثم تصوّت مرة ثانية."
)
LIVE_PEER_REVOTE_HINT = (
    "🗳️ <b>التصويت الثاني:</b> صوّت من جديد بعد النقاش: ابقَ على اختيارك أو غيّره. يُحتسب تصويتك الأخير."
)
LIVE_PEER_DISCUSS = (
    "{header}\n\n{prompt}\n\n{options}\n\n"
    "{reason}\n"
    "🗳️ صوّت {answers} من {joined}، والنتائج مخفية حتى نهاية التصويت الثاني.\n\n"
    "💬 <b>ناقش زميلك:</b> لماذا اخترت ما اخترت؟ وماذا يقول المقال بالضبط؟ ({paragraphs})\n"
    "{status}"
)
LIVE_PEER_PARAGRAPH = "الفقرة {number}"
LIVE_PEER_REOPENS = "⏳ يُفتح التصويت من جديد بعد {seconds}، عند {time}."
LIVE_PEER_DISCUSS_PAUSED = "⏸ <b>الجلسة متوقفة مؤقتًا.</b> الوقت المتبقي للنقاش: {seconds}."
LIVE_VOTE_REASON_TIMEOUT = "⌛ انتهى وقت التصويت الأول."
LIVE_VOTE_REASON_ALL_ANSWERED = "👏 صوّت الجميع."
LIVE_VOTE_REASON_SKIPPED = "⏭ أغلق المعلم التصويت الأول."
LIVE_BUTTON_CLOSE_VOTE = "⏭ أغلق التصويت وابدأ النقاش"
LIVE_BUTTON_REVOTE = "⏭ افتح التصويت الثاني"
LIVE_TOAST_VOTE_RECORDED = "سُجّل تصويتك الأول ({choice}). النتائج مخفية، وبعد النقاش تصوّت مرة ثانية."
LIVE_TOAST_REVOTE_RECORDED = "سُجّل تصويتك الثاني ({choice}). تظهر النتيجة حين يُكشف السؤال."
LIVE_TOAST_ALREADY_VOTED = "صوّتَّ في هذه الجولة من قبل، ويُحتسب تصويتك الأول فيها."
LIVE_TOAST_DISCUSSING = "التصويت مغلق الآن للنقاش، ويُفتح من جديد بعد قليل."

LIVE_PEER_REVEAL = (
    "{header}\n{prompt}\n\n"
    "{reason}\n"
    "✅ <b>الإجابة الصحيحة:</b> {correct}\n\n"
    "{votes}\n"
    "{bars}\n\n"
    "{shift}\n"
    "{gain}\n"
    "{moves}"
    "{totals}\n\n"
    "<b>الشرح:</b> {explanation}\n\n"
    "{evidence}"
    "{next}"
)
# RLM: the bar lines start with a label, but keep them right-to-left like LIVE_BAR.
LIVE_PEER_BAR = (
    "{mark}{letter}) {text}\n"
    "\u200f{before} {first_bar} {first_count} · {first_percent}\n"
    "\u200f{after} {second_bar} {second_count} · {second_percent}"
)
LIVE_PEER_VOTES = "🗳️ <b>التصويتان، قبل النقاش وبعده:</b>"
LIVE_PEER_BEFORE = "قبل"
LIVE_PEER_AFTER = "بعد"
LIVE_PEER_SHIFT_UP = "📈 ارتفعت نسبة الإجابة الصحيحة بعد النقاش من {first} إلى {second}."
LIVE_PEER_SHIFT_DOWN = "📉 انخفضت نسبة الإجابة الصحيحة بعد النقاش من {first} إلى {second}."
LIVE_PEER_SHIFT_SAME = "↔️ بقيت نسبة الإجابة الصحيحة {first} قبل النقاش وبعده."
LIVE_PEER_MOVES = (
    "🔄 من صوّتوا مرتين: {both}. غيّر تصويتَه منهم {changed}: "
    "{to_right} إلى الإجابة الصحيحة، و{to_wrong} عنها.\n"
)
LIVE_PEER_TOTALS = "📨 التصويت الأول: {first} من {joined} · التصويت الثاني: {second} من {joined}"

# Reveals of typed questions.
LIVE_REVEAL_SHORT = (
    "{header}\n{prompt}\n\n"
    "{reason}\n"
    "✅ <b>الإجابة المقبولة:</b> {accepted}\n\n"
    "{totals}\n\n"
    "<b>الشرح:</b> {explanation}\n\n"
    "{evidence}"
    "{next}"
)
LIVE_REVEAL_EVIDENCE = (
    "{header}\n{prompt}\n\n{reason}\n{totals}\n\n<b>الشرح:</b> {explanation}\n\n{paragraphs}{next}"
)
LIVE_TOTALS_EVIDENCE = (
    "📨 الإجابات: {answers} من {joined} · الصحيحة منها: {correct} · الصحيحة جزئيًا: {partial}"
)
LIVE_REVEAL_DISCUSSION = (
    "{header}\n{prompt}\n\n"
    "{reason}\n"
    "📝 <b>ردّ {responded} من {joined}.</b>\n\n"
    "{responses}"
    "{points}\n\n"
    "<b>للتأمل:</b> {explanation}\n\n"
    "<i>أسئلة النقاش لا تُصحَّح ولا تُحتسب في النقاط.</i>"
    "{next}"
)
LIVE_RESPONSES_HEADER = "<b>من ردود الطلاب</b> (دون أسماء):"
LIVE_RESPONSE_LINE = "<blockquote>{text}</blockquote>"
LIVE_DISCUSSION_REASON_ALL_ANSWERED = "👏 ردّ الجميع."
LIVE_DISCUSSION_REASON_SKIPPED = "⏭ أنهى المعلم النقاش."

# --- test statistics: first attempts, reliability, item-rest correlation ---------------------

# Which attempts the statistics count (export sheet, /stats, /report).
ATTEMPTS_LABELS = {"first": "المحاولة الأولى لكل طالب", "all": "كل المحاولات"}
SHEET_STATISTICS = "ثبات الاختبار"
STATISTICS_ATTEMPTS_LINE = "المحاولات المحتسبة في إحصاءات الأسئلة: {attempts}"
STATISTICS_COLUMNS = (
    "مجموعة الأسئلة",
    "ملف المجموعة",
    "عدد الطلاب",
    "عدد الأسئلة",
    "متوسط الدرجات",
    "الانحراف المعياري",
    "معامل الثبات (ألفا كرونباخ)",
    "القراءة",
)
FLAGGED_COLUMNS = ("مجموعة الأسئلة", "ملف المجموعة", "رمز السؤال", "الارتباط المصحح", "التنبيه")
STATISTICS_NO_FLAGS = "لا أسئلة تمييزها سالب."
READING_LABELS = {
    "unsatisfactory": "غير مُرضٍ: راجع الأسئلة",
    "needs_checking": "مقبول، ويحتاج إلى مراجعة",
    "satisfactory": "مُرضٍ",
}
NOT_YET_MEANINGFUL = "لا دلالة لهذه الأرقام بعد: {students} فقط، ويلزم {minimum} على الأقل."
NO_ALPHA = "لا يُحسب الثبات لأقل من سؤالين."
# Extra columns of the questions sheet.
ITEM_REST_COLUMNS = ("الارتباط المصحح (السؤال مقابل بقية الاختبار)", "تنبيه")
FLAG_NEGATIVE = "تمييز سالب: راجع مفتاح الإجابة أو صياغة السؤال."
# /stats, one block per bank under the class.
STATS_BANK = (
    "• <b>{bank}</b>: {students} · المتوسط {mean} · الانحراف المعياري {sd}"
    " · الثبات α = {alpha} ({reading})"
)
STATS_BANK_NO_ALPHA = "• <b>{bank}</b>: {students} · المتوسط {mean} · الانحراف المعياري {sd}"
STATS_BANK_TOO_FEW = "• <b>{bank}</b>: {students} — لا دلالة للأرقام بعد (يلزم {minimum} على الأقل)"
STATS_FLAG = "  ⚠️ السؤال {question} في {file}: تمييزه سالب ({r})؛ راجع مفتاح الإجابة أو الصياغة."
STATS_ATTEMPTS_FIRST = (
    "<i>الإحصاءات من المحاولة الأولى لكل طالب. لحسابها من كل المحاولات: /stats all</i>"
)
STATS_ATTEMPTS_ALL = "<i>الإحصاءات من كل المحاولات. للعودة إلى المحاولة الأولى: /stats</i>"
REPORT_ATTEMPTS_FIRST = "المحاولة الأولى لكل طالب (لكل المحاولات: /report all)"
REPORT_ATTEMPTS_ALL = "كل المحاولات"
REPORT_ONLY_REPEATS = (
    "كل من شارك في آخر جلسة أو واجب سبق أن أجاب عن مجموعة الأسئلة نفسها، فلا محاولات أولى فيها."
    " أرسل /report all لعرض كل المحاولات."
)
REPORT_CAPTION_ATTEMPTS = "{caption}\nالمحاولات المحتسبة: {attempts}"
# The /report chart's legend.
REPORT_LEGEND = {
    "hard": "صعب (أقل من {hard})",
    "medium": "متوسط ({hard} إلى أقل من {medium})",
    "easy": "سهل ({medium} فأكثر)",
}

# --- Moodle and GIFT export (feedback lines inside the exported questions) -------------------

MOODLE_QUOTE = "«{quote}» — الفقرة {paragraph}"
MOODLE_POINTS = "نقاط للنقاش:"
MOODLE_POINT = "• {text}"
MOODLE_EVIDENCE = "الجملة الداعمة من المقال:"

# --- teacher's guide: the bot added to a class group -----------------------------------------

# Sent when the bot is added through the startgroup link (the group gets /start) or /start is
# sent in a group.
GROUP_WELCOME = (
    "أهلًا بالجميع! 👋 أنا بوت النقاش الصفّي.\n"
    "• يبدأ المعلّم جلسة أسئلة مباشرة بالأمر /quiz، ويرسل واجبًا بالأمر /homework.\n"
    "• /leaderboard — ترتيب جلسات هذه المجموعة.\n"
    "• للتدرّب وحدك ولرؤية نتائجك: افتح المحادثة الخاصة مع البوت واضغط «ابدأ»."
)

# --- Adaptive peer rounds ---------------------------------------------------------------------
# After the first vote: above the bank's band a short reveal, inside it the discussion, below it
# the teacher chooses between explaining first (the passage, then the re-vote) and discussing.

NOUNS["round"] = {
    "zero": "لا جولات",
    "one": "جولة واحدة",
    "two": "جولتان",
    "few": "{n} جولات",
    "many": "{n} جولةً",
    "other": "{n} جولة",
}


LIVE_ADAPT_CONSENSUS = (
    "🎯 <b>أجاب معظم الصف إجابة صحيحة من التصويت الأول</b> ({share})، "
    "فلا حاجة إلى نقاش ولا إلى تصويت ثانٍ."
)
LIVE_ADAPT_CONSENSUS_REVEAL = (
    "{header}\n{prompt}\n\n"
    "{reason}\n"
    "{consensus}\n\n"
    "✅ <b>الإجابة الصحيحة:</b> {correct}\n\n"
    "{bars}\n\n"
    "{totals}\n"
    "{gain}\n\n"
    "<b>الشرح:</b> {explanation}\n\n"
    "{evidence}"
    "{next}"
)
LIVE_ADAPT_CHOICE = (
    "{header}\n\n{prompt}\n\n{options}\n\n"
    "{reason}\n"
    "🗳️ صوّت {answers} من {joined}، والنتائج مخفية حتى نهاية التصويت الثاني.\n\n"
    "🧭 <b>أجاب أقل من {low} من المصوّتين إجابة صحيحة.</b> للمعلم أن يختار: "
    "أن يشرح أولًا، فيُعرض على الصف المقطع الذي يستند إليه السؤال ثم يُعاد التصويت، "
    "أو أن يبدأ النقاش كالمعتاد.\n"
    "{status}"
)
LIVE_ADAPT_CHOICE_WAIT = "⏳ إن لم يختر المعلم حتى {time} بدأ النقاش."
LIVE_ADAPT_CHOICE_PAUSED = "⏸ <b>الجلسة متوقفة مؤقتًا.</b> الوقت المتبقي للاختيار: {seconds}."
LIVE_ADAPT_EXPLAIN = (
    "{header}\n\n{prompt}\n\n{options}\n\n"
    "📖 <b>اختار المعلم أن يشرح أولًا.</b> اقرؤوا المقطع الذي يستند إليه السؤال، "
    "واستمعوا إلى شرح المعلم، ثم صوّتوا من جديد.\n\n"
    "{evidence}\n"
    "{status}"
)
LIVE_ADAPT_EXPLAIN_PAUSED = "⏸ <b>الجلسة متوقفة مؤقتًا.</b> الوقت المتبقي للشرح: {seconds}."
LIVE_BUTTON_EXPLAIN_FIRST = "📖 اشرح أولًا"
LIVE_BUTTON_DISCUSS_ANYWAY = "💬 ابدأ النقاش مع ذلك"
LIVE_TOAST_BETWEEN_VOTES = "التصويت مغلق الآن بين الجولتين، ويُفتح من جديد بعد قليل."

# Hake's normalized gain of a peer round: (post − pre) / (100 − pre) on the shares correct.
LIVE_ADAPT_GAIN = (
    "📐 <b>الكسب المعياري:</b> {gain}، أي نسبة ما تحقق من التحسّن الذي كان ممكنًا "
    "بعد التصويت الأول ({pre} ثم {post})."
)
LIVE_ADAPT_GAIN_NONE_FULL = (
    "📐 لا يُحسب الكسب المعياري: أجاب جميع المصوّتين إجابة صحيحة من التصويت الأول."
)
LIVE_ADAPT_GAIN_NONE_SKIPPED = "📐 لا يُحسب الكسب المعياري: لم يُجرَ تصويت ثانٍ."
LIVE_ADAPT_GAIN_NONE_VOTES = "📐 لا يُحسب الكسب المعياري: لم يصوّت أحد في إحدى الجولتين."

# The class's peer rounds over the term, in the export and in /report.
SHEET_PEER = "جولات الأقران"
PEER_COLUMNS = (
    "التاريخ",
    "المجموعة",
    "السؤال",
    "المصوّتون أولًا",
    "الصحيح أولًا",
    "المصوّتون ثانيًا",
    "الصحيح ثانيًا",
    "الكسب المعياري",
    "ملاحظة",
)
PEER_NOTE_FULL = "الجميع أصابوا أولًا"
PEER_NOTE_SKIPPED = "دون تصويت ثانٍ"
PEER_NOTE_NO_VOTES = "لا مصوّتين"
PEER_MEAN_ROW = "متوسط الكسب المعياري"
PEER_TREND = "📐 جولات الأقران: {rounds}، ومتوسط الكسب المعياري {mean} (حُسب في {counted} منها)."
PEER_TREND_CHANGE = (
    "📐 جولات الأقران: {rounds}، ومتوسط الكسب المعياري {mean} (حُسب في {counted} منها؛ "
    "النصف الأول {earlier}، والنصف الأخير {later})."
)
PEER_TREND_NONE = "📐 جولات الأقران: {rounds}، ولا كسب معياريًّا محسوبًا بعد."
# A re-vote after the teacher explained first: the reveal speaks of the explanation.
LIVE_ADAPT_VOTES_EXPLAINED = "🗳️ <b>التصويتان، قبل الشرح وبعده:</b>"
LIVE_ADAPT_SHIFT_UP = "📈 ارتفعت نسبة الإجابة الصحيحة بعد الشرح من {first} إلى {second}."
LIVE_ADAPT_SHIFT_DOWN = "📉 انخفضت نسبة الإجابة الصحيحة بعد الشرح من {first} إلى {second}."
LIVE_ADAPT_SHIFT_SAME = "↔️ بقيت نسبة الإجابة الصحيحة {first} قبل الشرح وبعده."
# --- several articles served at once ---------------------------------------------------------

WELCOME_MANY = (
    "أهلًا {name}! 👋\n"
    "أنا بوت النقاش الصفّي حول عدة مقالات، ولكل مقال مجموعات أسئلته.\n"
    "اختر مجموعة أسئلة لتبدأ، وبعد كل إجابة ترى الدليل من نص المقال نفسه."
)
CHOOSE_BANK_OF = "📄 مقال «{title}»\nاختر مجموعة أسئلة:"
ARTICLE_CHOOSE = "في البوت أكثر من مقال. أيّ مقال تقصد؟"
ARTICLE_NOT_A_NUMBER = "اكتب رقم الفقرة بعد الأمر، عددًا من ١ فصاعدًا، مثل: /article {example}"
ARTICLE_PARAGRAPH_OF = "<b>الفقرة {number}</b> من {total} — مقال «{title}»\n\n{text}"
ARTICLE_LIST = (
    "<b>فقرات مقال «{title}»</b> ({paragraphs}):\n\n{lines}\n\n"
    "لقراءة فقرة كاملة أرسل /article ورقمها، مثل: /article {example}"
)
ARTICLE_LIST_LINE = "<b>{number}.</b> {opening}…"
ASK_QUOTE_OF = "<blockquote>«{text}»</blockquote> — الفقرة {paragraph} من مقال «{title}»"
QUESTION_GONE = "(سؤال لم يعد في مجموعة الأسئلة)"
RESULT_CHANGED_COLUMN = "تغيّرت الأسئلة أو المقال بعده"
SHEET_PARAGRAPHS_OF = "الفقرات - {title}"
REPORT_QUESTION_ID_LABEL = "{question_id}"
REPORT_CAPTION_CHANGED = (
    "📊 <b>{kind}: {bank}</b> — صف «{class_title}»\n{date} · {takers} · متوسط النتائج {average}\n"
    "⚠️ عُدّلت مجموعة الأسئلة أو مقالها بعد ذلك، فقد لا تطابق الأسئلة الحالية ما سُئل."
)

# --- spaced review ---------------------------------------------------------------------------

NOUNS["day"] = {
    "zero": "{n} يوم",
    "one": "يوم واحد",
    "two": "يومين",
    "few": "{n} أيام",
    "many": "{n} يومًا",
    "other": "{n} يوم",
}
PRIVATE_COMMANDS["review"] = "مراجعة ما أخطأت فيه، ووقت التذكير اليومي"
REVIEW_DUE = "🔁 لديك {questions} للمراجعة."
REVIEW_NOTHING_DUE = (
    "🔁 لا شيء للمراجعة الآن. ما تخطئ فيه يعود إليك في الأيام التالية، وكلما أصبت طالت المدة."
)
REVIEW_WINDOW_ON = "⏰ تصلك رسالة مراجعة واحدة في اليوم على الأكثر، {window}."
REVIEW_WINDOW_OFF = (
    "⏰ التذكير اليومي متوقف. اختر وقتًا يناسبك لتصلك رسالة مراجعة واحدة في اليوم على الأكثر."
)
REVIEW_WINDOWS = {
    "morning": "صباحًا ({start}–{end})",
    "afternoon": "ظهرًا ({start}–{end})",
    "evening": "مساءً ({start}–{end})",
}
REVIEW_BUTTON_START = "▶️ ابدأ المراجعة"
REVIEW_BUTTON_OFF = "🔕 أوقف التذكير"
REVIEW_BUTTON_NEXT = "التالي ⬅️"
REVIEW_TOAST_SAVED = "حُفظ اختيارك."
REVIEW_EXPLANATION = "الفقرة {paragraph}: «{quote}»"
REVIEW_PASSAGE = "📖 <b>الفقرة {paragraph}</b> من المقال:\n«{passage}»"
REVIEW_DONE = "👏 أنهيت مراجعة اليوم."
REVIEW_QUESTION = "🔁 <b>مراجعة</b>\n{prompt}"
REVIEW_TYPED_QUESTION = "🔁 <b>مراجعة</b>\n{prompt}\n\n✍️ اكتب إجابتك في رسالة."
REVIEW_HEAD = "🔁 <b>مراجعة</b>"
REVIEW_NEXT_DAYS = "⏳ يعود إليك هذا السؤال بعد {days}."
REVIEW_FINISHED_ITEM = "🏁 أتقنت هذا السؤال، ولن يعود إليك."
SHEET_REVIEWS = "المراجعات"
EXPORT_CAPTION_REVIEWS = "مراجعات صف «{title}»: سطر لكل طالب وسؤال راجعه."
REVIEW_COLUMNS = (
    "الطالب",
    "رقم الطالب",
    "المجموعة",
    "السؤال",
    "نص السؤال",
    "المراجعات",
    "صحيح في المرة الثانية",
    "صحيح في المرة الثالثة",
    "آخر مراجعة",
)
