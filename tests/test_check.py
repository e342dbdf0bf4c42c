"""The check engine, on the shipped content: evasions caught, hard negatives left alone."""

from __future__ import annotations

import pytest

from bot.check.engine import MAX_CHECK_CHARS, RISK_HIGH, Checker
from bot.content.loader import load_content
from bot.content.models import Blocklist
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_content(load_content(PROJECT_ROOT))


SCAMS = [
    # (message, category) — written for these tests, in the forms seniors receive them
    (
        "我是市公安局民警，您的银行卡涉嫌洗钱，请把钱转到安全账户配合资金清查，不要告诉家人。",
        "impersonate_police",
    ),
    ("我是市公安局民警，您涉嫌洗qian，请把钱转到安 全 账 户。", "impersonate_police"),
    ("我是市公安局民警，您涉嫌洗錢，請把錢轉到安全帳戶配合調查。", "impersonate_police"),
    ("我是市\u200b公安局\u200b民警，您涉嫌\u200b洗钱，请转到安全账户。", "impersonate_police"),
    (
        "您好，我是快递客服，您的包裹丢失了，我们给您三倍理陪，请加微信办理退款。",
        "impersonate_customer_service",
    ),
    (
        "奶奶，我是您孙子，我跟人打架被派出所抓了，急需两万块保释金，千万别告诉我爸妈。",
        "relative_emergency",
    ),
    (
        "恭喜您被抽中为幸运观众，获得二等奖现金8万元，领奖前需先交个人所得税3000元。",
        "prize_lottery",
    ),
    (
        "您的医保卡已被冻结，请点击链接 http://yb-check.top 重新认证，否则无法报销。",
        "social_security",
    ),
    (
        "我是银行客服，需要核对您的身份，请把手机收到的验证码告诉我。",
        "impersonate_customer_service",
    ),
    ("您的ETC认证已失效，请点击链接重新认证，并输入收到的验证码。", "phishing_link_app"),
    ("阿姨，参加我们的免费健康讲座送鸡蛋，专家推荐的特效药能根治高血压糖尿病。", "health_products"),
    ("养老公寓床位预售，投资一个床位每年返利15%，到期还本，名额有限。", "elderly_care_investment"),
    ("有人打电话说是公安局的，说我涉嫌洗钱，要我把存款转到一个安全账户。", "impersonate_police"),
]

HARD_NEGATIVES = [
    "【反诈中心提醒】公检法机关不会通过电话办案，更没有所谓安全账户，凡是要您转账的都是诈骗，请挂断并拨打110。",
    "民警提醒：不听、不信、不转账，接到自称客服要您退款理赔的电话，请通过官方渠道核实。",
    "近日，我市一名老人接到冒充“孙子”的电话被骗两万元，警方提醒广大市民提高警惕。",
    "【工商银行】您尾号6688的卡于11月3日转账支出500.00元，余额2300.50元。如非本人操作请致电95588。",
    "【中国移动】您本月话费账单已出，消费58元，详情请登录中国移动APP查询。回复TD退订。",
    "【顺丰速运】您的快件已由驿站代收，请凭取件码6-2-3008取件，如有疑问请联系快递员。",
    "【市人民医院】您预约的心内科门诊为明天上午9:30，请携带身份证和医保卡按时就诊。",
    "【支付宝】验证码428913，用于登录，5分钟内有效。请勿泄露给他人。",
    "妈，我这个月工资发了，给您转了两千块，您买点好吃的，别舍不得。",
    "爸，周末我们回家吃饭，孙子说想吃您做的红烧肉。",
    "王阿姨，明天上午社区有免费量血压，不卖东西，带上老年卡就行。",
    "您好，您的养老金已于本月15日发放到账，请注意查收。",
]


class TestScamsAreCaught:
    @pytest.mark.parametrize(("text", "category"), SCAMS)
    def test_flagged_with_the_right_type(self, checker: Checker, text: str, category: str) -> None:
        """Typical scams, with evasions, are flagged as the scam they are."""
        verdict = checker.check(text)
        assert verdict.flagged, verdict
        assert verdict.category == category, verdict
        assert verdict.matched or verdict.reasons
        assert verdict.advice


class TestHardNegatives:
    @pytest.mark.parametrize("text", HARD_NEGATIVES)
    def test_not_flagged(self, checker: Checker, text: str) -> None:
        """Anti-fraud advice, news and ordinary notices are not scams."""
        verdict = checker.check(text)
        assert not verdict.flagged, verdict


class TestVerdict:
    def test_high_risk_advice_says_stop_and_call(self, checker: Checker) -> None:
        """A high-risk verdict tells the senior to stop and gives the hotline."""
        verdict = checker.check(SCAMS[0][0])
        assert verdict.risk == "high" and verdict.score >= RISK_HIGH
        assert any("96110" in line for line in verdict.advice)

    def test_nothing_found(self, checker: Checker) -> None:
        """An ordinary message: no risk, no category, no evidence."""
        verdict = checker.check("今天天气不错，下午去公园走走。")
        assert (verdict.risk, verdict.category, verdict.matched) == ("none", None, ())

    @pytest.mark.parametrize(
        "text", ["", "   ", "🙂🙂🙂", "\u200b", "a" * 50_000, "\x00\x01", "😀" * 9999]
    )
    def test_any_string_gives_a_verdict(self, checker: Checker, text: str) -> None:
        """No input makes the check raise."""
        assert checker.check(text).risk in ("high", "medium", "low", "none")

    def test_long_text_is_cut(self, checker: Checker) -> None:
        """A scam beyond the length cap is not seen: the cap bounds the cost of a check."""
        assert not checker.check("好" * MAX_CHECK_CHARS + "请转到安全账户").flagged

    def test_blocklist_raises_risk(self) -> None:
        """A link on the police blocklist makes an innocent-looking message risky."""
        content = load_content(PROJECT_ROOT)
        plain = Checker(content.patterns, content.signals, Blocklist())
        listed = Checker(
            content.patterns, content.signals, Blocklist(domains=("bad-site.example",))
        )
        text = "您好，详情请看 www.bad-site.example/info"
        assert not plain.check(text).flagged
        verdict = listed.check(text)
        assert verdict.flagged
        assert verdict.blocklisted == ("www.bad-site.example",)

    def test_checked_text_is_not_kept(self, checker: Checker) -> None:
        """The verdict carries evidence phrases, never the whole message."""
        text = "我是市公安局民警，您的银行卡涉嫌洗钱，请把钱转到安全账户，我的电话13812345678"
        dumped = str(checker.check(text).to_dict())
        assert text not in dumped
