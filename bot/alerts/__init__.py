"""Scheduled alerts and broadcasts: the calendar planner, the durable outbox, the sender.

Nothing here imports `telegram`: the sender talks to a `Transport`, and `bot.tg.transport`
adapts python-telegram-bot to it.
"""
