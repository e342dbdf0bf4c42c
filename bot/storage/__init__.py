"""Where the bot keeps users, quiz progress, subscriptions, family links and the alert
outbox (never checked texts)."""

from __future__ import annotations

from bot.storage.base import (
    LANGUAGES,
    Broadcast,
    FamilyLink,
    Language,
    LinkCode,
    Mistake,
    QuizProgress,
    Role,
    Storage,
    StorageBusy,
    StorageError,
    Subscription,
    User,
)


def open_storage(database_url: str) -> Storage:
    """Open the storage named by DATABASE_URL (`sqlite:///path`); the schema is kept current."""
    from bot.storage.sqlite import SqliteStorage

    return SqliteStorage.from_url(database_url)


__all__ = [
    "LANGUAGES",
    "Broadcast",
    "FamilyLink",
    "Language",
    "LinkCode",
    "Mistake",
    "QuizProgress",
    "Role",
    "Storage",
    "StorageBusy",
    "StorageError",
    "Subscription",
    "User",
    "open_storage",
]
