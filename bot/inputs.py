"""Expand the command line's INPUT arguments (paths, ``-``, URLs) into loaded reports.

A URL is fetched with :class:`index.fetch.Fetcher` (the guard settings come from
``config.fetch``) and its main text, title, date and canonical URL extracted; a feed gives
one report per entry; a refused or failed fetch becomes a :class:`LoadProblem` with a
one-line reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from bot.config import Config, FetchConfig
from index.errors import BriefbotError, UnsupportedFormat
from index.feeds import MAX_ENTRIES, entry_items, parse_feed
from index.fetch import FEED_TYPES, Fetcher, Resolver
from index.loaders import Loaded, Reader, decode_text, load_inputs, parse_html, parse_text
from index.models import LoadProblem, ReportDraft

log = logging.getLogger(__name__)


def make_fetcher(config: FetchConfig, resolver: Resolver | None = None) -> Fetcher:
    """A :class:`Fetcher` with the guard settings of ``[fetch]``."""
    return Fetcher(max_bytes=config.max_bytes, timeout=config.timeout,
                   max_redirects=config.max_redirects, user_agent=config.user_agent,
                   allow_private=config.allow_private_addresses, resolver=resolver)


def fetch_url(url: str, fetcher: Fetcher, max_entries: int = MAX_ENTRIES) -> list[Loaded]:
    """The report at ``url``, fetched and its main text extracted (HTML) or read as text; for
    a feed (RSS/Atom), one report per entry (each entry's link fetched for the full text).
    Raises a :class:`BriefbotError` with a one-line reason when ``url`` itself fails."""
    page = fetcher.fetch(url)
    host = urlsplit(page.final_url).hostname
    if page.is_html:
        draft = parse_html(page.body, url, url=page.final_url, source=host)
    elif page.content_type == "text/plain":
        draft = parse_text(decode_text(page.body, url), url, url=page.final_url, source=host)
    elif page.content_type in FEED_TYPES:
        feed = parse_feed(page.body, url)
        return list(entry_items(feed.entries[:max_entries], fetcher, feed.title or host))
    else:
        raise UnsupportedFormat(f"{url} is {page.content_type}, not a web page or a feed")
    return [ReportDraft(title=draft.title, text=draft.text, date=draft.date,
                        source=draft.source or host, url=draft.url or page.final_url,
                        origin=url)]


def expand_inputs(inputs: Sequence[str], config: Config, stdin: Reader | bytes | None = None,
                  fetcher: Fetcher | None = None) -> Iterator[Loaded]:
    """Drafts from every input in order: files, folders, ``-`` and http(s) URLs (pages or
    feeds)."""
    for item in inputs:
        if "://" in item:
            fetcher = fetcher or make_fetcher(config.fetch)
            try:
                yield from fetch_url(item, fetcher)
            except BriefbotError as exc:
                yield LoadProblem(item, str(exc))
        else:
            yield from load_inputs([item], stdin=stdin)
