"""The sender: drains the outbox at Telegram's pace, once per row, crash-safely.

- Pace: at most `rate` messages per second overall (evenly spaced) and one per second to
  any one chat. It has its own pacer and its own connection (see `bot.tg.alerts`), so
  replies to people chatting never queue behind a broadcast.
- A row is marked sent only after the transport returned, i.e. after Telegram confirmed the
  message; a crash before that leaves it pending and it is sent again after the restart.
  The remaining window for a duplicate is the time between Telegram accepting the message
  and our commit; `SenderStats.commit_window` measures the part of it inside the process.
- Flood control (`RetryLater`): every send waits what Telegram said, then the row is retried;
  it does not count as a failed try. `Blocked`: the subscription stops, nothing more is sent
  to that chat. `Temporary` (timeouts, network, 5xx): retried with exponential backoff, at
  most `max_attempts` tries, then failed with the reason. `Permanent`: failed at once.
- Quiet hours: nothing is sent in them; a broadcast still running when they begin pauses.
- The database cannot be written (disk full, another process holding the lock): an outcome
  that cannot be recorded is kept in memory, the row is never sent again by this process,
  and sending pauses until every held outcome is written (retried with backoff). The log
  and `on_trouble` (the admins) are told once per outage, and `on_trouble` again when it
  is over. What is left of the duplicate window: the process dying while it holds
  confirmed outcomes it could not write (those rows are sent again after the restart).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.alerts.outbox import Delivery, OutboxStore
from bot.alerts.quiet import QuietHours
from bot.alerts.transport import Blocked, Permanent, RetryLater, Temporary, Transport
from bot.dialog.lang import convert
from bot.storage.base import Language
from bot.views.replies import fit

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

#: Telegram's limit for one chat: one message per second.
PER_CHAT_INTERVAL = 1.0
#: Tries for a row that keeps timing out or meeting server errors, then it fails.
MAX_ATTEMPTS = 6
#: Rows fetched from the outbox per pass.
BATCH = 500
#: Sends waiting for Telegram's answer at one time (Telegram answers in ~50–300 ms, so a few
#: dozen keep 25/s going even when it is slow).
MAX_IN_FLIGHT = 32
#: When idle, look at the outbox at least this often (new rows also wake the sender).
IDLE_POLL = 5.0
#: Shortest wait when something is due but blocked (per-chat spacing, in-flight rows).
MIN_WAIT = 0.05
#: Below every alert: how to stop them.
FOOTER = "（不想再收提醒，回我“退订”两个字就行）"


#: While the database cannot be written, writing the held outcomes is tried again after
#: 1, 2, 4 … seconds, at most this long apart.
STORE_RETRY_MAX = 30.0


def _running(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether the caller runs on `loop` (its own thread)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def backoff_delay(attempt: int) -> float:
    """Seconds before retry number `attempt` (1-based): 10, 20, 40, 80, 160, ... ≤ 600."""
    return float(min(600, 10 * 2 ** (attempt - 1)))


def render_delivery(delivery: Delivery) -> str:
    """The text as the subscriber reads it: in their script, with the unsubscribe line."""
    language: Language = "zh-Hant" if delivery.language == "zh-Hant" else "zh-Hans"
    return fit(convert(f"{delivery.text.strip()}\n\n{FOOTER}", language))


@dataclass
class SenderStats:
    """What the sender did since it started (for logs and the benchmark)."""

    sent: int = 0
    retry_after: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    unrecorded: int = 0
    """Outcomes that could not be written at once and were held in memory."""
    commit_window: deque[float] = field(default_factory=lambda: deque(maxlen=100_000))
    """Seconds from the transport returning (Telegram's OK) to the row committed as sent."""


class Pacer:
    """Spaces sends evenly at `rate` per second (None: no limit); a pause holds everyone.

    Slots are scheduled one interval apart, so a late wake-up does not lower the rate; and
    no more than `rate` sends ever start within any one second (a sliding window), so
    catching up never makes a burst over Telegram's limit.
    """

    def __init__(self, rate: float | None, clock: Clock, sleep: Sleep) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._window: deque[float] | None = deque(maxlen=max(1, int(rate))) if rate else None
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0

    def pause_until(self, when: float) -> None:
        """Send nothing before `when` (Telegram's flood control applies to the whole bot)."""
        self._paused_until = max(self._paused_until, when)

    @property
    def paused_until(self) -> float:
        """The end of the current pause (in the past when there is none)."""
        return self._paused_until

    async def wait_turn(self) -> None:
        """Wait for the next free slot, then take it."""
        while True:
            now = self._clock()
            if self._next < now - 1.0:
                self._next = now  # idle for a while: start afresh, no saved-up burst
            slot = max(self._next, self._paused_until)
            window = self._window
            if window is not None and len(window) == window.maxlen:
                slot = max(slot, window[0] + 1.0)
            if slot <= now:
                break
            await self._sleep(slot - now)
        self._next = slot + self.interval
        if self._window is not None:
            # The slot, not the (possibly late) wake-up time: recording late times would push
            # every later slot back by the lateness and slowly lower the rate.
            self._window.append(slot)


class Sender:
    """Drains an `OutboxStore` through a `Transport` (see the module docstring)."""

    def __init__(
        self,
        store: OutboxStore,
        transport: Transport,
        *,
        quiet: QuietHours,
        rate: float | None = 25.0,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        max_attempts: int = MAX_ATTEMPTS,
        max_in_flight: int = MAX_IN_FLIGHT,
        batch: int = BATCH,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        render: Callable[[Delivery], str] = render_delivery,
        backoff: Callable[[int], float] = backoff_delay,
        on_trouble: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.transport = transport
        self.quiet = quiet
        self.per_chat_interval = per_chat_interval
        self.max_attempts = max_attempts
        self.batch = batch
        self.stats = SenderStats()
        self._clock = clock
        self._sleep = sleep
        self._render = render
        self._backoff = backoff
        self._pacer = Pacer(rate, clock, sleep)
        self._slots = asyncio.Semaphore(max_in_flight)
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[int] = set()
        self._busy_chats: set[int] = set()
        self._last_sent: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        # Outcomes Telegram gave that the database has not taken yet, by row, in order:
        # such a row is never sent again by this process, and nothing new is sent until
        # they are written.
        self._held: dict[int, Callable[[], None]] = {}
        self._store_retry = 0.0
        self._store_failures = 0
        self._on_trouble = on_trouble or (lambda message: None)

    @property
    def store_down(self) -> bool:
        """Whether outcomes are waiting in memory for the database to accept them."""
        return bool(self._held)

    def wake(self) -> None:
        """New rows were written: look at the outbox now instead of at the next poll.

        Safe to call from any thread (dialog turns and planning run in worker threads)."""
        loop = self._loop
        if loop is not None and not loop.is_closed() and not _running(loop):
            loop.call_soon_threadsafe(self._wake.set)
        else:
            self._wake.set()

    # --- the loops ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, then let the sends in flight finish and commit."""
        self._loop = asyncio.get_running_loop()
        while not stop.is_set():
            try:
                dispatched = await self._pass(stop)
                wait = 0.0 if dispatched else self._idle_wait()
            except Exception:
                # Never die silently: a broken database or a bug is logged and retried.
                log.exception("alert sender pass failed")
                wait = IDLE_POLL
            if wait > 0:
                await self._wait_for_wake(wait, stop)
        await self.settle()

    async def drain(self) -> None:
        """Send everything pending, waiting (through `sleep`) for retries, flood pauses and
        quiet hours, until nothing is pending. Used by tests (with a fake clock), benchmarks
        and catch-up tools."""
        while True:
            if await self._pass(None):
                continue
            if self._tasks:
                await self._settle_one()
                continue
            if self.store.next_due() is None:
                return
            await self._sleep(self._idle_wait())

    async def settle(self) -> None:
        """Wait for every send in flight to finish (and be committed or rescheduled)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _settle_one(self) -> None:
        await asyncio.wait(list(self._tasks), return_when=asyncio.FIRST_COMPLETED)

    def _idle_wait(self) -> float:
        """How long nothing can be sent: until the next row is due, a flood pause ends or
        quiet hours end (at most IDLE_POLL when nothing is pending)."""
        now = self._clock()
        if self._held:
            return max(MIN_WAIT, self._store_retry - now)
        due = self.store.next_due()
        if due is None:
            return IDLE_POLL
        ready = max(due, self._pacer.paused_until, now)
        ready = self.quiet.next_allowed(ready)
        if ready <= now:
            # Due now but held back by per-chat spacing or rows already in flight.
            return MIN_WAIT
        return ready - now

    async def _wait_for_wake(self, seconds: float, stop: asyncio.Event) -> None:
        self._wake.clear()
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _pass(self, stop: asyncio.Event | None) -> int:
        """Start sends for the rows due now (as pace and per-chat spacing allow)."""
        now = self._clock()
        if self._held and not self._write_held(now):
            return 0
        if self.quiet.is_quiet(now) or now < self._pacer.paused_until:
            return 0
        if len(self._last_sent) > 10 * self.batch:
            self._last_sent = {
                chat: at
                for chat, at in self._last_sent.items()
                if now - at < self.per_chat_interval
            }
        rows = self.store.due(now, self.batch + len(self._in_flight))
        dispatched = 0
        for row in rows:
            if stop is not None and stop.is_set():
                break
            if row.id in self._in_flight or row.id in self._held:
                continue
            if not self._chat_free(row.user_id):
                continue
            if self._held:  # the database just failed under a send in flight: stop here
                break
            await self._pacer.wait_turn()
            await self._slots.acquire()
            if self.quiet.is_quiet(self._clock()) or (stop is not None and stop.is_set()):
                self._slots.release()
                break
            self._in_flight.add(row.id)
            self._busy_chats.add(row.user_id)
            self._last_sent[row.user_id] = self._clock()
            task = asyncio.ensure_future(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            dispatched += 1
            # Let the send start now, in its slot, rather than when the loop next sleeps.
            await asyncio.sleep(0)
        return dispatched

    def _chat_free(self, chat_id: int) -> bool:
        if chat_id in self._busy_chats:
            return False
        last = self._last_sent.get(chat_id)
        return last is None or self._clock() - last >= self.per_chat_interval

    # --- one delivery -------------------------------------------------------------------------

    async def _deliver(self, row: Delivery) -> None:
        try:
            await self._attempt(row)
        except Exception:  # a bug in the sender itself: the row stays pending
            log.exception("alert delivery %d: unexpected error", row.id)
        finally:
            self._in_flight.discard(row.id)
            self._busy_chats.discard(row.user_id)
            self._slots.release()

    async def _attempt(self, row: Delivery) -> None:
        try:
            await self.transport.send_text(row.user_id, self._render(row))
        except RetryLater as exc:
            until, why = self._clock() + exc.seconds, exc.reason
            self._pacer.pause_until(until)
            self._record(row, lambda: self.store.reschedule(row.id, until, why, attempt=False))
            self.stats.retry_after += 1
            log.warning("flood control: pausing alerts for %.1f s", exc.seconds)
        except Blocked as exc:
            now, why = self._clock(), exc.reason
            self._record(row, lambda: self.store.deactivate(row.user_id, why, now))
            self.stats.blocked += 1
        except Permanent as exc:
            now, why = self._clock(), exc.reason
            self._record(row, lambda: self.store.mark_failed(row.id, why, now))
            self.stats.failed += 1
            log.warning("alert delivery %d refused: %s", row.id, why)
        except Temporary as exc:
            self._retry_or_fail(row, exc.reason)
        except Exception as exc:  # a transport bug: bounded like a temporary error
            log.exception("alert delivery %d: unexpected error", row.id)
            self._retry_or_fail(row, type(exc).__name__)
        else:
            confirmed = time.perf_counter()
            now = self._clock()
            if self._record(row, lambda: self.store.mark_sent(row.id, now)):
                self.stats.commit_window.append(time.perf_counter() - confirmed)
            self.stats.sent += 1

    def _retry_or_fail(self, row: Delivery, reason: str) -> None:
        attempt = row.attempts + 1
        now = self._clock()
        if attempt >= self.max_attempts:
            failed = f"{reason} (after {attempt} tries)"
            self._record(row, lambda: self.store.mark_failed(row.id, failed, now))
            self.stats.failed += 1
            log.warning("alert delivery %d failed after %d tries: %s", row.id, attempt, reason)
            return
        later = now + self._backoff(attempt)
        self._record(row, lambda: self.store.reschedule(row.id, later, reason, attempt=True))
        self.stats.retried += 1

    # --- when the database cannot be written ----------------------------------------------------

    def _record(self, row: Delivery, write: Callable[[], None]) -> bool:
        """Write an outcome now; when the database refuses, hold it in memory (and pause).

        Returns whether it was written at once.
        """
        if not self._held:
            try:
                write()
                return True
            except Exception as exc:
                self._store_trouble(exc)
        self._held[row.id] = write
        self.stats.unrecorded += 1
        return False

    def _write_held(self, now: float) -> bool:
        """Write the held outcomes, oldest first; False (and a later retry) while it fails."""
        if now < self._store_retry:
            return False
        for row_id, write in list(self._held.items()):
            try:
                write()
            except Exception as exc:
                self._store_trouble(exc)
                return False
            del self._held[row_id]
        if self._store_failures:
            log.warning("the database takes alert outcomes again; sending goes on")
            self._on_trouble("✅ 数据库恢复了，防骗提醒继续发送。")
        self._store_failures = 0
        return True

    def _store_trouble(self, exc: Exception) -> None:
        self._store_failures += 1
        delay = min(STORE_RETRY_MAX, 2.0 ** (self._store_failures - 1))
        self._store_retry = self._clock() + delay
        if self._store_failures == 1:
            log.error(
                "the database cannot record alert outcomes (%s): sending paused; what "
                "Telegram confirmed is kept in memory and written when it can be",
                type(exc).__name__,
            )
            self._on_trouble(
                "⚠️ 数据库现在写不进去（磁盘满了，或者被别的程序占着）。防骗提醒先暂停发送，"
                "已经发出的记在内存里，数据库恢复后自动补记，不会重发。"
            )
