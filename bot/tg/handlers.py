"""Telegram handlers: parse the update, call the dialog core, render, send. Nothing more.

Each handler holds the sender's lock while it asks the dialog and sends the answer, so one
person's updates are answered in order even though updates are processed concurrently.
The dialog itself (understanding, the check, storage) runs in a pool of worker threads:
a long message to check, or a write waiting for another process's database lock, holds up
only the person it belongs to — the event loop goes on answering everyone else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from telegram import Bot, CallbackQuery, Chat, Message, MessageEntity, Update, User
from telegram.constants import ChatAction, ChatType
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.dialog.lang import convert
from bot.dialog.router import Dialog
from bot.pictures.errors import MAX_BYTES
from bot.pictures.read import PictureText
from bot.pictures.worker import PictureWorker
from bot.texts import SOMETHING_WRONG
from bot.tg.locks import KeyedLocks
from bot.tg.logsafe import mask
from bot.tg.render import deliver, with_retries
from bot.views.replies import Response, fit

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
T = TypeVar("T")

#: Message attributes the bot cannot read, checked in this order (an animation also has a
#: document), and what the dialog calls each. Photos and image files are read instead.
MEDIA_KINDS: tuple[tuple[str, str], ...] = (
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "voice"),
    ("video_note", "video"),
    ("animation", "video"),
    ("video", "video"),
    ("document", "document"),
    ("venue", "location"),
    ("location", "location"),
    ("contact", "contact"),
    ("poll", "other"),
    ("dice", "other"),
    ("game", "other"),
    ("story", "other"),
)

#: Dialog turns running at once (each waits at most a couple of seconds for a database lock;
#: the check is pure Python, so more threads would not make it faster).
DIALOG_THREADS = 16
#: The pictures of an album arrive as separate updates within a moment: the first waits
#: this long for the others, so that the album gets one answer.
ALBUM_SECONDS = 1.5
#: Image files a senior may send as a document instead of a photo.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif")
#: The short notice when a button press failed (a callback answer is at most 200 characters).
PRESS_FAILED = "抱歉，出了点问题，请再点一次"


async def _answer_query(query: CallbackQuery, notice: str | None, alert: bool) -> None:
    """Answer a button press (retried on a transient failure); a last failure is logged,
    not raised, so the reply to the press is still sent."""
    try:
        await with_retries(lambda: query.answer(notice, show_alert=alert))
    except TelegramError as exc:
        log.warning("could not answer a button press: %s", mask(repr(exc)))


def media_kind(message: Message) -> str | None:
    """What the message carries that the bot cannot read; None for service messages."""
    for attribute, kind in MEDIA_KINDS:
        if getattr(message, attribute, None):
            return kind
    return None


def _replies_to(message: Message, bot_id: int) -> bool:
    """Whether the message answers one of the bot's own (how a group talks to it)."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def _private(chat: Chat | None) -> bool:
    return chat is None or chat.type == ChatType.PRIVATE


def command_parts(text: str) -> tuple[str, str]:
    """("/link@sanbu_bot  AB12", ...) -> ("link", "AB12"): the name and what follows it."""
    parts = text.strip().split(None, 1)
    first = parts[0] if parts else ""
    rest = parts[1].strip() if len(parts) > 1 else ""
    return first.lstrip("/").split("@", 1)[0], rest


async def notify(bot: Bot, response: Response) -> None:
    """Send the response's messages to other people (family members), one by one.

    They are best effort: someone who blocked the bot, or a failure, must not spoil the
    answer to the person who wrote; failures are logged without the text.
    """
    for outgoing in response.notify:
        body = fit(f"{outgoing.text}\n\n{outgoing.quote}" if outgoing.quote else outgoing.text)
        try:
            await bot.send_message(outgoing.user_id, body)
        except Forbidden:
            log.info("a family member has blocked the bot; notice not delivered")
        except TelegramError as exc:
            log.warning("family notice not delivered: %s", mask(repr(exc)))


