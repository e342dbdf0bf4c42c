"""The fraud check: normalise a message, match it against patterns, give a verdict.

This package never imports `telegram`: the bot, the console and the batch command all
drive the same engine.
"""

from bot.check.engine import Checker, Verdict

__all__ = ["Checker", "Verdict"]
