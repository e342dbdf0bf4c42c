"""家人守护: the senior's one-time code (/family), the family member's /link, the list of
links with unlink buttons, and what the family is told (high-risk checks, 请回电话).

The rules (code alphabet, expiry, try limit, the in-memory share box) are in `bot.family`.
"""

from __future__ import annotations

from dataclasses import replace

from bot import family as rules
from bot.dialog.context import Turn
from bot.storage import FamilyLink
from bot.texts import EXPIRED
from bot.views import callbacks
from bot.views.replies import Button, Outgoing, Reply, Response, Rows, fit, text

FAMILY_TITLE = "👨‍👩‍👧 家人守护"
PRIVATE_ONLY = "家人守护请在和我的私聊里设置：点我的头像，进去后点「家人守护」。"
CALLBACK_BUTTON = "📞 请家人给我回电话"
SHARE_BUTTON = "📨 把这条消息发给家人"
CONNECT_BUTTON = "👨‍👩‍👧 连上家人"


def _name(name: str | None, fallback: str) -> str:
    """A display name made safe to show: one line, not too long."""
    if not name or not name.strip():
        return fallback
    cleaned = " ".join(name.split())
    return cleaned[:20]


def seniors_family(turn: Turn) -> list[FamilyLink]:
    """The links in which this user is the senior (the family members who watch over them)."""
    return [link for link in turn.storage.links_of(turn.user.id) if link.senior_id == turn.user.id]


def family(turn: Turn) -> Response:
    """/family: the links, with unlink buttons, and — for a senior — a fresh one-time code.

    Someone who only watches over others (a family member) sees the list and can still ask
    for a code with a button.
    """
    if not turn.private:
        return text(PRIVATE_ONLY)
    links = turn.storage.links_of(turn.user.id)
    watches_only = bool(links) and all(link.family_id == turn.user.id for link in links)
    lines = [FAMILY_TITLE]
    if watches_only:
        lines.append(_links_text(turn, links))
        buttons = (
            *_unlink_buttons(turn, links),
            (Button("🔑 我也要邀请码", callbacks.encode("fc")),),
        )
        return text("\n".join(lines), buttons=buttons)
    lines += [
        "连上子女后，您查到高风险的消息时，我会马上告诉他们，请他们打电话关心您。",
        "",
        *_code_lines(turn),
    ]
    if links:
        lines += ["", _links_text(turn, links)]
    lines += ["", "（您是子女？请老人在这里点「家人守护」，把邀请码告诉您。）"]
    return text("\n".join(lines), buttons=_unlink_buttons(turn, links))


def new_code(turn: Turn) -> Response:
    """The 🔑 button: a fresh code (older ones of this user stop working)."""
    if not turn.private:
        return text(PRIVATE_ONLY)
    return text("\n".join([FAMILY_TITLE, *_code_lines(turn)]))


def _code_lines(turn: Turn) -> list[str]:
    code = rules.new_code()
    expires = int(turn.now) + rules.CODE_TTL
    turn.storage.replace_link_code(turn.user.id, rules.code_hash(code), turn.name, expires)
    minutes = rules.CODE_TTL // 60
    return [
        f"🔑 您的邀请码：{rules.display_code(code)}",
        f"{minutes} 分钟内有效，只能用一次。",
        f"请把这 {rules.CODE_LENGTH} 个数字念给子女听，让他们在三不卫士里直接发过来就行。",
    ]


def _other(turn: Turn, link: FamilyLink) -> tuple[int, str]:
    """The other person in a link: their id and name."""
    if link.senior_id == turn.user.id:
        return link.family_id, _name(link.family_name, "家人")
    return link.senior_id, _name(link.senior_name, "老人")


def _links_text(turn: Turn, links: list[FamilyLink]) -> str:
    watched_by = [_other(turn, x)[1] for x in links if x.senior_id == turn.user.id]
    watching = [_other(turn, x)[1] for x in links if x.family_id == turn.user.id]
    parts = []
    if watched_by:
        parts.append("守护您的家人：" + "、".join(watched_by))
    if watching:
        parts.append("您守护的老人：" + "、".join(watching))
    return "\n".join(parts)


