"""The canonical fraud categories every verdict names (see PRODUCT.md)."""

from typing import Literal, get_args

CategoryId = Literal[
    "brushing_rebate",
    "investment",
    "loan",
    "impersonate_customer_service",
    "impersonate_police",
    "credit_repair",
    "shopping",
    "impersonate_acquaintance",
    "game_trading",
    "romance",
    "relative_emergency",
    "kidnapping_extortion",
    "health_products",
    "elderly_care_investment",
    "collectibles",
    "prize_lottery",
    "social_security",
    "deepfake",
    "phishing_link_app",
]

CATEGORY_IDS: tuple[str, ...] = get_args(CategoryId)

#: Short Chinese names, used where no pattern file gives a better one.
CATEGORY_NAMES: dict[str, str] = {
    "brushing_rebate": "刷单返利",
    "investment": "虚假投资理财",
    "loan": "虚假网络贷款",
    "impersonate_customer_service": "冒充电商物流客服",
    "impersonate_police": "冒充公检法及政府机关",
    "credit_repair": "虚假征信",
    "shopping": "虚假购物服务",
    "impersonate_acquaintance": "冒充领导熟人",
    "game_trading": "网络游戏虚假交易",
    "romance": "网络婚恋交友（杀猪盘）",
    "relative_emergency": "冒充亲友遇险",
    "kidnapping_extortion": "虚假绑架、恐吓勒索",
    "health_products": "保健品、免费体检讲座",
    "elderly_care_investment": "养老项目投资",
    "collectibles": "收藏品、纪念币、鉴宝",
    "prize_lottery": "中奖领奖",
    "social_security": "医保社保、养老金认证",
    "deepfake": "AI换脸拟声",
    "phishing_link_app": "钓鱼链接、下载APP、索要验证码",
}
