"""Quiet hours: the local times when no alert is sent (by default 21:00–08:00).

An alert that falls due in quiet hours waits for their end; a broadcast that is still
running when they begin pauses until the morning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """("21:00-08:00") -> (21:00, 08:00); empty or "off" -> None; raises ValueError."""
    text = text.strip()
    if text in ("", "off"):
        return None
    match = _SPAN.match(text)
    if match is None:
        raise ValueError(f"quiet hours must look like 21:00-08:00 (got {text!r})")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
        raise ValueError(f"quiet hours: no such time in {text!r}")
    return time(h1, m1), time(h2, m2)


@dataclass(frozen=True)
class QuietHours:
    """Quiet hours in one time zone; `start == end` means there are none."""

    tz: ZoneInfo
    start: time = time(21, 0)
    end: time = time(8, 0)

    @classmethod
    def from_setting(cls, text: str, tz: ZoneInfo) -> QuietHours:
        """Quiet hours from the QUIET_HOURS setting."""
        span = parse_quiet_hours(text)
        if span is None:
            return cls(tz, time(0, 0), time(0, 0))
        return cls(tz, *span)

    @property
    def enabled(self) -> bool:
        """Whether there are quiet hours at all."""
        return self.start != self.end

    def is_quiet(self, ts: float) -> bool:
        """Whether the Unix time `ts` falls in quiet hours (local time)."""
        if not self.enabled:
            return False
        now = datetime.fromtimestamp(ts, self.tz).time()
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # the span wraps past midnight

    def next_allowed(self, ts: float) -> float:
        """`ts` itself when it is not quiet, else the end of these quiet hours."""
        if not self.is_quiet(ts):
            return ts
        local = datetime.fromtimestamp(ts, self.tz)
        day = local.date()
        if local.time() >= self.end:
            day += timedelta(days=1)
        # Combined as wall-clock time, so that a DST change in between is handled by the zone.
        return datetime.combine(day, self.end, tzinfo=self.tz).timestamp()

    def describe(self) -> str:
        """For people: "21:00 到早上 08:00"."""
        return f"{self.start:%H:%M} 到第二天 {self.end:%H:%M}"
