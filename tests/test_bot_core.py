"""The dialog core without Telegram: callback data, menu words, text limits, every button."""

from __future__ import annotations

import pytest

from bot.content.loader import Content
from bot.dialog import guide, menu
from bot.dialog.lang import to_traditional
from bot.dialog.router import COMMANDS, Dialog
from bot.storage import Storage
from bot.texts import EXPIRED
from bot.views import callbacks
from bot.views.guide import page_count
from bot.views.replies import MAX_TEXT, fit, length, split


class TestCallbackData:
    @pytest.mark.parametrize(
        ("data", "kind", "args"),
        [
            ("1:g:0", "g", ("0",)),
            ("1:gc:19", "gc", ("19",)),
            ("1:qs:sanbu_basics", "qs", ("sanbu_basics",)),
            ("1:qa:sanbu_basics:9:3", "qa", ("sanbu_basics", "9", "3")),
            ("1:qr:a-b_c", "qr", ("a-b_c",)),
            ("1:ql", "ql", ()),
            ("1:lang:hant", "lang", ("hant",)),
            ("1:fg:no", "fg", ("no",)),
            ("1:sos", "sos", ()),
        ],
    )
    def test_parses_what_the_bot_sends(self, data: str, kind: str, args: tuple[str, ...]) -> None:
        assert callbacks.parse(data) == callbacks.Callback(kind, args)

    @pytest.mark.parametrize(
        "data",
        [
            None,
            "",
            "0:g:1",  # an older scheme
            "2:g:1",  # a newer one
            "1:g",
            "1:g:",
            "1:g:-1",
            "1:g:01",
            "1:g:1000",
            "1:g:1:2",
            "1:ql:",
            "1:qa:sanbu_basics:1:4",
            "1:qa:sanbu_basics:1",
            "1:qa:Sanbu:1:1",
            "1:qs:../../etc",
            "1:qs:" + "a" * 25,
            "1:lang:en",
            "1:fg:maybe",
            "1:zz:1",
            "1:g:１",  # full-width digit
            "1:qs:测验",
            "x" * 65,
            "1:sos\n",
        ],
    )
    def test_rejects_anything_else(self, data: str | None) -> None:
        """Forged, stale or malformed data raises BadCallback, never anything else."""
        with pytest.raises(callbacks.BadCallback):
            callbacks.parse(data)

    def test_encode_refuses_data_that_would_not_parse(self) -> None:
        with pytest.raises(ValueError):
            callbacks.encode("qs", "Not A Slug")
        with pytest.raises(ValueError):
            callbacks.encode("nope")

    def test_the_longest_data_fits_telegram(self) -> None:
        """The longest possible answer button is within 64 bytes."""
        data = callbacks.encode("qa", "a" * 24, 999, 3)
        assert len(data.encode()) <= callbacks.MAX_BYTES


class TestMenuWords:
    @pytest.mark.parametrize(
        ("typed", "intent"),
        [
            (menu.CHECK, "check"),
            (menu.LEARN, "quiz"),
            (menu.RULE, "guide"),
            (menu.SUBSCRIBE, "subscribe"),
            (menu.SOS, "sos"),
            ("学防骗", "quiz"),
            ("學防騙", "quiz"),
            ("🛡️ 三不口訣", "guide"),
            (" 求助 ", "sos"),
            ("訂閱提醒", "subscribe"),
        ],
    )
    def test_button_words_in_either_script(self, typed: str, intent: str) -> None:
        assert menu.intent_of(typed) == intent

    @pytest.mark.parametrize("typed", ["我想求助一下，有人让我转账", "查", "", "三不", "求助" * 20])
    def test_other_texts_are_checked(self, typed: str) -> None:
        assert menu.intent_of(typed) is None


class TestTextLimits:
    def test_fit_counts_like_telegram(self) -> None:
        """Emoji count twice (UTF-16), so a cut text of emoji stays within 4096."""
        assert length(fit("😀" * 5000)) <= MAX_TEXT
        assert length(fit("字" * 10_000)) <= MAX_TEXT
        assert fit("  ") == "…"
        assert fit("短") == "短"

    def test_split_keeps_every_piece_within_the_limit(self) -> None:
        pieces = split(("段落" * 300 + "\n\n") * 20)
        assert len(pieces) > 1
        assert all(length(p) <= MAX_TEXT for p in pieces)


def _walk(dialog: Dialog, user_id: int) -> set[str]:
    """Press every button reachable from every command (breadth-first) and collect the data."""
    seen: set[str] = set()
    queue = []
    for name, _ in COMMANDS:
        queue.append(dialog.command(user_id, name))
    queue.append(dialog.text(user_id, "公安局说我涉嫌洗钱，把钱转到安全账户，别告诉家人"))
    while queue:
        response = queue.pop()
        for reply in response.replies:
            assert 0 < length(reply.text) <= MAX_TEXT
            for row in reply.buttons:
                for button in row:
                    assert button.label.strip()
                    if button.data in seen or button.data == callbacks.encode("fg", "yes"):
                        continue
                    seen.add(button.data)
                    queue.append(dialog.press(user_id, button.data))
    return seen


class TestEveryButton:
    def test_every_button_is_valid_and_parses(self, content: Content, storage: Storage) -> None:
        """All callback data the bot can produce fits 64 bytes and parses back."""
        dialog = Dialog(content, storage)
        seen = _walk(dialog, 1)
        assert len(seen) > 40
        for data in seen:
            assert len(data.encode()) <= callbacks.MAX_BYTES
            callbacks.parse(data)

    def test_guide_covers_the_rule_and_every_card(self, content: Content) -> None:
        assert page_count(content.guidance) == 1 + len(content.guidance.cards)
        for card in content.guidance.cards:
            assert guide.page_of_category(content, card.category) is not None

    def test_traditional_changes_every_reply(self, content: Content, storage: Storage) -> None:
        """For 繁體 users, texts and labels are converted; callback data is not."""
        dialog = Dialog(content, storage)
        storage.set_language(2, "zh-Hant")
        simplified = dialog.command(1, "help")
        traditional = dialog.command(2, "help")
        assert traditional.replies[0].text == to_traditional(simplified.replies[0].text)
        assert "我是三不衛士，能幫您：" in traditional.replies[0].text
        assert [b.data for b in traditional.replies[0].buttons[0]] == [
            b.data for b in simplified.replies[0].buttons[0]
        ]

    def test_stale_presses_never_raise(self, content: Content, storage: Storage) -> None:
        dialog = Dialog(content, storage)
        for data in ["1:qa:nope:0:0", "1:qr:sanbu_basics", "1:g:999", "garbage", None]:
            response = dialog.press(1, data)
            assert response.stale and response.notice == EXPIRED and not response.replies
