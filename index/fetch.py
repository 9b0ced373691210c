"""Safe fetching of web pages and feeds with httpx.

:class:`Fetcher` gets one URL and hands back a :class:`Fetched` (final URL, status, content
type, body bytes, validators). What it guards against:

* schemes other than http and https;
* hosts that resolve to an address that is not public (loopback, private, link-local,
  multicast, reserved, unspecified, CGNAT, and IPv4-mapped / 6to4 / NAT64 / Teredo forms of
  them). *Every* address the name resolves to must be public, and the check happens before
  each connection, including after every redirect (followed here, at most ``max_redirects``);
* DNS rebinding: the connection goes to the checked address (the URL is rewritten to the IP),
  while the ``Host`` header and TLS SNI / certificate check keep the name;
* slow servers (one overall deadline for the whole fetch, redirects included, that bounds
  every socket operation: connect, TLS, a trickle of header bytes, the body);
* big bodies (a byte cap enforced while decoding the body as a stream: a small gzip that
  inflates to gigabytes is stopped at the cap);
* content types we do not read (an allow-list: HTML, XHTML, plain text, RSS/Atom/XML, JSON).

Failures raise an :class:`index.errors.FetchError` subclass whose message is one line for a
person. ``allow_private=True`` lets private addresses through (tests serving on 127.0.0.1);
the scheme, cap, deadline and type checks still apply. Tests inject ``resolver`` to decide
what a name resolves to without DNS, and ``policy`` to let one test address through.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from index.errors import FetchBadType, FetchFailed, FetchRefused, FetchTimeout, FetchTooLarge
from index.httpguard import ACCEPT_ENCODING, DeadlineBackend, decode_body

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/xml", "text/xml", "application/json", "application/feed+json",
})
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/json", "application/feed+json")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_USER_AGENT = "briefbot/0.1 (+https://github.com/briefbot)"

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")


@dataclass(frozen=True)
class Fetched:
    """A fetched document. ``status`` 304 means "not modified" (``body`` is empty)."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")


def refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address, or ``None`` when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return refusal(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return refusal(ip.sixtofour)
        if ip.teredo is not None:
            return "a Teredo tunnel address"
        if ip in _NAT64:
            return refusal(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip in _NAT64_LOCAL:
            return "a local NAT64 address"
        if ip.is_site_local:
            return "a site-local address"
    checks = (("is_unspecified", "an unspecified address"), ("is_loopback", "a loopback address"),
              ("is_link_local", "a link-local address"), ("is_multicast", "a multicast address"),
              ("is_private", "a private address"), ("is_reserved", "a reserved address"))
    for attr, why in checks:
        if getattr(ip, attr):
            return why
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a shared (carrier-grade NAT) address"
    if not ip.is_global:
        return "not a public address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (A and AAAA), as strings."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    return out


def _parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


class Fetcher:
    """Fetches http(s) URLs safely; thread-safe, one instance per front end is enough."""

    def __init__(self, *, max_bytes: int = 5_000_000, timeout: float = 20.0,
                 max_redirects: int = 5, user_agent: str = DEFAULT_USER_AGENT,
                 allow_private: bool = False, resolver: Resolver | None = None,
                 policy: Callable[[IPAddress], str | None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.allow_private = allow_private
        self._resolver = resolver
        self._policy = policy or refusal
        self._clock = clock
        self._ssl: ssl.SSLContext | None = None
        self._dns: ThreadPoolExecutor | None = None  # lookups with a deadline

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:  # loading the CA bundle is slow: once per fetcher
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    # -- addresses ----------------------------------------------------------------------

    def _resolve(self, host: str, port: int, deadline: float) -> list[str]:
        if self._resolver is not None:
            return self._resolver(host, port)
        if self._dns is None:
            self._dns = ThreadPoolExecutor(max_workers=4, thread_name_prefix="briefbot-dns")
        future = self._dns.submit(system_resolver, host, port)
        try:
            return future.result(timeout=max(0.01, deadline - self._clock()))
        except FutureTimeout as exc:
            raise FetchTimeout(f"looking up {host} took too long") from exc
        except (OSError, UnicodeError) as exc:
            raise FetchFailed(f"cannot find the host {host}") from exc

    def pinned_address(self, host: str, port: int, deadline: float | None = None) -> str:
        """The address to connect to for ``host``: every address it resolves to must be
        allowed, else :class:`FetchRefused` (before any connection is made)."""
        literal = _parse_ip(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = self._resolve(host, port, deadline or self._clock() + self.timeout)
            except OSError as exc:
                raise FetchFailed(f"cannot find the host {host}") from exc
        if not addresses:
            raise FetchFailed(f"cannot find the host {host}")
        parsed: list[IPAddress] = []
        for text in addresses:
            ip = _parse_ip(text)
            if ip is None:
                raise FetchRefused(f"{host} resolves to {text!r}, which is not an IP address")
            parsed.append(ip)
        if not self.allow_private:
            for ip in parsed:
                why = self._policy(ip)
                if why is not None:
                    raise FetchRefused(f"{host} resolves to {ip}, {why}: not fetched")
        return str(parsed[0])

    # -- fetching -----------------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str | None = None) -> Fetched:
        """GET ``url`` (conditionally, given ``etag``/``last_modified``), following at most
        ``max_redirects`` redirects; raises a :class:`FetchError` with a one-line reason."""
        deadline = self._clock() + self.timeout
        current = url.strip()
        for hop in range(self.max_redirects + 1):
            response = self._request(current, deadline, etag, last_modified, accept)
            status, headers, body = response
            if status in REDIRECTS and "location" in headers:
                target = urljoin(current, headers["location"].strip())
                log.debug("%s redirects (%d) to %s", current, status, target)
                if hop == self.max_redirects:
                    raise FetchFailed(f"{url} redirects more than {self.max_redirects} times")
                current = target
                continue
            if status == 304:
                return Fetched(url, current, 304, "", b"", headers.get("etag") or etag,
                               headers.get("last-modified") or last_modified)
            if status >= 400:
                raise FetchFailed(f"{current} answered HTTP {status}")
            if not 200 <= status < 300:
                raise FetchFailed(f"{current} answered HTTP {status}, which is not a document")
            return Fetched(url, current, status, _media_type(headers.get("content-type", "")),
                           body, headers.get("etag"), headers.get("last-modified"))
        raise FetchFailed(f"{url} redirects more than {self.max_redirects} times")

    def _request(self, url: str, deadline: float, etag: str | None,
                 last_modified: str | None, accept: str | None
                 ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefused(f"only http and https URLs are fetched, not {url[:80]!r}")
        try:
            host = parts.hostname
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError as exc:
            raise FetchRefused(f"{url[:80]!r} is not a valid URL") from exc
        if not host:
            raise FetchRefused(f"{url[:80]!r} has no host name")
        ip = self.pinned_address(host, port, deadline)
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise FetchTimeout(f"{url} took longer than {self.timeout:g} s")
        netloc = f"[{ip}]" if ":" in ip else ip
        if parts.port is not None:
            netloc += f":{parts.port}"
        pinned_url = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = f"[{host}]" if ":" in host else host
        if parts.port is not None:
            host_header += f":{parts.port}"
        headers = {"Host": host_header, "User-Agent": self.user_agent,
                   "Accept-Encoding": ACCEPT_ENCODING,
                   "Accept": accept or "text/html,application/xhtml+xml,application/xml;q=0.9,"
                                       "application/rss+xml,application/atom+xml,"
                                       "text/plain;q=0.8,application/json;q=0.7"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        extensions: dict[str, object] = {}
        if scheme == "https":
            extensions["sni_hostname"] = host
        # A client per request: a pooled connection must never be reused for another name.
        # Its sockets wait at most until the deadline (httpx's timeouts are per read).
        transport = httpx.HTTPTransport(verify=self._ssl_context() if scheme == "https"
                                        else True, trust_env=False)
        transport._pool = httpcore.ConnectionPool(
            ssl_context=self._ssl_context() if scheme == "https" else None,
            network_backend=DeadlineBackend(deadline, self._clock))
        client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                              timeout=httpx.Timeout(remaining))
        try:
            with client:
                request = client.build_request("GET", pinned_url, headers=headers,
                                               extensions=extensions)
                response = client.send(request, stream=True)
                try:
                    return self._read(url, response, deadline)
                finally:
                    response.close()
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"{url} took longer than {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FetchFailed(f"{url} could not be fetched: {reason}") from exc

    def _read(self, url: str, response: httpx.Response, deadline: float
              ) -> tuple[int, dict[str, str], bytes]:
        headers = {k.lower(): v for k, v in response.headers.items()}
        status = response.status_code
        if status in REDIRECTS or status == 304 or status >= 400 or not 200 <= status < 300:
            return status, headers, b""
        media = _media_type(headers.get("content-type", ""))
        if not media:
            raise FetchBadType(f"{url} gave no content type")
        if media not in ALLOWED_TYPES:
            raise FetchBadType(f"{url} is {media}, not a web page or feed")
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchTooLarge(f"{url} is larger than {_size(self.max_bytes)}")

        def raw() -> Iterator[bytes]:
            total = 0
            for chunk in response.iter_raw():
                total += len(chunk)
                if total > self.max_bytes:
                    raise FetchTooLarge(f"{url} is larger than {_size(self.max_bytes)}")
                if self._clock() > deadline:
                    raise FetchTimeout(f"{url} took longer than {self.timeout:g} s")
                yield chunk

        try:
            body = decode_body(raw(), headers.get("content-encoding", ""), self.max_bytes, url)
        except zlib.error as exc:
            raise FetchFailed(f"{url} sent a body that does not decode ({exc})") from exc
        return status, headers, body


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} kB"
