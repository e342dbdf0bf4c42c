"""/settings (简体 or 繁體) and /forget (delete everything, after a confirmation)."""

from __future__ import annotations

from bot.dialog import menu
from bot.dialog.context import Turn
from bot.storage import Language
from bot.views import callbacks
from bot.views.replies import Button, Reply, Response, Rows, say, text

#: Button labels are fixed in their own script, so each reads right in either mode.
_CHOICES: tuple[tuple[str, Language, str], ...] = (
    ("简体字", "zh-Hans", "hans"),
    ("繁體字", "zh-Hant", "hant"),
)
_BY_CODE: dict[str, tuple[str, Language]] = {code: (label, lang) for label, lang, code in _CHOICES}


def choice_buttons(turn: Turn) -> Rows:
    """One button per script, each labelled in its own script; the current one is ticked."""
    return tuple(
        (
            Button(
                ("✓ " if lang == turn.user.language else "") + label, callbacks.encode("lang", code)
            ),
        )
        for label, lang, code in _CHOICES
    )


def settings(turn: Turn) -> Response:
    """Ask which script to use; the current one is ticked."""
    return text("⚙️ 您想看简体字，还是繁體字？", buttons=choice_buttons(turn))


def choose_language(turn: Turn, code: str) -> Response:
    """Save the script; confirm in it and send the keyboard again in it."""
    label, language = _BY_CODE[code]
    turn.storage.set_language(turn.user.id, language)
    done = Reply(f"✅ 好的，以后我用{label}和您说话。", edit=True)
    if not turn.private:
        return Response(replies=(done,), language=language)
    keyboard = Reply("下面的按钮也换好了。", keyboard=menu.KEYBOARD)
    return Response(replies=(done, keyboard), language=language)


def forget_ask(turn: Turn) -> Response:
    """Ask before deleting anything."""
    body = (
        "🗑️ 要删掉我保存的您的全部资料吗？\n"
        "包括文字设置、测验进度、订阅和家人守护，删掉后不能恢复。\n"
        "（您发给我检查的消息，我本来就不保存。）"
    )
    buttons = (
        (Button("确认删除", callbacks.encode("fg", "yes")),),
        (Button("不删了", callbacks.encode("fg", "no")),),
    )
    return text(body, buttons=buttons)


def forget_answer(turn: Turn, confirmed: bool) -> Response:
    """Delete every row about the user when confirmed; either way say what happened."""
    if not confirmed:
        return say(Reply("好的，什么都没删。", edit=True))
    turn.storage.forget_user(turn.user.id)
    turn.services.shares.forget(turn.user.id)
    return say(Reply("✅ 已经全部删掉了。以后想用，随时给我发消息就行。", edit=True))
