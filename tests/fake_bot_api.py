"""A fake Telegram Bot API for tests: it answers like Telegram, rejects what Telegram rejects,
and records what each chat sees.

- `FakeTelegram` is the server state and the rules (pure, synchronous, thread-safe).
- `FakeBotAPI` plugs it into python-telegram-bot as a `BaseRequest`, so a test drives the
  real `Application` with `application.process_update(...)`.
- `FakeBotHTTPServer` serves the same rules over HTTP on 127.0.0.1, for the real
  `python -m bot run` process (via `TELEGRAM_API_BASE_URL`).
- `Person` is a user in a chat: sends texts, commands, stickers, photos..., presses buttons,
  and returns what appeared on their screen.

Pictures the bot sends (sendPhoto, in-process only: uploads are read from the request's
multipart files) must be images, with a caption of at most 1024 characters.

Pictures a person sends (`Person.send_picture`) are kept as files: getFile answers with a
path (or "file is too big" beyond 20 MB, as Telegram does) and the file URL serves the bytes.

Failures can be injected into sendMessage, per chat or per call: flood control (429 with
`retry_after`), a blocked bot (403), server errors (5xx) and timeouts (with or without the
message having reached Telegram first) — see `FakeTelegram.blocked`, `fail_chat`,
`fail_calls` and `before_send`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000001
BOT_USERNAME = "sanbu_guard_bot"
TOKEN = f"{BOT_ID}:TEST-token-for-the-fake-bot-api-000"

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
#: The largest file a bot may download with getFile.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
#: What an uploaded photo must start with (Telegram only takes images).
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_CALLBACK_BYTES = 64
MAX_NOTICE = 200
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


BLOCKED = "Forbidden: bot was blocked by the user"


class ApiError(Exception):
    """What Telegram answers with instead of a result."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def flood(seconds: int) -> ApiError:
    """Telegram's flood control: 429 with the seconds to wait."""
    return ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


def blocked() -> ApiError:
    """What Telegram answers when the user blocked the bot."""
    return ApiError(403, BLOCKED)


def server_error(code: int = 502) -> ApiError:
    """A 5xx from Telegram (or the proxy in front of it)."""
    return ApiError(code, "Bad Gateway" if code == 502 else "Internal Server Error")


class Timeout(Exception):
    """Injected: the request times out. `delivered`: Telegram got the message before the
    answer was lost (the case where a retry shows the message twice)."""

    def __init__(self, delivered: bool = False) -> None:
        super().__init__("timed out")
        self.delivered = delivered


Failure = ApiError | Timeout


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Shown:
    """A message as the chat shows it now (after any edits)."""

    message_id: int
    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    """Inline buttons: rows of (label, callback_data)."""
    keyboard: list[list[str]] | None = None
    """A reply keyboard sent with this message: rows of labels."""
    from_bot: bool = True
    reply_to: int | None = None
    edits: int = 0
    raw: dict[str, Any] = field(default_factory=dict)
    photo: bytes | None = field(default=None, repr=False)
    """An uploaded picture (sendPhoto); `text` is then its caption."""

    @property
    def labels(self) -> list[str]:
        """All inline button labels, row by row."""
        return [label for row in self.buttons for label, _ in row]


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float


