"""Sanbu Guard: a Telegram bot that helps older people spot and stop fraud."""

__version__ = "0.1.0"
