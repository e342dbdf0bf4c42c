"""Stickers, voice, video and the rest (pictures are read, see `picture.py`): a short friendly answer saying what the bot can do."""

from __future__ import annotations

from bot.dialog.context import Turn
from bot.views.replies import Response, text

#: What the bot says to each kind of message it cannot read. Unknown kinds get "other".
ANSWERS: dict[str, str] = {
    "sticker": "收到您的表情啦 😊\n有拿不准的消息，直接转发或粘贴给我，我帮您看看。",
    "voice": ("我还听不了语音。\n请把对方说的话用文字发给我，比如：“有人打电话说我涉嫌洗钱”。"),
    "video": "我还看不了视频。\n请用文字告诉我视频里对方说了什么，我帮您看看。",
    "document": (
        "我打不开文件。\n陌生人发来的文件、安装包（.apk）千万别打开。有可疑的话，请用文字发给我。"
    ),
    "location": "谢谢，不过我用不上位置。\n有拿不准的消息，用文字发给我就行。",
    "contact": ("谢谢，不过我用不上名片。\n如果是陌生人要您转账，请把他说的话用文字发给我。"),
    "other": "这个我还看不懂。\n请把拿不准的消息用文字发给我，或者直接转发给我。",
}


def unsupported(turn: Turn, kind: str) -> Response:
    """The answer to a message the bot cannot read (`kind`: sticker, voice, video, ...)."""
    return text(ANSWERS.get(kind, ANSWERS["other"]))
