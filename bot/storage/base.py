"""What the bot remembers about a user, and the storage interface the dialog uses.

Nothing here imports Telegram or a database driver: the dialog core depends on this
interface only, and `sqlite.py` implements it (PostgreSQL can follow behind the same one).
The text a senior checks is never passed to storage, so it cannot be stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.alerts.outbox import OutboxStore
from bot.stats.counters import StatsStore

Language = Literal["zh-Hans", "zh-Hant"]
LANGUAGES: tuple[Language, ...] = ("zh-Hans", "zh-Hant")


class StorageError(Exception):
    """The storage cannot be opened or used (bad DATABASE_URL, unsupported database, ...)."""


class StorageBusy(StorageError):
    """Another connection or process holds the database's write lock longer than a write
    may wait: the write did not happen; trying again a little later may succeed."""


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


Role = Literal["senior", "family"]
BroadcastStatus = Literal["draft", "queued", "cancelled"]


@dataclass(frozen=True)
class Subscription:
    """Someone who gets the alerts: a senior (老人本人) or a family member (家属)."""

    user_id: int
    role: Role
    region: str | None = None
    active: bool = True
    """False once the person blocked the bot; /subscribe turns it back on."""
    created: int = 0


@dataclass(frozen=True)
class FamilyLink:
    """A family member who is told when the senior meets a high-risk scam."""

    senior_id: int
    family_id: int
    senior_name: str | None = None
    family_name: str | None = None
    created: int = 0


@dataclass(frozen=True)
class LinkCode:
    """A valid or expired one-time family code (only its hash is stored)."""

    senior_id: int
    senior_name: str | None
    expires: int


@dataclass(frozen=True)
class Broadcast:
    """An admin's broadcast: a draft until confirmed, then queued in the outbox."""

    id: int
    admin_id: int
    text: str
    status: BroadcastStatus


class Storage(OutboxStore, StatsStore, Protocol):
    """The small interface the dialog core needs (plus the alert outbox, for the planner and
    the sender, and the daily counters, for the figures). Every call is short and
    synchronous."""

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

    def current_quiz(self, user_id: int, since: int) -> QuizProgress | None:
        """The unfinished quiz the user last moved on at or after `since`, if any."""
        ...

    # --- subscriptions ------------------------------------------------------------------------

    def get_subscription(self, user_id: int) -> Subscription | None:
        """The user's subscription (active or not), or None."""
        ...

    def subscribe(self, user_id: int, role: Role, now: int) -> Subscription:
        """Subscribe (or change the role); a subscription stopped by a block becomes active."""
        ...

    def set_region(self, user_id: int, region: str | None) -> None:
        """Set or clear the region of an existing subscription."""
        ...

    def unsubscribe(self, user_id: int, now: int) -> bool:
        """Stop the alerts and drop what is still queued; False when not subscribed."""
        ...

    def count_subscribers(self) -> int:
        """Active subscribers (what a broadcast would reach)."""
        ...

    # --- family links --------------------------------------------------------------------------

    def replace_link_code(
        self, senior_id: int, code_hash: str, senior_name: str | None, expires: int
    ) -> None:
        """Store a new one-time code for the senior; their older codes stop working."""
        ...

    def find_link_code(self, code_hash: str) -> LinkCode | None:
        """The code with this hash (valid or expired), or None."""
        ...

    def delete_link_code(self, code_hash: str) -> bool:
        """Use up a code; False when it was already used (two people racing)."""
        ...

    def record_link_failure(self, user_id: int, now: int) -> None:
        """Count one wrong /link try."""
        ...

    def link_failures_since(self, user_id: int, since: int) -> int:
        """Wrong /link tries of the user since `since`."""
        ...

    def add_link(self, link: FamilyLink) -> bool:
        """Link a family member to a senior; False when they were linked already."""
        ...

    def remove_link(self, senior_id: int, family_id: int) -> bool:
        """Unlink; False when there was no such link."""
        ...

    def links_of(self, user_id: int) -> list[FamilyLink]:
        """Every link the user is in, as senior or as family member, oldest first."""
        ...

    # --- admin broadcasts ----------------------------------------------------------------------

    def create_broadcast(self, admin_id: int, text: str, now: int) -> int:
        """Save a broadcast draft; returns its id."""
        ...

    def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast, or None."""
        ...

    def queue_broadcast(self, broadcast_id: int, not_before: float, now: float) -> int | None:
        """Turn a draft into outbox rows for every active subscriber, in one transaction.

        Returns the rows added, or None when it was not a draft (already queued or cancelled).
        """
        ...

    def cancel_broadcast(self, broadcast_id: int) -> bool:
        """Cancel a draft; False when it was not a draft."""
        ...

    # --- privacy -------------------------------------------------------------------------------

    def forget_user(self, user_id: int) -> None:
        """Delete every row that concerns the user, in every table."""
        ...

    def close(self) -> None:
        """Release the database connection."""
        ...
