"""What the bot remembers about a user, and the storage interface the dialog uses.

Nothing here imports Telegram or a database driver: the dialog core depends on this
interface only, and `sqlite.py` implements it (PostgreSQL can follow behind the same one).
The text a senior checks is never passed to storage, so it cannot be stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

Language = Literal["zh-Hans", "zh-Hant"]
LANGUAGES: tuple[Language, ...] = ("zh-Hans", "zh-Hant")


class StorageError(Exception):
    """The storage cannot be opened or used (bad DATABASE_URL, unsupported database, ...)."""


@dataclass(frozen=True)
class User:
    """One person who talked to the bot. Times are Unix seconds (UTC)."""

    id: int
    language: Language
    created: int
    last_seen: int


@dataclass(frozen=True)
class Mistake:
    """A question answered wrongly: its 0-based index and the 0-based option chosen."""

    question: int
    chosen: int


@dataclass(frozen=True)
class QuizProgress:
    """Where a user is in one quiz; `position` is the next question to ask (0-based)."""

    user_id: int
    quiz_id: str
    position: int = 0
    score: int = 0
    mistakes: tuple[Mistake, ...] = field(default=())
    finished: bool = False


class Storage(Protocol):
    """The small interface the dialog core needs. Every call is short and synchronous."""

    def touch_user(self, user_id: int, default_language: Language, now: int) -> User:
        """The user, created with `default_language` if new; `last_seen` becomes `now`."""
        ...

    def get_user(self, user_id: int) -> User | None:
        """The user, or None if the bot holds nothing about them."""
        ...

    def set_language(self, user_id: int, language: Language) -> None:
        """Remember the script the user wants to read."""
        ...

    def get_progress(self, user_id: int, quiz_id: str) -> QuizProgress | None:
        """The user's progress in one quiz, or None if never started."""
        ...

    def all_progress(self, user_id: int) -> dict[str, QuizProgress]:
        """The user's progress in every quiz started, by quiz id."""
        ...

    def save_progress(self, progress: QuizProgress) -> None:
        """Insert or replace the progress for (user, quiz)."""
        ...

    def forget_user(self, user_id: int) -> None:
        """Delete every row that concerns the user, in every table."""
        ...

    def close(self) -> None:
        """Release the database connection."""
        ...
