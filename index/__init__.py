"""briefbot's library: load reports, index their sentences, answer with citations, compose digests.

Nothing here knows about Telegram or formatting: functions return dataclasses from
:mod:`index.models` and raise errors from :mod:`index.errors`.
"""
