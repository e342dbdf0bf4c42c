"""Logging that never writes card, ID or phone numbers, nor the bot token.

Every formatted record — message, arguments and traceback — passes through `mask`, which
replaces each run of six or more digits (card numbers, ID numbers, phone numbers, chat ids).
"""

from __future__ import annotations

import logging
import re

_DIGIT_RUN = re.compile(r"\d{6,}")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")


def mask(text: str) -> str:
    """`text` with bot tokens and every run of 6+ digits masked."""
    text = _TOKEN.sub("<token>", text)
    return _DIGIT_RUN.sub(lambda m: m.group()[:2] + "*" * (len(m.group()) - 2), text)


class _NoTraceback(logging.Filter):
    """Keeps the record's line, drops its traceback (for expected, already-handled faults)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class MaskingFormatter(logging.Formatter):
    """A formatter whose output, tracebacks included, has long digit runs masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def configure_logging(level: str) -> None:
    """Log to stderr at `level`, masked; keep the HTTP client quiet (its URLs hold the token)."""
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # python-telegram-bot's DEBUG records print whole updates and requests, i.e. the texts
    # seniors check: never below INFO, whatever LOG_LEVEL says.
    telegram_logger = logging.getLogger("telegram")
    telegram_logger.setLevel(max(logging.INFO, root.level))
    # A garbled Bot API answer is logged by PTB with a JSON traceback; the bot retries it and
    # says so itself, so one line is enough.
    logging.getLogger("telegram.request.BaseRequest").addFilter(_NoTraceback())
