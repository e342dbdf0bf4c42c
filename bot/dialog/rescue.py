"""A cry for help: money, a code or a password already given, an app installed on a stranger's
word. The steps that save money come first, and alone: no verdict, no blame.
"""

from __future__ import annotations

from bot.dialog import family
from bot.dialog.context import Turn
from bot.understand.reader import Reading
from bot.views import callbacks
from bot.views.replies import Button, Response, Rows, fit, text

#: How many of guidance's "money already sent" steps lead (110, the bank's 止付, the records).
FIRST_STEPS = 3
OPENING = "不要着急，您马上来问是对的。请现在就做这几件事："
SOS_BUTTON = "🆘 求助电话"


def cry_for_help(turn: Turn, reading: Reading) -> Response:
    """The first steps, tailored to what was given away; then the 🆘 button and the family."""
    guidance = turn.content.guidance
    steps = list(guidance.money_already_sent[:FIRST_STEPS])
    if reading.given & {"code", "password", "card"} and guidance.if_secret_given:
        steps.append(guidance.if_secret_given)
    if reading.given & {"app", "screen"} and guidance.if_app_installed:
        steps.append(guidance.if_app_installed)
    lines = [OPENING, *(f"{i}. {step}" for i, step in enumerate(steps, start=1))]
    verdict = reading.verdict
    if verdict is not None and verdict.flagged and verdict.category_name:
        lines += ["", f"您说的情况像是「{verdict.category_name}」骗局。"]
    linked = turn.private and bool(family.seniors_family(turn))
    lines += [
        "",
        "👨‍👩‍👧 点下面的按钮，请家人马上给您回电话。"
        if linked
        else "👨‍👩‍👧 请马上告诉家里人，让他们陪您一起办。",
    ]
    buttons: Rows = ((Button(SOS_BUTTON, callbacks.encode("sos")),), *family.sos_buttons(turn))
    return text(fit("\n".join(lines)), buttons=buttons)
