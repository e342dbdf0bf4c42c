"""Crontab lines read the standard way, for the planner and for validating `alerts.yaml`.

A leaf module (it imports nothing of the bot), so the content models can validate a schedule
with the very parser that sends by it, without importing the planner.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

#: Standard crontab weekday numbers (0 and 7 = Sunday) as APScheduler's names; APScheduler
#: itself counts 0 = Monday, which would move every weekly alert by a day.
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _weekday_field(field: str) -> str:
    """A crontab day-of-week field (0–7, Sunday = 0 or 7) spelt with names for APScheduler."""
    if field == "*" or any(ch.isalpha() for ch in field):
        return field  # "*" or names (mon-fri): the same in both
    days: set[int] = set()
    for item in field.split(","):
        span, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            first_text, last_text = span.split("-", 1)
            first, last = int(first_text), int(last_text)
        else:
            first = int(span)
            last = 7 if step_text else first
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(_WEEKDAYS[day] for day in sorted(days))


def cron_trigger(schedule: str, tz: ZoneInfo) -> CronTrigger:
    """The trigger for a five-field crontab line read the standard way (1 = Monday,
    0 or 7 = Sunday), in `tz`. Raises ValueError for a line that is not one."""
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"a schedule has 5 fields, got {len(fields)}: {schedule!r}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekday_field(weekday),
        timezone=tz,
    )
