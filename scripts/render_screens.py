"""Render the phone-screenshot fixtures for the OCR tests (tests/fixtures/screens/).

Each entry of tests/fixtures/screens/screens.yaml (the single source of what the screens say)
becomes <id>.png: an SMS app screen (`style: sms`) or a WeChat-like chat (`style: chat`), at
the entry's `size`, with the entry's `noise` added on top:

- `statusbar`: a phone status bar (time, signal, Wi-Fi, battery 87% …) above the app;
- `frame`: the screen inside a dark phone body on a table, turned by at most 2°, slightly
  blurred, with a little glare, as if photographed;
- `jpeg`: the picture re-encoded as JPEG at quality 30–40 and decoded again (then kept as a
  palette PNG, which keeps the artefacts and the text but saves space).

The files in tests/fixtures/screens/bad.yaml (blank, tiny, blurred, not a picture) are written
too. Every random choice is seeded from the screen's id, so running the script again rewrites
the same bytes (for the same Pillow and font).

    .venv/bin/python scripts/render_screens.py                # rewrite every PNG
    .venv/bin/python scripts/render_screens.py --only chat_son_hans
    .venv/bin/python scripts/render_screens.py --font /path/to/cjk-font.ttc

Font: WenQuanYi Micro Hei (Debian package `fonts-wqy-microhei`), which covers 简体 and 繁體:
`apt-get install -y fonts-wqy-microhei`. Without it the script says so and exits 2.

Layout sizes are given for a 1080-pixel-wide phone (body text 40 px) and scaled to the
picture's width. A screen whose messages do not fit its height is an error: shorten its texts.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SCREENS_DIR = ROOT / "tests" / "fixtures" / "screens"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_PACKAGE = "fonts-wqy-microhei"

STYLES = {"sms", "chat"}
SCRIPTS = {"hans", "hant"}
KINDS = {"scam", "harmless"}
WHO = {"them", "me", "system"}
NOISES = {"statusbar", "frame", "jpeg"}
CATEGORIES = {
    "impersonate_police",
    "impersonate_customer_service",
    "brushing_rebate",
    "investment",
    "impersonate_acquaintance",
    "health_products",
    "prize_lottery",
    "social_security",
    "phishing_link_app",
}
TRANSFER_PREFIXES = ("[转账]", "[轉帳]", "[轉賬]")

# Interface words, per script.
UI = {
    "hans": {"send": "发送", "sms_hint": "短信"},
    "hant": {"send": "傳送", "sms_hint": "簡訊"},
}

# Characters that must not start a line, and that must not end one.
NO_LINE_START = set("，。、：；！？）」』】》〉”’…%,.:;!?)]")
NO_LINE_END = set("（「『【《〈“‘([")
# Runs of these are kept together on one line when they fit (numbers, links, Latin words).
WORD_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./:?=&_-%¥$,")

Color = tuple[int, int, int]
Spec = dict[str, float]  # layout lengths in 1080-wide units
Font = ImageFont.FreeTypeFont


class RenderError(Exception):
    """A screen that cannot be drawn as described (e.g. its messages do not fit)."""


@dataclass
class Screen:
    id: str
    style: str
    script: str
    kind: str
    noise: list[str]
    size: tuple[int, int]
    title: str
    messages: list[dict[str, str]]
    category: str | None
    risk_lines: list[str]


# ----------------------------------------------------------------------------- loading


def load_screens(path: Path) -> list[Screen]:
    """Read and check the truth file; raise ValueError naming every problem found."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a top-level list")
    problems: list[str] = []
    screens: list[Screen] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw):
        where = f"{path.name} entry {n} ({entry.get('id', '?')})"
        sid = str(entry.get("id", ""))
        if not sid or sid in seen:
            problems.append(f"{where}: missing or duplicate id")
        seen.add(sid)
        for key, allowed in (("style", STYLES), ("script", SCRIPTS), ("kind", KINDS)):
            if entry.get(key) not in allowed:
                problems.append(f"{where}: {key} must be one of {sorted(allowed)}")
        noise = list(entry.get("noise") or [])
        if not set(noise) <= NOISES:
            problems.append(f"{where}: unknown noise in {noise}")
        size = entry.get("size") or []
        if len(size) != 2 or not all(isinstance(v, int) and v > 0 for v in size):
            problems.append(f"{where}: size must be [width, height]")
            size = [720, 1600]
        messages = entry.get("messages") or []
        texts = []
        for m in messages:
            if m.get("who") not in WHO or not isinstance(m.get("text"), str) or not m["text"]:
                problems.append(f"{where}: bad message {m!r}")
            texts.append(m.get("text"))
        category = entry.get("category")
        risk_lines = list(entry.get("risk_lines") or [])
        if entry.get("kind") == "scam":
            if category not in CATEGORIES:
                problems.append(f"{where}: scam category must be one of {sorted(CATEGORIES)}")
            if not 1 <= len(risk_lines) <= 2:
                problems.append(f"{where}: a scam needs one or two risk_lines")
        elif category is not None or risk_lines:
            problems.append(f"{where}: only scams have a category and risk_lines")
        for line in risk_lines:
            if line not in texts:
                problems.append(f"{where}: risk line is not a message's text: {line!r}")
        screens.append(
            Screen(
                id=sid,
                style=str(entry.get("style")),
                script=str(entry.get("script")),
                kind=str(entry.get("kind")),
                noise=noise,
                size=(int(size[0]), int(size[1])),
                title=str(entry.get("title", "")),
                messages=[{"who": str(m.get("who")), "text": str(m.get("text"))} for m in messages],
                category=category,
                risk_lines=risk_lines,
            )
        )
    if problems:
        raise ValueError("\n".join(problems))
    return screens


