"""Feeds against a real HTTP server on 127.0.0.1: new entries ingested once, 304, a malformed
feed with backoff, summaries when a link fails, a republished entry, a copy from another
outlet; and the Telegram commands and jobs of :mod:`bot.telegram.feeds`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, FeedConfig, TelegramConfig
from bot.inputs import fetch_url
from bot.services import Services
from index.errors import MalformedInput
from index.feeds import FeedStore, backoff, parse_feed, poll_feed
from index.fetch import Fetcher
from index.library import Library
from tests.fakes import FakeEmbedder
from tests.tg import Clock, OfflineRequest, message_update
from tests.webserver import Page, Site, serve

ADMIN = 7

STORIES = {
    "levee": ("Army engineers reinforce the Dorvik levee",
              "Army engineers worked through the night to reinforce the levee near the old rail "
              "bridge in Dorvik, the regional governor Ilse Brandt said on Wednesday. Sandbags "
              "were brought in by lorry from Vessin, and about 300 volunteers joined the "
              "soldiers on the embankment as the river Mar kept rising."),
    "ferry": ("Ferry to Vessin resumes",
              "The ferry between Port Calder and Vessin resumed on Friday after a three-day "
              "stoppage. About 1,400 passengers were carried on the first day, the operator "
              "said, and extra sailings are planned for the weekend to clear the freight "
              "backlog that built up during the storm."),
    "strike": ("Calder dockers extend strike",
               "Dock workers at Port Calder voted on Thursday to extend their strike by a week, "
               "leaving 14 container ships at anchor outside the harbour. The union said the "
               "port authority had refused to reopen talks on night-shift pay, while the "
               "authority said its offer of a 4 percent rise still stood."),
}


def article(title: str, text: str, site_name: str = "Dorvik Herald") -> bytes:
    paras = "".join(f"<p>{s}.</p>" for s in text.split(". "))
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<meta property="og:site_name" content="{site_name}"></head><body><article>'
            f"<h1>{title}</h1>{paras}</article></body></html>").encode()


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """items: (guid, title, link, summary)"""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>{link.replace('&', '&amp;')}</link>"
        f"<description>{s}</description><pubDate>Wed, 04 Mar 2026 09:00:00 GMT</pubDate>"
        "</item>" for g, t, link, s in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://x.test/</link><description>d</description>{body}</channel></rss>"
            ).encode()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        for key, (title, text) in STORIES.items():
            s.routes[f"/news/{key}.html"] = Page(article(title, text))
        yield s


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 4, 10, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[FeedStore]:
    s = FeedStore(tmp_path / "data", clock)
    yield s
    s.close()


FETCHER = Fetcher(allow_private=True, timeout=5)


def items(site: Site, keys: list[str]) -> list[tuple[str, str, str, str]]:
    return [(f"id-{k}", STORIES[k][0], site.url(f"/news/{k}.html"), "short summary " + k)
            for k in keys]


def test_parse_feed_and_malformed_feeds() -> None:
    feed = parse_feed(rss("Herald", [("g1", "T &amp; U", "http://h.test/1", "<b>Sum</b>")]))
    assert feed.title == "Herald"
    (entry,) = feed.entries
    assert (entry.id, entry.title, entry.summary, entry.published) == (
        "g1", "T & U", "Sum", "2026-03-04T09:00:00+00:00")
    for bad in (b"<html><body>not a feed</body></html>", b"\x00\x01binary", b"<rss><channel"):
        with pytest.raises(MalformedInput):
            parse_feed(bad)
    with pytest.raises(MalformedInput, match="not well-formed"):
        parse_feed(b"/etc/passwd", "x")  # bytes are the document, never a path to open


def test_new_entries_once_then_304_then_only_the_new_one(site: Site, store: FeedStore,
                                                         library: Library) -> None:
    url = site.url("/feed.xml")
    store.add(url, 1800)
    site.routes["/feed.xml"] = Page(rss("Dorvik Herald", items(site, ["levee", "ferry"])),
                                    "application/rss+xml", headers={"ETag": '"v1"'})
    first = poll_feed(url, FETCHER, library, store)
    assert first.ingest is not None and len(first.ingest.added) == 2
    assert {r.title for r in library.reports()} == {STORIES["levee"][0], STORIES["ferry"][0]}
    assert all("night" in library.store.report_text(r.id) or "ferry" in
               (library.store.report_text(r.id) or "") for r in library.reports())

    second = poll_feed(url, FETCHER, library, store)
    assert second.not_modified and site.requests[-1][1]["if-none-match"] == '"v1"'

    site.routes["/feed.xml"] = Page(rss("Dorvik Herald", items(site, ["levee", "ferry",
                                                                      "strike"])),
                                    "application/rss+xml", headers={"ETag": '"v2"'})
    before = len(site.requests)
    third = poll_feed(url, FETCHER, library, store)
    assert third.new_entries == 1 and third.ingest is not None and len(third.ingest.added) == 1
    assert site.paths()[before:] == ["/feed.xml", "/news/strike.html"]
    assert library.stats().reports == 3
    state = store.get(url)
    assert state is not None and state.etag == '"v2"' and state.title == "Dorvik Herald"


def test_malformed_feed_backs_off_and_shows_its_error(site: Site, store: FeedStore,
                                                      library: Library, clock: Clock) -> None:
    url = site.url("/broken.xml")
    store.add(url, 600)
    site.routes["/broken.xml"] = Page(b"<rss><channel><item>", "application/rss+xml")
    result = poll_feed(url, FETCHER, library, store)
    assert result.error and "not a valid RSS or Atom feed" in result.error
    state = store.get(url)
    assert state is not None and state.failures == 1 and state.last_error == result.error
    assert not store.due(url)
    clock.now += timedelta(seconds=backoff(1, 600))
    assert store.due(url)
    poll_feed(url, FETCHER, library, store)
    state = store.get(url)
    assert state is not None and state.failures == 2
    assert backoff(2, 600) == 2400 and backoff(30, 600) == 86400
    site.routes["/broken.xml"] = Page(rss("Fixed", []), "application/rss+xml")
    clock.now += timedelta(days=1)
    assert poll_feed(url, FETCHER, library, store).error is None
    state = store.get(url)
    assert state is not None and state.failures == 0 and state.last_error is None
    assert library.stats().reports == 0


def test_failing_links_fall_back_to_the_summary(site: Site, store: FeedStore,
                                                library: Library) -> None:
    url = site.url("/feed.xml")
    store.add(url, 1800)
    site.routes["/bin"] = Page(b"\x00\x01", "application/octet-stream")
    entries = [("a", "Gone", site.url("/missing.html"),
                "The Vessin bridge reopened to light traffic on Saturday, officials said."),
               ("b", "Binary", site.url("/bin"),
                "Power was restored to 4,000 homes in Dorvik overnight, the utility said.")]
    site.routes["/feed.xml"] = Page(rss("Herald", entries), "application/rss+xml")
    result = poll_feed(url, FETCHER, library, store)
    assert result.ingest is not None and len(result.ingest.added) == 2
    texts = {library.store.report_text(r.id) for r in library.reports()}
    assert any(t and "Vessin bridge" in t for t in texts)


def test_republished_entry_with_utm_is_the_same_report(site: Site, store: FeedStore,
                                                       library: Library) -> None:
    url = site.url("/feed.xml")
    store.add(url, 1800)
    site.routes["/feed.xml"] = Page(rss("Herald", items(site, ["levee"])), "text/xml")
    poll_feed(url, FETCHER, library, store)
    site.routes["/2026/levee-update.html"] = Page(article(*STORIES["levee"]))
    again = [("id-levee-2", STORIES["levee"][0],
              site.url("/news/levee.html?utm_source=rss&utm_medium=feed"), "s"),
             ("id-levee-3", STORIES["levee"][0],
              site.url("/2026/levee-update.html?utm_source=rss"), "s")]
    site.routes["/feed.xml"] = Page(rss("Herald", again), "text/xml")
    result = poll_feed(url, FETCHER, library, store)
    assert result.ingest is not None and not result.ingest.added
    assert library.stats().reports == 1


def test_a_feed_entry_for_a_page_already_ingested_is_that_report(site: Site, store: FeedStore,
                                                                  library: Library) -> None:
    """Tried as a new user would: a page ingested by its URL, then a feed linking to it, gave
    two reports of one text (the feed's kept the link, not the page's canonical URL), and the
    page's canonical URL kept its "#top"."""
    title, text = STORIES["ferry"]
    page = article(title, text).replace(
        b"</head>", b'<link rel="canonical" href="https://herald.example/ferry?utm_source=x#top">'
                    b"</head>")
    site.routes["/p/ferry.html"] = Page(page)
    library.ingest(fetch_url(site.url("/p/ferry.html"), FETCHER))
    (first,) = library.store.list_reports()
    assert first.url == "https://herald.example/ferry"  # no fragment (nor tracking)
    url = site.url("/feed.xml")
    store.add(url, 1800)
    site.routes["/feed.xml"] = Page(rss("Herald", [("id-f", "Ferry item",
                                                    site.url("/p/ferry.html"), "s")]),
                                    "text/xml")
    result = poll_feed(url, FETCHER, library, store)
    assert result.ingest is not None and not result.ingest.added
    assert library.stats().reports == 1


