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
    # family chat, official notices and news that share words with scams
    "奶奶，我感冒了嗓子哑了，这周末就不回去了，您多穿点。",
    "妈，孩子在学校有点发烧，老师让接回家，我下午去接。",
    "爸，我换了新手机，号码没变，微信还是原来那个。",
    "妈，我这个月手头有点紧，房租晚几天交，您别担心。",
    "外婆，我放假了，下周六回家，想吃您包的饺子。",
    "老李，明天上午老年大学书法课改到201教室了。",
    "王阿姨，您订的牛奶明天开始送，钱已经收到了，谢谢。",
    "【建设银行】您尾号3321的账户11月28日收入工资8500.00元，余额12300.50元。",
    "【国家电网】您户号0012345的电费余额不足20元，请及时缴费，可通过网上国网APP缴纳。",
    "【社区卫生服务中心】65岁以上老人免费体检将于12月5日开始，请携带身份证和医保卡到一楼登记。",
    "【人社局】您的养老金资格认证可在“掌上12333”APP自助完成，无需到现场，不收取任何费用。",
    "【中通快递】您的包裹已到达小区驿站，取件码8-3-2211，请及时领取。",
    "【淘宝】您购买的电热毯已发货，物流单号YT1234567890，可在淘宝APP查看物流。",
    "儿子，你爸住院的押金我已经交了，医生说明天做检查，你下班过来一趟。",
    "闺女，你上次给我买的血压计挺好用，今天量了130/80。",
    "社区通知：本周六上午在社区活动室举办防诈骗讲座，民警讲解冒充公检法和养老诈骗，欢迎参加。",
    "新闻：我市警方破获一起冒充客服退款诈骗案，抓获犯罪嫌疑人5名，提醒市民网购退款请走官方渠道。",
    "孩子他爸，咱家闺女婚礼的酒店定好了，定金五千已经付了，发票在抽屉里。",
    "老同学聚会定在下周三中午，地点还是老地方，AA制，每人一百。",
    "妈，我给您网购了一箱苹果，快递明天到，记得去驿站拿。",
    "【平安银行】您的信用卡本期账单1288.00元，最后还款日12月10日，可通过平安口袋银行APP还款。",
    "【中国移动】您的话费余额为12.5元，为避免停机请及时充值。",
    "奶奶，我考试考了第一名，老师还表扬我了！",
    "爷爷，我周末跟同学去爬山，手机可能没信号，别担心。",
    "李大爷，明天小区停水，请提前储水，物业服务中心。",
    "妈，医院说您的体检报告出来了，我明天去拿，血糖有点高要注意。",
    "【医保局】2026年度城乡居民医保开始缴费，可通过银行柜台、税务APP或社区代缴点缴纳，切勿相信陌生链接。",
    "姥姥，我在学校挺好的，钱够花，您不用给我寄钱。",
    "儿子，我跟你爸参加旅游团去桂林，下周一回来，有事打你爸电话。",
    "小王，你托我从老家带的土特产到了，周末来拿吧。",
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
