"""Start-up: wait for the Bot API to answer, with backoff, saying what the bot waits for.

Telegram (or the network, or a proxy) is sometimes down for a minute; a bot that gives up
on its first failed `getMe` stays down until someone restarts it. So start-up tries again
after 1, 2, 4 … seconds (at most `MAX_PAUSE` apart) for as long as it takes, and says each
time in the log what it is waiting for. Only a token that Telegram refuses stops it: that
will not mend itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram.error import InvalidToken, TelegramError

from bot.tg.logsafe import mask

log = logging.getLogger(__name__)

#: The longest pause between two tries.
MAX_PAUSE = 60.0
#: What the operator reads when Telegram refuses the token.
TOKEN_REFUSED = (
    "Telegram 不认这个令牌 (the Bot API refused TELEGRAM_BOT_TOKEN)：请检查 .env 里的 "
    "TELEGRAM_BOT_TOKEN，是不是从 @BotFather 完整复制的"
)

Sleep = Callable[[float], Awaitable[None]]


async def reach_telegram(
    initialize: Callable[[], Awaitable[object]],
    what: str,
    *,
    sleep: Sleep = asyncio.sleep,
    max_pause: float = MAX_PAUSE,
) -> bool:
    """Call `initialize` (which asks Telegram getMe) until it succeeds: True. False, after
    logging `TOKEN_REFUSED`, when the token is refused. `what` names it in the log."""
    pause = 1.0
    tries = 0
    while True:
        try:
            await initialize()
        except InvalidToken:
            log.error(TOKEN_REFUSED)
            return False
        except (TelegramError, OSError, ValueError) as exc:  # down, 5xx, garbled, no network
            tries += 1
            log.warning(
                "还连不上 Telegram，%d 秒后再试（第 %d 次）(waiting for the Bot API, %s: %s)",
                round(pause),
                tries,
                what,
                mask(str(exc) or type(exc).__name__),
            )
            await sleep(pause)
            pause = min(max_pause, pause * 2)
            continue
        if tries:
            log.info("Telegram 连上了 (the Bot API answers, %s)", what)
        return True
