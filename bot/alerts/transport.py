"""How the sender reaches a chat, and the ways a delivery can fail, without Telegram types.

`bot.tg.transport` maps python-telegram-bot's errors onto these; tests and benchmarks can
plug in any object with `send_text`.
"""

from __future__ import annotations

from typing import Protocol


class Transport(Protocol):
    """Sends one text message to one chat; returns only once the messenger confirmed it."""

    async def send_text(self, chat_id: int, text: str) -> None:
        """Send `text`; raise one of the `DeliveryError`s below when it was not accepted."""
        ...


class DeliveryError(Exception):
    """A message was not accepted; `reason` is short and holds no message text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:200]


class Blocked(DeliveryError):
    """The person blocked the bot (or the chat is gone): stop sending to them."""


class RetryLater(DeliveryError):
    """Flood control: wait `seconds`, then send again (it is not the message's fault)."""

    def __init__(self, seconds: float, reason: str = "flood control") -> None:
        super().__init__(reason)
        self.seconds = max(0.0, float(seconds))


class Temporary(DeliveryError):
    """A timeout, a network error or a server error: retry a few times, with backoff."""


class Permanent(DeliveryError):
    """The message itself was refused (bad request): retrying would not help."""