def _unlink_buttons(turn: Turn, links: list[FamilyLink]) -> Rows:
    rows = []
    for link in links:
        other_id, other_name = _other(turn, link)
        rows.append((Button(f"解除和「{other_name}」的守护", callbacks.encode("fu", other_id)),))
    return tuple(rows)


def typed_code(turn: Turn, message: str) -> Response | None:
    """A family code sent as a plain message (3825 1907), when it is one; else None.

    A number that is no valid code is left to the rest of the dialog (it may be a number
    to check), but still counts as a wrong try, so guessing by plain messages is as slow as
    by /link.
    """
    code = rules.normalize_code(message)
    if code is None or not turn.private:
        return None
    now = int(turn.now)
    if (
        turn.storage.link_failures_since(turn.user.id, now - rules.TRY_WINDOW)
        >= rules.MAX_WRONG_TRIES
    ):
        return None
    found = turn.storage.find_link_code(rules.code_hash(code))
    if found is None:
        turn.storage.record_link_failure(turn.user.id, now)
        return None
    return link(replace(turn, args=code))


def link(turn: Turn) -> Response:
    """/link CODE: the family member connects to the senior who gave them the code."""
    if not turn.private:
        return text("请在和我的私聊里，把老人给您的邀请码直接发给我。")
    now = int(turn.now)
    storage = turn.storage
    wrong = storage.link_failures_since(turn.user.id, now - rules.TRY_WINDOW)
    if wrong >= rules.MAX_WRONG_TRIES:
        return text("邀请码错的次数太多了，为了安全，请一小时后再试。")
    if not turn.args.strip():
        return text("请把老人给您的 8 位数字邀请码直接发给我，比如：3825 1907")
    code = rules.normalize_code(turn.args)
    if code is None:
        return text(
            f"这不像邀请码：邀请码是 {rules.CODE_LENGTH} 位数字。请核对老人给您的邀请码，再发一次。"
        )
    hashed = rules.code_hash(code)
    found = storage.find_link_code(hashed)
    if found is not None and found.senior_id == turn.user.id:
        return text("这是您自己的邀请码。请把它念给子女听，让子女发给我。")
    if found is not None and found.expires <= now:
        storage.delete_link_code(hashed)
        return text(
            f"这个邀请码已经过期了（{rules.CODE_TTL // 60} 分钟内有效）。"
            "请老人再点一次「家人守护」，拿一个新的。"
        )
    if found is None or not storage.delete_link_code(hashed):
        storage.record_link_failure(turn.user.id, now)
        left = rules.MAX_WRONG_TRIES - wrong - 1
        more = f"还能再试 {left} 次。" if left > 0 else "请一小时后再试。"
        return text(f"邀请码不对。请核对老人给您的邀请码，再发一次。{more}")
    senior_links = [x for x in storage.links_of(found.senior_id) if x.senior_id == found.senior_id]
    if len(senior_links) >= rules.MAX_LINKS:
        return text(f"这位老人已经连了 {rules.MAX_LINKS} 位家人，不能再加了。")
    senior_name = _name(found.senior_name, "老人")
    family_name = _name(turn.name, "一位家人")
    added = storage.add_link(
        FamilyLink(found.senior_id, turn.user.id, found.senior_name, turn.name, now)
    )
    if not added:
        return text(f"您和{senior_name}已经连上了，不用再连。点「家人守护」可以查看。")
    told = Outgoing(
        found.senior_id,
        f"✅ {family_name} 已经成为您的守护家人。\n"
        "您查到高风险的消息，或者在求助页请家人回电话时，我会马上告诉家人。\n"
        "点「家人守护」可以查看或解除。",
    )
    return text(
        f"✅ 连上了！您现在守护着 {senior_name}。\n"
        f"{senior_name} 查到高风险的消息，或者请您回电话时，我会马上告诉您。\n"
        "点「家人守护」可以查看或解除。",
        notify=(told,),
    )


