"""订阅提醒 and /subscribe — a placeholder until scheduled alerts arrive.

Kept in this one module on purpose: the alerts feature replaces `subscribe` and nothing else.
"""

from __future__ import annotations

from bot.dialog import callbacks
from bot.dialog.context import Turn
from bot.dialog.replies import Button, Response, text


def subscribe(turn: Turn) -> Response:
    """Say that alerts are coming, and offer the rule meanwhile."""
    body = (
        "🔔 订阅提醒马上就来：以后我会定期把新出现的骗局告诉您。\n"
        "现在先记牢三不口诀：不听、不信、不转账。"
    )
    return text(body, buttons=((Button("🛡️ 看三不口诀", callbacks.encode("gc", 0)),),))
