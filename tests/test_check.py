"""The check engine, on the shipped content: evasions caught, hard negatives left alone."""

from __future__ import annotations

import pytest

from bot.check.engine import MAX_CHECK_CHARS, OWN_TEXT_LABEL, Checker
from bot.check.fitted import shipped_score
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
    # a 客服 who says a student-era credit product must be closed is the 征信 scam
    (
        "京东客服：您的白条是学生时期开通的，不关闭会影响征信，需要配合注销。",
        "credit_repair",
    ),
    ("有人打电话说是公安局的，说我涉嫌洗钱，要我把存款转到一个安全账户。", "impersonate_police"),
    # newer variants (added with the scam tuning set; worded for these tests)
    (
        "您好，我是航空公司客服，您的航班因天气原因取消，我们给您办理退改签并补偿200元，请到附近ATM机按我的提示操作。",
        "impersonate_customer_service",
    ),
    (
        "爷爷，这是社区的通知：补缴养老保险每人一万二，工作人员明天上门收取，请准备现金。",
        "social_security",
    ),
    (
        "有人给我寄了个快递，里面有子弹和一封信，说有人花钱买我的命，让我拿五万消灾。",
        "kidnapping_extortion",
    ),
    ("妈 我 现在 视频不方便，你先 zhuan 给我 5000，晚上跟你说", "deepfake"),
    # advice says "call the number you saved before"; a 换号 scam says it too
    (
        "老王，我手机丢了，原来存的号码不用了，这是我的新号，你存一下。我这边急用一万块，先转我，明天就还你。",
        "impersonate_acquaintance",
    ),
]

#: Requests that give the scam away even with few story words: a link to log in to, a key
#: to press, a code to read out. (Added when the first held-out set showed them missed.)
BARE_REQUESTS = [
    "【ETC服务】您的ETC卡已失效，请立即登录 etc-gx.top 办理认证，逾期停用。",
    "您好，这里是社保中心，您的养老金待遇需要重新核定，请按9键转人工服务。",
    "刚发给您的验证码，麻烦读给我听一下，我帮您把补贴领出来。",
    "点赞一单3元，当天结，加我V详聊",
    "叔叔，您把付款码下面那串数字念给我听一下，我给您办退款。",
]

