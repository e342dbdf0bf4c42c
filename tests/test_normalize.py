"""Normalisation: every evasion form meets the plain form."""

import pytest

from bot.check.extract import BlocklistIndex, extract
from bot.check.normalize import clean, compact, normalize, unquote


class TestNormalize:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("安全账户", "安全账户"),
            ("安 全 账 户", "安全账户"),
            ("安💰全👉账户", "安全账户"),
            ("安\u200b全\u200d账\ufeff户", "安全账户"),
            ("安全帳戶", "安全账户"),
            ("安全帐户", "安全账户"),
            ("涉嫌洗qian", "涉嫌洗钱"),
            ("涉嫌洗 Qian", "涉嫌洗钱"),
            ("请立即转帐", "请立即转账"),
            ("快递丢失理陪", "快递丢失理赔"),
            ("您的医bao卡异常", "您的医保卡异常"),
            ("下载ＡＰＰ", "下载app"),
            ("加ＶＸ：abc123", "加微信abc123"),
            ("轉賬給我", "转账给我"),
            ("驗證碼告訴我", "验证码告诉我"),
            ("先垫fu一单", "先垫付一单"),
        ],
    )
    def test_evasion_forms_normalise_to_plain_text(self, raw: str, expected: str) -> None:
        """Spaces, emoji, zero-width, Traditional, pinyin and variants all fold away."""
        assert normalize(raw) == expected

    def test_clean_keeps_spaces_for_extraction(self) -> None:
        """`clean` folds width and script but keeps separators (URLs need them)."""
        assert clean("ＡＢＣ 帳戶") == "abc 帐户"

    def test_unquote_takes_out_quoted_words(self) -> None:
        """Quoted stretches go, in Chinese or straight quotes; the writer's own words stay."""
        text = clean('收到“您的医保卡被冻结”的短信，別信「安全账户」那套，也别点"链接"。')
        assert compact(unquote(text)) == "收到的短信别信那套也别点"

    def test_a_stray_quote_mark_does_not_swallow_the_message(self) -> None:
        """An opening quote without its close leaves the text as it is."""
        text = clean("他说“把钱转到安全账户，不要告诉家人")
        assert unquote(text) == text


class TestExtract:
    def test_links_read_as_one_word(self) -> None:
        """Each web address reads as 网址, so content can say 登录网址; file names stay."""
        masked = compact(extract(clean("请登录 jg-12123.cn 处理，附件 通知.pdf")).masked)
        assert masked == "请登录网址处理附件通知pdf"

    def test_urls_and_domains(self) -> None:
        """Links are found with or without a scheme, and spaced-out dots are squeezed."""
        found = extract(clean("点击 https://pay.bad-site.com/refund?id=1 或者 WWW. AFDBE. WS 查看"))
        assert "pay.bad-site.com" in found.domains
        assert "www.afdbe.ws" in found.domains

    def test_numbers_are_not_domains(self) -> None:
        """Decimals and file names are not links."""
        assert extract(clean("利率 3.5% 附件 合同.pdf")).domains == ()

    def test_phone_numbers(self) -> None:
        """Mobiles with spaces or +86, landlines and service numbers come out as digits."""
        found = extract(clean("请拨 +86 138 1234 5678 或 010-12345678，也可以打96110"))
        assert found.phones == ("13812345678", "01012345678", "96110")

    def test_blocklist_covers_subdomains_and_formats(self) -> None:
        """A listed domain covers its sub-domains; numbers match however they are written."""
        index = BlocklistIndex(("bad.example",), ("+86 170-0000-1111",))
        found = extract(clean("登录 www.bad.example 或致电 17000001111"))
        assert index.hits(found) == ("www.bad.example", "17000001111")
        assert index.hits(extract(clean("notbad.example.org"))) == ()