class FakeTelegram:
    """The state and the rules of the fake Bot API."""

    def __init__(self, bot_id: int = BOT_ID, username: str = BOT_USERNAME) -> None:
        self.bot = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "三不卫士",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.errors: list[tuple[str, str]] = []
        self.chats: dict[int, list[Shown]] = {}
        self.chat_info: dict[int, dict[str, Any]] = {}
        self.commands: list[dict[str, str]] = []
        self.pending_queries: set[str] = set()
        self.answers: dict[str, dict[str, Any]] = {}
        self.fail_next: dict[str, ApiError] = {}
        self.raw_next: dict[str, list[bytes]] = {}
        """Over HTTP: the next calls of a method get these bytes as their 200 answer (garbage,
        a truncated body), consumed in order."""
        self.blocked: set[int] = set()
        """Chats whose user blocked the bot: every sendMessage to them gets 403."""
        self.fail_chat: dict[int, list[Failure]] = {}
        """Failures for the next sendMessage calls to a chat, consumed in order."""
        self.fail_calls: dict[int, Failure] = {}
        """Failures by the 1-based number of the sendMessage call."""
        self.before_send: Callable[[int, int], Failure | None] | None = None
        """Called as (call number, chat id) before each sendMessage; may return a failure."""
        self.clock: Callable[[], float] = time.perf_counter
        """Time stamps of calls (tests with a fake clock set theirs)."""
        self.send_calls = 0
        self.files: dict[str, bytes] = {}
        """Files people sent, by file_id (getFile and the download serve them)."""
        self.chat_actions: list[tuple[int, str]] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._lock = threading.RLock()
        self._new_updates = threading.Condition(self._lock)

    # --- what the bot asks ----------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        with self._lock:
            self.calls.append(Call(method, params, self.clock()))
            injected = False
            try:
                failure = self.fail_next.pop(method, None)
                if failure is None and method == "sendMessage":
                    failure = self._injected_send_failure(params)
                    injected = failure is not None
                if isinstance(failure, Timeout):
                    if failure.delivered:
                        self._api_sendMessage(params)
                    raise failure
                if failure is not None:
                    raise failure
                handler = getattr(self, f"_api_{method}", None)
                if handler is None:
                    raise ApiError(404, "Not Found")
                result = handler(params)
            except ApiError as exc:
                if not injected:  # injected failures are the test's doing, not the bot's
                    self.errors.append((method, exc.description))
                return exc.code, exc.body()
            return 200, {"ok": True, "result": result}

    def _injected_send_failure(self, params: dict[str, Any]) -> Failure | None:
        self.send_calls += 1
        try:
            chat_id = int(params.get("chat_id") or 0)
        except (TypeError, ValueError):
            return None
        if self.before_send is not None:
            failure = self.before_send(self.send_calls, chat_id)
            if failure is not None:
                return failure
        if self.send_calls in self.fail_calls:
            return self.fail_calls.pop(self.send_calls)
        if chat_id in self.blocked:
            return blocked()
        queue = self.fail_chat.get(chat_id)
        if queue:
            return queue.pop(0)
        return None

    def take_raw(self, method: str, params: dict[str, Any]) -> bytes | None:
        """The raw answer queued for this call of `method` (see `raw_next`), if any."""
        with self._lock:
            queued = self.raw_next.get(method)
            if not queued:
                return None
            self.calls.append(Call(method, params, self.clock()))
            return queued.pop(0)

    def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot

    def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        return True

    def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands not found")
        for command in commands:
            if not COMMAND_NAME.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> Any:
        return self.commands

    def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + wait
        while True:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if self._updates or time.monotonic() >= deadline:
                return list(self._updates)
            self._new_updates.wait(max(0.0, deadline - time.monotonic()))

    def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        data = self.files[file_id]
        if len(data) > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": f"files/{file_id}",
        }

    def download(self, url: str) -> tuple[int, bytes]:
        """The bytes at a file URL (…/file/bot<token>/files/<file_id>)."""
        with self._lock:
            self.calls.append(Call("download", {"url": url}, self.clock()))
            url = urllib.parse.unquote(url)
            file_id = url.rsplit("/", 1)[-1]
            if f"/file/bot{TOKEN}/files/" not in url or file_id not in self.files:
                return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
            return 200, self.files[file_id]

    def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        self.chat_actions.append((self._chat_id(params), str(params.get("action"))))
        return True

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat_id(params)
        text = self._text(params)
        buttons, keyboard = self._markup(params.get("reply_markup"))
        reply = params.get("reply_parameters") or {}
        shown = Shown(
            message_id=next(self._message_ids),
            text=text,
            buttons=buttons,
            keyboard=keyboard,
            reply_to=reply.get("message_id") if isinstance(reply, dict) else None,
        )
        raw = self._message_json(chat_id, shown.message_id, text, from_bot=True)
        if buttons:
            raw["reply_markup"] = params["reply_markup"]
        shown.raw = raw
        self.chats.setdefault(chat_id, []).append(shown)
        return raw

    def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat_id(params)
        photo = params.get("photo")
        if isinstance(photo, bytes):
            if not photo.startswith(IMAGE_SIGNATURES):
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            if len(photo) > MAX_PHOTO_BYTES:
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        elif not isinstance(photo, str) or not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = params.get("caption") or ""
        if not isinstance(caption, str) or utf16_len(caption) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        buttons, keyboard = self._markup(params.get("reply_markup"))
        reply = params.get("reply_parameters") or {}
        shown = Shown(
            message_id=next(self._message_ids),
            text=caption,
            buttons=buttons,
            keyboard=keyboard,
            reply_to=reply.get("message_id") if isinstance(reply, dict) else None,
            photo=photo if isinstance(photo, bytes) else None,
        )
        raw = self._message_json(chat_id, shown.message_id, caption, from_bot=True)
        del raw["text"]
        raw["photo"] = [
            {
                "file_id": f"photo{shown.message_id}",
                "file_unique_id": f"p{shown.message_id}",
                "width": 1000,
                "height": 450,
            }
        ]
        if caption:
            raw["caption"] = caption
        if buttons:
            raw["reply_markup"] = params["reply_markup"]
        shown.raw = raw
        self.chats.setdefault(chat_id, []).append(shown)
        return raw

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        shown = self._own_message(params)
        if "photo" in shown.raw:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = self._text(params)
        buttons, keyboard = self._markup(params.get("reply_markup"))
        if keyboard is not None:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        if text == shown.text and buttons == shown.buttons:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        shown.text, shown.buttons, shown.edits = text, buttons, shown.edits + 1
        shown.raw = {**shown.raw, "text": text, "edit_date": int(time.time())}
        shown.raw.pop("reply_markup", None)
        if buttons:
            shown.raw["reply_markup"] = params["reply_markup"]
        return shown.raw

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        shown = self._own_message(params)
        buttons, keyboard = self._markup(params.get("reply_markup"))
        if keyboard is not None:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        if buttons == shown.buttons:
            raise ApiError(400, "Bad Request: message is not modified")
        shown.buttons, shown.edits = buttons, shown.edits + 1
        shown.raw.pop("reply_markup", None)
        if buttons:
            shown.raw["reply_markup"] = params["reply_markup"]
        return shown.raw

    def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat_id(params)
        message_id = int(params.get("message_id") or 0)
        messages = self.chats.get(chat_id, [])
        kept = [m for m in messages if m.message_id != message_id]
        if len(kept) == len(messages):
            raise ApiError(400, "Bad Request: message to delete not found")
        self.chats[chat_id] = kept
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.pending_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and utf16_len(str(text)) > MAX_NOTICE:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.pending_queries.discard(query_id)
        self.answers[query_id] = {"text": text, "show_alert": bool(params.get("show_alert"))}
        return True

    # --- the rules --------------------------------------------------------------------------

    def _chat_id(self, params: dict[str, Any]) -> int:
        try:
            return int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat_id is empty") from None

    @staticmethod
    def _text(params: dict[str, Any]) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return text

    @staticmethod
    def _markup(markup: Any) -> tuple[list[list[tuple[str, str]]], list[list[str]] | None]:
        if not markup:
            return [], None
        if "inline_keyboard" in markup:
            rows: list[list[tuple[str, str]]] = []
            for row in markup["inline_keyboard"]:
                out = []
                for button in row:
                    label = str(button.get("text", ""))
                    data = button.get("callback_data")
                    if not label.strip():
                        raise ApiError(
                            400, "Bad Request: text buttons are unallowed in the inline keyboard"
                        )
                    if (
                        data is None
                        or not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_BYTES
                    ):
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                    out.append((label, str(data)))
                rows.append(out)
            return rows, None
        if "keyboard" in markup:
            keys = []
            for row in markup["keyboard"]:
                labels = [b["text"] if isinstance(b, dict) else str(b) for b in row]
                if any(not label.strip() for label in labels):
                    raise ApiError(400, "Bad Request: keyboard button text is empty")
                keys.append(labels)
            return [], keys
        return [], None

    def _own_message(self, params: dict[str, Any]) -> Shown:
        chat_id = self._chat_id(params)
        message_id = int(params.get("message_id") or 0)
        for shown in self.chats.get(chat_id, []):
            if shown.message_id == message_id:
                if not shown.from_bot:
                    raise ApiError(400, "Bad Request: message can't be edited")
                return shown
        raise ApiError(400, "Bad Request: message to edit not found")

    def _message_json(
        self, chat_id: int, message_id: int, text: str, *, from_bot: bool
    ) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chat_info.get(
                chat_id, {"id": chat_id, "type": "private", "first_name": "用户"}
            ),
            "from": self.bot,
            "text": text,
        }

    # --- what a test does ---------------------------------------------------------------------

    def new_message_id(self) -> int:
        """A message id for a user's message (shared with the bot's, like one chat's history)."""
        with self._lock:
            return next(self._message_ids)

    def new_update_id(self) -> int:
        with self._lock:
            return next(self._update_ids)

    def new_query(self) -> str:
        """A callback query id that Telegram expects the bot to answer."""
        with self._lock:
            query_id = f"q{next(self._query_ids)}"
            self.pending_queries.add(query_id)
            return query_id

    def record_user_message(self, chat_id: int, message: dict[str, Any]) -> None:
        with self._lock:
            text = message.get("text") or message.get("caption") or ""
            self.chats.setdefault(chat_id, []).append(
                Shown(message["message_id"], text, from_bot=False, raw=message)
            )

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (the polling path)."""
        with self._lock:
            self._updates.append(update)
            self._new_updates.notify_all()

    def screen(self, chat_id: int) -> list[Shown]:
        """Everything the chat shows now, oldest first."""
        with self._lock:
            return list(self.chats.get(chat_id, []))

    def texts_to(self, chat_id: int) -> list[str]:
        """The texts of every message the bot sent to the chat, oldest first."""
        return [m.text for m in self.screen(chat_id) if m.from_bot]

    def photos_to(self, chat_id: int) -> list[Shown]:
        """The pictures the bot sent to the chat (sendPhoto), oldest first."""
        return [m for m in self.screen(chat_id) if m.from_bot and "photo" in m.raw]

    def send_times(self) -> dict[int, list[float]]:
        """When each sendMessage call (accepted or not) reached the fake, by chat."""
        with self._lock:
            times: dict[int, list[float]] = {}
            for call in self.calls:
                if call.method == "sendMessage":
                    times.setdefault(int(call.params.get("chat_id") or 0), []).append(call.at)
            return times

    def take_errors(self) -> list[tuple[str, str]]:
        """The rejected calls so far (and forget them)."""
        with self._lock:
            errors, self.errors = self.errors, []
            return errors


def _decode_params(request_data: RequestData | None) -> dict[str, Any]:
    """The call's parameters, with uploaded files as their bytes (e.g. `photo`)."""
    if request_data is None:
        return {}
    params: dict[str, Any] = dict(request_data.parameters)
    for name, part in request_data.multipart_data.items():
        content = part[1]
        params[name] = content if isinstance(content, bytes) else content.read()
    return params


