"""The domain in plain Python: model, loader, article, Arabic text, grading, sessions."""

# Lets quizbot tell its own package from another distribution's "quizzes" (bot/installation.py).
DISTRIBUTION = "quizbot"
