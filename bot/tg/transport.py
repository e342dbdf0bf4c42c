"""The alert sender's `Transport` on a python-telegram-bot `Bot`: Telegram's errors mapped
onto the core's delivery errors (bot.alerts.transport)."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.alerts.transport import Blocked, Permanent, RetryLater, Temporary
from bot.tg.logsafe import mask

#: BadRequest descriptions that mean the chat is gone for good (like a block).
GONE = ("chat not found", "user is deactivated", "bot was blocked", "peer_id_invalid")


def retry_seconds(exc: RetryAfter) -> float:
    """Telegram's wait, whether PTB gives it as seconds or as a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB's int -> timedelta migration notice
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramTransport:
    """Sends alert texts with `bot` (its own connection pool, no interactive rate limiter)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text(self, chat_id: int, text: str) -> None:
        """Send one plain-text message; returns once Telegram answered OK."""
        try:
            await self.bot.send_message(chat_id, text)
        except RetryAfter as exc:
            raise RetryLater(retry_seconds(exc), "429 flood control") from None
        except Forbidden as exc:
            raise Blocked(f"403 {mask(exc.message)}") from None
        except BadRequest as exc:
            if any(phrase in exc.message.lower() for phrase in GONE):
                raise Blocked(f"400 {mask(exc.message)}") from None
            raise Permanent(f"400 {mask(exc.message)}") from None
        except ChatMigrated as exc:
            raise Permanent(f"chat migrated: {mask(str(exc))}") from None
        except TimedOut as exc:
            raise Temporary(f"timeout: {mask(exc.message)}") from None
        except NetworkError as exc:
            raise Temporary(f"network: {mask(exc.message)}") from None
        except TelegramError as exc:
            raise Temporary(f"telegram: {mask(exc.message)}") from None
