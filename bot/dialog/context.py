"""What every flow gets: the loaded content, the checker, the storage, and the user."""

from __future__ import annotations

from dataclasses import dataclass

from bot.check.engine import Checker
from bot.content.loader import Content
from bot.storage import Language, Storage, User


@dataclass(frozen=True)
class Services:
    """Long-lived things the flows use; built once at start-up."""

    content: Content
    checker: Checker
    storage: Storage
    default_language: Language = "zh-Hans"


@dataclass(frozen=True)
class Turn:
    """One input from one user: who they are, and where they wrote (private chat or group)."""

    services: Services
    user: User
    private: bool = True

    @property
    def content(self) -> Content:
        """The content being served."""
        return self.services.content

    @property
    def storage(self) -> Storage:
        """The storage for users and progress."""
        return self.services.storage
