"""The async repository over one aiosqlite connection, its migrations and backups."""

# Lets quizbot tell its own package from another distribution's "storage" (bot/installation.py).
DISTRIBUTION = "quizbot"
