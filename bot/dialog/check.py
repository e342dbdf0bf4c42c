"""The check: any text, caption or forwarded message is judged and answered at once.

The text is passed to the checker and dropped: it is never stored or logged (the figures
count the verdict's risk and scam type only). When a senior
with linked family meets a high-risk scam, the family is told the scam type and the time
(not the text); the text is kept in memory for a few minutes only in case the senior taps
发给家人.
"""

from __future__ import annotations

from bot.check.engine import MAX_CHECK_CHARS
from bot.dialog import callbacks, family, guide
from bot.dialog.context import Turn
from bot.dialog.replies import Button, Outgoing, Response, Rows, fit, text
from bot.stats.counters import record_check
from bot.texts import EDITED_NOTE, EMPTY_PROMPT, LONG_TEXT_NOTE, verdict_text


def check(turn: Turn, message: str, *, edited: bool = False) -> Response:
    """Judge `message` and say how risky it is, why, and what to do now."""
    if not message.strip():
        return text(EMPTY_PROMPT)
    content = turn.content
    verdict = turn.checker.check(message)
    record_check(turn.storage, turn.day, verdict.risk, verdict.category)
    parts = [verdict_text(verdict, content.guidance)]
    if edited:
        parts.insert(0, EDITED_NOTE)
    if len(message.strip()) > MAX_CHECK_CHARS:
        parts.append(LONG_TEXT_NOTE)
    buttons: Rows = ()
    notify: tuple[Outgoing, ...] = ()
    if verdict.risk == "high" and turn.private:
        notify = family.high_risk_notices(turn, verdict.category_name)
    if notify:
        parts.append(
            "\n👨‍👩‍👧 我已经告诉了您的家人（只说了骗局类型，没发消息原文），请等 TA 联系您。"
        )
    if verdict.flagged:
        rows: list[tuple[Button, ...]] = []
        page = guide.page_of_category(content, verdict.category)
        if page is not None:
            rows.append((Button("📖 了解这种骗局", callbacks.encode("gc", page)),))
        if verdict.risk == "high":
            rows.append((Button("🆘 钱已经转出去了怎么办", callbacks.encode("sos")),))
        if notify:
            token = turn.services.shares.put(turn.user.id, message.strip(), turn.now)
            rows.append((Button(family.SHARE_BUTTON, callbacks.encode("fs", token)),))
        buttons = tuple(rows)
    return text(fit("\n".join(parts)), buttons=buttons, notify=notify)