def test_near_copy_from_another_outlet_is_merged(site: Site, store: FeedStore,
                                                 library: Library) -> None:
    text = STORIES["levee"][1]
    copy = ("By Jon Arvid. " + text.replace("worked through the night", "worked overnight")
            .replace(" Sandbags were brought in by lorry from Vessin, and", ""))
    site.routes["/wire/9.html"] = Page(article("Soldiers shore up Dorvik levee", copy,
                                               "Nordic Wire"))
    herald, wire = site.url("/herald.xml"), site.url("/wire.xml")
    store.add(herald, 1800)
    store.add(wire, 1800)
    site.routes["/herald.xml"] = Page(rss("Dorvik Herald", items(site, ["levee"])),
                                      "application/rss+xml")
    site.routes["/wire.xml"] = Page(rss("Nordic Wire", [("w9", "Soldiers shore up Dorvik levee",
                                                         site.url("/wire/9.html"), "s")]),
                                    "application/atom+xml")
    poll_feed(herald, FETCHER, library, store)
    result = poll_feed(wire, FETCHER, library, store)
    assert result.ingest is not None and len(result.ingest.merged) == 1
    (report,) = library.reports()
    assert report.source == "Dorvik Herald"
    assert [(a.source, a.url) for a in report.also_reported_by] == [
        ("Nordic Wire", site.url("/wire/9.html"))]
    answer = library.ask("who reinforced the levee near the rail bridge?")
    assert {c.source for c in answer.citations} >= {"Dorvik Herald", "Nordic Wire"}


