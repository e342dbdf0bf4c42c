"""Understanding what a senior sends before answering it: no Telegram code.

A text is a message to check, a cry for help, a question, small talk, confusion, a wish
about the bot, a menu word typed instead of pressed, or an answer typed during a quiz.
`reader.Reader` tells which, from the phrase lists in `content/conversation.yaml` and the
questions in `content/faq.yaml`, with the check's own verdict as the deciding evidence.
"""
