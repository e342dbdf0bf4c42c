"""Where the bot keeps users, their language and their quiz progress (never checked texts)."""

from __future__ import annotations

from bot.storage.base import (
    LANGUAGES,
    Language,
    Mistake,
    QuizProgress,
    Storage,
    StorageError,
    User,
)


def open_storage(database_url: str) -> Storage:
    """Open the storage named by DATABASE_URL (`sqlite:///path`); the schema is kept current."""
    from bot.storage.sqlite import SqliteStorage

    return SqliteStorage.from_url(database_url)


__all__ = [
    "LANGUAGES",
    "Language",
    "Mistake",
    "QuizProgress",
    "Storage",
    "StorageError",
    "User",
    "open_storage",
]
