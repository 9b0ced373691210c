"""Fetched and HTML pages: credited to the outlet that published them (not the feed they
came through), leads kept verbatim (no headline glued onto the first sentence), and a
malformed canonical link ignored. Pages and feeds are served on 127.0.0.1."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from index.feeds import FeedStore, poll_feed
from index.fetch import Fetcher
from index.library import Library
from index.loaders import parse_html
from index.pages import title_suffix
from index.sentences import split_sentences
from tests.bench.bench_feeds import article as bench_article
from tests.bench.bench_feeds import visible_blocks
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder
from tests.test_feeds import rss
from tests.webserver import Page, Site, serve

FETCHER = Fetcher(allow_private=True, timeout=5)

DAM = ("Water broke through the Kessel dam wall late on Monday, flooding three villages in "
       "the Mar valley. At least 27 people were killed, the regional governor Ilse Brandt "
       "said. Rescue teams from Vessin worked through the night with boats and lorries. "
       "About 1,200 residents were moved to schools and sports halls.")
POST_OWN = ("The Valley Post asked residents of Dorvik how the night went. Many said the "
            "sirens came too late and that the dam had leaked for weeks before it broke. "
            "The mayor promised an inquiry into the maintenance of the wall.")
FERRY = ("The ferry between Port Calder and Vessin resumed on Friday after a stoppage of "
         "three days. About 1,400 passengers were carried on the first day, the operator said.")


def page(title: str, text: str, *, head: str = "", h1: str | None = None) -> bytes:
    """An article page written without white space between blocks, so that a sentence glued
    across two blocks cannot pass as a substring of one."""
    paras = "".join(f"<p>{html.escape(s)}.</p>" for s in text.rstrip(".").split(". "))
    return (f"<!doctype html><html><head><title>{html.escape(title)}</title>{head}</head>"
            "<body><nav><a href='/'>Home</a><a href='/w'>World</a></nav><article>"
            f"<h1>{html.escape(h1 or title.split(' - ')[0])}</h1>{paras}</article>"
            "<footer>Copyright 2026 Valley Media</footer></body></html>").encode()


def assert_verbatim(sentences: list[str], raw: bytes, headline: str) -> None:
    blocks = visible_blocks(raw)
    assert sentences
    for s in sentences:
        norm = re.sub(r"\s+", " ", s).strip()
        assert any(norm in b for b in blocks), f"not verbatim: {s!r}"
        assert not norm.startswith(headline), f"headline glued on: {s!r}"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FeedStore]:
    s = FeedStore(tmp_path / "data")
    yield s
    s.close()


def test_title_suffix() -> None:
    assert title_suffix("Dam breach floods valley - Coastal Wire") == "Coastal Wire"
    assert title_suffix("Dam breach | valley.example") == "valley.example"
    assert title_suffix("Dam breach - what we know so far") is None
    assert title_suffix("Dam breach floods valley") is None


def test_aggregator_feed_cites_each_outlet(site: Site, store: FeedStore,
                                           library: Library) -> None:
    publisher = ('<script type="application/ld+json">{"@type": "NewsArticle", "publisher": '
                 '{"@type": "Organization", "name": "Mar Valley Radio"}}</script>')
    site.routes["/a/1.html"] = Page(page("Dam breach floods valley", DAM,
                                         head='<meta property="og:site_name" '
                                              'content="Coastal Wire">'))
    site.routes["/a/2.html"] = Page(page("Dorvik asks why the sirens were late", POST_OWN,
                                         head=publisher))
    site.routes["/a/3.html"] = Page(page("Ferry to Vessin resumes - Calder Gazette", FERRY))
    site.routes["/a/4.html"] = Page(page("Power back in Dorvik",
                                         "Power was restored to 4,000 homes in Dorvik "
                                         "overnight, the utility said on Tuesday."))
    links = [site.url("/a/1.html"), site.url("/a/2.html"), site.url("/a/3.html"),
             site.url("/a/4.html", host="localhost")]
    site.routes["/agg.xml"] = Page(rss("Everything News", [
        (f"g{i}", f"Story {i}", link, "summary") for i, link in enumerate(links)]),
        "application/rss+xml")
    store.add(site.url("/agg.xml"), 1800)
    result = poll_feed(site.url("/agg.xml"), FETCHER, library, store)
    assert result.ingest is not None and len(result.ingest.added) == 4
    by_url = {r.url: r.source for r in library.reports()}
    assert by_url == {links[0]: "Coastal Wire", links[1]: "Mar Valley Radio",
                      links[2]: "Calder Gazette", links[3]: "localhost"}


def test_syndicated_copy_in_a_feed_is_also_reported_by(site: Site, store: FeedStore,
                                                       library: Library) -> None:
    """The reported case: the Valley Post's feed carries its own story and a Coastal Wire
    copy (title ending "- Coastal Wire"); both were credited to "Valley Post - News", so the
    copy was a same-outlet second report and answers cited the Post twice."""
    own = ("Dam breach: Valley Post reports", DAM.replace("late on Monday", "on Monday night"))
    site.routes["/post/dam.html"] = Page(page(*own, head='<meta property="og:site_name" '
                                                         'content="Valley Post">'))
    site.routes["/post/wire-copy.html"] = Page(page("Dam breach floods valley - Coastal Wire",
                                                    DAM))
    site.routes["/post.xml"] = Page(rss("Valley Post - News", [
        ("p1", own[0], site.url("/post/dam.html"), "s"),
        ("p2", "Dam breach floods valley", site.url("/post/wire-copy.html"), "s")]),
        "application/rss+xml")
    store.add(site.url("/post.xml"), 1800)
    result = poll_feed(site.url("/post.xml"), FETCHER, library, store)
    assert result.ingest is not None and len(result.ingest.merged) == 1
    (report,) = library.reports()
    assert report.source == "Valley Post"
    assert [a.source for a in report.also_reported_by] == ["Coastal Wire"]
    answer = library.ask("how many people were killed when the Kessel dam broke?")
    cited = [c.source for c in answer.citations]
    assert cited.count("Valley Post") == 1 and "Coastal Wire" in cited
    assert "Valley Post - News" not in cited


def test_fetched_page_sentences_are_verbatim_without_the_headline(site: Site, store: FeedStore,
                                                                 library: Library) -> None:
    raw = page("Dam breach floods valley - Coastal Wire", DAM)
    site.routes["/a.html"] = Page(raw)
    site.routes["/f.xml"] = Page(rss("Wire", [("g", "Dam", site.url("/a.html"), "s")]),
                                 "application/rss+xml")
    store.add(site.url("/f.xml"), 1800)
    poll_feed(site.url("/f.xml"), FETCHER, library, store)
    (report,) = library.reports()
    sentences = [s.text for s in library.report_sentences(report.id)]
    assert_verbatim(sentences, raw, "Dam breach floods valley")
    assert sentences[0].startswith("Water broke through")


def test_headings_and_lists_are_never_glued_to_a_sentence() -> None:
    raw = (b"<html><head><title>Floods: what we know</title></head><body><article>"
           b"<h1>Floods: what we know</h1><p>The river Mar rose by two metres overnight in "
           b"Dorvik, officials said.</p><h2>Who is affected</h2><p>About 3,000 people live "
           b"in the flooded streets of the old town.</p><ul><li>Schools are closed</li>"
           b"<li>Trains to Vessin are cancelled</li></ul><p>More rain is forecast for "
           b"Thursday and Friday.</p></article></body></html>")
    draft = parse_html(raw, "floods.html")
    assert_verbatim(split_sentences(draft.text), raw, "Floods: what we know")


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.md")), ids=lambda p: p.name)
def test_bench_feed_pages_stay_verbatim(sample: Path) -> None:
    """The feed benchmark's page template, filled with our own sample reports."""
    lines = sample.read_text(encoding="utf-8").split("\n")
    title = lines[0].lstrip("# ").strip()
    body = "\n\n".join(p for p in "\n".join(lines[1:]).split("\n\n")
                       if p.strip() and not p.lstrip().startswith(("Source:", "URL:")))
    raw = bench_article({"title": title, "text": body})
    draft = parse_html(raw, sample.name)
    assert draft.source == "Reuters"
    assert_verbatim(split_sentences(draft.text), raw, title)


