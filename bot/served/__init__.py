"""What the bot serves, put together: the content with the check and the reader built on it
(`live`), and the validation that runs the content's examples through both (`validate`).
Kept out of `bot.content` so that the content models never depend on the check or the reader
that are built from them."""