class FakeBotAPI(BaseRequest):
    """python-telegram-bot's network layer replaced by `FakeTelegram`: no sockets at all."""

    def __init__(
        self, telegram: FakeTelegram | None = None, *, network_pause: bool = False
    ) -> None:
        self.telegram = telegram or FakeTelegram()
        self.network_pause = network_pause
        """Yield to the event loop on every call, as a real HTTP request would."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if self.network_pause:
            await asyncio.sleep(0)
        if "/file/bot" in url:
            return self.telegram.download(url)
        api_method = url.rsplit("/", 1)[-1]
        params = _decode_params(request_data)
        if api_method == "getUpdates":
            params["timeout"] = 0  # in-process tests never long-poll
        try:
            code, body = self.telegram.handle(api_method, params)
        except Timeout:
            raise TimedOut("Timed out (injected)") from None
        return code, json.dumps(body, ensure_ascii=False).encode("utf-8")


# --- the same fake over HTTP, for the real process --------------------------------------------


def _parse_form(body: bytes, content_type: str) -> dict[str, Any]:
    if "application/json" in content_type:
        return dict(json.loads(body or b"{}"))
    params: dict[str, Any] = {}
    for key, values in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
        value = values[-1]
        if value[:1] in "[{":
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params


class FakeBotHTTPServer:
    """`FakeTelegram` on http://127.0.0.1:<port>/bot<token>/<method>, in a thread."""

    def __init__(self, telegram: FakeTelegram | None = None) -> None:
        self.telegram = telegram or FakeTelegram()
        telegram_state = self.telegram

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                params = _parse_form(self.rfile.read(length), self.headers.get("Content-Type", ""))
                path = urllib.parse.urlparse(self.path).path
                if path.startswith("/file/bot"):
                    code, data = telegram_state.download(path)
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path)
                if match is None or match.group(1) != TOKEN:
                    code, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
                else:
                    raw = telegram_state.take_raw(match.group(2), params)
                    try:
                        code, body = (
                            (200, raw)
                            if raw is not None
                            else telegram_state.handle(match.group(2), params)
                        )
                    except Timeout:  # over HTTP a lost answer looks like a gateway timeout
                        code, body = 504, {"ok": False, "error_code": 504, "description": "Timeout"}
                payload = (
                    body
                    if isinstance(body, bytes)
                    else json.dumps(body, ensure_ascii=False).encode("utf-8")
                )
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_BASE_URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def __enter__(self) -> FakeBotHTTPServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- people -----------------------------------------------------------------------------------


