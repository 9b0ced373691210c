"""``python -m bot``: the ``briefbot`` command line without the console script."""

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
