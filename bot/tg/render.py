"""Turn the dialog's `Reply`s into Telegram messages: send, or edit the pressed message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    ReplyKeyboardMarkup,
    ReplyParameters,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from bot.views.replies import MAX_CAPTION, MAX_TEXT, KeyRows, Reply, Rows, fit

log = logging.getLogger(__name__)
T = TypeVar("T")


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
            send = partial(
                bot.send_photo,
                chat_id,
                reply.photo,
                caption=body,
                reply_markup=markup,
                reply_parameters=quote,
            )
        else:
            send = partial(
                bot.send_message, chat_id, body, reply_markup=markup, reply_parameters=quote
            )
        await with_retries(send)
        reply_to = None


#: A reply the Bot API failed with a server error, a garbled answer or a timeout is tried
#: again after these pauses (a verdict must not be lost to one bad answer).
RETRY_PAUSES = (0.5, 1.5)
#: Flood control asking for a wait this short is waited out for a reply; a longer one is not.
MAX_REPLY_WAIT = 5.0


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """`call()`, tried again on a transient failure; refusals (400, 403) are not retried.

    A timeout may mean Telegram already has the message: then the person may see it twice,
    which is better than not at all for a reply someone is waiting for.
    """
    for pause in (*RETRY_PAUSES, None):
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except RetryAfter as exc:
            after = exc.retry_after
            wait = after.total_seconds() if isinstance(after, timedelta) else float(after)
            if pause is None or wait > MAX_REPLY_WAIT:
                raise
            await asyncio.sleep(wait)
        except (InvalidToken, ChatMigrated, Conflict):
            raise
        except (TelegramError, ValueError) as exc:  # 5xx, a garbled answer, a timeout
            if pause is None:
                raise
            log.info("the Bot API failed (%s); trying again", type(exc).__name__)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")


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