def test_malformed_canonical_link_is_ignored(site: Site, tmp_path: Path) -> None:
    raw = page("Dam breach floods valley", DAM,
               head='<link rel="canonical" href="http://host:PORT/a.html">')
    (tmp_path / "a.html").write_bytes(raw)
    site.routes["/a.html"] = Page(raw)
    out, err = io.StringIO(), io.StringIO()
    code = main(["ingest", "--data-dir", str(tmp_path / "d"), str(tmp_path / "a.html")],
                embedder_factory=lambda m: FakeEmbedder(), stdin=io.StringIO(""),
                stdout=out, stderr=err)
    assert code == 0 and "Traceback" not in err.getvalue()
    draft = parse_html(raw, "a.html", url=site.url("/a.html"))
    assert draft.url == site.url("/a.html")  # the fetched address, not the bad link
    with Library(tmp_path / "d2", FakeEmbedder()) as lib:
        result = lib.ingest([parse_html(raw, "a.html")])
        assert len(result.added) == 1
    # A site that gives its home page as every article's canonical link: two stories stay
    # two reports (not versions of the home page).
    home = '<link rel="canonical" href="https://post.example/">'
    with Library(tmp_path / "d3", FakeEmbedder()) as lib:
        lib.ingest([parse_html(page("Dam breach", DAM, head=home), "1.html",
                               url="https://post.example/1.html"),
                    parse_html(page("Ferry resumes", FERRY, head=home), "2.html",
                               url="https://post.example/2.html")])
        assert sorted(r.url or "" for r in lib.reports()) == [
            "https://post.example/1.html", "https://post.example/2.html"]


def test_a_page_edited_at_the_same_url_is_version_two(site: Site, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported case end to end: ``briefbot ingest URL`` before and after the page was
    edited (27 → 29 killed) gives one report, version 2, not an "also reported by" of
    itself; ingesting it again changes nothing."""
    import json

    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    head = '<meta property="og:site_name" content="Valley Post">'
    data = str(tmp_path / "d")

    def cli(*argv: str) -> str:
        out = io.StringIO()
        assert main([*argv, "--data-dir", data], stdout=out, stderr=io.StringIO(),
                     stdin=io.StringIO(""), embedder_factory=lambda m: FakeEmbedder()) == 0
        return out.getvalue()

    site.routes["/dam.html"] = Page(page("Dam breach: 27 killed", DAM, head=head))
    cli("ingest", "--no-progress", site.url("/dam.html"))
    site.routes["/dam.html"] = Page(page("Dam breach: 29 killed",
                                         DAM.replace("At least 27", "At least 29"), head=head))
    for _ in range(2):
        cli("ingest", "--no-progress", site.url("/dam.html?utm_source=rss"))
    (report,) = json.loads(cli("sources", "--json"))
    assert report["versions"] == 2 and report["also_reported_by"] == []
    assert report["title"] == "Dam breach: 29 killed" and report["source"] == "Valley Post"
    answer = json.loads(cli("ask", "--json", "how many people were killed?"))
    assert answer["citations"][0]["sentence"].startswith("At least 29 people were killed")
