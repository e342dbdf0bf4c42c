"""The figures as a PNG chart (matplotlib's object API on Agg: no display, no pyplot state).

Labels are in Chinese when a font with Chinese glyphs is installed; without one they fall
back to the category and risk ids, which any font can draw (no font is downloaded).
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from bot.stats.figures import RISK_NAMES, RISKS, Figures
from bot.taxonomy import CATEGORY_NAMES

#: Fonts that carry Chinese glyphs, tried in order; without one, labels fall back to ids.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
#: Scam types shown on the chart, the most frequent first (the text lists them all).
TOP_TYPES = 10
RISK_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#27ae60")
TYPE_COLOUR = "#c0392b"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed font of CJK_FONTS, or None."""
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


def warm_up() -> None:
    """Load matplotlib and find the fonts ahead of the first chart (run in a worker thread)."""
    from matplotlib.figure import Figure

    cjk_font()
    Figure()


def figures_png(fig: Figures) -> bytes:
    """Bar charts of checks by scam type and by risk level, for the longest window."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    chinese = font is not None
    window = max(fig.windows, key=lambda w: w.days)
    types = sorted(window.checks_by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    types = types[:TOP_TYPES]
    rc: dict[Any, Any] = {"font.family": [font, "DejaVu Sans"]} if font else {}
    with rc_context(rc):
        figure = Figure(figsize=(10, 4.5), dpi=100)
        left, right = figure.subplots(1, 2)
        labels = [CATEGORY_NAMES.get(c, c) if chinese else c for c, _ in types] or ["-"]
        left.barh(labels[::-1], [n for _, n in types][::-1] or [0], color=TYPE_COLOUR)
        left.set_title(
            f"近{window.days}天 有风险的消息，按骗局类型"
            if chinese
            else f"Risky checks by scam type, last {window.days} days"
        )
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        right.bar(
            [RISK_NAMES[r] if chinese else r for r in RISKS],
            [window.checks_by_risk.get(r, 0) for r in RISKS],
            color=RISK_COLOURS,
        )
        right.set_title(
            f"近{window.days}天 按风险高低"
            if chinese
            else f"Checks by risk, last {window.days} days"
        )
        right.yaxis.set_major_locator(MaxNLocator(integer=True))
        figure.suptitle(
            f"查一查 {window.checks} 次 · 测验做完 {window.quizzes_finished} 次 · "
            f"提醒送达 {window.alerts_sent} 次"
            if chinese
            else f"{window.checks} checks · {window.quizzes_finished} quizzes finished · "
            f"{window.alerts_sent} alerts sent"
        )
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
