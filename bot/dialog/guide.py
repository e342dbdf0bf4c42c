"""/guide and 三不口诀: the rule on page 0, then one card per scam type, browsed with ‹ ›."""

from __future__ import annotations

from bot.content.loader import Content
from bot.content.models import Card
from bot.dialog import callbacks
from bot.dialog.context import Turn
from bot.dialog.replies import Button, Reply, Response, Rows, say
from bot.texts import EXPIRED

NUMBERS = ("1️⃣", "2️⃣", "3️⃣")


def page_count(content: Content) -> int:
    """Pages in the guide: the rule, then the cards."""
    return 1 + len(content.guidance.cards)


def page_of_category(content: Content, category: str | None) -> int | None:
    """The guide page of the card for this scam category, if there is one."""
    for i, card in enumerate(content.guidance.cards, start=1):
        if card.category == category:
            return i
    return None


def _rule_text(content: Content) -> str:
    guidance = content.guidance
    lines = [f"🛡️ {guidance.rule_title}", ""]
    lines += [f"{n} {line}" for n, line in zip(NUMBERS, guidance.rule, strict=False)]
    lines += ["", f"👨‍👩‍👧 {guidance.talk_to_family}", "", "点「下一张 ›」，看看常见的骗局。"]
    return "\n".join(lines)


def _card_text(card: Card, number: int, total: int) -> str:
    lines = [f"🃏 {card.title}（第 {number}/{total} 张）", "", card.how_it_goes, "", "⚠️ 小心这些："]
    lines += [f"· {sign}" for sign in card.signs]
    lines += ["", "✅ 您可以这样做："]
    lines += [f"· {step}" for step in card.what_to_do]
    return "\n".join(lines)


def _nav(page: int, total: int) -> Rows:
    back = callbacks.encode("g", (page - 1) % total)
    forward = callbacks.encode("g", (page + 1) % total)
    return ((Button("‹ 上一张", back), Button("下一张 ›", forward)),)


def page_reply(content: Content, page: int, *, edit: bool) -> Reply:
    """Guide page `page` (which must exist) with its ‹ › buttons."""
    total = page_count(content)
    cards = content.guidance.cards
    body = _rule_text(content) if page == 0 else _card_text(cards[page - 1], page, total - 1)
    return Reply(body, buttons=_nav(page, total), edit=edit)


def show(turn: Turn, page: int = 0, *, edit: bool = False) -> Response:
    """Show a guide page: in place of the pressed message when `edit`, else as a new one."""
    if not 0 <= page < page_count(turn.content):
        return Response(notice=EXPIRED, stale=True)
    return say(page_reply(turn.content, page, edit=edit))
