"""Normalisation: turn whatever a senior pastes into one comparable form.

Scam texts dodge keyword filters with full-width letters, Traditional characters, spaces,
emoji or zero-width characters between characters, and pinyin or homophones in place of
words (洗qian, 转帐, 理陪). Phrases in the pattern files go through the same steps, so the
two sides always meet in the same form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e")
)

#: Everything that is not a letter, digit or CJK character is noise between characters.
NOISE = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

#: Pinyin and homophones that stand in for words, applied to the compact form.
#: Longer keys win; values are what the pattern files are written in.
SUBSTITUTIONS: dict[str, str] = {
    # variant or wrong characters
    "转帐": "转账",
    "帐户": "账户",
    "帐号": "账号",
    "帐单": "账单",
    "到帐": "到账",
    "理陪": "理赔",
    "理培": "理赔",
    "验正码": "验证码",
    "效验码": "验证码",
    "银航": "银行",
    "洗前": "洗钱",
    "公安扃": "公安局",
    "检查院": "检察院",
    "通揖": "通缉",
    "刷弹": "刷单",
    "返力": "返利",
    "徵信": "征信",
    "徵": "征",
    "醫保": "医保",
    "微.信": "微信",
    "薇信": "微信",
    "威信": "微信",
    "vx": "微信",
    "wx": "微信",
    "v信": "微信",
    "扣扣": "qq",
    # pinyin standing in for words or characters
    "xiqian": "洗钱",
    "qian": "钱",
    "zhuanzhang": "转账",
    "zhuan账": "转账",
    "zhuan": "转",
    "垫fu": "垫付",
    "zhifu": "支付",
    "huikuan": "汇款",
    "yinhangka": "银行卡",
    "yanzhengma": "验证码",
    "anquanzhanghu": "安全账户",
    "zhanghu": "账户",
    "shuadan": "刷单",
    "fanli": "返利",
    "daikuan": "贷款",
    "zhengxin": "征信",
    "gongan": "公安",
    "jingcha": "警察",
    "taobao": "淘宝",
    "yibao": "医保",
    "shebao": "社保",
    "医bao": "医保",
    "社bao": "社保",
    "bao险": "保险",
    "licai": "理财",
    "touzi": "投资",
    "baozhengjin": "保证金",
    "shouxufei": "手续费",
    "kefu": "客服",
    "tuikuan": "退款",
    "lipei": "理赔",
    "zhongjiang": "中奖",
    "dou音": "抖音",
    "douyin": "抖音",
}

SUB_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(SUBSTITUTIONS, key=len, reverse=True))
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """NFKC (full-width to half-width), zero-width removed, Traditional to Simplified, lower."""
    text = unicodedata.normalize("NFKC", text).translate(ZERO_WIDTH)
    return _t2s().convert(text).lower()


#: A quoted stretch: “…”, 「…」, 『…』, "…" or ‘…’ (after `clean`; bounded so a stray quote
#: mark cannot swallow a whole message).
_QUOTED = re.compile(
    r'“[^“”]{1,80}”|「[^「」]{1,80}」|『[^『』]{1,80}』|"[^"]{1,80}"|‘[^‘’]{1,80}’'
)


def unquote(cleaned: str) -> str:
    """The text with quoted stretches taken out (what the writer says in their own words)."""
    return _QUOTED.sub(" ", cleaned)


def compact(cleaned: str) -> str:
    """Drop everything between characters (spaces, punctuation, emoji), then substitute."""
    squeezed = NOISE.sub("", cleaned)
    return SUB_PATTERN.sub(lambda m: SUBSTITUTIONS[m.group(0)], squeezed)


def normalize(text: str) -> str:
    """The form matching works on: `compact(clean(text))`."""
    return compact(clean(text))