def seeded(name: str, salt: str = "") -> random.Random:
    """A random generator that depends only on the name (not on Python's hash seed)."""
    return random.Random(zlib.crc32(f"{name}/{salt}".encode()))


# ----------------------------------------------------------------------------- text


class Fonts:
    """The one font file at the sizes the layout asks for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: dict[int, Font] = {}

    def get(self, size: float) -> Font:
        px = max(6, round(size))
        if px not in self._cache:
            self._cache[px] = ImageFont.truetype(str(self.path), px, index=0)
        return self._cache[px]


def tokens(text: str) -> list[str]:
    """Split text into the pieces a line may break between (CJK characters, Latin runs)."""
    out: list[str] = []
    for ch in text:
        if out and ch in WORD_CHARS and out[-1][-1] in WORD_CHARS:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(text: str, font: Font, width: float) -> list[str]:
    """Break text into lines no wider than width, keeping punctuation where Chinese puts it."""
    lines: list[str] = []
    line = ""
    for tok in tokens(text):
        if font.getlength(line + tok) <= width or not line:
            if font.getlength(tok) > width:  # a link longer than a line: break it anywhere
                for ch in tok:
                    if line and font.getlength(line + ch) > width:
                        lines.append(line)
                        line = ""
                    line += ch
            else:
                line += tok
            continue
        if tok[0] in NO_LINE_START:  # hang the punctuation at the end of this line
            line += tok
            continue
        carry = ""
        if line[-1] in NO_LINE_END and len(line) > 1:
            line, carry = line[:-1], line[-1]
        lines.append(line.rstrip(" "))
        line = (carry + tok).lstrip(" ")
    if line:
        lines.append(line)
    return lines


# ----------------------------------------------------------------------------- drawing


class Canvas:
    """An RGB picture with the sizes of a 1080-wide layout scaled to its width."""

    def __init__(self, size: tuple[int, int], bg: Color, fonts: Fonts) -> None:
        self.w, self.h = size
        self.s = self.w / 1080
        self.img = Image.new("RGB", size, bg)
        self.draw = ImageDraw.Draw(self.img)
        self.fonts = fonts

    def u(self, v: float) -> int:
        """A layout length (1080-wide units) in pixels of this picture."""
        return round(v * self.s)

    def font(self, size: float) -> Font:
        return self.fonts.get(size * self.s)

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        size: float,
        fill: Color,
        anchor: str = "lm",
        bold: bool = False,
    ) -> None:
        stroke = max(1, self.u(1)) if bold else 0
        self.draw.text(
            xy,
            text,
            font=self.font(size),
            fill=fill,
            anchor=anchor,
            stroke_width=stroke,
            stroke_fill=fill,
        )

    def chevron(self, x: float, y: float, color: Color) -> None:
        """A back arrow ‹ drawn as two strokes."""
        d = self.u(20)
        self.draw.line(
            [(x + d, y - d * 1.4), (x, y), (x + d, y + d * 1.4)],
            fill=color,
            width=max(2, self.u(6)),
            joint="curve",
        )

    def dots(self, x: float, y: float, color: Color) -> None:
        """A three-dot menu button, centred at x, y."""
        r = max(2, self.u(6))
        for k in (-1, 0, 1):
            cx = x + k * self.u(22)
            self.draw.ellipse([cx - r, y - r, cx + r, y + r], fill=color)


def draw_statusbar(c: Canvas, top_bg: Color, rng: random.Random) -> int:
    """Draw a phone status bar at the top and return its height."""
    h = c.u(76)
    c.draw.rectangle([0, 0, c.w, h], fill=top_bg)
    ink = (20, 20, 20)
    mid = h / 2
    clock = f"{rng.randint(8, 21)}:{rng.randint(0, 59):02d}"
    c.text((c.u(48), mid), clock, 34, ink, bold=True)
    # Battery: outline, nub and fill, with its percentage to the left.
    level = rng.choice([87, 87, 64, 42, 91])
    bw, bh = c.u(60), c.u(30)
    bx = c.w - c.u(48) - bw
    by = mid - bh / 2
    c.draw.rounded_rectangle(
        [bx, by, bx + bw, by + bh], radius=c.u(6), outline=ink, width=max(1, c.u(3))
    )
    c.draw.rectangle([bx + bw + c.u(2), mid - c.u(7), bx + bw + c.u(6), mid + c.u(7)], fill=ink)
    pad = c.u(6)
    c.draw.rectangle(
        [bx + pad, by + pad, bx + pad + (bw - 2 * pad) * level / 100, by + bh - pad], fill=ink
    )
    pct = f"{level}%"
    tx = bx - c.u(12) - c.font(30).getlength(pct)
    c.text((tx, mid), pct, 30, ink)
    # Wi-Fi: three arcs and a dot.
    wx = tx - c.u(48)
    wy = mid + c.u(14)
    for r in (c.u(30), c.u(20), c.u(10)):
        c.draw.arc([wx - r, wy - r, wx + r, wy + r], 225, 315, fill=ink, width=max(1, c.u(5)))
    c.draw.ellipse([wx - c.u(4), wy - c.u(6), wx + c.u(4), wy + c.u(2)], fill=ink)
    # Signal: four bars of rising height, and the network's name.
    sx = wx - c.u(48) - 4 * c.u(10)
    for k in range(4):
        bar_h = c.u(9 + 6 * k)
        x0 = sx + k * c.u(10)
        c.draw.rectangle([x0, mid + c.u(14) - bar_h, x0 + c.u(6), mid + c.u(14)], fill=ink)
    c.text((sx - c.u(12), mid), "5G", 28, ink, anchor="rm", bold=True)
    return h


@dataclass
class Bubble:
    who: str
    lines: list[str]
    transfer: bool = False


def layout_height(c: Canvas, items: list[tuple[str, Any]], spec: Spec) -> int:
    """The height the message column needs (to check that it fits)."""
    total = 0.0
    for kind, item in items:
        if kind == "system":
            total += spec["system_h"]
        else:
            total += bubble_height(c, item, spec) + spec["gap"]
    return round(total)


def bubble_height(c: Canvas, b: Bubble, spec: Spec) -> float:
    if b.transfer:
        return c.u(spec["line_h"]) * len(b.lines) + c.u(2 * spec["pad_y"]) + c.u(64)
    return c.u(spec["line_h"]) * len(b.lines) + c.u(2 * spec["pad_y"])


def prepare(c: Canvas, screen: Screen, spec: Spec, max_text_w: float) -> list[tuple[str, Any]]:
    """Turn messages into wrapped bubbles and system lines, in screen order."""
    items: list[tuple[str, Any]] = []
    body = c.font(spec["body"])
    last_speaker = "them"
    for m in screen.messages:
        who, text = m["who"], m["text"]
        if who == "system" and text.startswith(TRANSFER_PREFIXES) and screen.style == "chat":
            card_w = c.u(spec["card_w"]) - c.u(2 * spec["pad_x"]) - c.u(84)
            items.append(("bubble", Bubble(last_speaker, wrap(text, body, card_w), True)))
        elif who == "system":
            items.append(("system", text))
        else:
            last_speaker = who
            items.append(("bubble", Bubble(who, wrap(text, body, max_text_w))))
    return items


def draw_system(c: Canvas, y: float, text: str, spec: Spec) -> None:
    c.text((c.w / 2, y + c.u(spec["system_h"]) / 2), text, 30, (150, 150, 150), anchor="mm")


def laid_out(
    c: Canvas, screen: Screen, spec: Spec, share: float, y: float, bottom: int, least: float = 0
) -> Iterator[tuple[float, Bubble, float]]:
    """The messages laid out from `y` down, bubbles at most `share` of the width: draws the
    system lines itself and yields each bubble with its top and height (a row is at least
    `least` tall, an avatar's height)."""
    items = prepare(c, screen, spec, c.w * share - c.u(2 * spec["pad_x"]))
    check_fit(screen, round(y), bottom, layout_height(c, items, spec))
    for kind, item in items:
        if kind == "system":
            draw_system(c, y, item, spec)
            y += c.u(spec["system_h"])
            continue
        bh = bubble_height(c, item, spec)
        yield y, item, bh
        y += max(bh, least) + c.u(spec["gap"])


def check_fit(screen: Screen, top: int, bottom: int, needed: int) -> None:
    if top + needed > bottom:
        raise RenderError(
            f"{screen.id}: the messages need {needed} px but only {bottom - top} px are free; "
            "shorten the texts"
        )


def render_sms(screen: Screen, fonts: Fonts, rng: random.Random) -> Image.Image:
    """An SMS app: sender at the top, grey bubbles on the left, time stamps between them."""
    bg: Color = (255, 255, 255)
    head_bg: Color = (247, 247, 247)
    c = Canvas(screen.size, bg, fonts)
    spec: Spec = {"body": 40, "line_h": 58, "pad_x": 36, "pad_y": 24, "gap": 26, "system_h": 96}
    top = draw_statusbar(c, head_bg, rng) if "statusbar" in screen.noise else 0
    # Header: back arrow, sender, menu.
    head_h = c.u(150)
    c.draw.rectangle([0, top, c.w, top + head_h], fill=head_bg)
    c.draw.line([0, top + head_h, c.w, top + head_h], fill=(222, 222, 222), width=max(1, c.u(2)))
    mid = top + head_h / 2
    c.chevron(c.u(44), mid, (40, 40, 40))
    c.text((c.w / 2, mid), screen.title, 46, (20, 20, 20), anchor="mm", bold=True)
    c.dots(c.w - c.u(70), mid, (60, 60, 60))
    # Input bar.
    bar_h = c.u(150)
    bar_top = c.h - bar_h
    c.draw.line([0, bar_top, c.w, bar_top], fill=(230, 230, 230), width=max(1, c.u(2)))
    field = [c.u(40), bar_top + c.u(30), c.w - c.u(150), c.h - c.u(30)]
    c.draw.rounded_rectangle(field, radius=c.u(45), outline=(200, 200, 200), width=max(1, c.u(3)))
    hint = UI[screen.script]["sms_hint"]
    c.text((field[0] + c.u(40), bar_top + bar_h / 2), hint, 38, (160, 160, 160))
    cx, cy, r = c.w - c.u(85), bar_top + bar_h / 2, c.u(42)
    c.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(52, 120, 246))
    arrow = [(cx - c.u(16), cy - c.u(14)), (cx + c.u(18), cy), (cx - c.u(16), cy + c.u(14))]
    c.draw.polygon(arrow, fill=(255, 255, 255))
    # Messages.
    body = c.font(spec["body"])
    start = float(top + head_h + c.u(20))
    for y, b, bh in laid_out(c, screen, spec, 0.74, start, bar_top - c.u(20)):
        text_w = max(body.getlength(line) for line in b.lines)
        bw = text_w + c.u(2 * spec["pad_x"])
        if b.who == "me":
            x0, fill, ink = c.w - c.u(40) - bw, (52, 120, 246), (255, 255, 255)
        else:
            x0, fill, ink = float(c.u(40)), (233, 233, 235), (20, 20, 20)
        c.draw.rounded_rectangle([x0, y, x0 + bw, y + bh], radius=c.u(40), fill=fill)
        ty = y + c.u(spec["pad_y"])
        for line in b.lines:
            c.text((x0 + c.u(spec["pad_x"]), ty + c.u(spec["line_h"]) / 2), line, 40, ink)
            ty += c.u(spec["line_h"])
    return c.img