class Person:
    """Someone writing to the bot, in a private chat or a group."""

    def __init__(
        self,
        telegram: FakeTelegram,
        application: Application[Any, Any, Any, Any, Any, Any],
        user_id: int,
        *,
        first_name: str = "张阿姨",
        group: int | None = None,
    ) -> None:
        self.telegram = telegram
        self.application = application
        self.user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "zh-hans",
        }
        self.chat_id = group if group is not None else user_id
        chat: dict[str, Any] = (
            {"id": group, "type": "supergroup", "title": "幸福小区老年大学"}
            if group is not None
            else {"id": user_id, "type": "private", "first_name": first_name}
        )
        self.chat = chat
        telegram.chat_info[self.chat_id] = chat

    # what the person sees

    @property
    def screen(self) -> list[Shown]:
        return self.telegram.screen(self.chat_id)

    def bot_messages(self) -> list[Shown]:
        return [m for m in self.screen if m.from_bot]

    @property
    def last(self) -> Shown:
        """The bot's latest message in this chat."""
        return self.bot_messages()[-1]

    # what the person does

    def _message(self, **fields: Any) -> dict[str, Any]:
        message = {
            "message_id": self.telegram.new_message_id(),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            **fields,
        }
        self.telegram.record_user_message(self.chat_id, message)
        return message

    async def deliver(self, update: dict[str, Any]) -> list[Shown]:
        """Process one update through the real Application; return the bot's new messages."""
        before = {m.message_id for m in self.bot_messages()}
        await self.application.process_update(Update.de_json(update, self.application.bot))
        return [m for m in self.bot_messages() if m.message_id not in before]

    def text_update(self, text: str, **extra: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {"text": text, **extra}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            fields.setdefault("entities", []).append(
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            )
        return {"update_id": self.telegram.new_update_id(), "message": self._message(**fields)}

    async def send(self, text: str, **extra: Any) -> list[Shown]:
        """Send a text (a command when it starts with '/')."""
        return await self.deliver(self.text_update(text, **extra))

    async def send_fields(self, **fields: Any) -> list[Shown]:
        """Send a message with these fields (a sticker, a photo, a contact, ...)."""
        return await self.deliver(
            {"update_id": self.telegram.new_update_id(), "message": self._message(**fields)}
        )

    def picture_update(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        as_file: str | None = None,
        album: str | None = None,
        width: int = 1080,
        height: int = 2400,
    ) -> dict[str, Any]:
        """A picture sent as a photo (Telegram's sizes, the largest last), or as a file named
        `as_file`; `album` is the media group it belongs to."""
        file_id = f"f{len(self.telegram.files) + 1}"
        self.telegram.files[file_id] = data
        fields: dict[str, Any] = {}
        if as_file is not None:
            mime = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(
                as_file.rsplit(".", 1)[-1], "application/octet-stream"
            )
            fields["document"] = {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": as_file,
                "mime_type": mime,
                "file_size": len(data),
            }
        else:
            small = {"file_id": f"{file_id}s", "file_unique_id": f"s{file_id}", "width": 90}
            fields["photo"] = [
                {**small, "height": 200},
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                },
            ]
        if caption is not None:
            fields["caption"] = caption
        if album is not None:
            fields["media_group_id"] = album
        return {"update_id": self.telegram.new_update_id(), "message": self._message(**fields)}

    async def send_picture(self, data: bytes, **options: Any) -> list[Shown]:
        """Send a picture (see `picture_update`); returns the bot's new messages."""
        return await self.deliver(self.picture_update(data, **options))

    async def edit(self, message_id: int, text: str) -> list[Shown]:
        """Edit one's earlier message to `text`."""
        message = {
            "message_id": message_id,
            "date": int(time.time()) - 60,
            "edit_date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "text": text,
        }
        return await self.deliver(
            {"update_id": self.telegram.new_update_id(), "edited_message": message}
        )

    def button_update(
        self, label: str | None = None, *, data: str | None = None, on: Shown | None = None
    ) -> dict[str, Any]:
        """A press of the button labelled `label` on `on` (default: the latest message having it),
        or of a button carrying `data` (forged or stale data included)."""
        if on is None:
            candidates = [
                m for m in reversed(self.bot_messages()) if label is None or label in m.labels
            ]
            if not candidates:
                raise AssertionError(f"no message shows a button {label!r}")
            on = candidates[0]
        if data is None:
            matches = [d for row in on.buttons for lab, d in row if lab == label]
            if not matches:
                raise AssertionError(
                    f"message {on.message_id} has no button {label!r}: {on.labels}"
                )
            data = matches[0]
        query = {
            "id": self.telegram.new_query(),
            "from": self.user,
            "chat_instance": f"ci{self.chat_id}",
            "message": on.raw,
            "data": data,
        }
        return {"update_id": self.telegram.new_update_id(), "callback_query": query}

    async def press(
        self, label: str | None = None, *, data: str | None = None, on: Shown | None = None
    ) -> list[Shown]:
        """Press an inline button; returns the bot's new messages (edits change `screen`)."""
        return await self.deliver(self.button_update(label, data=data, on=on))

    def notice(self) -> dict[str, Any]:
        """The answer to this person's latest button press."""
        return list(self.telegram.answers.values())[-1]


# --- the real bot process ---------------------------------------------------------------------


def bot_env(base_url: str, tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a real bot process on the fake Bot API, with its own database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db' / 'bot.db'}",
        LOG_LEVEL="INFO",
        NO_PROXY="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env