#: Pasted and retold scams written for these tests before the check was tuned on them
#: (29 of 30 were flagged and 28 named right at first).
RETOLD = [
    (
        "您好，这里是市公安局刑侦支队，您的身份信息被不法分子盗用开了银行卡，涉及一起大案，请您不要挂电话，配合我们做资金核查。",
        "impersonate_police",
    ),
    (
        "有个自称检察官的人给我打视频，穿着制服，说我有张卡在洗钱，要我把钱存到他们指定的账户里等调查结束再还给我。",
        "impersonate_police",
    ),
    (
        "【抖音商城】您好，您开通的直播会员将于今天扣费800元，如需取消请联系客服专线，过时将每月自动扣款。",
        "impersonate_customer_service",
    ),
    (
        "我刚才接到快递公司电话，说我的包裹被弄丢了，要双倍赔我，让我扫他发的二维码填银行卡信息。",
        "impersonate_customer_service",
    ),
    (
        "爷爷，我是小军，我开车撞了人，对方要私了，得马上拿三万块，您先别告诉我爸，求您了。",
        "relative_emergency",
    ),
    (
        "有个年轻人打电话叫我外婆，说他在外地打工被人打了住院，急需押金，让我往一个卡上打钱。",
        "relative_emergency",
    ),
    (
        "老张，我是你老战友啊，听不出来了？我换了号码，最近遇到点难处，能不能先借我五千，下个月就还。",
        "impersonate_acquaintance",
    ),
    (
        "王姐，我是社区的刘主任，上面有个老年补助名额，要先交200元材料费，我帮你报上，钱直接微信转我就行。",
        "impersonate_acquaintance",
    ),
    (
        "恭喜您的手机号码在本台节目中被抽为幸运观众，获得现金大奖8.8万元和笔记本电脑一台，请先缴纳公证费1800元。",
        "prize_lottery",
    ),
    (
        "【社保中心】您的社保卡已被停用，请于24小时内登录 www.sbk-renzheng.top 重新认证，逾期将影响养老金发放。",
        "social_security",
    ),
    (
        "前几天社区门口有人发鸡蛋，请我们去听讲座，专家说他们的磁疗床垫能治高血压糖尿病，一套一万二，现在买还送旅游。",
        "health_products",
    ),
    (
        "我们的康养中心现在预售养老床位，一次交十万，每年返12%利息，三年后本金全退，还能免费入住，名额不多。",
        "elderly_care_investment",
    ),
    (
        "您家里有没有老钱币、老邮票？我们拍卖公司帮您鉴定，估价能到上百万，只要先交三千块鉴定费和图录费。",
        "collectibles",
    ),
    (
        "叔叔，我是做金融的，我们老师带着炒股，内部消息，稳赚不赔，您先下载这个APP投一万试试，一个月翻倍。",
        "investment",
    ),
    (
        "网上认识的一个男的，说是在国外维和的军官，跟我聊了两个月说要回国娶我，现在说行李被海关扣了，让我交两万关税。",
        "romance",
    ),
    (
        "我儿子刚才跟我视频，画面就几秒钟就断了，然后发微信说他在开会，让我先给他朋友转八万块钱，声音是他的。",
        "deepfake",
    ),
    (
        "【ETC服务】您的ETC卡已失效，为避免影响通行，请点击 etc-rz.cn 进行重新认证，输入银行卡号和短信验证码。",
        "phishing_link_app",
    ),
    (
        "有个银行的人说要帮我把卡升级，让我把手机收到的六位数验证码念给他听，还让我开一个屏幕共享。",
        "phishing_link_app",
    ),
    (
        "急用钱吗？无抵押无担保，凭身份证即可贷款5万，当天放款，放款前需先交2000元保证金验证还款能力。",
        "loan",
    ),
    (
        "您好，我是京东金融的，您大学时开通过校园贷账户，现在国家要求注销，不注销会影响您的征信，需要您配合操作。",
        "credit_repair",
    ),
    (
        "在家动动手指就能赚钱，帮商家刷单点赞，一单返佣金20元，前三单先垫付，做完连本带利一起返。",
        "brushing_rebate",
    ),
    (
        "闲鱼上买了个手机，卖家说平台手续费太高，让我加他微信直接转账，他收到钱马上发货。",
        "shopping",
    ),
    (
        "奶奶，我游戏账号被冻结了，客服说要交3000元解冻费才能把装备退给我，您能帮我转一下吗？",
        "game_trading",
    ),
    ("你儿子现在在我们手上，马上准备二十万，敢报警你就别想再见到他。", "kidnapping_extortion"),
    (
        "有人打电话说他是医保局的，说我的医保卡在外地被盗刷了，要我把卡里的钱转到新账户保护起来。",
        "social_security",
    ),
    (
        "我是派出所的民警，您孙子涉嫌一起诈骗案被我们扣了，要交保证金才能放人，这事先别跟别人说。",
        "impersonate_police",
    ),
    (
        "我们这个数字货币项目是国家支持的，现在买一枚一百元，明年能涨到一万，拉人进来还有提成。",
        "investment",
    ),
    (
        "您好，我是淘宝客服，您买的保健品检测出质量问题，我们给您三倍理赔，需要您下载一个会议软件指导操作。",
        "impersonate_customer_service",
    ),
    (
        "您参加的超市抽奖活动中了一台冰箱，领奖需要先付运费和个人所得税共860元，请转到下面的账户。",
        "prize_lottery",
    ),
    (
        "外婆，我是您外孙，我跟同学打架把人打伤了，现在在派出所，要赔医药费两万，千万别告诉我妈。",
        "relative_emergency",
    ),
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
    # money sent *to* the reader, a code notice, stock talk, a statement with its link
    "妈，我马上转账给你，先转给你两千，剩下的周末带回家。",
    "【工商银行】您的6位数验证码已发送至手机，5分钟内有效，请勿泄露。",
    "爸，我刚才在A股和B股都看了看，今天都跌了，你别着急卖。",
    "【建设银行】您的信用卡账单已出，请登录 www.ccb.com 查看明细。",
    # real notices and family news that share words with the newer scams
    "【国家电网】因线路检修，明天上午9点到12点要停电，请提前做好准备。",
    "爸正在抢救，你们快来市一医院急诊，别开车太急。",
    "社区通知：年满80周岁的老人可携带身份证到社区服务中心领高龄补贴。",
    "孩子他姑，航班取消了，我们改签到明天，别担心。",
]

