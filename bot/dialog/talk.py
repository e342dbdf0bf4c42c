"""Answers to everything that is not a message to check: questions, small talk, confusion,
wishes about the bot and menu words typed instead of pressed. Each ends with one next step.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.content.models import Faq, Intent
from bot.dialog import account, family, guide, menu, quiz, subscribe
from bot.dialog.context import Turn
from bot.taxonomy import CATEGORY_NAMES
from bot.texts import EXPIRED
from bot.understand.reader import Reading
from bot.views import callbacks
from bot.views.replies import Button, Response, Rows, text

Flow = Callable[[Turn], Response]

#: What a typed menu word or a wish opens.
ACTIONS: dict[str, Flow] = {
    "check": menu.check_prompt,
    "quiz": quiz.choose,
    "guide": guide.show,
    "subscribe": subscribe.subscribe,
    "start_alerts": subscribe.subscribe,
    "stop_alerts": subscribe.unsubscribe,
    "sos": menu.sos,
    "family": family.family,
    "help": menu.help_text,
    "start": menu.start,
    "settings": account.settings,
    "forget": account.forget_ask,
}
#: Small talk that may mean the senior does not know what to do next gets the big buttons.
LOST_INTENTS = frozenset({"greeting", "complaint"})
NOT_KNOWN = (
    "这个问题我还答不好。拿不准的事，请打 96110 反诈专线问一问；"
    "要是收到了可疑的消息，直接发给我，我帮您查。"
)
WHICH_ONE = "您想问的是哪一个？点一下就能看到回答。"
#: The longest label of a question button (the first way of asking is shown).
MAX_QUESTION_LABEL = 30


def menu_word(turn: Turn, intent: Intent | None) -> Response:
    """A menu word typed instead of pressed: open what it names."""
    flow = ACTIONS.get(intent.action or "") if intent else None
    return (flow or menu.start)(turn)


def small_talk(turn: Turn, intent: Intent | None) -> Response:
    """A short warm answer; a greeting, a complaint or confusion also brings the big buttons."""
    body = (intent.reply if intent else None) or menu.CHECK_PROMPT
    lost = intent is None or intent.kind == "confusion" or intent.id in LOST_INTENTS
    if lost and turn.private:
        return text(body, keyboard=menu.KEYBOARD)
    return text(body)


def wish(turn: Turn, intent: Intent | None) -> Response:
    """Do what the senior asked for, or say how (the bot cannot make Telegram's letters bigger)."""
    action = intent.action if intent else None
    if action in ("traditional", "simplified") and intent is not None and intent.reply:
        return text(intent.reply, buttons=account.choice_buttons(turn))
    flow = ACTIONS.get(action or "")
    if flow is not None:
        return flow(turn)
    return text((intent.reply if intent else None) or menu.CHECK_PROMPT)


def question(turn: Turn, reading: Reading) -> Response:
    """The answer, both candidate answers as buttons when torn, or an honest "I don't know"."""
    if len(reading.faqs) == 1:
        return answer(turn, reading.faqs[0])
    if len(reading.faqs) > 1:
        rows = tuple((Button(_label(f), callbacks.encode("fq", f.id)),) for f in reading.faqs)
        return text(WHICH_ONE, buttons=rows)
    return text(NOT_KNOWN, buttons=((Button(menu.CHECK, callbacks.encode("ck")),),))


def answer_by_id(turn: Turn, faq_id: str) -> Response:
    """The 💬 answer a question button asked for (stale when the entry is gone)."""
    found = next((f for f in turn.content.faqs if f.id == faq_id), None)
    if found is None:
        return Response(notice=EXPIRED, stale=True)
    return answer(turn, found)


def answer(turn: Turn, faq: Faq) -> Response:
    """One answer with its next-step button."""
    return text(f"💬 {faq.answer}", buttons=next_step(turn, faq.next))


def next_step(turn: Turn, step: str) -> Rows:
    """The button an answer's `next` names (see `bot.content.models.NEXT_STEP`)."""
    kind, _, target = step.partition(":")
    if kind == "card":
        page = guide.page_of_category(turn.content, target)
        if page is not None:
            name = CATEGORY_NAMES.get(target, "这种骗局")
            return ((Button(f"📖 了解「{name}」", callbacks.encode("gc", page)),),)
    if kind == "quiz":
        found = turn.content.quiz(target)
        if found is not None:
            return ((Button(f"📝 做小测验：{found.title}", callbacks.encode("qs", found.id)),),)
    fixed = {
        "sos": (menu.SOS, "sos"),
        "check": (menu.CHECK, "ck"),
        "guide": (menu.RULE, "gc"),
        "family": (menu.FAMILY, "fam"),
        "subscribe": (menu.SUBSCRIBE, "sub"),
    }
    label, data = fixed.get(kind, (menu.CHECK, "ck"))
    encoded = callbacks.encode(data, 0) if data == "gc" else callbacks.encode(data)
    return ((Button(label, encoded),),)


def _label(faq: Faq) -> str:
    first = faq.asks[0]
    return first if len(first) <= MAX_QUESTION_LABEL else first[: MAX_QUESTION_LABEL - 1] + "…"
