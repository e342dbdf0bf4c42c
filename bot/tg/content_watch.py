"""The content file watcher on PTB's JobQueue: a saved edit is served without a restart.

Every CONTENT_WATCH_SECONDS the content files' sizes and times are compared with the last
load (cheap); on a change everything is loaded again. Valid files replace the served content
at once; broken ones leave the last good content in place. Either way the admins are told,
once per change.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.dialog.lang import convert
from bot.dialog.router import Dialog
from bot.tg.logsafe import mask

log = logging.getLogger(__name__)

#: Where `build_application` keeps the watcher (`application.bot_data[WATCH_KEY]`).
WATCH_KEY = "sanbu.content_watch"
#: How often the content files are looked at for changes, in seconds.
CONTENT_WATCH_SECONDS = 5.0


class ContentWatcher:
    """Reloads the dialog's content when its files change, and tells the admins."""

    def __init__(self, dialog: Dialog, admin_ids: frozenset[int]) -> None:
        self.dialog = dialog
        self.admin_ids = admin_ids

    async def check(self, bot: Bot) -> str | None:
        """Reload if a file changed; returns what the admins were told (None: no change)."""
        # Loading and checking every file is CPU work: it runs in a thread, so the replies
        # to people chatting never wait for it.
        report = await asyncio.to_thread(self.dialog.watch_content)
        if report is None:
            return None
        log.info("content files changed: %s", report.splitlines()[0])
        await tell_admins(bot, self.dialog, self.admin_ids, report)
        return report

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.check(context.bot)
        except Exception:
            log.exception("content watch failed; trying again at the next tick")

    def start(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Look at the files every CONTENT_WATCH_SECONDS (from now on)."""
        if application.job_queue is None:
            raise RuntimeError("python-telegram-bot[job-queue] is required for the watcher")
        application.job_queue.run_repeating(
            self._job,
            interval=CONTENT_WATCH_SECONDS,
            first=CONTENT_WATCH_SECONDS,
            name="content-watch",
        )


async def tell_admins(bot: Bot, dialog: Dialog, admin_ids: frozenset[int], text: str) -> None:
    """Send `text` to every admin in their script; one who cannot be reached is skipped."""
    for admin_id in sorted(admin_ids):
        try:
            await bot.send_message(admin_id, convert(text, dialog.language_of(admin_id)))
        except TelegramError as exc:  # never started the bot, blocked it, ...
            log.warning("could not tell admin about the content: %s", mask(repr(exc)))
