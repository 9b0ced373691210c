"""The Telegram bot: the application, its handlers, digests, feeds, watches and how messages
are rendered and delivered."""