def unlink(turn: Turn, other_id: int) -> Response:
    """Either side ends a link; the other person is told."""
    links = turn.storage.links_of(turn.user.id)
    match = next((x for x in links if other_id in (x.senior_id, x.family_id)), None)
    if match is None or other_id == turn.user.id:
        return Response(notice=EXPIRED, stale=True)
    turn.storage.remove_link(match.senior_id, match.family_id)
    _, other_name = _other(turn, match)
    me = (
        _name(match.senior_name, "老人")
        if match.senior_id == turn.user.id
        else _name(match.family_name, "家人")
    )
    told = Outgoing(other_id, f"{me} 解除了家人守护，以后我不再在你们之间传提醒。")
    return Response(
        replies=(
            Reply(f"已经解除和「{other_name}」的守护。想再连上，点「家人守护」。", edit=True),
        ),
        notice="已解除",
        notify=(told,),
    )


# --- what the family is told ------------------------------------------------------------------


def high_risk_notices(turn: Turn, category_name: str | None) -> tuple[Outgoing, ...]:
    """A short notice for each family member of this senior: scam type and time, no text."""
    scam = f"「{category_name}」骗局" if category_name else "骗局"
    when = turn.local_time()
    return tuple(
        Outgoing(
            link.family_id,
            "⚠️ 家人守护提醒\n"
            f"{_name(link.senior_name or turn.name, '您守护的老人')} 在 {when} "
            f"查了一条消息，像是{scam}，风险高。\n"
            "请尽快给老人打个电话：不转账、不说验证码，拿不准就打 96110。",
        )
        for link in seniors_family(turn)
    )


def share(turn: Turn, token: str) -> Response:
    """发给家人: pass the checked text (held in memory only) to each family member."""
    links = seniors_family(turn)
    message = turn.services.shares.take(token, turn.user.id, turn.now)
    if message is None or not links:
        return Response(notice=EXPIRED, stale=True)
    name = _name(turn.name or links[0].senior_name, "您守护的老人")
    notices = tuple(
        Outgoing(
            link.family_id,
            f"📨 {_name(link.senior_name or turn.name, name)} 把一条拿不准的消息发给您看看：",
            quote=fit(message, 3800),
        )
        for link in links
    )
    names = "、".join(_name(x.family_name, "家人") for x in links)
    return Response(
        replies=(Reply(f"✅ 已经发给 {names}。家人看了会联系您，先别转账。"),),
        notice="已发给家人",
        notify=notices,
    )


def call_back(turn: Turn) -> Response:
    """请家人给我回电话: tell every linked family member to call the senior."""
    links = seniors_family(turn)
    if not links:
        return text(
            "您还没有连上家人。点「👨‍👩‍👧 家人守护」拿邀请码，告诉子女，连上以后就能请他们回电话。",
            buttons=((Button(CONNECT_BUTTON, callbacks.encode("fam")),),),
        )
    if not turn.services.callbacks.allow(turn.user.id, turn.now):
        return text("刚刚已经通知过家人了，请留意来电。很急的话，直接打 110。")
    when = turn.local_time()
    notices = tuple(
        Outgoing(
            link.family_id,
            f"📞 {_name(link.senior_name or turn.name, '您守护的老人')} 请您尽快回个电话"
            f"（{when}，从三不卫士的求助页发来）。",
        )
        for link in links
    )
    names = "、".join(_name(x.family_name, "家人") for x in links)
    return text(
        f"✅ 已经告诉 {names}，请留意来电。\n如果有危险，或者钱已经转出去了，请马上打 110。",
        notify=notices,
    )


def sos_buttons(turn: Turn) -> Rows:
    """What the 求助 page offers about family: ask them to call back, or connect first."""
    if not turn.private:
        return ()
    if seniors_family(turn):
        return ((Button(CALLBACK_BUTTON, callbacks.encode("cb")),),)
    return ((Button(CONNECT_BUTTON, callbacks.encode("fam")),),)