# -- Telegram -----------------------------------------------------------------------------


async def make_app(tmp_path: Path, feeds: tuple[FeedConfig, ...] = ()) -> tuple[Any, Any,
                                                                                OfflineRequest]:
    from telegram.ext import ApplicationBuilder

    from bot.telegram import feeds as bot_feeds

    config = Config(data_dir=tmp_path / "data", feeds=feeds,
                    telegram=TelegramConfig(token="123:ABC", admins=(ADMIN,)))
    services = Services(config, lambda m: FakeEmbedder())
    services.open()
    request = OfflineRequest()
    app = (ApplicationBuilder().token("123:ABC").request(request)
           .get_updates_request(OfflineRequest()).build())
    service = bot_feeds.register(app, services, config, fetcher=FETCHER)
    await app.initialize()
    return app, service, request


async def say(app: Any, request: OfflineRequest, text: str, from_id: int = ADMIN) -> str:
    before = len(request.sent())
    await app.process_update(message_update(app.bot, text, from_id=from_id, chat_id=from_id))
    return "\n".join(p["text"] for p in request.sent()[before:])


async def test_feed_commands_and_jobs(site: Site, tmp_path: Path) -> None:
    config_feed = FeedConfig(url=site.url("/config.xml"), every=3600)
    app, service, request = await make_app(tmp_path, (config_feed,))
    try:
        assert [j.name for j in app.job_queue.jobs()] == [f"feed:{config_feed.url}"]
        assert "only the bot's admins" in await say(app, request, "/feed_add http://a.test/",
                                                    from_id=1)
        assert "must start with http" in await say(app, request, "/feed_add ftp://a.test/")
        url = site.url("/feed.xml")
        site.routes["/feed.xml"] = Page(rss("Herald", items(site, ["ferry"])),
                                        "application/rss+xml")
        # checked at once: the admin learns what it brought (tried as a new user would, it
        # said only "Added", for a page that was no feed too)
        added = await say(app, request, f"/feed_add {url} 15m")
        assert "Added the feed" in added and "First check — Done: added 1 report(s)" in added
        assert sorted(j.name for j in app.job_queue.jobs()) == sorted(
            [f"feed:{config_feed.url}", f"feed:{url}"])
        assert "Already following" in await say(app, request, f"/feed_add {url} 15m")
        site.routes["/page.html"] = Page(b"<html><body><p>Not a feed.</p></body></html>")
        refused = await say(app, request, f"/feed_add {site.url('/page.html')}")
        assert refused.startswith("Not added:") and "<unknown>" not in refused
        missing = await say(app, request, f"/feed_add {site.url('/gone.xml')}")
        assert missing.startswith("Not added:") and "404" in missing
        assert len(service.store.feeds()) == 2  # neither refused one was kept
        await service.poll(config_feed.url)  # 404: its error shows in /feeds
        listing = await say(app, request, "/feeds")
        assert "1. " + config_feed.url in listing and "HTTP 404" in listing
        assert f"2. {url} (every 15m)" in listing and "failing" not in listing.split("2. ")[1]
        assert "in the config file" in await say(app, request, "/feed_remove 1")
        assert "Removed" in await say(app, request, "/feed_remove 2")
        assert "Usage" in await say(app, request, "/feed_remove 9")
    finally:
        await app.shutdown()