def addressed_text(message: Message, bot_id: int, username: str | None) -> str | None:
    """The text or caption to answer, or None when a group message is not for the bot.

    In a private chat everything is for the bot. In a group only a reply to the bot's
    message or a mention of it is; the mention itself is taken out of the text.
    """
    raw = message.text if message.text is not None else message.caption
    if raw is None:
        return None
    if _private(message.chat):
        return raw
    to_bot = _replies_to(message, bot_id)
    entities = (
        message.parse_entities() if message.text is not None else message.parse_caption_entities()
    )
    handle = f"@{username}".lower() if username else None
    mentions = [
        piece
        for entity, piece in entities.items()
        if (entity.type == MessageEntity.MENTION and handle and piece.lower() == handle)
        or (entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id)
    ]
    if not (to_bot or mentions):
        return None
    for piece in mentions:
        raw = raw.replace(piece, " ")
    return raw


def picture_file(message: Message) -> tuple[str, int | None] | None:
    """(file id, size) of the picture a message carries: the largest size of a photo, or a
    document that is an image by its type or name; None when it carries none."""
    if message.photo:
        largest = message.photo[-1]
        return largest.file_id, largest.file_size
    document = message.document
    if document is None:
        return None
    name = (document.file_name or "").lower()
    if (document.mime_type or "").startswith("image/") or name.endswith(IMAGE_SUFFIXES):
        return document.file_id, document.file_size
    return None


