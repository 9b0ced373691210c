"""briefbot's front ends: the ``briefbot`` command line and the Telegram bot."""
