"""The alert calendar turned into outbox rows: which alerts fell due, and for whom.

Each tick looks back over a bounded window (the catch-up, 24 h by default) for the latest
occurrence of every alert and writes one outbox row per matching subscriber. The outbox's
unique (key, chat) makes a repeated tick — or the first tick after a restart — add nothing,
so an occurrence missed while the bot was down is sent once, late, and never twice.

Only the latest occurrence of an alert in the window is planned: after a long outage a
frequent alert is sent once, not once per missed run (they all say the same thing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.cron import cron_trigger
from bot.alerts.outbox import Audience, OutboxStore, alert_key
from bot.alerts.quiet import QuietHours
from bot.content.models import Alert

#: A date-only alert (`at: 2026-10-29`) goes out at this local time.
DATE_ONLY_TIME = time(9, 0)
#: Upper bound on cron steps walked per alert and tick (a minutely schedule over 24 h).
MAX_STEPS = 24 * 60 + 1

_AUDIENCE: dict[str, Audience] = {"everyone": "everyone", "seniors": "seniors", "family": "family"}


def occurrences(alert: Alert, tz: ZoneInfo, after: datetime, until: datetime) -> list[datetime]:
    """The times in (`after`, `until`] at which `alert` falls due, in `tz`, oldest first.

    A cron schedule is read in `tz` with crontab's weekday numbers (see `cron_trigger`); a
    date-only `at` means 09:00 that day; a naive datetime is local time. Runs after the
    alert's `until` day are left out.
    """
    found: list[datetime] = []
    if alert.schedule is not None:
        trigger = cron_trigger(alert.schedule, tz)
        cursor = after.astimezone(tz) + timedelta(microseconds=1)
        for _ in range(MAX_STEPS):
            fire = trigger.get_next_fire_time(None, cursor)
            if fire is None or fire > until:
                break
            found.append(fire)
            cursor = fire + timedelta(seconds=1)
    elif alert.at is not None:
        at = alert.at
        if isinstance(at, datetime):
            fire = at if at.tzinfo is not None else at.replace(tzinfo=tz)
        else:
            fire = datetime.combine(at, DATE_ONLY_TIME, tzinfo=tz)
        if after < fire <= until:
            found.append(fire)
    if alert.until is not None:
        found = [f for f in found if _local_day(f, tz) <= alert.until]
    return found


def _local_day(when: datetime, tz: ZoneInfo) -> date:
    return when.astimezone(tz).date()


def latest_occurrence(
    alert: Alert, tz: ZoneInfo, after: datetime, until: datetime
) -> datetime | None:
    """The most recent time in (`after`, `until`] at which `alert` fell due, if any."""
    found = occurrences(alert, tz, after, until)
    return found[-1] if found else None


@dataclass
class PlanReport:
    """What one planning tick did."""

    due: list[str] = field(default_factory=list)
    """Keys of the occurrences looked at (new or already planned)."""
    added: int = 0
    """Outbox rows written (0 when the occurrences were planned before)."""


class Planner:
    """Plans alert occurrences into the outbox; remembers what it planned in this process."""

    def __init__(
        self,
        store: OutboxStore,
        quiet: QuietHours,
        *,
        catchup: timedelta = timedelta(hours=24),
    ) -> None:
        self.store = store
        self.quiet = quiet
        self.catchup = catchup
        # Keys planned since start-up: saves re-running the (harmless, idempotent) insert on
        # every tick for the day an occurrence stays in the window.
        self._planned: set[str] = set()

    def plan(self, alerts: Iterable[Alert], now: float) -> PlanReport:
        """Write outbox rows for every alert that fell due in the catch-up window before `now`.

        Subscribers who subscribed after an occurrence do not get it; rows are due at the
        occurrence, or at the end of quiet hours when it fell in them.
        """
        tz = self.quiet.tz
        until = datetime.fromtimestamp(now, tz)
        after = until - self.catchup
        report = PlanReport()
        for alert in alerts:
            fire = latest_occurrence(alert, tz, after, until)
            if fire is None:
                continue
            occurred = fire.timestamp()
            key = alert_key(alert.id, occurred)
            report.due.append(key)
            if key in self._planned:
                continue
            report.added += self.store.enqueue_audience(
                key,
                alert.text,
                not_before=self.quiet.next_allowed(occurred),
                audience=_AUDIENCE[alert.audience],
                region=alert.region,
                subscribed_by=occurred,
                now=now,
            )
            self._planned.add(key)
        return report