AVATAR_COLORS: list[Color] = [
    (230, 126, 34),
    (52, 152, 219),
    (155, 89, 182),
    (231, 76, 60),
    (22, 160, 133),
    (241, 196, 15),
    (127, 140, 141),
]


def render_chat(screen: Screen, fonts: Fonts, rng: random.Random) -> Image.Image:
    """A WeChat-like chat: green bubbles on the right for me, white on the left for them."""
    bg: Color = (237, 237, 237)
    c = Canvas(screen.size, bg, fonts)
    spec: Spec = {
        "body": 40,
        "line_h": 58,
        "pad_x": 32,
        "pad_y": 26,
        "gap": 40,
        "system_h": 92,
        "card_w": 600,
    }
    top = draw_statusbar(c, bg, rng) if "statusbar" in screen.noise else 0
    # Title bar.
    head_h = c.u(136)
    c.draw.line([0, top + head_h, c.w, top + head_h], fill=(215, 215, 215), width=max(1, c.u(2)))
    mid = top + head_h / 2
    c.chevron(c.u(44), mid, (25, 25, 25))
    c.text((c.w / 2, mid), screen.title, 44, (25, 25, 25), anchor="mm", bold=True)
    c.dots(c.w - c.u(70), mid, (25, 25, 25))
    # Input bar: voice button, text field, emoji button, green send button.
    bar_h = c.u(146)
    bar_top = c.h - bar_h
    c.draw.rectangle([0, bar_top, c.w, c.h], fill=(247, 247, 247))
    c.draw.line([0, bar_top, c.w, bar_top], fill=(220, 220, 220), width=max(1, c.u(2)))
    cy = bar_top + bar_h / 2
    ring = max(1, c.u(4))
    for cx in (c.u(62), c.w - c.u(238)):
        r = c.u(32)
        c.draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(30, 30, 30), width=ring)
    c.draw.rounded_rectangle(
        [c.u(114), cy - c.u(42), c.w - c.u(290), cy + c.u(42)], radius=c.u(10), fill=(255, 255, 255)
    )
    send = [c.w - c.u(190), cy - c.u(38), c.w - c.u(28), cy + c.u(38)]
    c.draw.rounded_rectangle(send, radius=c.u(10), fill=(7, 193, 96))
    c.text(
        ((send[0] + send[2]) / 2, cy), UI[screen.script]["send"], 36, (255, 255, 255), anchor="mm"
    )
    # Messages.
    avatar = c.u(96)
    margin = c.u(28)
    gap = c.u(18)
    them_color = AVATAR_COLORS[zlib.crc32(screen.id.encode()) % len(AVATAR_COLORS)]
    me_color: Color = (96, 125, 160)
    body = c.font(spec["body"])
    start = float(top + head_h + c.u(24))
    for y, b, bh in laid_out(c, screen, spec, 0.64, start, bar_top - c.u(20), avatar):
        mine = b.who == "me"
        if b.transfer:
            bw = float(c.u(spec["card_w"]))
        else:
            bw = max(body.getlength(line) for line in b.lines) + c.u(2 * spec["pad_x"])
        if mine:
            ax = c.w - margin - avatar
            x0 = ax - gap - bw
            fill: Color = (149, 236, 105)
        else:
            ax = margin
            x0 = ax + avatar + gap
            fill = (255, 255, 255)
        c.draw.rounded_rectangle(
            [ax, y, ax + avatar, y + avatar], radius=c.u(10), fill=me_color if mine else them_color
        )
        if b.transfer:
            fill = (250, 157, 59)
        c.draw.rounded_rectangle([x0, y, x0 + bw, y + bh], radius=c.u(12), fill=fill)
        # The little tail pointing at the avatar.
        ty0 = y + c.u(38)
        t = c.u(14)
        tail = (
            [(x0 + bw, ty0 - t), (x0 + bw + t, ty0), (x0 + bw, ty0 + t)]
            if mine
            else [(x0, ty0 - t), (x0 - t, ty0), (x0, ty0 + t)]
        )
        c.draw.polygon(tail, fill=fill)
        tx = x0 + c.u(spec["pad_x"])
        ink: Color = (25, 25, 25)
        if b.transfer:
            # A white ring as the transfer icon, the text to its right, a pale strip below.
            r = c.u(34)
            icx, icy = tx + r, y + c.u(spec["pad_y"]) + c.u(spec["line_h"]) / 2
            c.draw.ellipse(
                [icx - r, icy - r, icx + r, icy + r], outline=(255, 255, 255), width=max(2, c.u(5))
            )
            tx += c.u(84)
            ink = (255, 255, 255)
            strip = y + bh - c.u(64)
            c.draw.rounded_rectangle(
                [x0, strip, x0 + bw, y + bh], radius=c.u(12), fill=(255, 255, 255)
            )
            c.draw.rectangle([x0, strip, x0 + bw, strip + c.u(14)], fill=(255, 255, 255))
            c.draw.line(
                [x0 + c.u(30), strip + c.u(32), x0 + c.u(200), strip + c.u(32)],
                fill=(200, 200, 200),
                width=max(2, c.u(8)),
            )
        ly = y + c.u(spec["pad_y"])
        for line in b.lines:
            c.text((tx, ly + c.u(spec["line_h"]) / 2), line, 40, ink)
            ly += c.u(spec["line_h"])
    return c.img


