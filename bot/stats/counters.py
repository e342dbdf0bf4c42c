"""Daily counters for the campaign figures, and the figures built from them.

The dialog adds one to a counter when it answers a check or a quiz is started or finished.
A counter is (local day, kind, key) → n: no user id and no text is ever part of it, so
/forget has nothing to delete here and a senior's message cannot end up in a report.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.stats.figures import RISKS, WINDOWS, Figures, Window

#: Kinds of counter. CHECK is keyed "risk:category" ("-" when no category), the quiz
#: kinds by quiz id; QUIZ_SCORE sums the finished quizzes' scores in percent.
CHECK = "check"
#: Checks by what was checked: "text" (typed, pasted, forwarded) or "picture" (a screenshot).
CHECK_SOURCE = "check_source"
QUIZ_START = "quiz_start"
QUIZ_FINISH = "quiz_finish"
QUIZ_SCORE = "quiz_score"
KINDS = (CHECK, CHECK_SOURCE, QUIZ_START, QUIZ_FINISH, QUIZ_SCORE)
#: The risks whose checks are counted per scam type (a low-risk guess is not a finding).
TYPED_RISKS = ("high", "medium")


class StatsStore(Protocol):
    """What the figures need from storage. Every call is one short statement."""

    def add_count(self, day: str, kind: str, key: str, n: int = 1) -> None:
        """Add `n` to the counter (day, kind, key), creating it at 0 first."""
        ...

    def counts_since(self, day: str) -> dict[tuple[str, str], int]:
        """Every counter summed over the days from `day` (inclusive), by (kind, key)."""
        ...

    def user_counts(self, since: int) -> tuple[int, int]:
        """(all users, users first seen at or after `since`)."""
        ...

    def outbox_done_since(self, since: float) -> dict[str, int]:
        """Outbox rows finished at or after `since`, by status (sent, failed, dropped)."""
        ...

    def count_subscribers(self) -> int:
        """Active subscribers."""
        ...


def record_check(
    store: StatsStore, day: str, risk: str, category: str | None, source: str = "text"
) -> None:
    """Count one answered check by its risk, scam type and source (text or picture), never
    its content."""
    store.add_count(day, CHECK, f"{risk}:{category or '-'}")
    store.add_count(day, CHECK_SOURCE, source)


def record_quiz_start(store: StatsStore, day: str, quiz_id: str) -> None:
    """Count one quiz started from its first question."""
    store.add_count(day, QUIZ_START, quiz_id)


def record_quiz_finish(store: StatsStore, day: str, quiz_id: str, score: int, total: int) -> None:
    """Count one finished quiz and add its score, in percent, to the day's sum."""
    store.add_count(day, QUIZ_FINISH, quiz_id)
    store.add_count(day, QUIZ_SCORE, quiz_id, round(100 * score / total) if total else 0)


def first_day(now: float, tz: ZoneInfo, days: int) -> date:
    """The first local day of a window of `days` days that ends today."""
    return datetime.fromtimestamp(now, tz).date() - timedelta(days=days - 1)


def window(store: StatsStore, now: float, tz: ZoneInfo, days: int) -> Window:
    """The figures of the last `days` local days, today included."""
    start = first_day(now, tz, days)
    since = datetime.combine(start, time(), tz).timestamp()
    counts = store.counts_since(start.isoformat())
    by_risk: dict[str, int] = dict.fromkeys(RISKS, 0)
    by_category: dict[str, int] = {}
    by_source: dict[str, int] = {}
    started = finished = score_sum = 0
    for (kind, key), n in counts.items():
        if kind == CHECK_SOURCE:
            by_source[key] = by_source.get(key, 0) + n
        elif kind == CHECK:
            risk, _, category = key.partition(":")
            by_risk[risk] = by_risk.get(risk, 0) + n
            if risk in TYPED_RISKS and category not in ("", "-"):
                by_category[category] = by_category.get(category, 0) + n
        elif kind == QUIZ_START:
            started += n
        elif kind == QUIZ_FINISH:
            finished += n
        elif kind == QUIZ_SCORE:
            score_sum += n
    users_total, users_new = store.user_counts(int(since))
    done = store.outbox_done_since(since)
    return Window(
        days=days,
        users_total=users_total,
        users_new=users_new,
        subscribers=store.count_subscribers(),
        checks_by_risk=by_risk,
        checks_by_category=by_category,
        checks_by_source=by_source,
        quizzes_started=started,
        quizzes_finished=finished,
        quiz_score_sum=score_sum,
        alerts_sent=done.get("sent", 0),
        alerts_failed=done.get("failed", 0),
    )


def collect(
    store: StatsStore, now: float, tz: ZoneInfo, windows: tuple[int, ...] = WINDOWS
) -> Figures:
    """The report as of `now`: one window per period (by default the last 7 and 30 days)."""
    return Figures(
        as_of=datetime.fromtimestamp(now, tz),
        windows=tuple(window(store, now, tz, days) for days in windows),
    )
