"""Admin commands (settings.admin_ids): /broadcast with a preview and confirm / cancel,
/outbox (the sending figures), /reload (the content files) and /stats (the campaign figures,
as text and a chart). To anyone else they answer exactly like an unknown command.
"""

from __future__ import annotations

from bot.dialog import menu
from bot.dialog.context import Turn
from bot.served.live import LiveContent, ReloadResult, problems_text
from bot.stats.counters import collect
from bot.stats.figures import WINDOWS, figures_text
from bot.texts import EXPIRED
from bot.views import callbacks
from bot.views.replies import Button, Reply, Response, fit, say, text

#: Room is left below the admin's text for the unsubscribe line (Telegram's limit is 4096).
MAX_BROADCAST = 3500


def broadcast(turn: Turn) -> Response:
    """/broadcast TEXT: save a draft and show exactly what will go out, with two buttons."""
    if not turn.is_admin:
        return menu.unknown_command(turn)
    if not turn.private:
        return text("请在和我的私聊里用 /broadcast。")
    body = turn.args.strip()
    if not body:
        return text("用法：/broadcast 提醒的内容\n我会先给您看预览，您确认后才发出。")
    if len(body) > MAX_BROADCAST:
        return text(f"内容太长了：最多 {MAX_BROADCAST} 个字，现在是 {len(body)} 个字。")
    draft = turn.storage.create_broadcast(turn.user.id, body, int(turn.now))
    count = turn.storage.count_subscribers()
    lines = [f"📣 群发预览（确认后发给 {count} 位订阅者）：", "", body]
    quiet = turn.services.quiet
    if quiet.is_quiet(turn.now):
        lines += ["", f"🌙 现在是夜间免打扰时间，确认后会在 {quiet.end:%H:%M} 开始发。"]
    buttons = (
        (Button("✅ 确认群发", callbacks.encode("bc", draft, "yes")),),
        (Button("✖️ 取消", callbacks.encode("bc", draft, "no")),),
    )
    return text("\n".join(lines), buttons=buttons)


def confirm(turn: Turn, broadcast_id: int, yes: bool) -> Response:
    """Queue the draft in the outbox (once, whatever the number of taps) or cancel it."""
    draft = turn.storage.get_broadcast(broadcast_id)
    if not turn.is_admin or draft is None or draft.admin_id != turn.user.id:
        return Response(notice=EXPIRED, stale=True)
    if draft.status != "draft":
        done = "已经发出了" if draft.status == "queued" else "已经取消了"
        return Response(notice=f"这条群发{done}")
    if not yes:
        turn.storage.cancel_broadcast(broadcast_id)
        return Response(replies=(Reply("已取消，什么都没发。", edit=True),), notice="已取消")
    not_before = turn.services.quiet.next_allowed(turn.now)
    added = turn.storage.queue_broadcast(broadcast_id, not_before, turn.now)
    if added is None:
        return Response(notice="这条群发已经处理过了")
    turn.services.on_enqueued()
    return Response(
        replies=(
            Reply(
                f"✅ 已放进发送队列：{added} 位订阅者。\n"
                "会按 Telegram 允许的速度陆续发出。发 /outbox 可以看进度。",
                edit=True,
            ),
        ),
        notice="已确认",
    )


def outbox(turn: Turn) -> Response:
    """/outbox: how many alert messages are waiting, sent, failed or stopped."""
    if not turn.is_admin:
        return menu.unknown_command(turn)
    if not turn.private:
        return text("请在和我的私聊里用 /outbox。")
    counts = turn.storage.outbox_counts()
    return text(
        "📊 提醒发送情况\n"
        f"等待发送：{counts.get('pending', 0)}\n"
        f"已发出：{counts.get('sent', 0)}\n"
        f"发送失败：{counts.get('failed', 0)}\n"
        f"已停止（退订或屏蔽）：{counts.get('dropped', 0)}\n"
        f"订阅人数：{turn.storage.count_subscribers()}"
    )


def reload_report(source: LiveContent, result: ReloadResult, *, by_hand: bool) -> str:
    """What the admins are told after a reload: what is served now, or every problem."""
    if result.ok:
        content = source.content
        questions = sum(len(q.questions) for q in content.quizzes)
        head = "✅ 内容已重新加载" if by_hand else "✅ 内容文件有改动，已更新"
        return (
            f"{head}：{len(content.quizzes)} 个测验（{questions} 道题）、"
            f"{len(content.guidance.cards)} 张防骗卡片、{len(content.patterns)} 条防骗规则、"
            f"{len(content.alerts)} 条提醒。"
        )
    body = problems_text(result.problems, root=source.root)
    return fit(
        "⚠️ 内容文件有错误，这次没有更新，机器人继续用原来的内容。请改正这些地方：\n\n"
        f"{body}\n\n改好保存后会自动更新，也可以再发 /reload。"
    )


def reload(turn: Turn) -> Response:
    """/reload: load every content file again; keep the last good content if any is wrong."""
    if not turn.is_admin:
        return menu.unknown_command(turn)
    if not turn.private:
        return text("请在和我的私聊里用 /reload。")
    source = turn.services.source
    if not isinstance(source, LiveContent):
        return text("这个机器人的内容是固定的，不能重新加载。")
    return text(reload_report(source, source.reload(), by_hand=True))


#: The caption under the chart (Telegram allows 1024 characters).
CHART_CAPTION = f"📈 查一查：按骗局类型和风险高低（近 {max(WINDOWS)} 天）"


def stats(turn: Turn) -> Response:
    """/stats: the campaign figures for the last 7 and 30 days, as text and as a chart."""
    if not turn.is_admin:
        return menu.unknown_command(turn)
    if not turn.private:
        return text("请在和我的私聊里用 /stats。")
    from bot.stats.chart import figures_png  # matplotlib loads only when a chart is asked for

    figures = collect(turn.storage, turn.now, turn.services.tz)
    return say(Reply(figures_text(figures)), Reply(CHART_CAPTION, photo=figures_png(figures)))