# ----------------------------------------------------------------------------- noise


def add_frame(img: Image.Image, rng: random.Random) -> Image.Image:
    """Put the screen inside a dark phone body on a table, turned a little, as if photographed."""
    w, h = img.size
    s = w / 1080
    top_c: Color = (166, 152, 134)
    bot_c: Color = (120, 108, 94)
    table = Image.new("RGB", (w, h))
    tdraw = ImageDraw.Draw(table)
    for yy in range(h):
        f = yy / max(1, h - 1)
        shade = tuple(round(a + (b - a) * f) for a, b in zip(top_c, bot_c, strict=True))
        tdraw.line([0, yy, w, yy], fill=shade)
    # The phone: a dark rounded body with the screen, scaled down, inside its bezel.
    phone = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    margin = round(48 * s)
    bezel = round(34 * s)
    ImageDraw.Draw(phone).rounded_rectangle(
        [margin, margin, w - margin, h - margin], radius=round(110 * s), fill=(18, 18, 20, 255)
    )
    inner_w = w - 2 * (margin + bezel)
    inner_h = round(inner_w * h / w)
    screen = img.convert("RGBA").resize((inner_w, inner_h), Image.Resampling.LANCZOS)
    phone.paste(screen, (margin + bezel, (h - inner_h) // 2))
    # Glare: a soft white band across the glass.
    glare = Image.new("L", (w, h), 0)
    x_off = rng.uniform(0.2, 0.6) * w
    ImageDraw.Draw(glare).polygon(
        [(x_off, 0), (x_off + 0.35 * w, 0), (x_off - 0.3 * w, h), (x_off - 0.65 * w, h)],
        fill=rng.randint(18, 30),
    )
    glare = glare.filter(ImageFilter.GaussianBlur(60 * s))
    white = Image.new("RGBA", (w, h), (255, 255, 255, 255))
    lit = Image.composite(white, phone, glare)
    lit.putalpha(phone.getchannel("A"))
    angle = rng.uniform(0.6, 2.0) * rng.choice([-1, 1])
    lit = lit.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False)
    table.paste(lit, (0, 0), lit)
    return table.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.5) * s))


