"""The 求助 page: what to do at once when money is gone, and the numbers to call.

It is read by someone frightened, so it is short (SOS_MAX characters, checked when the
guidance is validated): the first steps, then the hotlines by name.
"""

from __future__ import annotations

from bot.content.models import Guidance

#: The longest the page may be, in characters.
SOS_MAX = 300
#: How many of the "money already sent" steps the page lists (the first are the urgent ones).
SOS_STEPS = 3


def sos_text(guidance: Guidance) -> str:
    """The page: the first steps, then each hotline's number and name."""
    lines = ["🆘 钱已经转出去了？请马上："]
    lines += [f"{i}. {step}" for i, step in enumerate(guidance.money_already_sent[:SOS_STEPS], 1)]
    lines += ["", "☎️ 求助电话"]
    lines += [f"{h.number} {h.name}" for h in guidance.hotlines]
    lines += ["", "拿不准就打 96110 问一问；96110 打来的电话是真的提醒，要接。"]
    return "\n".join(lines)
