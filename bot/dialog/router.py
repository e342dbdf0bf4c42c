"""The dialog core: one entry point per kind of input, returning what to answer.

Channels (Telegram, the terminal, tests) parse their input, call one method of `Dialog`,
and render the `Response`. Every method is synchronous and short: the user's state is read,
changed and saved without yielding, so concurrent inputs from one user cannot interleave.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from zoneinfo import ZoneInfo

from bot.alerts.quiet import QuietHours
from bot.content.bundle import Content
from bot.content.models import Quiz
from bot.dialog import (
    account,
    admin,
    check,
    family,
    guide,
    menu,
    picture,
    quiz,
    rescue,
    subscribe,
    talk,
    unsupported,
)
from bot.dialog.context import Services, Turn
from bot.dialog.lang import convert, localize
from bot.lines import scrub
from bot.pictures.read import PictureText
from bot.served.live import ContentSource, FixedContent, LiveContent
from bot.settings import Settings
from bot.storage import LANGUAGES, Language, QuizProgress, Storage, StorageBusy, User
from bot.texts import BUSY, BUSY_NOTICE, EXPIRED
from bot.understand.reader import Reading
from bot.views import callbacks
from bot.views.replies import Outgoing, Response
from bot.views.replies import text as plain

Flow = Callable[[Turn], Response]

#: Pictures that never arrived or were no picture: their caption is checked as a text.
UNREAD_BUT_CAPTIONED = ("download", "not_image")

#: The commands, in the order of the command menu, with their menu descriptions.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始，显示大按钮"),
    ("check", "查一查可疑的消息"),
    ("quiz", "学防骗：做小测验"),
    ("guide", "三不口诀和防骗卡片"),
    ("sos", "求助电话，钱已转出怎么办"),
    ("subscribe", "订阅防骗提醒"),
    ("unsubscribe", "退订防骗提醒"),
    ("family", "家人守护：连上子女"),
    ("link", "家属：用老人的邀请码连上"),
    ("settings", "简体字 / 繁體字"),
    ("forget", "删除我的全部资料"),
    ("help", "我能做什么"),
)

_COMMAND_FLOWS: dict[str, Flow] = {
    "start": menu.start,
    "help": menu.help_text,
    "check": menu.check_prompt,
    "quiz": quiz.choose,
    "guide": guide.show,
    "sos": menu.sos,
    "subscribe": subscribe.subscribe,
    "unsubscribe": subscribe.unsubscribe,
    "family": family.family,
    "link": family.link,
    "settings": account.settings,
    "forget": account.forget_ask,
}

#: Commands only admins have; they are not in the command menu, and to anyone else they
#: answer exactly like an unknown command.
_ADMIN_FLOWS: dict[str, Flow] = {
    "broadcast": admin.broadcast,
    "outbox": admin.outbox,
    "reload": admin.reload,
    "stats": admin.stats,
}


class Dialog:
    """Everything the bot answers, for any channel.

    `content` is a `LiveContent` when the bot may reload its files (/reload, the file
    watcher), or plain `Content` that never changes.
    """

    @classmethod
    def from_settings(
        cls, content: Content | ContentSource, storage: Storage, settings: Settings
    ) -> Dialog:
        """The dialog as the bot and the terminal chat run it, configured from settings."""
        return cls(
            content,
            storage,
            default_language=settings.default_language,
            admin_ids=settings.admin_ids,
            timezone=settings.timezone,
            quiet_hours=settings.quiet_hours,
        )

    def __init__(
        self,
        content: Content | ContentSource,
        storage: Storage,
        *,
        default_language: str = "zh-Hans",
        clock: Callable[[], float] = time.time,
        admin_ids: frozenset[int] = frozenset(),
        timezone: str = "Asia/Shanghai",
        quiet_hours: str = "21:00-08:00",
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        language: Language = "zh-Hant" if default_language == "zh-Hant" else "zh-Hans"
        source = FixedContent(content) if isinstance(content, Content) else content
        services = Services(
            source,
            storage,
            language,
            admin_ids=frozenset(admin_ids),
            quiet=QuietHours.from_setting(quiet_hours, ZoneInfo(timezone)),
            clock=clock,
        )
        if on_enqueued is not None:
            services = replace(services, on_enqueued=on_enqueued)
        self.services = services
        self._clock = clock

    def on_enqueued(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever a flow wrote outbox rows (the sender wakes up)."""
        self.services = replace(self.services, on_enqueued=callback)

    @property
    def content(self) -> Content:
        """The content being served."""
        return self.services.content

    def watch_content(self) -> str | None:
        """Reload when a content file changed on disk; the message for the admins, if any.

        A broken state is reported once: until the files change again, this returns None.
        """
        source = self.services.source
        if not isinstance(source, LiveContent) or not source.changed_on_disk():
            return None
        return admin.reload_report(source, source.reload(), by_hand=False)

    def language_of(self, user_id: int) -> Language:
        """The user's script, or the default; never raises (used when reporting errors)."""
        try:
            user = self.services.storage.get_user(user_id)
        except Exception:
            return self.services.default_language
        return user.language if user else self.services.default_language

    def _turn(self, user_id: int, private: bool, name: str | None = None, args: str = "") -> Turn:
        now = int(self._clock())
        storage, default = self.services.storage, self.services.default_language
        try:
            user = storage.touch_user(user_id, default, now)
        except StorageBusy:
            # Another process holds the write lock: "last seen" can wait, the answer cannot.
            user = storage.get_user(user_id) or User(user_id, default, now, now)
        # The content is read once here: a reload cannot swap it in the middle of a reply.
        served = self.services.source.served
        return Turn(self.services, user, served, private, name=name, args=args)

    def _finish(self, turn: Turn, response: Response) -> Response:
        language = response.language if response.language in LANGUAGES else turn.user.language
        localized = localize(response, language)
        if not response.notify:
            return localized
        # Each family member reads their own script; a shared message is passed on as written.
        notify = tuple(
            Outgoing(o.user_id, self._in_script_of(o.user_id, o.text), o.quote)
            for o in response.notify
        )
        return replace(localized, notify=notify)

    def _in_script_of(self, user_id: int, body: str) -> str:
        return convert(body, self.language_of(user_id))

    def command(
        self,
        user_id: int,
        name: str,
        *,
        private: bool = True,
        args: str = "",
        display_name: str | None = None,
    ) -> Response:
        """Answer a command such as `start` (without the slash); `args` is what followed it."""
        turn = self._turn(user_id, private, display_name, scrub(args))
        key = name.lower()
        flow = _COMMAND_FLOWS.get(key) or _ADMIN_FLOWS.get(key) or menu.unknown_command
        return self._finish(turn, _unless_busy(flow, turn))

    def text(
        self,
        user_id: int,
        message: str,
        *,
        private: bool = True,
        edited: bool = False,
        display_name: str | None = None,
    ) -> Response:
        """Answer a text: understood first (a button's words, a family code, an answer typed
        in a quiz, a cry for help, a question, small talk, a wish), else checked.

        An edited message is read again, but never as a button or a quiz answer: it is the
        correction of something sent before.
        """
        # A lone surrogate (JSON may carry one) cannot be encoded, converted or matched.
        message = scrub(message)
        turn = self._turn(user_id, private, display_name)
        if not edited:
            intent = menu.intent_of(message)
            if intent is not None:
                answer = _unless_busy(_COMMAND_FLOWS[intent], turn)
                return self._finish(turn, replace(answer, understood="menu"))
            try:
                linked = family.typed_code(turn, message)
            except StorageBusy:
                return self._finish(turn, plain(BUSY))
            if linked is not None:
                return self._finish(turn, replace(linked, understood="family_code"))
        on_screen = None if edited else quiz.on_screen(turn)
        options = None
        if on_screen is not None:
            found, progress = on_screen
            options = found.questions[progress.position].options
        reading = turn.reader.read(message, turn.checker.check, options=options, menu=not edited)
        if edited and reading.kind not in ("help", "check"):
            # An edit corrects something sent before: it is checked again, not chatted with.
            reading = replace(reading, kind="check")
        try:
            response = _answer(turn, reading, message, edited, on_screen)
        except StorageBusy:
            response = plain(BUSY)
        return self._finish(turn, replace(response, understood=reading.kind))

    def picture(
        self,
        user_id: int,
        found: Sequence[PictureText],
        caption: str = "",
        *,
        problems: Sequence[str] = (),
        private: bool = True,
    ) -> Response:
        """Answer the pictures of one message (or of an album): the text read in them, with
        the caption, gets the same understanding and check as a typed message; `problems`
        are why the others could not be read (see `picture.PROBLEMS`). When none was read,
        the first problem is said — or the caption is checked, if the picture never came."""
        caption = scrub(caption)
        if not found and caption.strip() and problems and problems[0] in UNREAD_BUT_CAPTIONED:
            return self.text(user_id, caption, private=private)
        turn = self._turn(user_id, private)
        if not found:
            kind = problems[0] if problems else "no_text"
            return self._finish(turn, _unless_busy(lambda t: picture.problem(t, kind), turn))
        flow = partial(picture.picture, found=found, caption=caption, some_unread=bool(problems))
        response = _unless_busy(flow, turn)
        return self._finish(turn, replace(response, understood="picture"))

    def media(self, user_id: int, kind: str, *, private: bool = True) -> Response:
        """Answer a message the bot cannot read: a sticker, a photo without caption, ..."""
        turn = self._turn(user_id, private)
        return self._finish(turn, _unless_busy(lambda t: unsupported.unsupported(t, kind), turn))

    def press(
        self,
        user_id: int,
        data: str | None,
        *,
        private: bool = True,
        display_name: str | None = None,
    ) -> Response:
        """Answer a button press; stale or forged data gets `EXPIRED` and never raises."""
        turn = self._turn(user_id, private, display_name)
        try:
            pressed = callbacks.parse(data)
        except callbacks.BadCallback:
            return self._finish(turn, Response(notice=EXPIRED, stale=True))
        try:
            return self._finish(turn, _dispatch(turn, pressed))
        except StorageBusy:
            # Nothing was changed; the press can simply be made again in a moment.
            return self._finish(turn, Response(notice=BUSY_NOTICE, stale=True))


