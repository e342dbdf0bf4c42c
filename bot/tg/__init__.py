"""The Telegram channel: the only package (with `bot.telegram_app`) that imports `telegram`."""