#: Advice and news that retell a scam, often quoting its very words: the writer talks *about*
#: the scam, to warn. Written after the first held-out set showed a quarter of such texts
#: flagged; none of these is taken from that set.
RETELLING = [
    "社区民警讲座说，千万不要把钱转到所谓的安全账户",
    "妈，要是有人发短信说“您的社保卡异常，请点链接重新认证”，千万别点，直接打12333问。",
    "群里转的提醒：电话里说“我是你领导，明天来我办公室”的，再让你转账，都是骗子。",
    "社区公告：最近有人冒充燃气公司上门收“安全检查费”，请居民不要开门，发现后报警。",
    "记者调查：所谓“刷单返现”兼职，先让人垫付，第三单就不返钱了，已有多人上当。",
    "派出所提示：接到“孙子出车祸急需手术费”的电话，先打孩子爸妈电话核实，不要直接转账。",
    "据报道，一名七旬老人在“保健讲座”上花三万元买了“神药”，子女发现后报警，警方已立案。",
]

#: Retellings the check still flags: the scam's own words outweigh one news marker. Kept
#: here so that a change which fixes them shows up (strict xfail fails when they pass).
RETELLING_STILL_FLAGGED = [
    "本报讯 一名六旬男子轻信“内部消息、稳赚不赔”的荐股群，投入积蓄后平台无法提现，警方已立案。",
]

