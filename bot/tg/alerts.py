"""Alerts on Telegram: the planner on PTB's JobQueue, the sender as a background task.

The sender has its own `Bot` — its own connection pool and no `AIORateLimiter` — and its
own pacer (bot.alerts.sender), so replies to people chatting never wait behind a broadcast.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.ext import Application, ContextTypes

from bot.alerts.planner import Planner
from bot.alerts.sender import Sender
from bot.dialog.router import Dialog
from bot.settings import Settings
from bot.storage import Storage
from bot.tg.reach import reach_telegram
from bot.tg.transport import TelegramTransport

log = logging.getLogger(__name__)

#: Where `build_application` keeps the service (`application.bot_data[ALERTS_KEY]`).
ALERTS_KEY = "sanbu.alerts"
#: Finished outbox rows are kept this long (for /outbox and for reports), then deleted.
KEEP_DONE = timedelta(days=30)
#: Old rows are pruned at most this often (the delete scans the table).
PRUNE_EVERY = 3600.0
#: On shutdown, sends already in flight get this long to finish and be committed.
STOP_TIMEOUT = 10.0


class AlertService:
    """Plans the alert calendar into the outbox and drains it, for one Application."""

    def __init__(self, settings: Settings, dialog: Dialog, storage: Storage, bot: Bot) -> None:
        self.settings = settings
        self.dialog = dialog
        self.storage = storage
        self.bot = bot
        quiet = dialog.services.quiet
        self.planner = Planner(
            storage, quiet, catchup=timedelta(hours=settings.alert_catchup_hours)
        )
        self.sender = Sender(
            storage,
            TelegramTransport(bot),
            quiet=quiet,
            rate=settings.alert_rate or None,
            on_trouble=self._tell_admins,
        )
        dialog.on_enqueued(self.sender.wake)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pruned = 0.0
        self._notices: set[asyncio.Task[None]] = set()

    def _tell_admins(self, message: str) -> None:
        """Tell every admin (once per outage, the sender decides), without waiting for it."""
        for admin in self.settings.admin_ids:
            task = asyncio.ensure_future(self._send_admin(admin, message))
            self._notices.add(task)
            task.add_done_callback(self._notices.discard)

    async def _send_admin(self, admin: int, message: str) -> None:
        try:
            await self.bot.send_message(admin, message)
        except Exception as exc:  # the admins are told best effort; the log has it anyway
            log.warning("could not tell admin about the alert database: %s", type(exc).__name__)

    def plan(self, now: float | None = None) -> int:
        """Plan what fell due (catching up after a restart); returns outbox rows added."""
        now = time.time() if now is None else now
        report = self.planner.plan(self.dialog.content.alerts, now)
        if report.added:
            log.info("alerts due: %s, %d deliveries queued", ", ".join(report.due), report.added)
            self.sender.wake()
        return report.added

    def _plan_and_prune(self) -> None:
        self.plan()
        now = time.time()
        if now - self._pruned >= PRUNE_EVERY:
            self.storage.prune_outbox(now - KEEP_DONE.total_seconds())
            self._pruned = now

    async def _plan_job(self, context: ContextTypes.DEFAULT_TYPE | None) -> None:
        # In a worker thread: planning a large broadcast, or waiting for another process's
        # write lock, must not hold up anyone's reply.
        try:
            await asyncio.to_thread(self._plan_and_prune)
        except Exception:
            log.exception("alert planning failed; trying again at the next tick")

    async def start(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Plan at once (the catch-up), then every ALERT_PLAN_SECONDS; start the sender."""
        await reach_telegram(self.bot.initialize, "the alert sender")
        if application.job_queue is None:
            raise RuntimeError("python-telegram-bot[job-queue] is required for alerts")
        # The catch-up runs here, at once: a job added before the JobQueue starts would
        # first run only one interval after start-up.
        await self._plan_job(None)
        interval = self.settings.alert_plan_seconds
        application.job_queue.run_repeating(
            self._plan_job, interval=interval, first=interval, name="alerts"
        )
        self._stop.clear()
        self._task = asyncio.create_task(self.sender.run(self._stop), name="alert-sender")

    async def stop(self) -> None:
        """Stop sending; sends in flight finish and are committed first."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_TIMEOUT)
            except TimeoutError:
                log.warning("alert sender did not stop in time; unfinished rows stay pending")
            self._task = None
        await self.bot.shutdown()
