"""The Telegram bot: build the Application, register every handler in one place, and poll.

Only this module and `bot.tg` import `telegram`; everything the bot says comes from the
channel-agnostic core in `bot.dialog`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.alerts.sender import MAX_IN_FLIGHT
from bot.content.bundle import Content
from bot.dialog.router import COMMANDS, Dialog
from bot.pictures.worker import PictureWorker
from bot.served.live import LiveContent
from bot.settings import Settings
from bot.startup import hold_database_or_report, open_content, open_storage_or_report
from bot.storage import Storage
from bot.tg.alerts import ALERTS_KEY, AlertService
from bot.tg.content_watch import WATCH_KEY, ContentWatcher
from bot.tg.handlers import Handlers
from bot.tg.logsafe import configure_logging
from bot.tg.reach import reach_telegram

log = logging.getLogger(__name__)

#: The update types the bot handles; Telegram sends no others.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
#: How often a request that hit Telegram's flood limit (429) is retried after the wait.
RATE_LIMIT_RETRIES = 2


class _Default:
    """Marks "use the standard rate limiter" (None means: no rate limiter)."""


DEFAULT_RATE_LIMITER: Any = _Default()


def file_url(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (`…/bot` → `…/file/bot`)."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Once, before polling starts: fill Telegram's command menu, start the alerts and, when
    the content comes from files, the watcher that reloads it."""
    await application.bot.set_my_commands([BotCommand(name, about) for name, about in COMMANDS])
    await alerts_of(application).start(application)
    watcher = watcher_of(application)
    if watcher is not None:
        watcher.start(application)
    # matplotlib takes most of a second to load and scan fonts; do it off the event loop now
    # so an admin's first /stats does not hold up everyone's replies.
    asyncio.get_running_loop().run_in_executor(None, _warm_chart)


def _warm_chart() -> None:
    try:
        from bot.stats.chart import warm_up

        warm_up()
    except Exception:  # a missing font cache must not stop the bot; /stats will say
        log.warning("could not prepare the chart library", exc_info=True)


async def _post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """After polling stopped: let the alert sends in flight finish, then stop the sender."""
    await alerts_of(application).stop()


def alerts_of(application: Application[Any, Any, Any, Any, Any, Any]) -> AlertService:
    """The alert service `build_application` attached to the Application."""
    service = application.bot_data[ALERTS_KEY]
    assert isinstance(service, AlertService)
    return service


def watcher_of(application: Application[Any, Any, Any, Any, Any, Any]) -> ContentWatcher | None:
    """The content watcher, or None when the content is fixed (not read from files)."""
    watcher = application.bot_data.get(WATCH_KEY)
    assert watcher is None or isinstance(watcher, ContentWatcher)
    return watcher


def _alert_bot(settings: Settings, request: BaseRequest | None) -> Bot:
    """A second Bot for alerts: same token and server, its own connections, no rate limiter
    (the alert sender paces itself), so broadcasts and replies never share a queue."""
    kwargs: dict[str, Any] = {}
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        kwargs.update(base_url=base, base_file_url=file_url(base))
    if request is None:
        request = HTTPXRequest(connection_pool_size=MAX_IN_FLIGHT + 2)
    return Bot(settings.telegram_bot_token, request=request, **kwargs)


def register_handlers(
    application: Application[Any, Any, Any, Any, Any, Any], handlers: Handlers
) -> None:
    """Every handler, in one place. Order matters: the first matching handler wins."""
    new = filters.UpdateType.MESSAGE
    # 1. Known commands (PTB ignores group commands addressed to another bot), then unknown.
    names = [name for name, _ in COMMANDS]
    application.add_handler(CommandHandler(names, handlers.command, filters=new))
    application.add_handler(MessageHandler(new & filters.COMMAND, handlers.unknown_command))
    # 2. Photos and image files (with their caption): read, then understood and checked.
    pictures = filters.PHOTO | filters.Document.IMAGE
    application.add_handler(MessageHandler(new & pictures, handlers.picture))
    # 3. Texts, captions and forwarded messages: a menu button or a check.
    readable = filters.TEXT | filters.CAPTION
    application.add_handler(MessageHandler(new & readable, handlers.text))
    # 4. An edited message in a private chat is checked again.
    edited = filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(edited & readable & ~filters.COMMAND, handlers.text))
    # 5. Everything else a person can send: stickers, photos, voice, ... (not service messages).
    application.add_handler(MessageHandler(new & ~filters.StatusUpdate.ALL, handlers.media))
    # 6. Inline buttons.
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_error_handler(handlers.error)


def build_application(
    settings: Settings,
    content: Content | LiveContent,
    storage: Storage,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = DEFAULT_RATE_LIMITER,
    alert_request: BaseRequest | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The configured Application (not started). Tests pass a fake `request`.

    `rate_limiter` defaults to `AIORateLimiter` (Telegram's flood limits); None turns it off,
    for benchmarks that measure the bot itself. Alerts go out through their own Bot on
    `alert_request` (default: `request` when given, else a new connection pool); the service
    starts with polling (post_init) and is reachable with `alerts_of(application)`.
    With a `LiveContent`, admins can /reload and a watcher (`watcher_of`) reloads changed files.
    """
    builder: Any = ApplicationBuilder().token(settings.telegram_bot_token).concurrent_updates(True)
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(file_url(base))
    if rate_limiter is DEFAULT_RATE_LIMITER:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
    elif rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.post_init(_post_init).post_stop(_post_stop).build()
    dialog = Dialog.from_settings(content, storage, settings)
    alert_bot = _alert_bot(settings, alert_request if alert_request is not None else request)
    application.bot_data[ALERTS_KEY] = AlertService(settings, dialog, storage, alert_bot)
    if isinstance(content, LiveContent):
        application.bot_data[WATCH_KEY] = ContentWatcher(dialog, settings.admin_ids)
    worker = PictureWorker(
        queue=settings.picture_queue,
        seconds=settings.picture_seconds,
        max_pixels=settings.picture_max_pixels,
    )
    register_handlers(application, Handlers(dialog, worker))
    return application


def run_polling(settings: Settings) -> int:
    """Serve Telegram by long polling until stopped (Ctrl-C / SIGTERM); returns the exit code.

    Start-up waits for the Bot API with backoff (`bot.tg.reach`) on the event loop that
    polling then uses, so a Telegram that is down for a while delays the bot, not kills it.
    """
    configure_logging(settings.log_level)
    content = open_content(settings)
    if content is None:
        return 2
    ok, lock = hold_database_or_report(settings)
    if not ok:
        return 2
    storage = open_storage_or_report(settings)
    if storage is None:
        return 2
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # run_polling below runs on this same loop
    try:
        application = build_application(settings, content, storage)
        try:
            reached = loop.run_until_complete(reach_telegram(application.initialize, "getMe"))
        except KeyboardInterrupt:
            return 0
        if not reached:
            return 2
        log.info("polling Telegram (commands: %d)", len(COMMANDS))
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        storage.close()
        if lock is not None:
            lock.release()
        if not loop.is_closed():
            loop.close()
    return 0
