"""/guide and 三不口诀: the rule on page 0, then one card per scam type, browsed with ‹ ›."""

from __future__ import annotations

from bot.content.bundle import Content
from bot.dialog.context import Turn
from bot.texts import EXPIRED
from bot.views.guide import page_count, page_reply
from bot.views.guide import page_of_category as _page_of_category
from bot.views.replies import Response, say


def page_of_category(content: Content, category: str | None) -> int | None:
    """The guide page of the card for this scam category, if there is one."""
    return _page_of_category(content.guidance, category)


def show(turn: Turn, page: int = 0, *, edit: bool = False) -> Response:
    """Show a guide page: in place of the pressed message when `edit`, else as a new one."""
    if not 0 <= page < page_count(turn.content.guidance):
        return Response(notice=EXPIRED, stale=True)
    return say(page_reply(turn.content.guidance, page, edit=edit))
