"""订阅提醒: /subscribe (老人本人 or 家属, then an optional region), /unsubscribe.

Subscriptions are for private chats; the alerts themselves are planned and sent by
`bot.alerts`. Quiet hours are a setting and are told to the subscriber.
"""

from __future__ import annotations

from bot.dialog.context import Turn
from bot.storage import Role, Subscription
from bot.texts import EXPIRED
from bot.views import callbacks
from bot.views.replies import Button, Response, Rows, text

ROLES: dict[Role, str] = {"senior": "老人本人", "family": "家属"}
SENIOR_BUTTON = "👵 我是老人本人"
FAMILY_BUTTON = "👨‍👩‍👧 我是家属（子女、亲友）"
NO_REGION = "不选，只收全国的提醒"
UNSUBSCRIBE_BUTTON = "🔕 退订"
PRIVATE_ONLY = "订阅提醒请在和我的私聊里设置：点我的头像，进去后点「🔔 订阅提醒」。"
#: At most this many region buttons (the rest of the calendar's regions are not offered).
MAX_REGIONS = 20


def regions(turn: Turn) -> list[str]:
    """The regions the alert calendar has alerts for, sorted (the choices offered)."""
    return sorted({a.region for a in turn.content.alerts if a.region})[:MAX_REGIONS]


def _quiet_line(turn: Turn) -> str:
    quiet = turn.services.quiet
    if not quiet.enabled:
        return ""
    return f"晚上 {quiet.describe()} 不打扰，夜里到的提醒会等到早上再发。"


def _status(subscription: Subscription) -> str:
    where = subscription.region or "全国"
    return f"身份：{ROLES[subscription.role]}；地区：{where}"


def subscribe(turn: Turn) -> Response:
    """Show the subscription, or ask who is subscribing."""
    if not turn.private:
        return text(PRIVATE_ONLY)
    current = turn.storage.get_subscription(turn.user.id)
    if current is not None and current.active:
        other: Role = "family" if current.role == "senior" else "senior"
        rows: list[tuple[Button, ...]] = [
            (Button(f"改成「{ROLES[other]}」", callbacks.encode("sb", other)),),
        ]
        if regions(turn):
            rows.append((Button("📍 换地区", callbacks.encode("sb", current.role)),))
        rows.append((Button(UNSUBSCRIBE_BUTTON, callbacks.encode("us")),))
        body = "\n".join(
            line
            for line in (
                f"🔔 您已经订阅了防骗提醒（{_status(current)}）。",
                _quiet_line(turn),
                "不想收了，点下面的「退订」。",
            )
            if line
        )
        return text(body, buttons=tuple(rows))
    lines = ["🔔 订阅防骗提醒", "我会定期提醒您：新出现的骗局，过节和发养老金前后要防的骗术。"]
    if _quiet_line(turn):
        lines.append(_quiet_line(turn))
    lines += ["", "请问您是："]
    buttons: Rows = (
        (Button(SENIOR_BUTTON, callbacks.encode("sb", "senior")),),
        (Button(FAMILY_BUTTON, callbacks.encode("sb", "family")),),
    )
    return text("\n".join(lines), buttons=buttons)


def choose_role(turn: Turn, role: str) -> Response:
    """Save the subscription; ask for a region when the calendar has regional alerts."""
    if not turn.private:
        return text(PRIVATE_ONLY)
    chosen: Role = "family" if role == "family" else "senior"
    subscription = turn.storage.subscribe(turn.user.id, chosen, int(turn.now))
    choices = regions(turn)
    if not choices:
        return _done(turn, subscription)
    rows = [(Button(region, callbacks.encode("sr", i)),) for i, region in enumerate(choices)]
    rows.append((Button(NO_REGION, callbacks.encode("sr", "none")),))
    body = "📍 您在哪个地区？选了地区，当地警方发的提醒也会发给您。"
    return text(body, buttons=tuple(rows), edit=True)


def choose_region(turn: Turn, choice: str) -> Response:
    """Save the region (or none) and confirm the subscription."""
    subscription = turn.storage.get_subscription(turn.user.id)
    choices = regions(turn)
    if subscription is None or not subscription.active:
        return Response(notice=EXPIRED, stale=True)
    if choice == "none":
        region = None
    elif int(choice) < len(choices):
        region = choices[int(choice)]
    else:
        return Response(notice=EXPIRED, stale=True)  # the calendar changed since
    turn.storage.set_region(turn.user.id, region)
    updated = turn.storage.get_subscription(turn.user.id)
    assert updated is not None
    return _done(turn, updated)


def _done(turn: Turn, subscription: Subscription) -> Response:
    body = "\n".join(
        line
        for line in (
            f"✅ 订阅好了！{_status(subscription)}。",
            "有新的防骗提醒，我会发给您。",
            _quiet_line(turn),
            "不想收了，随时告诉我“退订”。",
        )
        if line
    )
    return text(body, edit=True)


def unsubscribe(turn: Turn, *, edit: bool = False) -> Response:
    """Stop the alerts (and drop what was still queued for this person)."""
    if not turn.private:
        return text(PRIVATE_ONLY)
    if turn.storage.unsubscribe(turn.user.id, int(turn.now)):
        body = "🔕 好的，已经退订，以后不再给您发提醒。\n想再收，点「🔔 订阅提醒」就行。"
    else:
        body = "您现在没有订阅提醒。想收的话，点「🔔 订阅提醒」。"
    return text(body, edit=edit)
