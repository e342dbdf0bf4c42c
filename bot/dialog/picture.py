"""A picture a senior sent (a screenshot of an SMS or a chat): what was read in it goes the
same way as a typed message — understood, checked — and the reply says it was a picture and
quotes the line or two that carry the risk. Neither the picture nor its text is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.check.engine import Verdict
from bot.check.normalize import normalize
from bot.check.speech import speech_features
from bot.dialog import check, rescue
from bot.dialog.context import Turn
from bot.pictures.read import PictureText
from bot.pictures.screen import Said
from bot.views.replies import Response, text

#: Why a picture got no check, and what to do instead: one short answer each.
PROBLEMS: dict[str, str] = {
    "not_image": "这个文件我打不开，它不像是一张图片。请发一张截图，或者把字打出来发给我。",
    "too_large": "这张图片太大了，我看不了。请截一张手机屏幕的图，再发给我。",
    "too_small": "这张图片太小了，看不清上面的字。请截一张整个屏幕的图，再发给我。",
    "no_text": "这张图片里我没有找到字。如果是可疑的短信或聊天，请截一张有字的屏幕图发给我。",
    "unreadable": "这张图片上的字我看不清。请重新截一张清楚的图，或者把字打出来发给我。",
    "timeout": "这张图片我看了很久还没看完。请过一会儿再发一次，或者把字打出来发给我。",
    "busy": "现在要看的图片太多了，请过一分钟再发一次。着急的话，把字打出来发给我。",
    "download": "这张图片没收到，请再发一次。",
}
#: A note when some pictures of an album could not be read and the others were.
SOME_UNREAD = "（有一张图片我看不清，没算在里面。）"
#: At most this many lines of a picture are quoted.
QUOTED = 2
#: A line that asks the senior to act on money, a code, an app or a link (normalised, so
#: Simplified): the line they must not act on, quoted before the story around it.
DEMAND = re.compile(
    r"(转|汇|打|付|交|充值|垫|缴|存)[^，。]{0,8}(钱|款|账户|元|万|费|税)|安全账户|验证码|"
    r"下载|共享屏幕|点击|链接|网址|http|扫码|入金|保证金|手续费|不要告诉|别跟|保密"
)


def problem(turn: Turn, kind: str) -> Response:
    """The answer to a picture that could not be read (see `PROBLEMS`)."""
    return text(PROBLEMS.get(kind, PROBLEMS["unreadable"]))


def picture(
    turn: Turn, found: Sequence[PictureText], caption: str = "", *, some_unread: bool = False
) -> Response:
    """Answer what was read in one picture, or in an album's pictures together.

    A caption is read with the pictures: "我已经按他说的转了钱" is a cry for help (the steps
    first, the scam named in one line); "这是真的吗" gets the plain answer to that question.
    """
    said = [s for f in found for s in f.screen.turns]
    body = "\n".join(f.text for f in found if f.text)
    checked = f"{body}\n{caption.strip()}" if caption.strip() else body
    verdict = turn.checker.check(checked)
    if caption.strip():
        reading = turn.reader.read(caption, lambda _text: verdict, menu=False)
        if reading.kind == "help":
            return rescue.cry_for_help(turn, replace(reading, verdict=verdict))
    asks = bool(caption.strip()) and bool(speech_features(caption)["asks_if_true"])
    reply = check.check(
        turn,
        checked,
        verdict=verdict,
        asks_if_true=asks,
        picture=quoted(said, verdict),
    )
    if some_unread and reply.replies:
        first = reply.replies[0]
        reply = replace(reply, replies=(replace(first, text=f"{first.text}\n{SOME_UNREAD}"),))
    return reply


def quoted(said: Sequence[Said], verdict: Verdict) -> tuple[str, ...]:
    """The lines to quote: for a warning, the other side's one or two riskiest turns (what
    they ask the senior to do); otherwise the first line read."""
    if not said:
        return ()
    if not verdict.flagged:
        return (said[0].text,)
    theirs = [s for s in said if s.who == "them"] or list(said)
    evidence = [normalize(p) for p in verdict.matched]
    ranked = []
    for i, s in enumerate(theirs):
        norm = normalize(s.text)
        found = sum(1 for p in evidence if p and p in norm)
        asks = 2 if DEMAND.search(norm) else 0
        ranked.append((found + asks, i, s.text))
    top = sorted(ranked, key=lambda x: (-x[0], -x[1]))[:QUOTED]
    return tuple(t for _, _, t in sorted(top, key=lambda x: x[1]))
