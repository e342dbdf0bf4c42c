"""From the lines read on a phone screen to the conversation on it.

A screenshot of an SMS or a WeChat chat holds more than the messages: the status bar (time,
signal, battery), the title (a name or a number), time stamps between messages, interface
words (撤回了一条消息, 对方正在输入…, 发送) and two speakers — the other side on the left, the
senior on the right. The check should read what was said and by whom, so this module drops
the screen's furniture and joins each bubble's lines into one turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Who = Literal["them", "me"]


@dataclass(frozen=True)
class Line:
    """One line of text read in a picture, with where it stands (pixels of the read image)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    score: float

    @property
    def height(self) -> float:
        """The height of its box: the size of its letters."""
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        """Its horizontal middle."""
        return (self.left + self.right) / 2


#: The top share of the screen where the status bar and the title are.
TOP_BAND = 0.12
#: The bottom share where the input bar is.
BOTTOM_BAND = 0.10
#: Status-bar and clock texts: a time, a battery level, the network.
_STATUS = re.compile(
    r"^\s*(\d{1,2}[:：]\d{2}|\d{1,3}\s*%|[45]G\+?|LTE|VoLTE|HD|Wi-?Fi|"
    r"中国(移动|联通|电信)|中國(移動|聯通|電信)|中華電信|台灣大哥大|遠傳電信|[.·•\s]+)+\s*$",
    re.IGNORECASE,
)
#: A time stamp between messages: 昨天 14:32, 上午9:05, 2026年1月2日 8:10, 星期三.
_STAMP = re.compile(
    r"^\s*((昨天|今天|前天|昨日|今日|星期.|周.|週.|禮拜.)\s*)?((上午|下午|晚上|凌晨|中午|早上)\s*)?"
    r"(\d{4}\s*[年/.-]\s*)?(\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?)?\s*((上午|下午|晚上|凌晨|中午|早上)\s*)?"
    r"(\d{1,2}[:：]\d{2})?\s*$"
)
#: Interface words a chat or SMS app shows around the messages.
_INTERFACE = re.compile(
    r"撤回了一条消息|撤回了一則訊息|撤回了一條訊息|正在输入|正在輸入|以下(是|为|為)新消息|"
    r"^\s*(发送|發送|按住\s*说话|按住\s*說話|短信|簡訊|彩信|信息|訊息|iMessage|送达|已送达|已送達|"
    r"已读|已讀|返回|更多|聊天信息|聊天資訊|复制|複製|转发|轉發|删除|刪除|引用|收藏|文本消息|"
    r"文字訊息|输入消息|輸入訊息|[<>＜＞+＋…⋯·•]+)\s*$",
    re.IGNORECASE,
)
#: Lines of one bubble start this close to each other (share of the width).
ALIGNED = 0.025


@dataclass(frozen=True)
class Said:
    """One turn: who said it and what (a bubble's lines joined)."""

    who: Who
    text: str


@dataclass(frozen=True)
class Screen:
    """What a screenshot shows, without the furniture."""

    title: str | None
    turns: tuple[Said, ...]

    @property
    def two_sided(self) -> bool:
        """Both the other side and the senior speak (a chat, not a list of SMS)."""
        return len({t.who for t in self.turns}) == 2

    def text(self) -> str:
        """The conversation as the check reads it: a chat as 对方： / 我： turns, a list of
        messages from one side as its messages, one per line."""
        if self.two_sided:
            body = [f"{'对方' if t.who == 'them' else '我'}：{t.text}" for t in self.turns]
        else:
            body = [t.text for t in self.turns]
        return "\n".join(body)


def furniture(line: Line, height: float) -> bool:
    """Whether a line is part of the screen, not of a message."""
    text = line.text.strip()
    if _INTERFACE.search(text):
        return True
    if line.bottom <= height * TOP_BAND and _STATUS.match(text):
        return True
    if _STAMP.match(text) and any(ch.isdigit() or ch in "昨今前星周週禮" for ch in text):
        return True
    return line.top >= height * (1 - BOTTOM_BAND) and len(text) <= 4


def _title(lines: list[Line], height: float) -> Line | None:
    """The name or number at the top, centred (or near the left, after a back arrow)."""
    for line in lines:
        if line.bottom > height * TOP_BAND:
            break
        if not furniture(line, height):
            return line
    return None


def _join(a: str, b: str) -> str:
    """Two lines of one bubble: Chinese runs on, Latin words keep a space."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def read_screen(lines: list[Line], width: float, height: float) -> Screen:
    """The title and the turns of a screenshot's lines (as `Ocr.read` gives them).

    A bubble's lines stand one under the other, left-aligned; the bubble is the other
    side's when it is nearer the left edge than the right (the senior's hug the right).
    """
    ordered = sorted(lines, key=lambda line: (line.top, line.left))
    title = _title(ordered, height)
    bubbles: list[list[Line]] = []
    for line in ordered:
        if line is title or furniture(line, height):
            continue
        if bubbles:
            last = bubbles[-1][-1]
            gap = line.top - last.bottom
            aligned = abs(line.left - bubbles[-1][0].left) <= ALIGNED * width
            if aligned and gap < 0.6 * max(line.height, last.height):
                bubbles[-1].append(line)
                continue
        bubbles.append([line])
    turns: list[Said] = []
    for bubble in bubbles:
        left = min(x.left for x in bubble)
        right = max(x.right for x in bubble)
        who: Who = "me" if width - right < left else "them"
        text = ""
        for x in bubble:
            text = _join(text, x.text.strip())
        text = text.replace("[转账]", "转账").replace("[轉帳]", "轉帳")
        turns.append(Said(who, text))
    return Screen(title.text.strip() if title else None, tuple(turns))
