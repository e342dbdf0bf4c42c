"""`Content`: everything the bot serves, as loaded models. Its own module so that the check
and the dialog need the models only, never the loader (which imports the check's users)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.models import (
    Alert,
    Blocklist,
    ConversationFile,
    Faq,
    Guidance,
    Pattern,
    Quiz,
    SignalFile,
)


@dataclass(frozen=True)
class Content:
    """Everything the bot serves, loaded and checked."""

    patterns: tuple[Pattern, ...]
    signals: SignalFile
    blocklist: Blocklist
    guidance: Guidance
    quizzes: tuple[Quiz, ...]
    alerts: tuple[Alert, ...] = ()
    conversation: ConversationFile | None = None
    """What a senior may say besides a message to check (None: every text is checked)."""
    faqs: tuple[Faq, ...] = ()

    def quiz(self, quiz_id: str) -> Quiz | None:
        """The quiz with this id, or None."""
        return next((q for q in self.quizzes if q.id == quiz_id), None)
