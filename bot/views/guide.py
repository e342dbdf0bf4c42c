"""The guide's pages as the bot shows them: the 三不 rule on page 0, then one card per scam."""

from __future__ import annotations

from bot.content.models import Card, Guidance
from bot.views import callbacks
from bot.views.replies import Button, Reply, Rows

NUMBERS = ("1️⃣", "2️⃣", "3️⃣")


def page_count(guidance: Guidance) -> int:
    """Pages in the guide: the rule, then the cards."""
    return 1 + len(guidance.cards)


def page_of_category(guidance: Guidance, category: str | None) -> int | None:
    """The guide page of the card for this scam category, if there is one."""
    for i, card in enumerate(guidance.cards, start=1):
        if card.category == category:
            return i
    return None


def rule_text(guidance: Guidance) -> str:
    """Page 0: the 三不 rule and the word about family."""
    lines = [f"🛡️ {guidance.rule_title}", ""]
    lines += [f"{n} {line}" for n, line in zip(NUMBERS, guidance.rule, strict=False)]
    lines += ["", f"👨‍👩‍👧 {guidance.talk_to_family}", "", "点「下一张 ›」，看看常见的骗局。"]
    return "\n".join(lines)


def card_text(card: Card, number: int, total: int) -> str:
    """One scam card; its title is the scam's one name (the taxonomy's, as validation checks)."""
    lines = [f"🃏 {card.title}（第 {number}/{total} 张）", "", card.how_it_goes, "", "⚠️ 小心这些："]
    lines += [f"· {sign}" for sign in card.signs]
    lines += ["", "✅ 您可以这样做："]
    lines += [f"· {step}" for step in card.what_to_do]
    return "\n".join(lines)


def _nav(page: int, total: int) -> Rows:
    back = callbacks.encode("g", (page - 1) % total)
    forward = callbacks.encode("g", (page + 1) % total)
    return ((Button("‹ 上一张", back), Button("下一张 ›", forward)),)


def page_reply(guidance: Guidance, page: int, *, edit: bool) -> Reply:
    """Guide page `page` (which must exist) with its ‹ › buttons."""
    total = page_count(guidance)
    cards = guidance.cards
    body = rule_text(guidance) if page == 0 else card_text(cards[page - 1], page, total - 1)
    return Reply(body, buttons=_nav(page, total), edit=edit)
