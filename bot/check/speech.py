"""How a message speaks: who tells it, who is asked to act, and whether it is a chat.

The same scam words mean opposite things in "民警提醒：千万不要转账到安全账户" (advice) and
"对方让我把钱转到安全账户" (a scam): what tells them apart is reported speech (说, 讲, 提醒),
negation (千万不能信, 不要转), who is asked to act, and whether a stranger is the one asking.
A pasted chat (several turns, two speakers) is judged as one conversation: what the other side
asks weighs most. These cues are evidence for the fitted score (`bot.check.fitted`), never
a verdict on their own. They read the cleaned text (`normalize.clean`): punctuation and line
breaks still in it.
"""

from __future__ import annotations

import re

#: Someone who warns (police, a lecture, the news) telling or reminding.
_REPORTED = re.compile(
    r"(民警|警察|警官|派出所|公安|反诈中心|老师|专家|社区|居委会|街道|新闻|报道|电视|广播|讲座|"
    r"宣传|银行工作人员|柜员)[^。！？\n]{0,12}(说|讲|提醒|介绍|告诉|强调|讲解|通报|提示|举例)"
    r"|据[^。！？\n]{0,8}(报道|介绍|通报)|(听|看)(了|过)?[^。！？\n]{0,8}(讲座|宣传|新闻|报道)"
)
#: Telling not to do it: 千万不要转, 别信, 切勿点击, 谨防.
_NEGATED = re.compile(
    r"千万(不要|别|不能|莫|不可)|(不要|别|切勿|勿|不能|莫|不可|不会)"
    r"(轻信|相信|信|转账|转钱|汇款|点击|点开|点|告诉|透露|下载|扫码|给|交|付)|谨防|提防|警惕|当心|小心"
)
#: A stranger or "the other side" asking (有人打电话说, 对方让我, 一个自称…的人).
_STRANGER_ASKS = re.compile(
    r"(有人|有个人|有个|对方|那人|那个人|陌生人|自称|一个(男|女)的|客服|他|她)[^。！？\n]{0,14}"
    r"(说|让|叫|要|要求|逼|催|问)"
)
#: The senior (or "you") asked to act: 让我, 叫我, 要我, 请您, 你马上.
_ASKED_TO_ACT = re.compile(
    r"(让|叫|要|要求|逼|催|请)(我|我们|您|你|老人|大家)|(您|你)(要|必须|马上|赶紧|立即|尽快|需要|先)"
)
#: Asking the bot whether it is true (…是真的吗？ 能信吗).
_ASKS_IF_TRUE = re.compile(
    r"(是真的|真的假的|能信|可信|靠谱|是骗子|是不是骗|是骗局)[吗么不吧呢啊]?[?？]*\s*$"
)
#: A line that opens a turn of a chat: a speaker's name, or a time stamp.
_TURN = re.compile(r"^\s*(\[?\d{1,2}:\d{2}(:\d{2})?\]?|[^\n：:，,。]{1,10}[：:])")
#: A chat has at least this many turns.
CHAT_TURNS = 3


def chat_turns(cleaned: str) -> int:
    """How many lines open a turn (a speaker's name or a time stamp)."""
    return sum(1 for line in cleaned.splitlines() if _TURN.match(line))


def speech_features(cleaned: str) -> dict[str, float]:
    """The cues above as 0/1 features (and the chat's size), for the fitted score."""
    turns = chat_turns(cleaned)
    return {
        "reported": float(bool(_REPORTED.search(cleaned))),
        "negated": float(bool(_NEGATED.search(cleaned))),
        "stranger_asks": float(bool(_STRANGER_ASKS.search(cleaned))),
        "asked_to_act": float(bool(_ASKED_TO_ACT.search(cleaned))),
        "asks_if_true": float(bool(_ASKS_IF_TRUE.search(cleaned))),
        "chat": float(turns >= CHAT_TURNS),
        "chat_turns": min(turns, 20) / 20,
    }
