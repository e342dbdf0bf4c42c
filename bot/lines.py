"""Lines from outside (a batch file, a terminal), made safe to use whatever they hold.

A line may come in another encoding (GBK from an old Windows tool), or hold characters no
encoding can write (a lone surrogate from a broken JSON escape). Neither may stop a batch
or the terminal chat.
"""

from __future__ import annotations

#: Encodings tried in turn for a line that is not UTF-8 (GB18030 covers GBK and GB2312).
FALLBACK_ENCODINGS = ("gb18030",)


def decode_line(raw: bytes) -> str:
    """`raw` as text: UTF-8, else GB18030, else UTF-8 with the bad bytes replaced."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def scrub(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD, so that it can be encoded."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
