"""Benchmark: N simulated users through the fake Bot API into the real Application.

Each user runs a mixed session — /start, checks of scam and ordinary messages, 求助, the
guide with ‹ › presses, a quiz answered button by button, a sticker — waiting for each reply
before the next input, all users at once. Two runs: one as fast as possible (the most the
bot can handle; latency there is mostly queueing), one paced at an offered load (`--rate`,
with random pauses between a user's inputs). Each prints updates per second and the p50 /
p99 time from an update entering `Application.process_update` to all its replies being sent.
The fake yields to the event loop on every Bot API call, as a real request would.

Telegram's flood limits (AIORateLimiter) are off here: they cap real sending at ~30
messages/s and would measure Telegram, not the bot. Network is excluded (in-process fake).

    taskset -c 0 .venv/bin/python scripts/bench_bot.py --users 50 --rounds 3 --rate 400
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_bot_api import TOKEN, FakeBotAPI, FakeTelegram, Person  # noqa: E402

from bot.content.loader import Content, load_content  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import open_storage  # noqa: E402
from bot.telegram_app import build_application  # noqa: E402

TEXTS = (
    "我是公安局的，您的银行卡涉嫌洗钱，请把钱转到安全账户配合调查，不要告诉家人",
    "奶奶，我是小明，我打架被抓了，急需两万块保释金，千万别告诉我爸妈",
    "恭喜您中了二等奖，领奖前请先交个人所得税3000元",
    "您的医保卡异常即将冻结，请点击链接认证 http://yb-check.example/a",
    "妈，我今晚回家吃饭，帮我留碗汤。",
    "【社区通知】本周六上午在活动中心有免费量血压，欢迎参加。",
    "老师带您炒股，内部消息稳赚不赔，下载这个APP就能投资",
)
STICKER = {
    "file_id": "s",
    "file_unique_id": "s",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}


async def session(
    person: Person,
    content: Content,
    rounds: int,
    rng: random.Random,
    timings: list[float],
    think: float,
) -> None:
    """One user's mixed session; every update's processing time is appended to `timings`.

    `think` is the mean pause between a reply and the user's next input (0: none at all).
    """

    async def timed(update: dict[str, Any]) -> None:
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        started = time.perf_counter()
        await person.deliver(update)
        timings.append(time.perf_counter() - started)

    quiz = rng.choice(content.quizzes)
    await timed(person.text_update("/start"))
    for _ in range(rounds):
        for text in rng.sample(TEXTS, 3):
            await timed(person.text_update(text))
        await timed(person.text_update("🆘 求助"))
        await timed(person.text_update("🛡️ 三不口诀"))
        for _ in range(2):
            await timed(person.button_update("下一张 ›"))
        await timed(person.text_update("📖 学防骗"))
        await timed(person.button_update(data=f"1:qg:{quiz.id}", on=person.last))
        for index, question in enumerate(quiz.questions[:5]):
            option = rng.randrange(len(question.options))
            await timed(
                person.button_update(data=f"1:qa:{quiz.id}:{index}:{option}", on=person.last)
            )
        await timed(
            {
                "update_id": person.telegram.new_update_id(),
                "message": person._message(sticker=STICKER),
            }
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@asynccontextmanager
async def bench_bot() -> AsyncIterator[tuple[FakeTelegram, Any, Content]]:
    """The real Application on the fake Bot API (yielding on every call, no flood limits),
    on a database of its own: (the fake, the application, the content)."""
    content = load_content(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        storage = open_storage(url)
        settings = Settings(_env_file=None, telegram_bot_token=TOKEN, database_url=url)  # type: ignore[call-arg]
        telegram = FakeTelegram()
        api = FakeBotAPI(telegram, network_pause=True)
        application = build_application(
            settings, content, storage, request=api, get_updates_request=api, rate_limiter=None
        )
        await application.initialize()
        try:
            yield telegram, application, content
        finally:
            await application.shutdown()
            storage.close()


async def run(users: int, rounds: int, seed: int, rate: float) -> None:
    """One measured run; `rate` is the offered load in updates/s (0: as fast as possible)."""
    async with bench_bot() as (telegram, application, content):
        people = [Person(telegram, application, 10_000 + i) for i in range(users)]
        timings: list[float] = []
        # warm-up: one session, not counted
        await session(Person(telegram, application, 1), content, 1, random.Random(seed), [], 0)
        think = users / rate if rate else 0.0
        started = time.perf_counter()
        await asyncio.gather(
            *(
                session(p, content, rounds, random.Random(seed + i), timings, think)
                for i, p in enumerate(people)
            )
        )
        elapsed = time.perf_counter() - started
    assert not telegram.errors, telegram.errors
    assert not telegram.pending_queries
    offered = f"offered ~{rate:.0f} updates/s" if rate else "offered: as fast as possible"
    print(f"{users} users, {offered}: {len(timings)} updates in {elapsed:.2f} s")
    print(f"  throughput   {len(timings) / elapsed:8.0f} updates/s")
    print(f"  latency p50  {statistics.median(timings) * 1000:8.2f} ms")
    print(f"  latency p99  {percentile(timings, 0.99) * 1000:8.2f} ms")
    print(f"  latency max  {max(timings) * 1000:8.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="mixed rounds per user")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rate", type=float, default=300, help="offered updates/s for the paced run (target 300)"
    )
    args = parser.parse_args()
    asyncio.run(run(args.users, args.rounds, args.seed, 0))
    asyncio.run(run(args.users, args.rounds, args.seed, args.rate))
