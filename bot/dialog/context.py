"""What every flow gets: the content and checker served now, the storage, the clock, the user.

The content can be reloaded while the bot runs; a `Turn` holds the content and checker it
started with, so one reply never mixes old and new content.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.alerts.quiet import QuietHours
from bot.check.engine import Checker
from bot.content.bundle import Content
from bot.family import CALLBACK_INTERVAL, ShareBox, Throttle
from bot.served.live import ContentSource, Served, Serving
from bot.storage import Language, Storage, User
from bot.understand.reader import Reader

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Services:
    """Long-lived things the flows use; built once at start-up."""

    source: ContentSource
    """The content being served (swapped whole on /reload or a file change)."""
    storage: Storage
    default_language: Language = "zh-Hans"
    admin_ids: frozenset[int] = frozenset()
    quiet: QuietHours = field(default_factory=lambda: QuietHours(SHANGHAI))
    clock: Callable[[], float] = time.time
    shares: ShareBox = field(default_factory=ShareBox)
    """Checked texts held in memory for the 发给家人 button (never stored)."""
    callbacks: Throttle = field(default_factory=lambda: Throttle(CALLBACK_INTERVAL))
    """Limits 请家人给我回电话 so that a nervous tapping does not flood the family."""
    on_enqueued: Callable[[], None] = _nothing
    """Called after outbox rows were written (wakes the sender)."""

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return self.quiet.tz

    @property
    def content(self) -> Content:
        """The content served now (a flow reads `Turn.content` instead)."""
        return self.source.served.content

    @property
    def checker(self) -> Checker:
        """The checker served now (a flow reads `Turn.checker` instead)."""
        return self.source.served.checker


@dataclass(frozen=True)
class Turn(Serving):
    """One input from one user: who they are, and where they wrote (private chat or group).
    `content` and `checker` are those of `served`, as they were when the input arrived."""

    services: Services
    user: User
    served: Served
    """The content and checker as they were when this input arrived."""
    private: bool = True
    name: str | None = None
    """The person's display name on the channel (Telegram first name), when known."""
    args: str = ""
    """What followed the command (/link CODE, /broadcast TEXT)."""

    @property
    def now(self) -> float:
        """The current Unix time (the dialog's clock)."""
        return self.services.clock()

    def local_time(self) -> str:
        """Now, in local time, as people write it: 11月28日 14:05."""
        local = datetime.fromtimestamp(self.now, self.services.tz)
        return f"{local.month}月{local.day}日 {local:%H:%M}"

    @property
    def day(self) -> str:
        """Today's local date, 2026-11-28 (the key of the daily counters)."""
        return datetime.fromtimestamp(self.now, self.services.tz).date().isoformat()

    @property
    def is_admin(self) -> bool:
        """Whether the user is one of the configured admins."""
        return self.user.id in self.services.admin_ids

    @property
    def reader(self) -> Reader:
        """What tells a message to check from a question, a greeting or a cry for help."""
        return self.served.reader

    @property
    def storage(self) -> Storage:
        """The storage for users and progress."""
        return self.services.storage
