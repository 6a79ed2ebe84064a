"""`python -m quizzes.loader FILE...`: validate banks without the bot installed."""

from quizzes.loader.files import main

raise SystemExit(main())
