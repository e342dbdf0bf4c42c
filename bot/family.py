"""The family link's rules, without any channel: one-time codes, the try limit, and the
short-lived memory of a checked text the senior may choose to send to the family.

- A code is 8 digits, drawn with `secrets` and shown in two groups (3825 1907), so that a
  senior can read it aloud over the phone: 10^8 codes. It is valid for 10 minutes, works
  once, and only its SHA-256 is stored; with at most 5 wrong tries an hour, a guesser's
  chance is about one in twenty million per code.
- A user may get a code wrong at most 5 times per hour; then /link refuses even a right
  code until the hour is over, so guessing is hopeless.
- The text a senior checked is never stored: for the 发给家人 button it is kept in memory
  only (`ShareBox`), for 10 minutes, and only when the senior has family to send it to.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

ALPHABET = "0123456789"
CODE_LENGTH = 8
CODE_TTL = 10 * 60
MAX_WRONG_TRIES = 5
TRY_WINDOW = 60 * 60
#: A senior may have this many family members linked.
MAX_LINKS = 10
#: How long a checked text waits in memory for the 发给家人 button.
SHARE_TTL = 10 * 60
#: At most this many texts are held at once (the oldest go first).
SHARE_CAPACITY = 2_000
#: "请家人给我回电话" notifies the family at most once in this many seconds.
CALLBACK_INTERVAL = 5 * 60


def new_code() -> str:
    """A fresh one-time code, e.g. ``38251907``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """The code as shown to people, in two easy halves: ``3825 1907``."""
    half = CODE_LENGTH // 2
    return f"{code[:half]} {code[half:]}"


def normalize_code(typed: str) -> str | None:
    """The code in what someone typed (spaces, dashes, full-width digits), or None when it
    cannot be a code at all (wrong length, or anything but digits)."""
    cleaned = unicodedata.normalize("NFKC", typed)
    cleaned = "".join(ch for ch in cleaned if not ch.isspace() and ch not in "-–—_.,，、")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_hash(code: str) -> str:
    """What is stored instead of the code."""
    return hashlib.sha256(f"sanbu-family-code:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class _Shared:
    senior_id: int
    text: str
    expires: float


class ShareBox:
    """Checked texts waiting, in memory only, for the senior to tap 发给家人.

    Thread-safe: dialog turns of different people run in different threads."""

    def __init__(self, ttl: float = SHARE_TTL, capacity: int = SHARE_CAPACITY) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._items: OrderedDict[str, _Shared] = OrderedDict()
        self._guard = threading.Lock()

    def put(self, senior_id: int, text: str, now: float) -> str:
        """Keep `text` for a while; returns the token for the button's callback data."""
        token = secrets.token_urlsafe(9)
        with self._guard:
            self._expire(now)
            while len(self._items) >= self.capacity:
                self._items.popitem(last=False)
            self._items[token] = _Shared(senior_id, text, now + self.ttl)
        return token

    def take(self, token: str, senior_id: int, now: float) -> str | None:
        """The text, once, if the token is the senior's and has not expired."""
        with self._guard:
            self._expire(now)
            item = self._items.get(token)
            if item is None or item.senior_id != senior_id:
                return None
            del self._items[token]
            return item.text

    def forget(self, senior_id: int) -> None:
        """Drop every text of this senior (/forget)."""
        with self._guard:
            for token in [t for t, item in self._items.items() if item.senior_id == senior_id]:
                del self._items[token]

    def _expire(self, now: float) -> None:
        while self._items:
            token, item = next(iter(self._items.items()))
            if item.expires > now:
                break
            del self._items[token]

    def __len__(self) -> int:
        return len(self._items)


class Throttle:
    """At most one event per key per `interval` seconds (in memory, thread-safe)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last: dict[int, float] = {}
        self._guard = threading.Lock()

    def allow(self, key: int, now: float) -> bool:
        """True, and remember it, when the key may act now."""
        with self._guard:
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                return False
            if len(self._last) > 10_000:
                self._last = {k: t for k, t in self._last.items() if now - t < self.interval}
            self._last[key] = now
            return True
