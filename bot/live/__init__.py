"""The Telegram side of live group sessions: keyboards, rendering, in-process state, the engine.

Kept free of imports: bot.context imports bot.live.runtime, and the engine imports bot.context.
"""
