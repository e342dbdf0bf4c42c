"""Turn the dialog's `Reply`s into Telegram messages: send, or edit the pressed message."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    ReplyKeyboardMarkup,
    ReplyParameters,
)
from telegram.error import BadRequest

from bot.views.replies import MAX_CAPTION, MAX_TEXT, KeyRows, Reply, Rows, fit

log = logging.getLogger(__name__)


def inline_markup(rows: Rows) -> InlineKeyboardMarkup | None:
    """Inline buttons, or None when there are none."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def keyboard_markup(rows: KeyRows) -> ReplyKeyboardMarkup:
    """The persistent keyboard of big buttons."""
    return ReplyKeyboardMarkup(
        [list(row) for row in rows], resize_keyboard=True, is_persistent=True
    )


async def deliver(
    bot: Bot,
    chat_id: int,
    replies: tuple[Reply, ...],
    *,
    private: bool,
    pressed: MaybeInaccessibleMessage | None = None,
    reply_to: int | None = None,
) -> None:
    """Send the replies in order; an `edit` reply replaces `pressed` when it still can.

    In groups the big keyboard is left out (it would cover everyone's screen) and the first
    reply quotes the message it answers. A reply with a photo is sent as a new picture with
    its text as the caption.
    """
    for reply in replies:
        body = fit(reply.text, MAX_CAPTION if reply.photo is not None else MAX_TEXT)
        inline = inline_markup(reply.buttons)
        can_edit = (
            reply.edit and reply.photo is None and pressed is not None and pressed.is_accessible
        )
        target = pressed.message_id if can_edit and pressed is not None else None
        if target is not None and _shows_already(pressed, body, inline):
            continue  # a second tap on the same page: Telegram would refuse the edit
        if target is not None and await _edit(bot, chat_id, target, body, inline):
            continue
        markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = inline
        if reply.keyboard is not None and private:
            markup = keyboard_markup(reply.keyboard)
        quote = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        if reply.photo is not None:
            await bot.send_photo(
                chat_id, reply.photo, caption=body, reply_markup=markup, reply_parameters=quote
            )
        else:
            await bot.send_message(chat_id, body, reply_markup=markup, reply_parameters=quote)
        reply_to = None


def _shows_already(
    pressed: MaybeInaccessibleMessage | None, body: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Whether the pressed message already shows exactly this text and these buttons."""
    text = getattr(pressed, "text", None)
    shown = getattr(pressed, "reply_markup", None)
    return text == body and (shown.to_dict() if shown else None) == (
        markup.to_dict() if markup else None
    )


async def _edit(
    bot: Bot, chat_id: int, message_id: int, body: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Edit a message in place; False when Telegram will not (too old, deleted, ...)."""
    try:
        await bot.edit_message_text(
            body, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if "not modified" in exc.message:
            return True  # a double tap on the same page: it already shows this
        log.info("could not edit a message, sending a new one: %s", exc.message)
        return False
    return True