def _unless_busy(flow: Callable[[Turn], Response], turn: Turn) -> Response:
    """The flow's answer, or `BUSY` when the database was too busy to write what it did."""
    try:
        return flow(turn)
    except StorageBusy:
        return plain(BUSY)


def _answer(
    turn: Turn,
    reading: Reading,
    message: str,
    edited: bool,
    on_screen: tuple[Quiz, QuizProgress] | None,
) -> Response:
    """The reply for what the text was read as."""
    kind = reading.kind
    if kind == "quiz_answer" and on_screen is not None:
        if reading.option is None:
            return quiz.answer_hint(turn, on_screen)
        return quiz.typed_answer(turn, on_screen, reading.option)
    if kind == "help":
        return rescue.cry_for_help(turn, reading)
    if kind == "menu":
        return talk.menu_word(turn, reading.intent)
    if kind == "question":
        return talk.question(turn, reading)
    if kind == "wish":
        return talk.wish(turn, reading.intent)
    if kind in ("smalltalk", "confusion"):
        return talk.small_talk(turn, reading.intent)
    return check.check(
        turn, message, edited=edited, verdict=reading.verdict, asks_if_true=reading.asks_if_true
    )


def _dispatch(turn: Turn, pressed: callbacks.Callback) -> Response:
    kind, args = pressed.kind, pressed.args
    if kind == "g":
        return guide.show(turn, pressed.int_arg(0), edit=True)
    if kind == "gc":
        return guide.show(turn, pressed.int_arg(0))
    if kind == "qs":
        return quiz.start(turn, args[0])
    if kind == "qa":
        return quiz.answer(turn, args[0], pressed.int_arg(1), pressed.int_arg(2))
    if kind == "qr":
        return quiz.review(turn, args[0])
    if kind == "qg":
        return quiz.again(turn, args[0])
    if kind == "ql":
        return quiz.choose(turn)
    if kind == "lang":
        return account.choose_language(turn, args[0])
    if kind == "fg":
        return account.forget_answer(turn, args[0] == "yes")
    if kind == "sos":
        return menu.sos(turn)
    if kind == "sb":
        return subscribe.choose_role(turn, args[0])
    if kind == "sr":
        return subscribe.choose_region(turn, args[0])
    if kind == "us":
        return subscribe.unsubscribe(turn, edit=True)
    if kind == "fam":
        return family.family(turn)
    if kind == "fc":
        return family.new_code(turn)
    if kind == "fu":
        return family.unlink(turn, pressed.int_arg(0))
    if kind == "fs":
        return family.share(turn, args[0])
    if kind == "cb":
        return family.call_back(turn)
    if kind == "bc":
        return admin.confirm(turn, pressed.int_arg(0), args[1] == "yes")
    if kind == "fq":
        return talk.answer_by_id(turn, args[0])
    if kind == "ck":
        return menu.check_prompt(turn)
    if kind == "hp":
        return menu.help_text(turn)
    if kind == "sub":
        return subscribe.subscribe(turn)
    if kind == "st":
        return account.settings(turn)
    return Response(notice=EXPIRED, stale=True)