#: Scams that use quotation marks themselves: the quote rule must not hide them.
QUOTING_SCAMS = [
    (
        "您好，我是“京东客服”，您开通的“百万保障”服务每月要扣费，不关闭会自动扣款，请下载会议软件共享屏幕，我教您关闭。",
        "impersonate_customer_service",
    ),
    (
        "我是市公安局的民警，你的身份证涉嫌一起“洗钱案”，请把钱转到“安全账户”配合调查，不要告诉家人。",
        "impersonate_police",
    ),
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


class TestBareRequests:
    @pytest.mark.parametrize("text", BARE_REQUESTS)
    def test_flagged(self, checker: Checker, text: str) -> None:
        """A request that only scams make is enough to warn."""
        verdict = checker.check(text)
        assert verdict.flagged, verdict
        assert verdict.reasons, verdict


class TestRetold:
    @pytest.mark.parametrize(("text", "category"), RETOLD)
    def test_flagged(self, checker: Checker, text: str, category: str) -> None:
        """Scams as seniors paste or retell them are flagged; most are named right."""
        assert checker.check(text).flagged

    def test_named_right(self, checker: Checker) -> None:
        """At least 9 in 10 retold scams get their own category."""
        right = sum(checker.check(text).category == cat for text, cat in RETOLD)
        assert right >= 0.9 * len(RETOLD)


class TestHardNegatives:
    @pytest.mark.parametrize("text", HARD_NEGATIVES)
    def test_not_flagged(self, checker: Checker, text: str) -> None:
        """Anti-fraud advice, news and ordinary notices are not scams."""
        verdict = checker.check(text)
        assert not verdict.flagged, verdict


class TestRetelling:
    @pytest.mark.parametrize("text", RETELLING)
    def test_advice_and_news_that_quote_a_scam(self, checker: Checker, text: str) -> None:
        """Advice and news that retell a scam, in quotes or not, are not warnings."""
        verdict = checker.check(text)
        assert not verdict.flagged, verdict
        assert verdict.safe, verdict

    @pytest.mark.xfail(strict=True, reason="one news marker does not outweigh strong scam words")
    @pytest.mark.parametrize("text", RETELLING_STILL_FLAGGED)
    def test_news_full_of_the_scams_promises(self, checker: Checker, text: str) -> None:
        """A news report full of the scam's own promises is news (a known limit: at the
        medium threshold of the fitted score it is still flagged, score 37)."""
        assert not checker.check(text).flagged

    @pytest.mark.parametrize(("text", "category"), QUOTING_SCAMS)
    def test_scams_that_use_quotes_are_still_caught(
        self, checker: Checker, text: str, category: str
    ) -> None:
        """Quotation marks alone never hide a scam: only advice or news are read this way."""
        verdict = checker.check(text)
        assert verdict.flagged and verdict.category == category, verdict

    def test_the_reply_says_it_is_advice(self, checker: Checker) -> None:
        """The senior is told what the text is, and the lesson, not which scam it names."""
        from bot.texts import verdict_text

        reply = verdict_text(checker.check(RETELLING[1]))
        assert "不是骗局" in reply and "不听、不信、不转账" in reply
        assert "像是" not in reply

    def test_the_quote_rule_says_why(self, checker: Checker) -> None:
        """When the quoted words were set aside, the verdict says so."""
        quoted = (
            "记者了解到，对方称“我是客服，你的快递丢了，加我微信理赔，先交保证金，"
            "再下载会议软件共享屏幕”。"
        )
        verdict = checker.check(quoted)
        assert not verdict.flagged
        assert any("引号" in reason for reason in verdict.safe), verdict


class TestVerdict:
    def test_high_risk_advice_says_stop_and_call(self, checker: Checker) -> None:
        """A high-risk verdict tells the senior to stop and gives the hotline."""
        verdict = checker.check(SCAMS[0][0])
        assert verdict.risk == "high" and verdict.score >= 100 * shipped_score().high
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


def _tiny_checker() -> Checker:
    """Two made-up patterns and one signal: enough to test how the scam is named."""
    from bot.content.models import Pattern, PhraseSet, Signal, SignalFile

    def pattern(pid: str, category: str, strong: tuple[str, ...], normal: tuple[str, ...]):
        return Pattern(
            id=pid,
            category=category,
            name=pid,
            phrases=PhraseSet(strong=strong, normal=normal),
            advice=("先别付钱。",),
            examples=("例子",),
        )

    signals = SignalFile(
        danger_signals=(Signal(id="pay", label="要您付钱", weight=25, phrases=("交保证金",)),)
    )
    return Checker(
        (
            pattern("story", "shopping", ("闲鱼上看中",), ()),
            pattern("means", "impersonate_customer_service", (), ("客服", "订单", "退款")),
        ),
        signals,
        Blocklist(),
    )


class TestNaming:
    def test_the_opening_names_the_scam(self) -> None:
        """The story told first outweighs the same amount of evidence further on."""
        checker = _tiny_checker()
        text = (
            "我在闲鱼上看中了一台旧相机，卖家说是他爸爸留下的，九成新，镜头也没有划痕，价格还便宜。"
            "后来说订单异常，让我找客服办理退款，要先交保证金。"
        )
        assert checker.check(text).category == "shopping"
        # the same words with the story told last: the later evidence is just evidence
        later = (
            "说订单异常，让我找客服办理退款，要先交保证金。我问了问家里人，他们说别急，先等等看。"
            "这事是因为之前我在闲鱼上看中了一台相机。"
        )
        assert checker.check(later).category == "impersonate_customer_service"


class TestOwnWords:
    """What the bot itself sends retells scams on purpose; pasted back, it is advice."""

    def test_alerts_cards_and_quiz_texts_are_not_warnings(self, checker: Checker) -> None:
        """Every alert, guidance card and quiz question or explanation passes unflagged."""
        content = load_content(PROJECT_ROOT)
        texts = [a.text for a in content.alerts]
        texts += [c.how_it_goes for c in content.guidance.cards]
        texts += ["".join(c.signs) for c in content.guidance.cards]
        texts += [q.question for quiz in content.quizzes for q in quiz.questions]
        texts += [q.explanation for quiz in content.quizzes for q in quiz.questions]
        flagged = [t for t in texts if checker.check(t).flagged]
        assert flagged == []

    def test_a_forwarded_alert_with_a_note_is_still_advice(self, checker: Checker) -> None:
        """Family forward an alert with a word of their own; it stays advice, even the alerts
        whose scam words would warn if the checker did not know them as the bot's own."""
        content = load_content(PROJECT_ROOT)
        forwarded = ["妈，您看看这个：" + a.text for a in content.alerts]
        verdicts = [checker.check(t) for t in forwarded]
        assert [t for t, v in zip(forwarded, verdicts, strict=True) if v.flagged] == []
        # ...and they are known as the bot's own words, whatever the fitted weights say
        assert all(OWN_TEXT_LABEL in v.safe for v in verdicts)

    def test_a_scam_that_borrows_one_of_our_sentences_is_caught(self, checker: Checker) -> None:
        """One of our sentences inside a scam does not make the scam advice."""
        card = load_content(PROJECT_ROOT).guidance.cards[0]
        scam = (
            "我是市公安局民警，你的银行卡涉嫌洗钱，马上把钱转到安全账户配合调查，不要告诉家人。"
            "案子很急，今天之内必须办完，否则冻结你名下所有账户。" + card.what_to_do[0]
        )
        assert checker.check(scam).flagged


class TestSafeMarkers:
    def test_a_marker_found_twice_counts_more(self) -> None:
        """Two different news words make a report surer than one (SAFE_REPEAT_SHARE)."""
        from bot.content.models import Pattern, PhraseSet, SafeMarker, Signal, SignalFile

        pattern = Pattern(
            id="police",
            category="impersonate_police",
            name="冒充公检法",
            phrases=PhraseSet(strong=("安全账户", "涉嫌洗钱")),
            advice=("挂断电话。",),
            examples=("例子",),
        )
        signals = SignalFile(
            danger_signals=(Signal(id="pay", label="要您付钱", weight=25, phrases=("交保证金",)),),
            safe_markers=(
                SafeMarker(
                    id="news", label="新闻", weight=40, retells=True, phrases=("据报道", "落网")
                ),
            ),
        )
        checker = Checker((pattern,), signals, Blocklist())
        once = checker.check("据报道，有人自称警察说老人涉嫌洗钱，让他把钱转到安全账户。")
        twice = checker.check(
            "据报道，有人自称警察说老人涉嫌洗钱，让他把钱转到安全账户，嫌疑人已落网。"
        )
        assert twice.score < once.score


class TestHostileInput:
    """No pattern of the engine can backtrack without end (timings: scripts/bench_adversarial.py)."""

    def test_no_shipped_or_engine_regex_nests_unbounded_repeats(self, content) -> None:
        """The shape (.*)*, (a+)+ is refused in every regex the engine runs."""
        from bot.check import extract
        from bot.staff_regex import nested_repeat

        staff = [r for p in content.patterns for r in p.regexes]
        staff += [r for s in content.signals.danger_signals for r in s.regexes]
        staff += [r for m in content.signals.safe_markers for r in m.regexes]
        engine = [extract._URL.pattern, extract._SPACED_DOT.pattern, extract._PHONE.pattern]
        assert staff and not [r for r in staff + engine if nested_repeat(r)]

    @pytest.mark.parametrize("unit", ["\u33c2", "1", "a.", "www.a", " . ", "转账"])
    def test_long_hostile_inputs_get_a_verdict(self, content, unit: str) -> None:
        """4,000 characters of what once backtracked: checked like any other message."""
        from bot.check.engine import Checker

        verdict = Checker.from_content(content).check(unit * (4000 // len(unit)))
        assert verdict.risk in ("high", "medium", "low", "none")


class TestStaffRegexGuard:
    """A staff regex that slipped past validation cannot stall the bot."""

    def test_a_search_that_runs_out_of_time_is_no_match_and_logged_once(self, caplog) -> None:
        from bot.staff_regex import StaffRegex

        runaway = StaffRegex(r"(\w+\s?)*$")  # nested: validation refuses it; here it got in
        text = "ab " * 2000 + "!"
        with caplog.at_level("WARNING", logger="bot.staff_regex"):
            assert runaway.search(text) is None
            assert runaway.search(text) is None
        warnings = [r for r in caplog.records if "ran out of time" in r.getMessage()]
        assert len(warnings) == 1 and text not in warnings[0].getMessage()

    def test_guarded_and_plain_regexes_match_the_same(self) -> None:
        from bot.staff_regex import StaffRegex, unbounded_repeat

        assert unbounded_repeat(r"转了\d+元") and not unbounded_repeat(r"转了\d{1,6}元")
        for pattern in (r"转了\d+元", r"转了\d{1,6}元"):
            found = StaffRegex(pattern).search("我转了5000元给他")
            assert found is not None and found.group(0) == "转了5000元"
