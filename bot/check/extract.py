"""Pull URLs and phone numbers out of a message, and look them up in the blocklist."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Scam texts write "WWW. ABC. WS" to dodge link detection: dots with spaces are squeezed
# before looking for domains. The spaces are bounded, so a long run of spaces costs what
# it is long, not its square.
_SPACED_DOT = re.compile(r"[ \t\u3000]{0,3}[.。][ \t\u3000]{0,3}(?=[a-z0-9])")
# A domain starts where no label character comes before it, and its labels are taken
# possessively: "a.m.a.m.…" (what NFKC makes of ㏂) fails once, not once per position.
_URL = re.compile(
    r"(?<![a-z0-9.-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)++(?:[a-z]{2,24}))(?::\d+)?(?:/[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*)?",
)
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8}|400[- ]?\d{3}[- ]?\d{4}|95\d{3,4}|96110|12381|110)(?!\d)"
)
_NOT_TLDS = frozenset({"jpg", "png", "gif", "doc", "docx", "xls", "xlsx", "pdf", "txt", "zip"})


#: What a link becomes in the text that phrases are matched against, so that content can
#: say "登录网址" or "点网址领" whatever the address is.
LINK_WORD = "网址"


@dataclass(frozen=True)
class Extracted:
    """Links and numbers found in one message."""

    urls: tuple[str, ...]
    domains: tuple[str, ...]
    phones: tuple[str, ...]
    masked: str = ""
    """The cleaned text with each web address replaced by the word 网址."""


def _digits(number: str) -> str:
    d = re.sub(r"\D", "", number)
    return d[2:] if d.startswith("86") and len(d) == 13 else d


def extract(cleaned: str) -> Extracted:
    """URLs, their domains and phone numbers (digits only) in a cleaned message, and the
    text with its links masked (one pass over the links does both)."""
    urls: list[str] = []
    domains: list[str] = []

    def take(m: re.Match[str]) -> str:
        domain = m.group(1).rstrip(".")
        if domain.rsplit(".", 1)[-1] in _NOT_TLDS:
            return m.group(0)
        if m.group(0) not in urls:
            urls.append(m.group(0))
        if domain not in domains:
            domains.append(domain)
        return f" {LINK_WORD} "

    masked = _URL.sub(take, _SPACED_DOT.sub(".", cleaned))
    phones: list[str] = []
    for m in _PHONE.finditer(cleaned):
        number = _digits(m.group(1))
        if number not in phones:
            phones.append(number)
    return Extracted(tuple(urls), tuple(domains), tuple(phones), masked)


class BlocklistIndex:
    """Known bad domains (a listed domain also covers its subdomains) and numbers."""

    def __init__(self, domains: tuple[str, ...], phones: tuple[str, ...]) -> None:
        self._domains = frozenset(d.lower().strip(".") for d in domains)
        self._phones = frozenset(_digits(p) for p in phones)

    def hits(self, found: Extracted) -> tuple[str, ...]:
        """The domains and numbers in `found` that are on the blocklist."""
        out: list[str] = []
        for domain in found.domains:
            parts = domain.split(".")
            if any(".".join(parts[i:]) in self._domains for i in range(len(parts) - 1)):
                out.append(domain)
        out += [p for p in found.phones if p in self._phones]
        return tuple(out)