class Handlers:
    """The bot's handlers, bound to one dialog core."""

    def __init__(self, dialog: Dialog, pictures: PictureWorker | None = None) -> None:
        self.dialog = dialog
        self.locks = KeyedLocks()
        self._pool = ThreadPoolExecutor(DIALOG_THREADS, thread_name_prefix="dialog")
        self.pictures = pictures or PictureWorker()
        self._albums: dict[str, list[Message]] = {}

    async def _ask(self, question: Callable[[], T]) -> T:
        """Run one dialog call in the worker pool (see the module docstring)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, question)

    async def _reply(
        self, update: Update, context: Context, user_id: int, answer: Callable[[], Response]
    ) -> None:
        """Ask the dialog (in the pool) and send its answer, holding the sender's lock."""
        async with self.locks.hold(user_id):
            await self._answer(update, context, await self._ask(answer))

    def close(self) -> None:
        """Let the turns in progress finish and stop the worker threads."""
        self._pool.shutdown(wait=True)
        self.pictures.close()

    async def _answer(self, update: Update, context: Context, response: Response) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None:
            return
        private = _private(chat)
        await deliver(
            context.bot,
            chat.id,
            response.replies,
            private=private,
            reply_to=None if private else message.message_id,
        )
        await notify(context.bot, response)

    async def command(self, update: Update, context: Context) -> None:
        """/start, /quiz and the rest (PTB has checked a group command is addressed to us)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        await self._run_command(update, context, message, user)

    async def _run_command(
        self, update: Update, context: Context, message: Message, user: User
    ) -> None:
        """Hand a command to the dialog (which answers unknown ones itself) and reply."""
        assert message.text is not None
        name, args = command_parts(message.text)
        answer = partial(
            self.dialog.command,
            user.id,
            name,
            private=_private(message.chat),
            args=args,
            display_name=user.first_name,
        )
        await self._reply(update, context, user.id, answer)

    async def unknown_command(self, update: Update, context: Context) -> None:
        """A command the bot does not have; in groups only when addressed to this bot."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        first = message.text.split(maxsplit=1)[0]
        if not _private(message.chat):
            target = first.partition("@")[2].lower()
            if not context.bot.username or target != context.bot.username.lower():
                return
        await self._run_command(update, context, message, user)

    async def text(self, update: Update, context: Context) -> None:
        """A text, caption or forwarded message: a menu button, or something to check.

        An edited message is checked again (menu buttons are not re-run), so a senior who
        corrects a pasted message gets the answer for the corrected text.
        """
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        body = addressed_text(message, context.bot.id, context.bot.username)
        if body is None:
            return
        edited = update.edited_message is not None
        answer = partial(
            self.dialog.text,
            user.id,
            body,
            private=_private(message.chat),
            edited=edited,
            display_name=user.first_name,
        )
        await self._reply(update, context, user.id, answer)

    async def media(self, update: Update, context: Context) -> None:
        """A sticker, photo without caption, voice, ...: say what the bot can do."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        kind = media_kind(message)
        if kind is None:
            return  # a service message (someone joined, a pinned message, ...)
        if not _private(message.chat) and not _replies_to(message, context.bot.id):
            return
        answer = partial(self.dialog.media, user.id, kind, private=_private(message.chat))
        await self._reply(update, context, user.id, answer)

    async def picture(self, update: Update, context: Context) -> None:
        """A photo or an image file: read it (off the event loop), then answer what it says
        as if it had been typed. An album's pictures are answered once, together."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        caption = addressed_text(message, context.bot.id, context.bot.username)
        if not _private(chat) and caption is None and not _replies_to(message, context.bot.id):
            return  # a group picture not meant for the bot
        group = message.media_group_id
        if group is not None:
            if group in self._albums:
                self._albums[group].append(message)
                return
            self._albums[group] = [message]
            await asyncio.sleep(ALBUM_SECONDS)
        messages = self._albums.pop(group, [message]) if group is not None else [message]
        async with self.locks.hold(user.id):
            await self._typing(context, chat.id)
            read: list[PictureText] = []
            problems: list[str] = []
            for one in messages:
                outcome = await self._read_picture(context, one)
                if isinstance(outcome, PictureText):
                    read.append(outcome)
                else:
                    problems.append(outcome)
            captions = [
                c
                for c in (addressed_text(m, context.bot.id, context.bot.username) for m in messages)
                if c
            ]
            answer = partial(
                self.dialog.picture,
                user.id,
                read,
                "\n".join(captions),
                problems=problems,
                private=_private(chat),
            )
            await self._answer(update, context, await self._ask(answer))

    async def _typing(self, context: Context, chat_id: int) -> None:
        """Show "typing…" while the picture is read (best effort: a failure changes nothing)."""
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            log.info("could not show the typing status: %s", mask(repr(exc)))

    async def _read_picture(self, context: Context, message: Message) -> PictureText | str:
        """Download one picture and read it; a problem's name when that fails."""
        found = picture_file(message)
        if found is None:
            return "not_image"
        file_id, size = found
        if size is not None and size > MAX_BYTES:
            return "too_large"  # Telegram would refuse the download anyway
        try:
            tg_file = await context.bot.get_file(file_id)
            data = bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            if "too big" in str(exc).lower():
                return "too_large"
            log.warning("a picture could not be downloaded: %s", mask(repr(exc)))
            return "download"
        return await self.pictures.read(data)

    async def button(self, update: Update, context: Context) -> None:
        """A pressed inline button. The query is answered exactly once, whatever happens."""
        query = update.callback_query
        if query is None:
            return
        user = query.from_user
        pressed = query.message
        private = _private(pressed.chat if pressed is not None else None)
        answer = partial(
            self.dialog.press, user.id, query.data, private=private, display_name=user.first_name
        )
        async with self.locks.hold(user.id):
            try:
                response = await self._ask(answer)
            except Exception:
                language = await self._ask(partial(self.dialog.language_of, user.id))
                await _answer_query(query, convert(PRESS_FAILED, language), True)
                raise
            # The spinner must stop even when the Bot API fails once; the reply still comes.
            await _answer_query(query, response.notice, response.stale)
            if response.stale or pressed is None:
                return
            await deliver(
                context.bot, pressed.chat.id, response.replies, private=private, pressed=pressed
            )
            await notify(context.bot, response)

    async def error(self, update: object, context: Context) -> None:
        """Log the error (masked, without the message text) and tell the user."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        if isinstance(error, Forbidden):
            log.info("user blocked the bot (update %s)", update_id)
            return
        if isinstance(error, RetryAfter):
            log.warning("Telegram asked to slow down (update %s): %s", update_id, error)
        else:
            log.error(
                "error while handling update %s: %s",
                update_id,
                mask(repr(error)),
                exc_info=error,
            )
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        language = await self._ask(partial(self.dialog.language_of, user.id)) if user else "zh-Hans"
        try:
            await context.bot.send_message(
                update.effective_chat.id, convert(SOMETHING_WRONG, language)
            )
        except Exception as exc:  # the user still has no answer; nothing more to do
            log.warning("could not tell the user about the error: %s", mask(repr(exc)))