def add_jpeg(img: Image.Image, rng: random.Random) -> Image.Image:
    """Re-encode as a low-quality JPEG (quality 30–40) and decode it again."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=rng.randint(30, 40))
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")


def render_screen(screen: Screen, fonts: Fonts) -> Image.Image:
    rng = seeded(screen.id)
    render = render_sms if screen.style == "sms" else render_chat
    img = render(screen, fonts, rng)
    if "frame" in screen.noise:
        img = add_frame(img, seeded(screen.id, "frame"))
    if "jpeg" in screen.noise:
        img = add_jpeg(img, seeded(screen.id, "jpeg"))
    return img


def save_png(img: Image.Image, path: Path, palette: int = 0) -> None:
    """Save without metadata so the bytes only depend on the pixels."""
    if palette:
        img = img.quantize(palette, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    img.save(path, format="PNG", optimize=True)


# ----------------------------------------------------------------------------- bad pictures


def write_bad(entry: dict[str, Any], screens: dict[str, Screen], fonts: Fonts, out: Path) -> None:
    make = entry.get("make")
    path = out / str(entry["file"])
    if make == "blank":
        save_png(Image.new("RGB", tuple(entry.get("size", [720, 1600])), (255, 255, 255)), path)
    elif make == "tiny":
        w, h = entry.get("size", [60, 40])
        img = Image.new("RGB", (w, h), (255, 255, 255))
        d = ImageDraw.Draw(img)
        d.text(
            (w / 2, h / 2),
            str(entry.get("text", "转账")),
            font=fonts.get(18),
            fill=(20, 20, 20),
            anchor="mm",
        )
        save_png(img, path)
    elif make == "blurred":
        source = screens[str(entry["source"])]
        img = render_screen(source, fonts)
        img = img.filter(ImageFilter.GaussianBlur(float(entry.get("blur_radius", 12))))
        save_png(img, path)
    elif make == "text":
        path.write_bytes(str(entry.get("content", "not a picture\n")).encode())
    else:
        raise ValueError(f"bad.yaml: unknown make {make!r} for {entry.get('file')}")


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT, help="a CJK TrueType font")
    parser.add_argument("--out", type=Path, default=SCREENS_DIR, help="folder of the YAML and PNGs")
    parser.add_argument("--only", action="append", default=[], help="render only this id or file")
    args = parser.parse_args(argv)

    if not args.font.is_file():
        print(
            f"render_screens: font {args.font} not found; install it with "
            f"`apt-get install -y {FONT_PACKAGE}` or pass --font PATH",
            file=sys.stderr,
        )
        return 2
    fonts = Fonts(args.font)
    out: Path = args.out
    try:
        screens = load_screens(out / "screens.yaml")
        bad = yaml.safe_load((out / "bad.yaml").read_text(encoding="utf-8")) or []
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"render_screens: {exc}", file=sys.stderr)
        return 1
    by_id = {s.id: s for s in screens}
    total = 0
    wanted = set(args.only)
    unknown = wanted - set(by_id) - {str(e.get("file")) for e in bad}
    if unknown:
        print(f"render_screens: no screen or bad picture named {sorted(unknown)}", file=sys.stderr)
        return 1

    def report(path: Path) -> None:
        nonlocal total
        size = path.stat().st_size
        total += size
        dims = ""
        if path.suffix == ".png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n":
            with Image.open(path) as im:
                dims = f"{im.width}x{im.height}"
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown!s:<52} {dims:>9} {size:>9,} bytes")

    try:
        for screen in screens:
            if wanted and screen.id not in wanted:
                continue
            img = render_screen(screen, fonts)
            path = out / f"{screen.id}.png"
            save_png(img, path, palette=96 if "jpeg" in screen.noise else 0)
            report(path)
        for entry in bad:
            if wanted and entry.get("file") not in wanted:
                continue
            write_bad(entry, by_id, fonts, out)
            report(out / str(entry["file"]))
    except (RenderError, KeyError, ValueError) as exc:
        print(f"render_screens: {exc}", file=sys.stderr)
        return 1
    print(f"total {total:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
