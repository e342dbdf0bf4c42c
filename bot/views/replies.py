"""What the dialog core returns: replies as plain data, for any channel to render.

A `Reply` is one message: text, optional inline buttons (label + callback data) or an
optional persistent keyboard of big buttons (labels only). A `Response` is everything one
input produces, plus the short notice a pressed button gets (Telegram's callback answer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

#: Telegram's limit on message text, in characters.
MAX_TEXT = 4096
#: Telegram's limit on a photo's caption, in characters.
MAX_CAPTION = 1024
#: What a message is cut to when it has to be shortened (room for the ending mark).
CUT_MARK = "……"


@dataclass(frozen=True)
class Button:
    """An inline button: what it says, and the callback data it sends back."""

    label: str
    data: str


Rows = tuple[tuple[Button, ...], ...]
KeyRows = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Reply:
    """One message to the user.

    `edit` asks the channel to replace the message whose button was pressed (guide pages,
    an answered quiz question) instead of sending a new one; elsewhere it is sent as new.
    With `photo` (PNG bytes) the message is that picture and `text` is its caption.
    """

    text: str
    buttons: Rows = ()
    keyboard: KeyRows | None = None
    edit: bool = False
    photo: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.buttons and self.keyboard is not None:
            raise ValueError("a message carries inline buttons or a keyboard, not both")


@dataclass(frozen=True)
class Outgoing:
    """A message to someone other than the person who wrote: a linked family member.

    `text` is in Simplified and is put in the recipient's script; `quote` (a message the
    senior chose to share) is passed on exactly as it was written.
    """

    user_id: int
    text: str
    quote: str = ""


@dataclass(frozen=True)
class Response:
    """Everything one input produces: the messages, and a notice for a pressed button."""

    replies: tuple[Reply, ...] = ()
    notice: str | None = None
    stale: bool = False
    """The pressed button was expired or forged; `notice` says so and nothing else is sent."""
    language: str | None = None
    """The script to answer in, when the input changed it (/settings); else the user's."""
    notify: tuple[Outgoing, ...] = ()
    """Messages to other people (family members); each is localized for its recipient."""
    understood: str | None = None
    """For a text: what it was read as (check, help, question, ...), for logs and measuring."""

    def map_text(self, convert: Callable[[str], str]) -> Response:
        """The same response with `convert` applied to every text, label and notice.

        `notify` is left alone: its recipients may read the other script.
        """
        replies = tuple(
            replace(
                r,
                text=convert(r.text),
                buttons=tuple(
                    tuple(Button(convert(b.label), b.data) for b in row) for row in r.buttons
                ),
                keyboard=None
                if r.keyboard is None
                else tuple(tuple(convert(k) for k in row) for row in r.keyboard),
            )
            for r in self.replies
        )
        notice = convert(self.notice) if self.notice else self.notice
        return replace(self, replies=replies, notice=notice)


def say(*replies: Reply, notice: str | None = None) -> Response:
    """A response made of these replies."""
    return Response(replies=replies, notice=notice)


def text(
    body: str,
    *,
    buttons: Rows = (),
    keyboard: KeyRows | None = None,
    edit: bool = False,
    notify: tuple[Outgoing, ...] = (),
) -> Response:
    """A response of one message (replacing the pressed one when `edit`)."""
    reply = Reply(body, buttons=buttons, keyboard=keyboard, edit=edit)
    return Response(replies=(reply,), notify=notify)


def length(body: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji may count as two)."""
    return len(body.encode("utf-16-le")) // 2


def _prefix(body: str, room: int) -> str:
    """The longest start of `body` whose Telegram length is at most `room`."""
    used = 0
    for i, char in enumerate(body):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            return body[:i]
    return body


def fit(body: str, limit: int = MAX_TEXT) -> str:
    """`body` cut, at a line break when one is near, to at most `limit` (never empty)."""
    body = body.strip() or "…"
    if length(body) <= limit:
        return body
    head = _prefix(body, limit - length(CUT_MARK))
    cut = head.rfind("\n")
    if cut > len(head) // 2:
        head = head[:cut]
    return head.rstrip() + CUT_MARK


def split(body: str, limit: int = MAX_TEXT) -> list[str]:
    """`body` in pieces of at most `limit` characters, split between paragraphs."""
    pieces: list[str] = []
    current = ""
    for para in body.split("\n\n"):
        candidate = f"{current}\n\n{para}" if current else para
        if length(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = fit(para, limit)
    if current:
        pieces.append(current)
    return pieces or ["…"]
