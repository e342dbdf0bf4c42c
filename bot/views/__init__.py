"""How replies look: the reply data types, button data, and the pages rendered from content.

Both the dialog (which answers users) and the content rules (which measure what the bot
will send, to keep it within Telegram's limits) use these; nothing here imports either.
"""
