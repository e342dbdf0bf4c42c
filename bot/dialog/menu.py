"""The main menu: /start, /help, 求助, the big keyboard buttons and what they mean."""

from __future__ import annotations

import re

from bot.dialog import family
from bot.dialog.context import Turn
from bot.dialog.lang import to_traditional
from bot.views import callbacks
from bot.views.replies import Button, KeyRows, Response, text
from bot.views.sos import sos_text

CHECK = "🔍 查一查"
LEARN = "📖 学防骗"
RULE = "🛡️ 三不口诀"
SUBSCRIBE = "🔔 订阅提醒"
SOS = "🆘 求助"
FAMILY = "👨‍👩‍👧 家人守护"
SCRIPT = "⚙️ 简体 / 繁體"

#: The persistent keyboard of big buttons, two to a row; the script choice last, on its own.
KEYBOARD: KeyRows = ((CHECK, LEARN), (RULE, SUBSCRIBE), (FAMILY, SOS), (SCRIPT,))

#: What a keyboard button (or the same words typed) asks for.
_INTENTS: dict[str, str] = {
    CHECK: "check",
    LEARN: "quiz",
    RULE: "guide",
    SUBSCRIBE: "subscribe",
    SOS: "sos",
    FAMILY: "family",
    SCRIPT: "settings",
    "退订": "unsubscribe",
    "退订提醒": "unsubscribe",
    "帮助": "help",
    "菜单": "start",
    "防骗测验": "quiz",
    "小测验": "quiz",
    "防骗口诀": "guide",
}
_NOT_WORDS = re.compile(r"[^\w]|_", re.UNICODE)


def _key(label: str) -> str:
    return _NOT_WORDS.sub("", label)


_BY_KEY: dict[str, str] = {}
for _label, _intent in _INTENTS.items():
    _BY_KEY[_key(_label)] = _intent
    _BY_KEY[_key(to_traditional(_label))] = _intent


def intent_of(message: str) -> str | None:
    """The menu intent when the message is exactly a button label (either script), else None."""
    if len(message) > 20:
        return None
    return _BY_KEY.get(_key(message))


CHECK_PROMPT = (
    "🔍 请把拿不准的短信、微信或电话内容发给我，我马上帮您看看。\n"
    "可以直接转发，也可以用自己的话说，比如：“有人打电话说是公安局的……”"
)
GROUP_NOTE = "在群里，请 @我 或回复我的消息，我就帮您看看。"


def start(turn: Turn) -> Response:
    """The welcome, with the big keyboard (in groups, without it)."""
    lines = list(turn.content.guidance.welcome)
    if not turn.private:
        return text("\n".join([*lines[:2], GROUP_NOTE]))
    return text("\n".join(lines), keyboard=KEYBOARD)


def help_text(turn: Turn) -> Response:
    """What the bot does, and the two numbers to call."""
    body = "\n".join(
        (
            "我是三不卫士，能帮您：",
            "🔍 查一查：把可疑的短信、微信发给我，马上告诉您有没有风险",
            "📖 学防骗：做防骗小测验",
            "🛡️ 三不口诀：不听、不信、不转账，还有各种骗局的防骗卡片",
            "🔔 订阅提醒：定期收到防骗提醒",
            "👨‍👩‍👧 家人守护：遇到高风险骗局，马上告诉子女",
            "",
            "☎️ 拿不准就打 96110 问一问；遇到危险、钱已转出，马上打 110。",
        )
    )
    buttons = (
        (Button("🆘 求助", callbacks.encode("sos")),),
        (Button("⚙️ 换成繁體字 / 简体字", callbacks.encode("st")),),
    )
    return text(body, buttons=buttons)


def check_prompt(turn: Turn) -> Response:
    """What to send when the senior pressed 查一查."""
    return text(CHECK_PROMPT)


def sos(turn: Turn) -> Response:
    """The first steps when money has already been sent, and the hotlines."""
    return text(sos_text(turn.content.guidance), buttons=family.sos_buttons(turn))


def unknown_command(turn: Turn) -> Response:
    """A command the bot does not have."""
    return text(
        "我不认识这个命令。把拿不准的消息直接发给我就行，或者点下面的按钮看看我能做什么。",
        buttons=((Button("❓ 我能做什么", callbacks.encode("hp")),),),
    )
