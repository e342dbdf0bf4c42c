"""The check: any text, caption or forwarded message is judged and answered at once.

The text is passed to the checker and dropped: it is never stored or logged (the figures
count the verdict's risk and scam type only). When a senior
with linked family meets a high-risk scam, the family is told the scam type and the time
(not the text); the text is kept in memory for a few minutes only in case the senior taps
发给家人.
"""

from __future__ import annotations

from bot.check.engine import MAX_CHECK_CHARS, Verdict
from bot.dialog import family, guide
from bot.dialog.context import Turn
from bot.stats.counters import record_check
from bot.texts import EDITED_NOTE, EMPTY_PROMPT, LONG_TEXT_NOTE, verdict_text
from bot.views import callbacks
from bot.views.replies import Button, Outgoing, Response, Rows, fit, text

#: The plain answer to a retold story that asks "is this true?", by whether it warns.
TRUE_OR_NOT = {
    True: "您问是不是真的：很可能是骗局，请别信，也别转账。",
    False: "您问是不是真的：我没看出常见的骗局说法，但只要对方要钱、要验证码，都先和家人商量。",
}
#: How a reply to a picture opens: it was read, and what it says (the risky lines, or the
#: first line when nothing is wrong, so the senior sees what was read).
PICTURE_READ = "📷 我看了您发的图片。"
PICTURE_RISKY = "图片里要当心的话："
PICTURE_SAYS = "图片上写着："
#: A quoted line is cut to this many characters.
QUOTE_CHARS = 60
#: The last line of a reply that found nothing: what to do next.
NEXT_STEP = "👉 还有拿不准的，随时再发给我；着急的事，打 96110 问一问。"


def check(
    turn: Turn,
    message: str,
    *,
    edited: bool = False,
    verdict: Verdict | None = None,
    asks_if_true: bool = False,
    picture: tuple[str, ...] | None = None,
) -> Response:
    """Judge `message` (or take the `verdict` already reached) and say how risky it is, why,
    and what to do now. `asks_if_true`: the message ends by asking whether it is true.
    `picture`: the message was read in a picture; the lines of it to quote."""
    if not message.strip():
        return text(EMPTY_PROMPT)
    content = turn.content
    verdict = verdict if verdict is not None else turn.checker.check(message)
    source = "text" if picture is None else "picture"
    record_check(turn.storage, turn.day, verdict.risk, verdict.category, source)
    parts = [verdict_text(verdict, content.guidance, message[:MAX_CHECK_CHARS])]
    if picture is not None:
        parts.insert(0, picture_lead(verdict.flagged, picture))
    if asks_if_true:
        parts.insert(0, TRUE_OR_NOT[verdict.flagged])
    if not verdict.flagged:
        parts.append(NEXT_STEP)
    if edited:
        parts.insert(0, EDITED_NOTE)
    if len(message.strip()) > MAX_CHECK_CHARS and picture is None:
        parts.append(LONG_TEXT_NOTE)
    buttons: Rows = ()
    notify: tuple[Outgoing, ...] = ()
    if verdict.risk == "high" and turn.private:
        notify = family.high_risk_notices(turn, verdict.category_name)
    if notify:
        parts.append(
            "\n👨‍👩‍👧 我已经告诉了您的家人（只说了骗局类型，没发消息原文），请等家人联系您。"
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


def picture_lead(flagged: bool, lines: tuple[str, ...]) -> str:
    """The opening of a reply to a picture: read, and quoted."""
    shown = [x if len(x) <= QUOTE_CHARS else x[: QUOTE_CHARS - 1] + "…" for x in lines]
    if not shown:
        return PICTURE_READ
    heading = PICTURE_RISKY if flagged else PICTURE_SAYS
    return "\n".join([PICTURE_READ, heading, *(f"「{x}」" for x in shown), ""])