async def test_ingest_command_and_admin_links(site: Site, tmp_path: Path) -> None:
    app, service, request = await make_app(tmp_path)
    try:
        reply = await say(app, request, f"/ingest {site.url('/news/strike.html')}")
        assert "added 1" in reply
        reply = await say(app, request, site.url("/news/ferry.html"))
        assert "added 1" in reply
        assert "only the bot's admins" in await say(app, request, "/ingest http://x.test/",
                                                    from_id=1)
        reply = await say(app, request, "/ingest file:///etc/passwd")
        assert reply.startswith("Could not add") and "\n" not in reply
        assert service.services.library.stats().reports == 2
    finally:
        await app.shutdown()


def test_cli_ingest_of_a_feed_url_adds_its_entries(site: Site, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from bot.cli import main

    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    site.routes["/rss.xml"] = Page(rss("Dorvik Herald", items(site, ["levee", "ferry"])),
                                   content_type="application/rss+xml")
    out = io.StringIO()
    code = main(["ingest", "--no-progress", "--data-dir", str(tmp_path / "d"),
                 site.url("/rss.xml")], stdout=out, stderr=io.StringIO(),
                embedder_factory=lambda m: FakeEmbedder())
    assert code == 0 and "added 2 report(s)" in out.getvalue()


async def test_a_long_feed_list_is_split_not_cut(tmp_path: Path) -> None:
    app, service, request = await make_app(tmp_path)
    try:
        urls = [f"https://news{n}.example.org/{'section/' * 8}feed.xml" for n in range(60)]
        for url in urls:
            service.store.add(url, 1800)
        before = len(request.sent())
        listing = await say(app, request, "/feeds")
        assert len(request.sent()) - before >= 2  # over 4096 characters: several messages
        assert all(f"{n}. {url}" in listing for n, url in enumerate(urls, 1))
    finally:
        await app.shutdown()
