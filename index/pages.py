"""What an HTML page says about itself beyond its article text: the outlet that published it
and its headline.

:func:`read_page` looks at the page's own markup: the outlet is ``og:site_name`` or the
JSON-LD ``publisher`` (trafilatura reads both), else the suffix of the ``<title>``
(``Dam breach floods valley - Coastal Wire``), else the host of its link; the headlines are
the ``<title>`` (without that suffix), ``og:title`` and the ``<h1>`` texts, so that the article
text can start after them (:func:`drop_headline`). A feed is only how a page arrived: it
never names the outlet.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"\s+(?:[-|–—:·•]|::)\s+")
_CONNECTORS = frozenset("of the and for de la le du der die das & on in at".split())


@dataclass(frozen=True)
class PageMeta:
    """The outlet named by the page (``None`` when it names none) and its headlines."""

    outlet: str | None
    headlines: tuple[str, ...]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def title_suffix(title: str) -> str | None:
    """The outlet at the end of a page title (``… - Coastal Wire``), if it looks like a
    name: at most five words, each capitalised (or a short connector), or a domain."""
    parts = _SEPARATORS.split(title.strip())
    if len(parts) < 2:
        return None
    last = parts[-1].strip()
    words = last.split()
    if not 1 <= len(words) <= 5 or len(last) > 40 or last[-1:] in ".!?":
        return None
    if re.fullmatch(r"[\w-]+(\.[\w-]+)+", last):
        return last
    if all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS for w in words):
        return last
    return None


def host_outlet(url: str | None) -> str | None:
    """The host of an http(s) link as an outlet name (``www.`` dropped); ``None`` when there
    is none or the link is malformed (``http://host:PORT/a.html``)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _host_like(name: str, urls: tuple[str | None, ...]) -> bool:
    """Whether trafilatura's site name is only a host it derived from a link (or from a
    malformed one: ``host:port``)."""
    folded = name.strip().casefold()
    if re.fullmatch(r"[\w-]+([.:][\w-]+)+", folded):
        return True
    hosts = {h for u in urls if (h := host_outlet(u))}
    return folded in hosts or any(h.split(".")[0] == folded for h in hosts)


def jsonld_publisher(blocks: list[str]) -> str | None:
    """The ``publisher`` name in a page's JSON-LD blocks (schema.org), if any."""
    for block in blocks[:20]:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack: list[object] = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                publisher = node.get("publisher")
                if isinstance(publisher, str) and publisher.strip():
                    return publisher.strip()
                if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) \
                        and publisher["name"].strip():
                    return str(publisher["name"]).strip()
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return None


def read_page(raw: bytes, sitename: str | None = None, urls: tuple[str | None, ...] = ()
              ) -> PageMeta:
    """The outlet and headlines a page names itself (``sitename``: what trafilatura read
    from ``og:site_name`` or the JSON-LD publisher, or derived from one of ``urls``)."""
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.document_fromstring(raw)
    except (lxml.etree.LxmlError, ValueError) as exc:
        log.debug("page metadata unreadable: %s", exc)
        return PageMeta((sitename or "").strip() or None, ())
    title = _squash(" ".join(root.xpath("//head/title//text()") or
                             root.xpath("//title//text()")[:1]))
    suffix = title_suffix(title) if title else None
    headlines = []
    if title:
        headlines.append(title)
        if suffix:
            headlines.append(_SEPARATORS.split(title)[0].strip())
            headlines.append(title[: title.rfind(suffix)].rstrip(" -|–—:·•"))
    headlines += [_squash(str(c)) for c in
                  root.xpath("//meta[@property='og:title' or @name='og:title']/@content")]
    headlines += [_squash(h.text_content()) for h in root.xpath("//h1")[:10]]
    named = (sitename or "").strip()
    if not named or _host_like(named, urls):
        blocks = [str(t) for t in
                  root.xpath("//script[@type='application/ld+json']/text()")]
        named = jsonld_publisher(blocks) or ""
    outlet = named or suffix
    return PageMeta(outlet or None, tuple(h for h in headlines if h))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def drop_headline(lines: list[str], headlines: tuple[str, ...]) -> list[str]:
    """The article's lines without the leading ones that repeat a headline."""
    known = {_norm(h) for h in headlines}
    start = 0
    while start < len(lines) - 1 and (not lines[start].strip()
                                      or _norm(lines[start]) in known):
        start += 1
    return lines[start:]
