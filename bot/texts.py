"""What the bot says, independent of the channel (Telegram, terminal, tests).

Seniors read every string: short, warm, concrete, one next step.
"""

from __future__ import annotations

from bot.check.engine import Verdict
from bot.check.evidence import quotes
from bot.content.models import Guidance

RISK_MARKERS = {
    "high": "🔴 高风险",
    "medium": "🟠 有风险",
    "low": "🟡 风险较低",
    "none": "🟢 没发现问题",
}

#: The answer to a stale or forged button press.
EXPIRED = "这个按钮已过期，请重新开始"
#: What the user is told when something broke while answering them.
SOMETHING_WRONG = "😥 抱歉，我这边出了点问题，请稍后再试一次。\n拿不准的事，请直接打 96110 问一问。"
#: When the database was too busy to write what the user just did (nothing was changed).
BUSY = "😥 我这边有点忙，刚才这一步没记下来。请过一分钟再试一次。"
#: The same, as the short notice on a pressed button (at most 200 characters).
BUSY_NOTICE = "有点忙，没记下来，请过一分钟再点一次"
#: The answer to an empty or blank message.
EMPTY_PROMPT = "请把收到的可疑短信、微信或电话内容发给我，我帮您看看有没有风险。"
#: Added when only the start of a very long message was checked.
LONG_TEXT_NOTE = "（消息很长，我只看了前面一部分。如果要紧的话在后面，请把那一段单独发给我。）"
#: Added above the verdict for a message the user edited.
EDITED_NOTE = "您改过的消息，我重新看了一遍："


#: At most this many matched phrases, danger signs and advice lines are shown.
MAX_PHRASES = 2
MAX_REASONS = 3
MAX_ADVICE = 3
_REGEX_CHARS = set("()[]{}|\\?*+^$")


def _phrases(matched: tuple[str, ...]) -> list[str]:
    """Matched phrases worth showing: no regex sources, none contained in another."""
    words = [m for m in matched if not _REGEX_CHARS & set(m)]
    kept: list[str] = []
    for word in words:
        if word in kept or any(word != other and word in other for other in words):
            continue
        kept.append(word)
    return kept[:MAX_PHRASES]


def verdict_text(verdict: Verdict, guidance: Guidance | None = None, message: str = "") -> str:
    """A short reply about one checked message; on high risk also the 三不 rule and hotlines.

    With `message` (the text checked), the evidence quotes the sender's own words; without
    it, the matched phrases that are plain words.
    """
    lines = [RISK_MARKERS[verdict.risk]]
    if not verdict.flagged and verdict.safe:
        # Advice, news or a notice: say what it is, not which scam it talks about.
        lines.append("为什么：" + "；".join(verdict.safe[:2]))
    elif verdict.risk != "none":
        if verdict.category_name:
            lines[0] += f"：像是「{verdict.category_name}」骗局"
        phrases = (
            list(quotes(message, verdict.matched, MAX_PHRASES))
            if message
            else _phrases(verdict.matched)
        )
        why = ["提到了" + "".join(f"“{p}”" for p in phrases)] if phrases else []
        why += verdict.reasons[:MAX_REASONS]
        if why:
            lines.append("为什么：" + "；".join(why))
    if verdict.blocklisted:
        lines.append("注意：" + "、".join(verdict.blocklisted) + " 在警方公布的诈骗名单上")
    lines.append("")
    lines += [f"👉 {a}" for a in verdict.advice[:MAX_ADVICE]]
    if verdict.risk == "high" and guidance is not None:
        lines.append("")
        rule = " ".join(r.split("：")[0].split("，")[0] for r in guidance.rule)
        lines.append(f"【{guidance.rule_title}】{rule}")
        lines.append("☎️ " + "　".join(f"{h.name} {h.number}" for h in guidance.hotlines[:2]))
    return "\n".join(lines).strip()
