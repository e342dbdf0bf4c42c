"""The figures staff put in their reports, for the last 7 and 30 days, as text and CSV.

Only counts exist here: how many checks per scam type and risk level, quizzes started and
finished, alerts sent and failed. Nothing a senior wrote is ever counted or kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.taxonomy import CATEGORY_IDS, CATEGORY_NAMES

WINDOWS = (7, 30)
RISKS = ("high", "medium", "low", "none")
RISK_NAMES = {"high": "高风险", "medium": "有风险", "low": "风险较低", "none": "没发现问题"}
SOURCES = ("text", "picture")
SOURCE_NAMES = {"text": "文字", "picture": "图片"}


@dataclass(frozen=True)
class Window:
    """Counts over the last `days` days."""

    days: int
    users_total: int = 0
    users_new: int = 0
    subscribers: int = 0
    checks_by_risk: Mapping[str, int] = field(default_factory=dict)
    checks_by_category: Mapping[str, int] = field(default_factory=dict)
    """High- and medium-risk checks by scam type (a low-risk guess is not counted here)."""
    checks_by_source: Mapping[str, int] = field(default_factory=dict)
    """Checks by what was checked: "text" or "picture" (counted since pictures are read)."""
    quizzes_started: int = 0
    quizzes_finished: int = 0
    quiz_score_sum: int = 0
    """Sum of finished quizzes' scores, in percent (for the average)."""
    alerts_sent: int = 0
    alerts_failed: int = 0

    @property
    def checks(self) -> int:
        """All checks in the window."""
        return sum(self.checks_by_risk.values())

    @property
    def average_score(self) -> float | None:
        """Average score of finished quizzes, in percent; None when none finished."""
        if not self.quizzes_finished:
            return None
        return self.quiz_score_sum / self.quizzes_finished


@dataclass(frozen=True)
class Figures:
    """The report: one Window per period, newest counts as of `as_of`."""

    as_of: datetime
    windows: tuple[Window, ...]


def _rows(fig: Figures) -> list[tuple[str, str, list[str]]]:
    """(metric, label, one value per window) rows, shared by the text and the CSV."""

    def each(get: Callable[[Window], object]) -> list[str]:
        return [str(get(w)) for w in fig.windows]

    rows: list[tuple[str, str, list[str]]] = [
        ("users_total", "用户总数", each(lambda w: w.users_total)),
        ("users_new", "新用户", each(lambda w: w.users_new)),
        ("subscribers", "订阅提醒的人", each(lambda w: w.subscribers)),
        ("checks", "查一查次数", each(lambda w: w.checks)),
    ]
    for risk in RISKS:
        rows.append(
            (
                f"checks_{risk}",
                f"　{RISK_NAMES[risk]}",
                [str(w.checks_by_risk.get(risk, 0)) for w in fig.windows],
            )
        )
    for source in SOURCES:
        rows.append(
            (
                f"checks_from_{source}",
                f"　来自{SOURCE_NAMES[source]}",
                [str(w.checks_by_source.get(source, 0)) for w in fig.windows],
            )
        )
    longest = max(fig.windows, key=lambda w: w.days, default=None)
    seen = sorted(
        (c for c in CATEGORY_IDS if any(w.checks_by_category.get(c, 0) for w in fig.windows)),
        key=lambda c: -(longest.checks_by_category.get(c, 0) if longest else 0),
    )
    for cat in seen:  # the most frequent scam type first
        rows.append(
            (
                f"type_{cat}",
                f"　{CATEGORY_NAMES[cat]}",
                [str(w.checks_by_category.get(cat, 0)) for w in fig.windows],
            )
        )
    rows += [
        ("quizzes_started", "开始测验", each(lambda w: w.quizzes_started)),
        ("quizzes_finished", "做完测验", each(lambda w: w.quizzes_finished)),
        (
            "quiz_average_percent",
            "平均得分（%）",
            each(lambda w: "-" if w.average_score is None else f"{w.average_score:.0f}"),
        ),
        ("alerts_sent", "提醒已送达", each(lambda w: w.alerts_sent)),
        ("alerts_failed", "提醒发送失败", each(lambda w: w.alerts_failed)),
    ]
    return rows


def figures_text(fig: Figures) -> str:
    """The report as short lines for a chat message (well under Telegram's 4096 limit)."""
    head = " / ".join(f"近{w.days}天" for w in fig.windows)
    lines = [f"📊 防骗数据（截至 {fig.as_of:%Y-%m-%d %H:%M}）", f"每项的数：{head}", ""]
    typed = False
    for metric, label, values in _rows(fig):
        if metric.startswith("type_") and not typed:
            lines.append("有风险的消息，按骗局类型：")
            typed = True
        lines.append(f"{label}：{' / '.join(values)}")
    return "\n".join(lines)


def figures_csv(fig: Figures) -> str:
    """The same table as CSV: metric, label, then one column per window."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["metric", "label", *(f"last_{w.days}_days" for w in fig.windows)])
    for metric, label, values in _rows(fig):
        writer.writerow([metric, label.strip("　"), *values])
    return out.getvalue()
