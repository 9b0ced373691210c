"""The safe fetcher against a real HTTP server on 127.0.0.1: the address guard (resolver
seam, no connection to a refused address), pinning, redirects, the byte cap, content types,
the deadline, conditional GET; and ``briefbot ingest URL``."""

from __future__ import annotations

import io
import ipaddress
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from bot.cli import main
from index.errors import FetchBadType, FetchFailed, FetchRefused, FetchTimeout, FetchTooLarge
from index.fetch import Fetcher, IPAddress, refusal
from tests.fakes import FakeEmbedder
from tests.webserver import Page, Site, serve

ARTICLE = b"""<!doctype html><html><head><title>Ferry service resumes at Port Calder</title>
<meta property="og:site_name" content="Calder Gazette">
<meta name="date" content="2026-03-06"></head><body><article>
<h1>Ferry service resumes at Port Calder</h1>
<p>The ferry service between Port Calder and Vessin resumed on Friday after a three-day
stoppage caused by the storm surge, the harbour authority said.</p>
<p>About 1,400 passengers were carried on the first day, according to the operator, and
extra sailings are planned for the weekend to clear the backlog of freight lorries.</p>
</article></body></html>"""


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


def local_only(ip: IPAddress) -> str | None:
    """The guard, except that 127.0.0.1 (the test server) counts as public."""
    return None if str(ip) == "127.0.0.1" else refusal(ip)


def resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> list[str]:
        return table[host]
    return resolve


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "0.0.0.0",
    "224.0.0.1", "100.64.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
    "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1",
    "2002:a00:1::1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1", "fec0::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
])
def test_non_public_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_a_name_resolving_to_loopback_is_refused_without_connecting(site: Site) -> None:
    site.routes["/a.html"] = Page(ARTICLE)
    fetcher = Fetcher(resolver=resolver({"news.test": ["127.0.0.1"]}))
    with pytest.raises(FetchRefused, match="loopback"):
        fetcher.fetch(site.url("/a.html", host="news.test"))
    with pytest.raises(FetchRefused):
        fetcher.fetch(site.url("/a.html"))
    assert site.requests == []


def test_every_address_must_be_public(site: Site) -> None:
    fetcher = Fetcher(resolver=resolver({"mixed.test": ["93.184.216.34", "10.0.0.7"]}))
    with pytest.raises(FetchRefused, match=r"10\.0\.0\.7"):
        fetcher.fetch("http://mixed.test/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/",
                                 "http:///nohost"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchRefused):
        Fetcher().fetch(url)


def test_pinned_address_keeps_the_host_name(site: Site) -> None:
    site.routes["/a.html"] = Page(ARTICLE, headers={"ETag": '"v1"'})
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    fetched = Fetcher(resolver=resolve, policy=local_only).fetch(
        site.url("/a.html", host="news.test"))
    assert fetched.status == 200 and fetched.is_html and b"Port Calder" in fetched.body
    assert fetched.final_url == site.url("/a.html", host="news.test")
    assert fetched.etag == '"v1"'
    assert calls == ["news.test"]
    assert site.requests[0][1]["host"] == f"news.test:{site.port}"


def test_redirect_chain_is_followed_and_rechecked(site: Site) -> None:
    for i in range(3):
        site.routes[f"/r{i}"] = Page(status=302, headers={"Location": f"/r{i + 1}"})
    site.routes["/r3"] = Page(ARTICLE)
    fetched = Fetcher(allow_private=True).fetch(site.url("/r0"))
    assert fetched.final_url == site.url("/r3") and site.paths() == ["/r0", "/r1", "/r2", "/r3"]


def test_too_many_redirects(site: Site) -> None:
    for i in range(10):
        site.routes[f"/r{i}"] = Page(status=301, headers={"Location": site.url(f"/r{i + 1}")})
    with pytest.raises(FetchFailed, match="more than 5"):
        Fetcher(allow_private=True).fetch(site.url("/r0"))
    assert len(site.requests) == 6


@pytest.mark.parametrize("target", ["http://intranet.test/admin",
                                    "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]/", "file:///etc/passwd"])
def test_redirect_to_a_private_address_is_refused(site: Site, target: str) -> None:
    site.routes["/go"] = Page(status=302, headers={"Location": target})
    fetcher = Fetcher(resolver=resolver({"news.test": ["127.0.0.1"],
                                         "intranet.test": ["10.1.2.3"]}), policy=local_only)
    with pytest.raises(FetchRefused):
        fetcher.fetch(site.url("/go", host="news.test"))
    assert site.paths() == ["/go"]


def test_huge_page_is_cut_off(site: Site) -> None:
    site.routes["/big"] = Page(b"<p>" + b"x" * 50_000 + b"</p>")

    def chunked(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: caught while reading
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"y" * 1000)

    site.routes["/stream"] = chunked
    fetcher = Fetcher(allow_private=True, max_bytes=10_000)
    with pytest.raises(FetchTooLarge, match="larger than 10 kB"):
        fetcher.fetch(site.url("/big"))
    with pytest.raises(FetchTooLarge):
        fetcher.fetch(site.url("/stream"))


@pytest.mark.parametrize("ctype", ["application/octet-stream", "image/png", "application/pdf",
                                   None])
def test_types_outside_the_allow_list(site: Site, ctype: str | None) -> None:
    site.routes["/file"] = Page(b"\x89PNG\r\n\x1a\n\x00\x00", ctype)
    with pytest.raises(FetchBadType):
        Fetcher(allow_private=True).fetch(site.url("/file"))


def test_timeout(site: Site) -> None:
    def stall(h: BaseHTTPRequestHandler) -> None:
        site.release.wait(10)

    site.routes["/slow"] = stall
    with pytest.raises(FetchTimeout, match=r"longer than 0\.3 s"):
        Fetcher(allow_private=True, timeout=0.3).fetch(site.url("/slow"))


def test_not_modified_and_errors(site: Site) -> None:
    site.routes["/feed"] = Page(b"<rss/>", "application/rss+xml", headers={"ETag": '"e1"'})
    fetcher = Fetcher(allow_private=True)
    assert fetcher.fetch(site.url("/feed"), etag='"e1"').not_modified
    assert fetcher.fetch(site.url("/feed"), etag='"old"').body == b"<rss/>"
    with pytest.raises(FetchFailed, match="HTTP 404"):
        fetcher.fetch(site.url("/missing"))


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, embedder_factory=lambda m: FakeEmbedder(), stdin=io.StringIO(""),
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_refuses_loopback_without_the_switch(site: Site, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFBOT_ALLOW_PRIVATE_URLS", raising=False)
    site.routes["/a.html"] = Page(ARTICLE)
    code, _, err = run(["ingest", "--data-dir", str(tmp_path / "d"), site.url("/a.html")])
    assert code == 1 and "loopback" in err and len(err.strip().splitlines()) == 1
    assert site.requests == []


def test_cli_ingests_a_url_with_the_switch(site: Site, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    site.routes["/a.html"] = Page(ARTICLE)
    data = str(tmp_path / "d")
    code, out, err = run(["ingest", "--data-dir", data, site.url("/a.html") + "?utm_source=x"])
    assert code == 0 and "added 1 report(s)" in out, err
    code, out, _ = run(["ingest", "--data-dir", data, site.url("/a.html")])
    assert code == 0 and "added 0 report(s)" in out
    code, out, _ = run(["sources", "--data-dir", data, "--json"])
    import json

    (report,) = json.loads(out)
    assert report["title"] == "Ferry service resumes at Port Calder"
    assert report["date"] == "2026-03-06" and report["url"].startswith(site.url("/a.html"))
