"""An answer typed during a quiz instead of pressed: B, 选B, 第二个, 2, or the option's words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.check.normalize import clean, normalize

_NUMERALS = {"一": 0, "二": 1, "两": 1, "三": 2, "四": 3, "1": 0, "2": 1, "3": 2, "4": 3}
#: Words before the choice: 我觉得选, 答案应该是, 选 ...
_LEAD = r"(?:[^，,。\s]{1,4}说)?(?:要得|好的|那就|是不是|肯定|一定|我看|我|俺|嗯|好|行|那|看|觉得|认为|想|猜|应该|就|是|系|选择|选|拣|答案|答|的|吧)*"
_TAIL = r"(?:吧|啊|呀|呢|嘛|哦|喔|噢|啦|啩|咯|哈|了|的|对吧|对不对|是对的|选项|项|个)*"
#: A letter A–D alone, perhaps with words around it that say nothing (选B, b吧, 答案是C).
_LETTER = re.compile(rf"^{_LEAD}(?:选项)?([abcd]){_TAIL}$")
#: A letter followed by a mark or a space and the option's words (B. 不听…, C 不相信), read
#: on the cleaned text, where the space survives.
_LETTER_WORDS = re.compile(rf"^\s*{_LEAD}\s*([abcd])(?:\s*[.、,，:：。)）-]\s*|\s+)\S")
#: A letter followed by a few words of doubt or reason (B吧我猜的, D啦一定是, 我选A不听); not
#: a word that starts with the letter (A股, B站).
_LETTER_SAID = re.compile(rf"^{_LEAD}([abcd])(?![a-z站股超型级类面])(?:.{{1,8}})$")
#: A number 1–4 or 一–四, perhaps as 第二个.
_NUMBER = re.compile(rf"^{_LEAD}第?([1-4一二两三四])(?:个|项|条|种|号)?{_TAIL}$")
#: The last option (最后一个, 我选最后那个).
_LAST = re.compile(rf"^{_LEAD}最后(一个|那个|一项|一条|的)?{_TAIL}$")
#: The option's own words must be this close (rapidfuzz ratio) to count as choosing it.
OPTION_WORDS_SCORE = 85


def typed_option(text: str, options: Sequence[str]) -> int | None:
    """The 0-based option `text` chooses, or None when it is not an answer.

    A letter or number beyond the options (D of three) is still returned: the user meant
    to answer, and is told which letters there are.
    """
    norm = normalize(text)
    if not norm:
        return None
    letter = _LETTER.match(norm) or _LETTER_WORDS.match(clean(text)) or _LETTER_SAID.match(norm)
    if letter:
        return "abcd".index(letter.group(1))
    number = _NUMBER.match(norm)
    if number:
        return _NUMERALS[number.group(1)]
    if _LAST.match(norm):
        return len(options) - 1
    scores = [fuzz.ratio(norm, normalize(o)) for o in options]
    if scores and max(scores) >= OPTION_WORDS_SCORE:
        return scores.index(max(scores))
    return None
