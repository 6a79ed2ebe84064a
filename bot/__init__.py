"""Telegram only: the application, its handlers, texts and the quizbot command line."""

# Lets quizbot tell its own package from another distribution's "bot" (bot/installation.py).
DISTRIBUTION = "quizbot"
