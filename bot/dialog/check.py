"""The check: any text, caption or forwarded message is judged and answered at once.

The text is passed to the checker and dropped: it is never stored or logged (the figures
count the verdict's risk and scam type only). When a senior
with linked family meets a high-risk scam, the family is told the scam type and the time
(not the text); the text is kept in memory for a few minutes only in case the senior taps
发给家人.
"""

from __future__ import annotations

import re

from bot.check.engine import MAX_CHECK_CHARS
from bot.check.normalize import clean
from bot.dialog import family, guide
from bot.dialog.context import Turn
from bot.stats.counters import record_check
from bot.texts import EDITED_NOTE, EMPTY_PROMPT, LONG_TEXT_NOTE, verdict_text
from bot.views import callbacks
from bot.views.replies import Button, Outgoing, Response, Rows, fit, text

#: Words that say the harm may already be done: money sent, a code given away, a "platform"
#: that will not pay out. Such a message is a cry for help, whatever its risk.
ALREADY_HAPPENED = re.compile(
    r"被骗了|被骗走|我被骗|上当了|已经(转|汇|打)(了|账|钱|款|过去|给|到)|转过去了|钱转出去|"
    r"(钱|款)?(转|汇)给了(他|她|对方|骗子)|打给了对方|告诉了(他|她|对方|骗子|一个)|给了对方|"
    r"提不了现|取不出来|把我拉黑|把我删了|删了我"
)
#: How many of the "money already sent" steps lead such a reply (the 求助 page has all).
URGENT_STEPS = 2


def already_happened(message: str) -> bool:
    """Whether the sender says money or a code may already be gone."""
    return ALREADY_HAPPENED.search(clean(message)) is not None


def check(turn: Turn, message: str, *, edited: bool = False) -> Response:
    """Judge `message` and say how risky it is, why, and what to do now."""
    if not message.strip():
        return text(EMPTY_PROMPT)
    content = turn.content
    verdict = turn.checker.check(message)
    record_check(turn.storage, turn.day, verdict.risk, verdict.category)
    parts = [verdict_text(verdict, content.guidance)]
    harmed = already_happened(message)
    if harmed:
        steps = content.guidance.money_already_sent[:URGENT_STEPS]
        urgent = ["💸 如果钱已经转出去，或者说了验证码，请马上："]
        urgent += [f"{i}. {step}" for i, step in enumerate(steps, start=1)]
        parts.insert(0, "\n".join(urgent) + "\n")
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
    if verdict.flagged or harmed:
        rows: list[tuple[Button, ...]] = []
        page = guide.page_of_category(content, verdict.category)
        if page is not None:
            rows.append((Button("📖 了解这种骗局", callbacks.encode("gc", page)),))
        if verdict.risk == "high" or harmed:
            rows.append((Button("🆘 钱已经转出去了怎么办", callbacks.encode("sos")),))
        if notify:
            token = turn.services.shares.put(turn.user.id, message.strip(), turn.now)
            rows.append((Button(family.SHARE_BUTTON, callbacks.encode("fs", token)),))
        buttons = tuple(rows)
    return text(fit("\n".join(parts)), buttons=buttons, notify=notify)
