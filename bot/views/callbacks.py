"""The callback data carried by inline buttons: a tiny versioned scheme, strictly parsed.

Format: ``<version>:<kind>[:<arg>...]``, ASCII only, at most 64 bytes (Telegram's limit).
Buttons from an older scheme, from content that has changed, or forged by a client fail
`parse` with `BadCallback`, and the user is told the button has expired.

=========  ===========================  ==============================================
kind       args                         meaning
=========  ===========================  ==============================================
``g``      page                         show guide page `page` (0 = the rule) in place
``gc``     page                         open guide page `page` as a new message
``qs``     quiz                         start or resume a quiz
``qa``     quiz, question, option       answer question `question` with `option`
``qr``     quiz                         review the mistakes of a finished quiz
``qg``     quiz                         take a finished quiz again
``ql``                                  list the quizzes
``lang``   ``hans`` | ``hant``          choose the script
``fg``     ``yes`` | ``no``             confirm or cancel /forget
``sos``                                 show the hotlines and what to do
``sb``     ``senior`` | ``family``      subscribe to alerts as a senior or family member
``sr``     region index | ``none``      choose the region of the subscription
``us``                                  unsubscribe
``fam``                                 open 家人守护 (a code and the links)
``fc``                                  a new family code
``fu``     user id                      unlink from this person
``fs``     token                        send the checked text (held in memory) to family
``cb``                                  ask the linked family to call back
``bc``     broadcast, ``yes`` | ``no``  confirm or cancel an admin broadcast
``fq``     faq                          show the answer to one question
``ck``                                  ask for a message to check (查一查)
``hp``                                  what the bot can do (帮助)
``sub``                                 subscribe to alerts (订阅提醒)
``st``                                  choose 简体 or 繁體
=========  ===========================  ==============================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "1"
#: Telegram rejects callback data longer than this many bytes.
MAX_BYTES = 64

_SLUG = r"[a-z0-9][a-z0-9_-]{0,23}"
_INDEX = r"(?:0|[1-9][0-9]{0,2})"
#: kind -> the full-match pattern of its arguments (joined with ':').
_ARGS: dict[str, re.Pattern[str]] = {
    "g": re.compile(_INDEX),
    "gc": re.compile(_INDEX),
    "qs": re.compile(_SLUG),
    "qa": re.compile(rf"{_SLUG}:{_INDEX}:[0-3]"),
    "qr": re.compile(_SLUG),
    "qg": re.compile(_SLUG),
    "ql": re.compile(""),
    "lang": re.compile("hans|hant"),
    "fg": re.compile("yes|no"),
    "sos": re.compile(""),
    "sb": re.compile("senior|family"),
    "sr": re.compile(rf"{_INDEX}|none"),
    "us": re.compile(""),
    "fam": re.compile(""),
    "fc": re.compile(""),
    "fu": re.compile(r"[1-9][0-9]{0,15}"),
    "fs": re.compile(r"[A-Za-z0-9_-]{8,24}"),
    "cb": re.compile(""),
    "bc": re.compile(r"[1-9][0-9]{0,11}:(?:yes|no)"),
    "fq": re.compile(_SLUG),
    "ck": re.compile(""),
    "hp": re.compile(""),
    "sub": re.compile(""),
    "st": re.compile(""),
}


class BadCallback(ValueError):
    """The callback data is not something this version of the bot sends."""


@dataclass(frozen=True)
class Callback:
    """A parsed button press: its kind and its arguments, as strings."""

    kind: str
    args: tuple[str, ...] = ()

    def int_arg(self, i: int) -> int:
        """Argument `i` as an int (the parser has checked it is one)."""
        return int(self.args[i])


def encode(kind: str, *args: object) -> str:
    """Callback data for a button; raises ValueError if it would not parse back."""
    data = ":".join((VERSION, kind, *(str(a) for a in args)))
    if parse(data) != Callback(kind, tuple(str(a) for a in args)):
        raise ValueError(f"bad callback data {data!r}")
    return data


def parse(data: str | None) -> Callback:
    """The button press encoded in `data`; raises BadCallback for anything else."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES or not data.isascii():
        raise BadCallback("empty, too long or not ASCII")
    version, _, rest = data.partition(":")
    if version != VERSION:
        raise BadCallback(f"unknown version {version!r}")
    kind, sep, args = rest.partition(":")
    pattern = _ARGS.get(kind)
    if pattern is None or (sep and not args) or not pattern.fullmatch(args):
        raise BadCallback(f"unknown kind or bad arguments: {kind!r}")
    return Callback(kind, tuple(args.split(":")) if args else ())
